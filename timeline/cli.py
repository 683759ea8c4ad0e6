"""Command line (wiring only): click commands that call the pipeline stages and report problems.

Exit codes: 0 ok; 1 invalid input or a failed render (located messages on stderr); 2 usage error.
No traceback for bad input unless --debug.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import click

from .dates import DateFormatError, parse_date
from .problems import CaseError

F = TypeVar("F", bound=Callable[..., Any])


def _as_of_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        parsed = parse_date(value)
    except DateFormatError as exc:
        raise click.BadParameter(str(exc)) from None
    if parsed.precision != "day" or parsed.qualifier:
        raise click.BadParameter("needs a full date, YYYY-MM-DD")
    return parsed.earliest


def report(problems: Any) -> None:
    """Print located problems to stderr, one per line."""
    for p in problems:
        click.echo(p.format(), err=True)


def handles_errors(func: F) -> F:
    """Turn CaseError and OS errors into messages and exit code 1 (a traceback only with --debug)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except CaseError as exc:
            report(exc.problems)
            ctx.exit(1)
        except click.exceptions.Exit:
            raise
        except (click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if ctx.find_root().params.get("debug"):
                raise
            from .output import OutputError

            if isinstance(exc, OutputError):
                click.echo(f"error: {exc}", err=True)
            elif isinstance(exc, OSError):
                click.echo(f"error: could not write the output ({exc.strerror or exc.__class__.__name__})", err=True)
            else:
                click.echo(
                    f"error: {exc.__class__.__name__}: {str(exc)[:200]} (run with --debug for details)", err=True
                )
            ctx.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--debug", is_flag=True, help="Show a full traceback when something fails unexpectedly.")
@click.version_option(package_name="child-timeline", prog_name="timeline")
def main(debug: bool) -> None:
    """Draw a looked-after child's journey against the child's age.

    Reads a case file (YAML or JSON; see `timeline init`) and validates it, renders it
    (SVG, PDF, HTML, PNG), or summarises the time it shows.
    """


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=str))
@click.option("--as-of", callback=_as_of_option, help="Check against this date instead of the file's as_of.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing for valid files, and no warnings.")
@handles_errors
def validate(files: tuple[str, ...], as_of: date | None, quiet: bool) -> None:
    """Check case FILES; print every problem as FILE:LINE:COL: field: what is wrong.

    Exits 0 when every file is valid (warnings allowed), 1 when any is not.
    """
    from .io import load_case

    failed = 0
    for name in files:
        try:
            loaded = load_case(name, as_of=as_of)
        except CaseError as exc:
            report(exc.problems)
            failed += 1
            continue
        if not quiet:
            report(loaded.warnings)
            n = len(loaded.case.events)
            click.echo(
                f"{name}: ok ({n} event{'s' if n != 1 else ''}"
                f"{', ' + str(len(loaded.warnings)) + ' warning(s)' if loaded.warnings else ''})"
            )
    if failed:
        click.echo(f"{failed} of {len(files)} file(s) invalid", err=True)
        sys.exit(1)


@main.command()
@click.option("--markdown", is_flag=True, help="Print the format reference as Markdown (docs/format.md) instead.")
@handles_errors
def schema(markdown: bool) -> None:
    """Print the JSON Schema of the case file format (for editors and other tools)."""
    if markdown:
        from .formatdoc import format_reference

        click.echo(format_reference(), nl=False)
        return
    from .model import case_json_schema

    click.echo(json.dumps(case_json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument(
    "kind", required=False, type=click.Choice(["placement", "order", "hearing", "meeting", "milestone", "event"])
)
@click.option("--json", "as_json", is_flag=True, help="Print the vocabulary as JSON.")
@handles_errors
def vocab(kind: str | None, as_json: bool) -> None:
    """List the type codes a case file may use (all kinds, or one KIND)."""
    from dataclasses import asdict

    from .vocabulary import KINDS, load_vocabulary

    v = load_vocabulary("scotland")
    kinds = [kind] if kind else list(KINDS)
    if as_json:
        click.echo(json.dumps({k: [asdict(t) for t in v.terms[k].values()] for k in kinds}, indent=2))
        return
    for k in kinds:
        click.echo(f"{k}: {v.kind_labels[k]}")
        for t in v.terms[k].values():
            extra = []
            if t.looked_after:
                extra.append("looked after")
            if t.route:
                extra.append(f"permanence: {t.route}")
            if t.overlay:
                extra.append("overlays the main placement")
            note = f"  [{'; '.join(extra)}]" if extra else ""
            click.echo(f"  {t.code:<24} {t.label} ({t.abbr}){note}")
        click.echo("")


@main.command()
@click.argument("path", required=False, default="case.yaml", type=click.Path(dir_okay=False, path_type=str))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@handles_errors
def init(path: str, force: bool) -> None:
    """Write a commented starter case file to PATH (default case.yaml) that validates."""
    from .output import write_atomic

    if Path(path).exists() and not force:
        raise click.ClickException(f"{path} exists; use --force to overwrite it")
    text = resources.files("timeline").joinpath("starter.yaml").read_bytes()
    write_atomic(path, text)
    click.echo(f"wrote {path}; edit it, then: timeline validate {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
