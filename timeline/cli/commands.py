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

from ..dates import DateFormatError
from ..options import FORMATS, PAGES, VIEWS, option_help
from ..problems import CaseError

F = TypeVar("F", bound=Callable[..., Any])


def _as_of_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """--as-of in any form `timeline import` reads (14/03/2016, 14 Mar 2016, 2016-03-14): the same everywhere."""
    if value is None:
        return None
    from ..io.chronology import full_date

    try:
        return full_date(value, "--as-of")
    except DateFormatError as exc:
        raise click.BadParameter(str(exc)) from None


def _text_option(limit: int) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    """A callback for --title/--marking: one line of at most `limit` characters, no control or text-direction
    characters, not only blanks or invisible characters (the same rule as a label in a case file)."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        from ..model.case import check_line

        if len(value) > limit:
            raise click.BadParameter(f"is too long: at most {limit} characters (this has {len(value)})")
        try:
            return check_line(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return check


def _refuse_overwrite(path: str, force: bool) -> None:
    """Refuse to write over an existing case file without --force (it may be the only copy of someone's work)."""
    from ..io.output import holds_case
    from ..problems import shown_name

    if not force and (holds_case(path) or (Path(path).exists() and Path(path).suffix.lower() in (".yaml", ".yml"))):
        raise click.ClickException(f"{shown_name(path)} exists and is a case file; use --force to overwrite it, "
                                   "or choose another name")


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
            from ..io.output import OutputError
            from ..model.limits import LimitError
            from ..problems import visible

            if isinstance(exc, (OutputError, LimitError)):
                click.echo(f"error: {visible(str(exc))}", err=True)
            elif isinstance(exc, OSError):
                click.echo(f"error: could not write the output ({exc.strerror or exc.__class__.__name__})", err=True)
            else:
                click.echo(
                    f"error: {exc.__class__.__name__}: {visible(str(exc)[:200])} (run with --debug for details)",
                    err=True,
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


def chronology_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--name, --dob, --ref and --sheet: what a chronology table (.csv, .xlsx, .docx) needs to be read as a case."""
    for option in reversed((
        click.option("--name", default=None, help="For a chronology table: the child's name or a pseudonym."),
        click.option("--dob", default=None, help="For a chronology table: the date of birth, e.g. 14/03/2015."),
        click.option("--ref", default=None, help="For a chronology table: the case reference."),
        click.option("--sheet", default=None, help="For an .xlsx chronology: the sheet to read (default: the active "
                                                   "sheet, if visible, else the first visible one)."),
    )):
        command = option(command)
    return command


def check_chronology_options(files: tuple[str, ...], *values: str | None) -> None:
    """Refuse --name/--dob/--ref/--sheet where they would be silently ignored: with several files, or
    for a case file (YAML/JSON), which holds the child's details itself."""
    from ..io.read import is_table

    if all(v is None for v in values):
        return
    if len(files) != 1:
        raise click.UsageError("--name, --dob, --ref and --sheet apply to one chronology file, not to several")
    if not is_table(files[0]):
        raise click.UsageError("--name, --dob, --ref and --sheet apply to a chronology table (.csv, .xlsx, .docx); "
                               "a case file holds the child's name and date of birth itself")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=str))
