"""Batch rendering (cli helper over the whole pipeline): many case files, in parallel processes, one bad file at a time.

A team manager preparing a review cycle renders a whole caseload at once. Each case runs the ordinary
pipeline (io -> model -> facts -> layout -> render -> output) in a worker process, so both cores are
used and a crash in one case cannot take the others down. A bad file costs its own output only: the
batch keeps going, reports one line per failure with the loader's located message, prints a summary
and exits 1 if anything failed. Output names follow input names (`case.yaml` -> `OUTDIR/case.pdf`);
two inputs that would write the same output are both refused (an error, never a silent overwrite).
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .io import CASE_SUFFIXES, Loaded
from .output import OutputError
from .pipeline import _RENDERERS, RenderOptions, render_case
from .problems import CaseError

if TYPE_CHECKING:  # the process machinery is imported only when a batch runs in parallel
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

FORMAT_SUFFIXES: dict[str, str] = {"svg": ".svg", "pdf": ".pdf", "html": ".html", "png": ".png", "scene-json": ".json"}
FOLDER_SUFFIXES: tuple[str, ...] = CASE_SUFFIXES  # chronology tables need --name/--dob each, so not from folders
DEFAULT_FORMAT = "pdf"  # what a batch writes without --format: case papers
_MESSAGE_LIMIT = 300  # characters of an unexpected error's text shown on its line
_KB = 1024


@dataclass(frozen=True, slots=True)
class Job:
    """One case file and the output it will be written to."""

    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input: written, or why not (a located message a person can act on)."""

    source: str
    target: str
    ok: bool
    message: str = ""
    warnings: int = 0
    peak_rss_kb: int = 0  # peak resident memory of the process that rendered it, after rendering it


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Every outcome in input order, and how the batch ran."""

    outcomes: tuple[Outcome, ...]
    seconds: float
    workers: int

    @property
    def failed(self) -> tuple[Outcome, ...]:
        """The inputs that produced no output."""
        return tuple(o for o in self.outcomes if not o.ok)

    @property
    def written(self) -> int:
        """How many outputs were written."""
        return sum(1 for o in self.outcomes if o.ok)

    @property
    def peak_rss_kb(self) -> int:
        """The largest peak resident memory of any process that rendered a case."""
        return max((o.peak_rss_kb for o in self.outcomes), default=0)


# ---------------------------------------------------------------- planning (no rendering)


def is_batch(inputs: Sequence[str], output: str) -> bool:
    """A batch: several inputs, a folder among them, or an output that is (or ends like) a folder."""
    return (
        len(inputs) > 1
        or output.endswith(("/", os.sep))
        or Path(output).is_dir()
        or any(Path(p).is_dir() for p in inputs)
    )



def find_inputs(paths: Sequence[str]) -> tuple[list[str], list[Outcome]]:
    """Expand folders into their case files (sorted by name, not recursive, no hidden files).

    Returns (files in the order given, each once; failures for paths that are missing or folders with
    no case files). Files named one by one are taken whatever their suffix: the loader says what is wrong.
    """
    files: list[str] = []
    seen: set[str] = set()
    problems: list[Outcome] = []

    def add(name: str) -> None:
        key = os.path.realpath(name)
        if key not in seen:
            seen.add(key)
            files.append(name)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in FOLDER_SUFFIXES
            )
            if not found:
                problems.append(
                    Outcome(raw, "", False, f"{raw}: holds no case files ({', '.join(FOLDER_SUFFIXES)})")
                )
            for p in found:
                add(str(p))
        elif path.exists():
            add(raw)
        else:
            problems.append(Outcome(raw, "", False, f"{raw}: no such file or folder; check the name"))
    return files, problems


def plan_jobs(files: Sequence[str], *, outdir: str | Path, fmt: str) -> tuple[list[Job], list[Outcome]]:
    """Pair each input with OUTDIR/<input stem><suffix of fmt>; refuse every input of a colliding pair.

    Names are compared case-insensitively, since `Amy.yaml` and `amy.json` would overwrite each other on
    the case-insensitive file systems many local authorities use.
    """
    suffix = FORMAT_SUFFIXES[fmt]
    folder = Path(outdir)
    by_target: dict[str, list[tuple[str, str]]] = {}
    for source in files:
        target = str(folder / (Path(source).stem + suffix))
        by_target.setdefault(target.casefold(), []).append((source, target))
    jobs: list[Job] = []
    refused: list[Outcome] = []
    for group in by_target.values():
        if len(group) == 1:
            jobs.append(Job(*group[0]))
            continue
        names = ", ".join(s for s, _ in group)
        for source, target in group:
            refused.append(
                Outcome(
                    source,
                    target,
                    False,
                    f"{source}: would write {target}, as would another input ({names}); "
                    "rename one of them (neither was rendered)",
                )
            )
    order = {s: i for i, s in enumerate(files)}
    jobs.sort(key=lambda j: order[j.source])
    return jobs, refused


# ---------------------------------------------------------------- one case (runs in a worker)


def _peak_rss_kb() -> int:
    """This process's peak resident memory in KiB (0 where the platform cannot say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    peak = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return peak // _KB if sys.platform == "darwin" else peak  # macOS reports bytes, Linux KiB


