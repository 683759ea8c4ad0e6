"""`python -m timeline` runs the command-line interface."""

from .cli import main

main()
