"""Facts stage: what a validated case says about time, measured against a jurisdiction's standards."""
