"""Input stage: the only readers of user files (case files, chronology tables, SSDA903 returns)."""
