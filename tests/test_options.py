"""Render options (pipeline): one source for each option's choices and help, which the CLI shows."""

from __future__ import annotations

from dataclasses import fields

import click

from timeline.cli.commands import main
from timeline.options import FORMATS, PAGES, VIEWS, RenderOptions, option_help


def test_every_render_option_has_its_help() -> None:
    assert all(option_help(f.name).strip() for f in fields(RenderOptions))


def test_the_render_command_offers_the_options_choices_and_help() -> None:
    command = main.commands["render"]
    params = {p.name: p for p in command.params if isinstance(p, click.Option)}
    for param, option, choices in (("fmt", "format", FORMATS), ("page", "page", PAGES), ("view", "view", VIEWS)):
        assert isinstance(params[param].type, click.Choice)
        assert tuple(params[param].type.choices) == choices
        assert params[param].help == option_help(option)
    for name in ("width", "marking", "title", "dpi", "page_range", "seed"):
        assert params[name].help == option_help(name)
    assert RenderOptions().page in PAGES and RenderOptions().view in VIEWS and RenderOptions().format in FORMATS
