"""`python -m timeline` runs the command-line interface (with its start-up tuning, `cli.run`)."""

from .cli.commands import run

run()
