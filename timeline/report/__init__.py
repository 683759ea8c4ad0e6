"""Report stage: what the printed report and the child's own story hold, and where."""
