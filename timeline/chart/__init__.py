"""Layout stage (the chart): a case and its facts drawn as a Scene -- context, lanes, tiers, axis, legend, key, fit."""