def render_one(job: Job, *, options: RenderOptions, as_of: date | None = None) -> Outcome:
    """Load, render and atomically write one case; every failure becomes a message, never an exception."""
    from .output import write_atomic

    try:
        loaded = _load(job.source, as_of=as_of)
        data = render_case(loaded.case, options)
        write_atomic(job.target, data, inputs=(job.source,))
    except CaseError as exc:
        first = exc.problems[0].format() if exc.problems else f"{job.source}: cannot be used"
        more = len(exc.problems) - 1
        message = first + (f" (and {more} more problem{'s' if more > 1 else ''}; see timeline validate)" if more > 0
                           else "")
        return Outcome(job.source, job.target, False, message, peak_rss_kb=_peak_rss_kb())
    except OutputError as exc:
        return Outcome(job.source, job.target, False, f"{job.source}: {exc}", peak_rss_kb=_peak_rss_kb())
    except OSError as exc:
        why = exc.strerror or exc.__class__.__name__
        return Outcome(job.source, job.target, False, f"{job.source}: could not write {job.target} ({why})",
                       peak_rss_kb=_peak_rss_kb())
    except Exception as exc:  # a bug in a later stage must not stop the other cases
        text = str(exc)[:_MESSAGE_LIMIT]
        return Outcome(job.source, job.target, False, f"{job.source}: error: {exc.__class__.__name__}: {text}",
                       peak_rss_kb=_peak_rss_kb())
    return Outcome(job.source, job.target, True, warnings=len(loaded.warnings), peak_rss_kb=_peak_rss_kb())


def _load(source: str, *, as_of: date | None) -> Loaded:
    """Any input the tool reads, as the single render reads it (a table without --name/--dob is refused)."""
    from .chronology import load_any

    return load_any(source, as_of=as_of)


def _warm(fmt: str) -> None:
    """Import the renderer once, before forking, so the workers share its pages instead of importing it each."""
    importlib.import_module(_RENDERERS[fmt])


