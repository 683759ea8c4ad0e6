"""Command line: click commands, batch runs and the start-up tuning of one `timeline` process."""
