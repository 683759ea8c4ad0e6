"""Scene (between layout and render): frozen drawing items with structured style and geometry, and the look."""