# ---------------------------------------------------------------- the batch


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def _context() -> BaseContext:
    """fork where it is safe (Linux: cheap start, shared imports), spawn elsewhere."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")  # pragma: no cover


def run_batch(
    inputs: Sequence[str],
    *,
    outdir: str | Path,
    options: RenderOptions,
    jobs: int | None = None,
    as_of: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Render every case in `inputs` (files or folders) into `outdir`; `progress(n)` is told of each n done.

    `jobs` processes (default: all cores; 1 renders in this process). The folder is created if missing.
    """
    started = time.perf_counter()
    if Path(outdir).exists() and not Path(outdir).is_dir():
        raise OutputError(f"{outdir}: is a file; a batch writes one output per case into a folder, e.g. -o out/")
    files, missing = find_inputs(inputs)
    planned, refused = plan_jobs(files, outdir=outdir, fmt=options.format)
    if planned:
        Path(outdir).mkdir(parents=True, exist_ok=True)
    workers = max(1, min(jobs or default_jobs(), len(planned)))
    if progress is not None and (missing or refused):
        progress(len(missing) + len(refused))
    if workers == 1:
        done: list[Outcome | None] = []
        for job in planned:
            done.append(render_one(job, options=options, as_of=as_of))
            if progress is not None:
                progress(1)
    else:
        done = _parallel(planned, options=options, as_of=as_of, workers=workers, progress=progress)
    by_source = {o.source: o for o in [*refused, *(d for d in done if d is not None)]}
    result = (*missing, *(by_source[s] for s in files))
    return BatchResult(outcomes=result, seconds=time.perf_counter() - started, workers=workers)


def _parallel(
    planned: Sequence[Job],
    *,
    options: RenderOptions,
    as_of: date | None,
    workers: int,
    progress: Callable[[int], None] | None,
) -> list[Outcome | None]:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = _context()
    if context.get_start_method() == "fork":
        _warm(options.format)
    done: list[Outcome | None] = [None] * len(planned)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures: dict[Future[Outcome], int] = {
            pool.submit(render_one, job, options=options, as_of=as_of): i for i, job in enumerate(planned)
        }
        try:
            for future in as_completed(futures):
                i = futures[future]
                job = planned[i]
                try:
                    done[i] = future.result()
                except BrokenProcessPool:
                    done[i] = Outcome(job.source, job.target, False,
                                      f"{job.source}: the worker process stopped (out of memory?); nothing written")
                except Exception as exc:  # pickling trouble and the like: still one line, not a traceback
                    done[i] = Outcome(job.source, job.target, False,
                                      f"{job.source}: error: {exc.__class__.__name__}: {str(exc)[:_MESSAGE_LIMIT]}")
                if progress is not None:
                    progress(1)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return done


# ---------------------------------------------------------------- the command's side


def run(
    inputs: Sequence[str],
    *,
    outdir: str,
    options: RenderOptions,
    jobs: int | None = None,
    as_of: date | None = None,
) -> int:
    """Run a batch for the CLI: progress bar on a terminal only, one line per failure, a summary; the exit code."""
    total = _count(inputs)
    if sys.stderr.isatty() and total > 1:
        with click.progressbar(length=total, label="Rendering", file=sys.stderr, show_pos=True) as bar:
            result = run_batch(inputs, outdir=outdir, options=options, jobs=jobs, as_of=as_of, progress=bar.update)
    else:
        result = run_batch(inputs, outdir=outdir, options=options, jobs=jobs, as_of=as_of)
    for outcome in result.failed:
        click.echo(outcome.message, err=True)
    click.echo(summary_line(result, outdir=outdir, fmt=options.format), err=bool(result.failed))
    return 1 if result.failed else 0


def _count(inputs: Sequence[str]) -> int:
    files, problems = find_inputs(inputs)
    return len(files) + len(problems)


def summary_line(result: BatchResult, *, outdir: str, fmt: str) -> str:
    """`rendered 9 of 10 case files to out/ as PDF (1 failed; 2 processes, 3.1 s)`."""
    total = len(result.outcomes)
    what = "case file" if total == 1 else "case files"
    failed = len(result.failed)
    parts = [f"{failed} failed" if failed else "none failed",
             f"{result.workers} process{'es' if result.workers != 1 else ''}", f"{result.seconds:.1f} s"]
    return f"rendered {result.written} of {total} {what} to {outdir} as {fmt.upper()} ({'; '.join(parts)})"


__all__ = [
    "DEFAULT_FORMAT",
    "FORMAT_SUFFIXES",
    "BatchResult",
    "Job",
    "Outcome",
    "default_jobs",
    "find_inputs",
    "is_batch",
    "plan_jobs",
    "render_one",
    "run",
    "run_batch",
    "summary_line",
]