@click.option("--as-of", callback=_as_of_option, help="Check against this date instead of the file's as_of.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing for valid files, and no warnings.")
@chronology_options
@handles_errors
def validate(files: tuple[str, ...], as_of: date | None, quiet: bool, name: str | None = None,
             dob: str | None = None, ref: str | None = None, sheet: str | None = None) -> None:
    """Check case FILES; print every problem as FILE:LINE:COL: field: what is wrong.

    A chronology table (.csv, .xlsx, or a Word .docx) is checked as `timeline import` reads it, with --name and --dob.
    Exits 0 when every file is valid (warnings allowed), 1 when any is not.
    """
    from ..io.read import load_any
    from ..problems import shown_name

    check_chronology_options(files, name, dob, ref, sheet)
    failed = 0
    for file in files:
        try:
            loaded = load_any(file, name=name, dob=dob, ref=ref, as_of=as_of, sheet=sheet)
        except CaseError as exc:
            report(exc.problems)
            failed += 1
            continue
        if not quiet:
            report(loaded.warnings)
            n = len(loaded.case.events)
            click.echo(
                f"{shown_name(file)}: ok ({n} event{'s' if n != 1 else ''}"
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
        from ..model.reference import format_reference

        click.echo(format_reference(), nl=False)
        return
    from ..model.case import case_json_schema

    click.echo(json.dumps(case_json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument(
    "kind", required=False, type=click.Choice(["placement", "order", "hearing", "meeting", "milestone", "event"])
)
@click.option("--json", "as_json", is_flag=True, help="Print the vocabulary as JSON.")
@click.option("--jurisdiction", default="scotland", show_default=True,
              type=click.Choice(["scotland", "england-wales", "wales"]),
              help="Whose vocabulary to list (docs/england-wales.md for England and Wales).")
@handles_errors
def vocab(kind: str | None, as_json: bool, jurisdiction: str = "scotland") -> None:
    """List the type codes a case file may use (all kinds, or one KIND)."""
    from dataclasses import asdict

    from ..model.vocabulary import KINDS, load_vocabulary

    v = load_vocabulary(jurisdiction)
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
    from ..io.output import write_atomic

    if Path(path).exists() and not force:
        raise click.ClickException(f"{path} exists; use --force to overwrite it")
    text = resources.files("timeline").joinpath("starter.yaml").read_bytes()
    write_atomic(path, text)
    click.echo(f"wrote {path}; edit it, then: timeline validate {path}")


@main.command()
@click.argument("case_files", metavar="CASE...", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("-o", "--output", required=True, type=click.Path(path_type=str),
              help="Where to write the result; the suffix picks the format (.svg .json .html .pdf .png). "
                   "For several cases or folders: a folder (ending in '/'), one output per case.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help=option_help("format"))
@click.option("--as-of", callback=_as_of_option, help="Draw up to this date (YYYY-MM-DD) instead of the file's as_of.")
@click.option("--width", type=click.FloatRange(min=320, max=20000), default=None,
              help=option_help("width"))
@click.option("--page", type=click.Choice(PAGES), default="A4", show_default=True,
              help=option_help("page"))
@click.option("--marking", default=None, callback=_text_option(80),
              help=option_help("marking"))
@click.option("--title", default=None, callback=_text_option(200),
              help=option_help("title"))
@click.option("--view", type=click.Choice(VIEWS), default=None,
              help=option_help("view"))
@click.option("--dpi", type=click.IntRange(min=36, max=600), default=150, show_default=True,
              help=option_help("dpi"))
@click.option("--page-range", default=None, help=option_help("page_range"))
@click.option("--standards", "standards_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="A standards file (targets) replacing the bundled defaults.")
@click.option("--holidays", "holidays_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Bank holidays (one YYYY-MM-DD a line) that working days skip (England's CLA reviews).")
@chronology_options
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes for a batch (several cases or a folder); default: all cores.")
@click.option("--seed", default=None,
              help=option_help("seed"))
@click.option("--force", is_flag=True, help="Overwrite OUTPUT even if it is a case file (.yaml, .json).")
@click.option("--mapping", "mapping_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="For a child-level table (many children, see `timeline cohort`): its column mapping (YAML).")
@click.option("--child", "child_ref", default=None, help="With --mapping or --ssda903: the child to draw.")
@click.option("--ssda903", is_flag=True, help="CASE is a folder of SSDA903 returns (or its XML); draw --child ID.")
@handles_errors
def render(case_files: tuple[str, ...], output: str, fmt: str | None, as_of: date | None, width: float | None,
           page: str, marking: str | None, title: str | None, view: str | None, dpi: int, page_range: str | None,
           standards_file: str | None, name: str | None = None, dob: str | None = None, ref: str | None = None,
           sheet: str | None = None, jobs: int | None = None, seed: str | None = None, force: bool = False,
           mapping_file: str | None = None, child_ref: str | None = None, ssda903: bool = False,
           holidays_file: str | None = None) -> None:
    """Draw the timeline of CASE into OUTPUT (SVG, scene JSON, HTML, PDF or PNG).

    The chart's x axis is the child's age; warnings about the case are printed but do not stop it.
    CASE may also be a chronology table (.csv, .xlsx, .docx) with --name and --dob (see `timeline import`).

    Batch: several CASEs or folders (their .yaml, .yml and .json files) and `-o OUTDIR/` render each case
    to OUTDIR/<name>.<format> (default PDF) in parallel (-j), keep going past bad files, print one line
    per failure and a summary, and exit 1 if any failed. Two inputs with the same name are refused.
    """
    from ..pipeline import RenderOptions, format_for
    from .batch import DEFAULT_FORMAT, is_batch

    if ssda903:
        if child_ref is None or mapping_file is not None or len(case_files) != 1:
            raise click.UsageError("--ssda903 draws one child of one return: give the folder and --child ID")
        _render_ssda903_child(case_files[0], child_ref, output, fmt, as_of, dict(
            width=width, page=page, marking=marking, title=title, view=view or "full", dpi=dpi,
            page_range=page_range, standards=standards_file, as_drawn=view is not None, holidays=holidays_file))
        return
    if (mapping_file is None) != (child_ref is None):
        raise click.UsageError("--mapping and --child go together: the table's mapping and the child to draw")
    if mapping_file is not None:
        if len(case_files) != 1 or any(v is not None for v in (name, dob, ref, sheet)):
            raise click.UsageError("--mapping/--child draw one child of one table; --name, --dob, --ref and "
                                   "--sheet do not apply")
        _render_table_child(case_files[0], mapping_file, child_ref or "", output, fmt, as_of,
                            dict(width=width, page=page, marking=marking, title=title, view=view, dpi=dpi,
                                 page_range=page_range, standards=standards_file))
        return
    many = is_batch(case_files, output)
    if many and any(v is not None for v in (name, dob, ref, sheet)):
        raise click.UsageError("--name, --dob, --ref and --sheet apply to one chronology file, not to a batch")
    check_chronology_options(case_files, name, dob, ref, sheet)
    if not many and jobs is not None:
        raise click.UsageError("-j/--jobs applies to a batch: several cases or a folder, and -o OUTDIR/")
    try:
        chosen = (fmt or DEFAULT_FORMAT) if many else format_for(output, fmt)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    seed = _training_seed(view, seed)
    options = RenderOptions(format=chosen, width=width, page=page,  # type: ignore[arg-type]
                            marking=marking, title=title, view=view or "full",  # type: ignore[arg-type]
                            dpi=dpi, page_range=page_range, standards=standards_file, seed=seed,
                            as_drawn=view is not None, holidays=holidays_file)
    if many:
        from .batch import run

        sys.exit(run(case_files, outdir=output, options=options, jobs=jobs, as_of=as_of, force=force))
    _render_one(case_files[0], output, options, force=force, name=name, dob=dob, ref=ref, as_of=as_of, sheet=sheet)


def _render_one(case_file: str, output: str, options: Any, *, force: bool, name: str | None, dob: str | None,
                ref: str | None, as_of: date | None, sheet: str | None) -> None:
    """One case (a case file or a chronology table) drawn into `output`, its warnings printed."""
    from ..io.output import atomic_output, check_target
    from ..io.read import load_any
    from ..pipeline import render_case

    check_target(output, inputs=(case_file,))
    _refuse_overwrite(output, force)
    # The temporary output exists for the whole render: a bad target fails before the work, and a failed
    # or killed render leaves the previous output as it was.
    with atomic_output(output, inputs=(case_file,)) as out:
        loaded = load_any(case_file, name=name, dob=dob, ref=ref, as_of=as_of, sheet=sheet)
        report(loaded.warnings)
        out.write(render_case(loaded.case, options))


def _training_seed(view: str | None, seed: str | None) -> str | None:
    """The training view's secret seed: the one given, or a new one, said once on stderr so that the same
    copy can be made again (a seed for another view is a usage error)."""
    if seed is not None and view != "training":
        raise click.UsageError("--seed applies to --view training (the anonymised copy)")
    if view == "training" and seed is None:
        seed = new_seed()
        click.echo(f"training view: pseudonym and date shift from the secret seed {seed}; keep it to make the same "
                   f"copy again (--seed {seed}), and do not share it with the copy", err=True)
    return seed


def _render_ssda903_child(folder: str, child_ref: str, output: str, fmt: str | None, as_of: date | None,
                          settings: dict[str, Any]) -> None:
    """One child of an SSDA903 return drawn into `output`."""
    from ..io.output import atomic_output
    from ..pipeline import RenderOptions, format_for, render_case

    try:
        chosen = format_for(output, fmt)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    with atomic_output(output, inputs=(folder,)) as out:
        found = _ssda903_child(folder, child_ref, as_of)
        out.write(render_case(found.case, RenderOptions(format=chosen, **settings)))


def _ssda903_child(folder: str, child_ref: str, as_of: date | None) -> Any:
    """One child of an SSDA903 return, its located warnings printed (they do not stop the command)."""
    from ..io.ssda903 import read_child

    found = read_child(folder, child_ref, as_of=as_of)
    report([w.problem() for w in found.warnings])
    return found


def _render_table_child(table: str, mapping_file: str, child_ref: str, output: str, fmt: str | None,
                        as_of: date | None, options: dict[str, Any]) -> None:
    """`render TABLE --mapping FILE --child REF`: one child of a child-level table, drawn alone."""
    from ..cohort.mapping import case_of, load_mapping, table_children
    from ..io.output import atomic_output
    from ..pipeline import RenderOptions, format_for, render_case

    try:
        chosen = format_for(output, fmt)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    with atomic_output(output, inputs=(table,)) as out:
        children, broken = table_children(table, load_mapping(mapping_file), as_of=as_of or date.today())
        found = [c for c in children if c.ref == child_ref]
        if not found:
            problems = [f"{src}: {msg}" for src, msg in broken if f"(child {child_ref[:40]})" in src]
            if problems:
                raise click.ClickException("; ".join(problems))
            raise click.ClickException(f"no child with the reference '{child_ref[:40]}' in {table}")
        out.write(render_case(case_of(found[0]), RenderOptions(format=chosen, **options)))


@main.command()
@click.argument("case_file", metavar="CASE", type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (keys documented in docs/summary.md).")
@click.option("--as-of", callback=_as_of_option,
              help="Measure as at this date (YYYY-MM-DD) instead of the file's as_of.")
@click.option("--standards", "standards_file", type=click.Path(dir_okay=False, path_type=str),
              help="A standards file of local targets; its keys replace the bundled defaults of the case's "
                   "jurisdiction.")
@click.option("--holidays", "holidays_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Bank holidays (one YYYY-MM-DD a line) that working days skip; without them, review dates "
                   "counted in working days (England) are approximate.")
@chronology_options
@handles_errors
def summary(case_file: str, as_json: bool, as_of: date | None, standards_file: str | None, name: str | None = None,
            dob: str | None = None, ref: str | None = None, sheet: str | None = None,
            holidays_file: str | None = None) -> None:
    """Print the time measures of CASE: time looked after and share of life, placements and moves,
    hearings, legal permanence, each step to permanence against its target, late reviews and flags.
    CASE may also be a chronology table (.csv, .xlsx, .docx) with --name and --dob.
    """
    from ..facts.compute import compute_facts, summary_dict, summary_text
    from ..facts.standards import load_standards
    from ..io.read import load_any

    check_chronology_options((case_file,), name, dob, ref, sheet)
    standards = load_standards(standards_file)
    case = load_any(case_file, name=name, dob=dob, ref=ref, as_of=as_of, sheet=sheet).case
    if case.jurisdiction != "scotland":  # the case's own defaults under the local file
        standards = load_standards(standards_file, case.jurisdiction)
    if holidays_file is not None:
        from ..facts.standards import load_holidays, with_holidays

        standards = with_holidays(standards, load_holidays(holidays_file))
    from ..model.limits import check_reviews

    check_reviews(case, standards.reviews)
    facts = compute_facts(case, standards=standards)
    if as_json:
        click.echo(json.dumps(summary_dict(case, facts), indent=2, ensure_ascii=False))
    else:
        click.echo(summary_text(case, facts, standards=standards), nl=False)


def _cohort_as_of(inputs: tuple[str, ...]) -> date:
    """The as-at date when none is given: today, or for SSDA903 returns alone the end of the latest return's
    year (31 March), which is what the return describes; counting as at today would call every child whose
    episode is open in the return 'still looked after' years later."""
    from ..io.ssda903 import is_ssda903, read_return

    if inputs and all(is_ssda903(i) for i in inputs):
        end = max(read_return(i).year_ends[-1] for i in inputs)
        click.echo(f"as at {end.isoformat()}, the end of the return's year (--as-of DATE to choose)", err=True)
        return end
    return date.today()



@main.command()
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="Where to write the cohort view: .pdf, .html or .svg (A4 landscape pages).")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Also write the figures as JSON (keys in docs/cohort.md).")
@click.option("--as-of", callback=_as_of_option,
              help="Count as at this date (YYYY-MM-DD); default: today (SSDA903 returns alone: the end of the "
                   "latest return's year).")
@click.option("--by", type=click.Choice(["entry-year", "age-at-entry", "route", "placement-now"]), default=None,
              help="Small multiples of the journeys (and group counts) by this.")
@click.option("--rules", type=click.Choice(["ihi", "anhoej", "mdc"]), default="ihi", show_default=True,
              help="Run-chart rules: IHI, Anhøj, or Making Data Count.")
@click.option("--baseline-to", callback=_as_of_option,
              help="The run charts' centre line is the median (mdc: mean) of points up to this date.")
@click.option("--share", is_flag=True, help="Figures for a report outside the team: counts under 5 suppressed.")
@click.option("--per", type=click.Choice(["month"]), default=None,
              help="Run charts: the median per month instead of a point per child.")
@click.option("--names", is_flag=True, help="Show children's names instead of their references.")
@click.option("--mapping", "mapping_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Column mapping (YAML) for child-level tables among the inputs (docs/cohort.md).")
@click.option("--standards", "standards_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="A standards file (targets) replacing the bundled defaults.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes reading case files; default: all cores.")
@handles_errors
def cohort(inputs: tuple[str, ...], output: str, json_file: str | None, as_of: date | None, by: str | None,
           rules: str, baseline_to: date | None, share: bool, per: str | None, names: bool,
           mapping_file: str | None, standards_file: str | None, jobs: int | None) -> None:
    """Draw the cohort view of many children: key figures, run charts of each step to permanence, time to
    legal permanence (Kaplan-Meier), journeys against age, the children waiting longest.

    INPUT: case files and folders of them (as `render` reads them), and child-level tables (.csv, .xlsx)
    read through --mapping. A child that cannot be read is reported and left out; the rest still count.
    """
    from ..cohort import CohortOptions, build_cohort, read_inputs
    from ..cohort.report import render as render_cohort
    from ..io.output import atomic_output, write_atomic

    if names and share:
        raise click.UsageError("--names and --share do not go together: figures for sharing show no child")
    suffix = Path(output).suffix.lower()
    fmt = {".pdf": "pdf", ".html": "html", ".htm": "html", ".svg": "svg"}.get(suffix)
    if fmt is None:
        raise click.UsageError("the cohort view is written as .pdf, .html or .svg")
    when = as_of or _cohort_as_of(inputs)
    with atomic_output(output, inputs=inputs) as out:
        records, left = read_inputs(inputs, as_of=when, mapping=mapping_file, standards_path=standards_file,
                                    jobs=jobs)
        for lo in left:
            for message in lo.messages:
                click.echo(message if message.startswith(lo.source) else f"{lo.source}: {message}", err=True)
        if not records:
            raise click.ClickException("no child could be read; nothing was written")
        figures = build_cohort(records, left, CohortOptions(as_of=when, rules=rules, baseline_to=baseline_to,
                                                            by=by, share=share, per=per, names=names))
        out.write(render_cohort(figures, fmt))
    if json_file:
        write_atomic(json_file, (json.dumps(figures.to_json(), indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    click.echo(f"wrote {output}: {len(records)} children, {len(left)} left out, as at {when.isoformat()}")


@main.command("import")
@click.argument("table", metavar="FILE", type=click.Path(path_type=str))
@click.option("--name", default=None, help="The child's name or a pseudonym (a chronology does not hold it).")
@click.option("--dob", default=None, help="Date of birth, e.g. 14/03/2015 or 2015-03-14.")
@click.option("--ssda903", is_flag=True, help="FILE is a folder of SSDA903 returns (or its XML): import --child ID.")
@click.option("--child", "child_ref", default=None, help="With --ssda903: the child's ID (CHILD).")
@click.option("--ref", default=None, help="Case reference, e.g. C-0001.")
@click.option("--as-of", "as_of", default=None, help="The date the timeline runs to; default: left out (today).")
@click.option("--sheet", default=None,
              help="The Excel sheet to read (default: the active sheet, if visible, else the first visible one).")
@click.option("--jurisdiction", default=None, type=click.Choice(["scotland", "england-wales"]),
              help="Read the chronology with this jurisdiction's vocabulary even when its words look like "
                   "another's (default: scotland, or england-wales when its words are found).")
@click.option("--report", "report_file", default=None, type=click.Path(dir_okay=False, path_type=str),
              help="Also write the import report as JSON to this file (docs/import.md describes it).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The case file to write (.yaml).")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@handles_errors
def import_(table: str, name: str, dob: str, ref: str | None, as_of: str | None, sheet: str | None,
            jurisdiction: str | None, report_file: str | None, output: str, force: bool = False,
            ssda903: bool = False, child_ref: str | None = None) -> None:
    """Turn a chronology FILE (.csv, .xlsx, or a Word .docx table; a row per event) into a case file.

    A Word document is read from its tables (the title and other text around them are not), as one table
    when the chronology is split into several; rows are counted down the document. The header row is
    found among the first 20 rows by its headings (Date, Date or Period of Event, Event, Significant Event,
    Details, Impact on the child, Action taken, Source, Agency, Type, Category ...).
    Dates as people write them: 20/01/2016, 20 Jan 2016, Jan 2016, 2016, c. 2016, w/c 18/07/11, early
    March 2016, Jan-Mar 2016, 14-16/03/2016, 2016/17; 'Unknown', 'TBC' or blank keep the row undated.
    Each row's type comes from a Type column or from its text; rows that name nothing known are life
    events. The import report (printed; --report writes it as JSON) shows per row what was read, what it
    became and why, with guesses marked '?'. Every bad row is reported by row and column; nothing is written.
    """
    from ..io.casefile import dump_case
    from ..io.chronology import ImportFailed, ImportReport, import_file
    from ..io.output import write_atomic
    from ..io.read import parse_yaml, validate_data
    from ..words import plural

    _refuse_existing(output, force)
    if report_file is not None:
        _refuse_existing(report_file, force)
    if ssda903 or child_ref is not None:
        if not ssda903 or child_ref is None or any(v is not None for v in (name, dob, ref, sheet, jurisdiction)):
            raise click.UsageError("--ssda903 and --child ID go together (a return holds the child's details: "
                                   "--name, --dob, --ref, --sheet and --jurisdiction do not apply)")
        _import_ssda903_child(table, child_ref, as_of, output, report_file)
        return
    if name is None or dob is None:
        raise click.UsageError("a chronology needs --name and --dob (it does not hold them)")

    def write_report(found: ImportReport | None) -> None:
        if found is not None:
            _write_report(report_file, found.to_json(), table)

    try:
        imported = import_file(table, name=name, dob=dob, ref=ref, as_of=as_of, sheet=sheet,
                               jurisdiction=jurisdiction)
    except ImportFailed as exc:
        write_report(exc.report)
        raise
    text = dump_case(imported.case, comments=imported.report.guesses() if imported.report is not None else None)
    validate_data(*parse_yaml(text, output))  # what is written must load as it stands
    if imported.report is not None:
        click.echo(imported.report.text(), nl=False)
    write_report(imported.report)
    write_atomic(output, text.encode("utf-8"), inputs=(table,))
    kept = len(imported.case.undated)
    undated = f", {plural(kept, 'undated row')} kept" if kept else ""
    click.echo(f"wrote {output} ({plural(len(imported.case.events), 'event')}{undated}); check it with: "
               f"timeline validate {output}")


def _write_report(report_file: str | None, report: dict[str, Any], table: str) -> None:
    """The import report as JSON into `report_file`, when one was asked for."""
    from ..io.output import write_atomic

    if report_file is not None:
        data = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        write_atomic(report_file, data.encode("utf-8"), inputs=(table,))


def _import_ssda903_child(folder: str, child_ref: str, as_of: str | None, output: str,
                          report_file: str | None) -> None:
    """One child of an SSDA903 return written as a case file (checked to load as it stands), with its report."""
    from ..io.casefile import dump_case
    from ..io.chronology import full_date
    from ..io.output import write_atomic
    from ..io.read import parse_yaml, validate_data

    found = _ssda903_child(folder, child_ref, full_date(as_of, "--as-of") if as_of else None)
    text = dump_case(found.case)
    validate_data(*parse_yaml(text, output))  # what is written must load as it stands
    click.echo(found.text(), nl=False)
    _write_report(report_file, found.to_json(), folder)
    write_atomic(output, text.encode("utf-8"), inputs=(folder,))
    click.echo(f"wrote {output} ({len(found.case.events)} events); check it with: timeline validate {output}")


@main.command()
@click.argument("case_file", metavar="CASE", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The anonymised case file to write (.yaml).")
@click.option("--name", default=None, help="Pseudonym to use (default: one picked from a built-in list by --seed).")
@click.option("--seed", default=None,
              help="The secret that picks the pseudonym and the date shift (any text; the same seed gives the same "
                   "copy). Default: a new random one, printed once: keep it, and do not share it with the copy.")
@click.option("--shift-days", default=None, type=int,
              help="Move every date by this many days (negative = earlier); default: 30-400 days earlier, by seed.")
@click.option("--keep-labels", is_flag=True,
              help="Keep labels as written (they may identify people; a warning says so).")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@handles_errors
def anonymise(case_file: str, output: str, name: str | None, seed: str | None, shift_days: int | None,
              keep_labels: bool, force: bool = False) -> None:
    """Write a fictionalised copy of CASE for training: a pseudonym, no reference, every date (birth and as_of
    too) moved by the same days so ages and intervals stay, notes and sources dropped, labels replaced by
    their type's name. Warns when a word of the original name, reference or labels survives.
    """
    from ..io.casefile import dump_case
    from ..io.output import write_atomic
    from ..io.read import load_case
    from ..model.anonymise import KEEP_LABELS_WARNING, leaks
    from ..model.anonymise import anonymise as make_anonymous

    _refuse_existing(output, force)
    original = load_case(case_file).case
    if seed is None and (shift_days is None or name is None):
        seed = new_seed()
        click.echo(f"seed {seed}: keep it to make the same copy again (--seed {seed}); do not share it with the copy",
                   err=True)
    anon = make_anonymous(original, name=name, seed=seed, shift_days=shift_days, keep_labels=keep_labels)
    text = dump_case(anon)
    if keep_labels:
        click.echo(f"warning: {KEEP_LABELS_WARNING}", err=True)
    found = leaks(original, text, include_labels=not keep_labels)
    if found:
        from ..problems import visible

        click.echo("warning: the output still contains words of the original name, reference, labels or ids: "
                   + ", ".join(f"'{visible(w)}'" for w in found) + "; check it before sharing", err=True)
    write_atomic(output, text.encode("utf-8"), inputs=(case_file,))
    click.echo(f"wrote {output} (pseudonym {anon.child.name}; dates moved {shift_word(anon, original)})")


def new_seed() -> str:
    """A fresh secret seed: 12 random digits (the shift cannot be worked out from the output and the code)."""
    import secrets

    return f"{secrets.randbelow(10**12):012d}"


def _refuse_existing(path: str, force: bool) -> None:
    """`import` and `anonymise` write case files: never over an existing file without --force."""
    from ..problems import shown_name

    if not force and (Path(path).exists() or Path(path).is_symlink()):
        raise click.ClickException(f"{shown_name(path)} exists; use --force to overwrite it")


def shift_word(anon: Any, original: Any) -> str:
    """'198 days earlier' / '30 days later': how far the dates moved, for the confirmation line."""
    days = (anon.child.date_of_birth - original.child.date_of_birth).days
    return f"{abs(days)} day{'s' if abs(days) != 1 else ''} {'earlier' if days < 0 else 'later'}"


@main.command()
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8765, show_default=True,
              help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but this machine's own needs --allow-remote.")
@click.option("--allow-remote", is_flag=True, help="Allow --host to be an address other computers can reach.")
@click.option("--open", "open_browser", is_flag=True, help="Open the workspace in the default browser.")
@handles_errors
def serve(port: int, host: str, allow_remote: bool, open_browser: bool) -> None:
    """Start the browser workspace: upload a chronology or case file, check and fix it, download the timeline.

    Prints `Open http://127.0.0.1:PORT/?token=...` and serves until Ctrl-C. Everything stays in this
    process's memory (nothing is written to disk); idle cases are forgotten after 30 minutes. See docs/serve.md.
    """
    from ..serve import LOCAL_HOSTS, make_server, new_token

    if host not in LOCAL_HOSTS and not allow_remote:
        raise click.UsageError(f"--host {host} lets other computers reach the workspace; add --allow-remote "
                               "if that is meant (the token is still required)")
    token = new_token()
    try:
        server = make_server(host, port, token=token)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                                   "try another --port") from None
    shown = host
    if host in ("0.0.0.0", "::"):
        import socket

        shown = socket.getfqdn() or host
    shown = f"[{shown}]" if ":" in shown else shown
    url = f"http://{shown}:{server.server_port}/?token={token}"
    if host not in LOCAL_HOSTS:
        click.echo(f"warning: listening on {host}: other computers on the network can reach this workspace; "
                   "anyone with the address below can use it", err=True)
    click.echo(f"Open {url}")
    click.echo("(Ctrl-C stops the workspace and forgets everything in it.)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped; nothing was kept")
    finally:
        server.server_close()


def run() -> None:
    """The `timeline` command's entry point: the process-wide start-up tuning (`startup.tune`), then `main`.

    Only a command that owns its process tunes it; calling `main` (as the tests do) or the library leaves
    the garbage collector, `sys.modules` and `ctypes` as they were."""
    from .startup import tune

    tune()
    main()


if __name__ == "__main__":  # pragma: no cover
    run()
