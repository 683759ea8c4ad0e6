"""Batch rendering (cli helper over the whole pipeline): many case files, in parallel processes, one bad file at a time.

A team manager preparing a review cycle renders a whole caseload at once. Each case runs the ordinary
pipeline (io -> model -> facts -> layout -> render -> output) in a worker process, so both cores are
used and a crash in one case cannot take the others down. A bad file costs its own output only: the
batch keeps going, reports one line per failure with the loader's located message, prints a summary
and exits 1 if anything failed. Output names follow input names (`case.yaml` -> `OUTDIR/case.pdf`);
two inputs that would write the same output are both refused (an error, never a silent overwrite), also
when they differ only in letter case or in Unicode normalisation ("é" as one character or as e + accent,
which a normalising file system stores as one name).

Each worker process renders one case at a time. A worker that dies (killed, out of memory) costs the
case it held only: it is reported, a new worker takes its place, and the rest render. Workers die with
the batch: on Linux the kernel kills them when the parent goes; elsewhere they notice within a second.
A folder's links to files outside it are not followed (a link to a system file is not read).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..io.output import OutputError
from ..io.read import CASE_SUFFIXES, Loaded
from ..model.limits import LimitError
from ..pipeline import RenderOptions, load_renderer, render_case
from ..problems import CaseError, shown_name, visible

if TYPE_CHECKING:  # the process machinery is imported only when a batch runs in parallel
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

FORMAT_SUFFIXES: dict[str, str] = {"svg": ".svg", "pdf": ".pdf", "html": ".html", "png": ".png", "scene-json": ".json"}
FOLDER_SUFFIXES: tuple[str, ...] = CASE_SUFFIXES  # chronology tables need --name/--dob each, so not from folders
DEFAULT_FORMAT = "pdf"  # what a batch writes without --format: case papers
_MESSAGE_LIMIT = 300  # characters of an unexpected error's text shown on its line
_KB = 1024
_MAX_IDLE_DEATHS = 5  # workers dying before taking any case: the machine cannot run them, so stop
_PARENT_POLL_S = 1.0  # how often a worker checks that the batch is still there (where the kernel cannot tell it)


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
            found: list[Path] = []
            inside = path.resolve()
            for p in sorted(path.iterdir()):
                if p.name.startswith(".") or p.suffix.lower() not in FOLDER_SUFFIXES:
                    continue
                if p.is_symlink():
                    real = p.resolve()
                    if real.parent != inside:
                        problems.append(Outcome(str(p), "", False, f"{shown_name(str(p))}: skipped: a link to a "
                                                "file outside the folder, not followed (name the file itself to "
                                                "render it)"))
                        continue
                if p.is_file():
                    found.append(p)
            if not found and not problems:
                problems.append(
                    Outcome(raw, "", False, f"{shown_name(raw)}: holds no case files ({', '.join(FOLDER_SUFFIXES)})")
                )
            for p in found:
                add(str(p))
        elif path.exists():
            add(raw)
        else:
            problems.append(Outcome(raw, "", False, f"{shown_name(raw)}: no such file or folder; check the name"))
    return files, problems


def plan_jobs(files: Sequence[str], *, outdir: str | Path, fmt: str) -> tuple[list[Job], list[Outcome]]:
    """Pair each input with OUTDIR/<input stem><suffix of fmt>; refuse every input of a colliding pair.

    Names are compared case-insensitively and in one Unicode normal form, since `Amy.yaml` and
    `amy.json` would overwrite each other on the case-insensitive file systems many local authorities
    use, and "é" written as one character or as "e" and an accent on a normalising one (macOS).
    """
    suffix = FORMAT_SUFFIXES[fmt]
    folder = Path(outdir)
    by_target: dict[str, list[tuple[str, str]]] = {}
    for source in files:
        target = str(folder / (Path(source).stem + suffix))
        by_target.setdefault(unicodedata.normalize("NFC", target).casefold(), []).append((source, target))
    jobs: list[Job] = []
    refused: list[Outcome] = []
    for group in by_target.values():
        if len(group) == 1:
            jobs.append(Job(*group[0]))
            continue
        names = ", ".join(shown_name(s) for s, _ in group)
        for source, target in group:
            refused.append(
                Outcome(
                    source,
                    target,
                    False,
                    f"{shown_name(source)}: would write {shown_name(target)}, as would another input ({names}); "
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


def render_one(job: Job, *, options: RenderOptions, as_of: date | None = None, force: bool = False) -> Outcome:
    """Load, render and atomically write one case; every failure becomes a message, never an exception.

    An existing case file (YAML, or JSON that is not scene JSON) at the target is not overwritten unless
    `force`."""
    from ..io.output import check_target, holds_case, write_atomic

    source = shown_name(job.source)
    try:
        check_target(job.target, inputs=(job.source,))
        if not force and holds_case(job.target):
            return Outcome(job.source, job.target, False, f"{source}: would write over the case file "
                           f"{shown_name(job.target)}; nothing written (--force to overwrite it)")
        loaded = _load(job.source, as_of=as_of)
        data = render_case(loaded.case, options)
        write_atomic(job.target, data, inputs=(job.source,))
    except CaseError as exc:
        first = exc.problems[0].format() if exc.problems else f"{source}: cannot be used"
        more = len(exc.problems) - 1
        message = first + (f" (and {more} more problem{'s' if more > 1 else ''}; see timeline validate)" if more > 0
                           else "")
        return Outcome(job.source, job.target, False, message, peak_rss_kb=_peak_rss_kb())
    except (OutputError, LimitError) as exc:
        return Outcome(job.source, job.target, False, f"{source}: {visible(str(exc))}", peak_rss_kb=_peak_rss_kb())
    except OSError as exc:
        why = exc.strerror or exc.__class__.__name__
        return Outcome(job.source, job.target, False, f"{source}: could not write {shown_name(job.target)} ({why})",
                       peak_rss_kb=_peak_rss_kb())
    except Exception as exc:  # a bug in a later stage must not stop the other cases
        text = visible(str(exc)[:_MESSAGE_LIMIT])
        return Outcome(job.source, job.target, False, f"{source}: error: {exc.__class__.__name__}: {text}",
                       peak_rss_kb=_peak_rss_kb())
    return Outcome(job.source, job.target, True, warnings=len(loaded.warnings), peak_rss_kb=_peak_rss_kb())


def _load(source: str, *, as_of: date | None) -> Loaded:
    """Any input the tool reads, as the single render reads it (a table without --name/--dob is refused)."""
    from ..io.read import load_any

    return load_any(source, as_of=as_of)


def _warm(fmt: str) -> None:
    """Import the renderer once, before forking, so the workers share its pages instead of importing it each."""
    load_renderer(fmt)


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
    force: bool = False,
) -> BatchResult:
    """Render every case in `inputs` (files or folders) into `outdir`; `progress(n)` is told of each n done.

    `jobs` processes (default: all cores; 1 renders in this process). The folder is created if missing,
    and checked writable before anything renders (OutputError if it is not).
    """
    from ..io.output import check_folder

    started = time.perf_counter()
    if Path(outdir).exists() and not Path(outdir).is_dir():
        raise OutputError(f"{shown_name(str(outdir))}: is a file; a batch writes one output per case into a folder, "
                          "e.g. -o out/")
    files, missing = find_inputs(inputs)
    planned, refused = plan_jobs(files, outdir=outdir, fmt=options.format)
    if planned:
        try:
            Path(outdir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{shown_name(str(outdir))}: cannot create this folder "
                              f"({exc.strerror or exc.__class__.__name__})") from None
        check_folder(outdir)
    workers = max(1, min(jobs or default_jobs(), len(planned)))
    if progress is not None and (missing or refused):
        progress(len(missing) + len(refused))
    if workers == 1:
        done: list[Outcome | None] = []
        for job in planned:
            done.append(render_one(job, options=options, as_of=as_of, force=force))
            if progress is not None:
                progress(1)
    else:
        done = _parallel(planned, options=options, as_of=as_of, workers=workers, progress=progress, force=force)
    by_source = {o.source: o for o in [*refused, *(d for d in done if d is not None)]}
    result = (*missing, *(by_source[s] for s in files))
    return BatchResult(outcomes=result, seconds=time.perf_counter() - started, workers=workers)


def _die_with(parent: int) -> None:
    """Make this worker exit when the batch process `parent` does: the kernel's parent-death signal on Linux,
    and everywhere a thread that checks every second (a worker must not run on, holding the output pipes)."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the workers
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no libc: the thread below still watches
            libc = None

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(_PARENT_POLL_S)

    if os.getppid() != parent:  # the parent died before the signal was set up
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _worker(conn: Connection, parent: int, options: RenderOptions, as_of: date | None, force: bool) -> None:
    """A worker process: render the jobs the parent sends, one at a time, until told to stop or orphaned."""
    _die_with(parent)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, job = message
        conn.send((index, render_one(job, options=options, as_of=as_of, force=force)))


@dataclass
class _Slot:
    """One worker process, its end of the pipe, and the job it holds (None when idle)."""

    process: BaseProcess
    conn: Connection
    index: int | None = None


def _died(job: Job, process: BaseProcess) -> Outcome:
    code = process.exitcode
    if code is not None and code < 0:
        import signal

        try:
            why = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            why = f"killed by signal {-code}"
        if code == -signal.SIGKILL:
            why += ", perhaps for want of memory"
    else:
        why = f"exit code {code}"
    return Outcome(job.source, job.target, False, f"{shown_name(job.source)}: the process rendering it stopped "
                   f"({why}); nothing written for this case, the others went on")


def _parallel(
    planned: Sequence[Job],
    *,
    options: RenderOptions,
    as_of: date | None,
    workers: int,
    progress: Callable[[int], None] | None,
    force: bool = False,
) -> list[Outcome | None]:
    """Render `planned` in `workers` processes, one case per worker at a time; a dead worker is replaced."""
    from multiprocessing.connection import wait

    context = _context()
    if context.get_start_method() == "fork":
        _warm(options.format)
    pool = _Pool(planned, context, (options, as_of, force), progress)
    try:
        pool.slots = [pool.start() for _ in range(workers)]
        while pool.queue or any(s.index is not None for s in pool.slots):
            pool.hand_out()
            waiting: list[Any] = [s.conn for s in pool.slots] + [s.process.sentinel for s in pool.slots]
            ready = set(wait(waiting))
            for n, slot in enumerate(pool.slots):
                if not pool.collect(slot, ready):
                    pool.replace_if_dead(n, slot, ready)
    finally:
        pool.close()
    return pool.done


class _Pool:
    """The worker processes of one `_parallel` run: who holds which job, what is done, and what is left."""

    def __init__(self, planned: Sequence[Job], context: Any, args: tuple[RenderOptions, date | None, bool],
                 progress: Callable[[int], None] | None) -> None:
        self.planned = planned
        self.context = context
        self.args = args
        self.progress = progress
        self.done: list[Outcome | None] = [None] * len(planned)
        self.queue = list(range(len(planned)))[::-1]  # pop() takes the next in input order
        self.slots: list[_Slot] = []
        self.idle_deaths = 0

    def start(self) -> _Slot:
        """A new worker process, with our end of its pipe."""
        ours, theirs = self.context.Pipe(duplex=True)
        process: BaseProcess = self.context.Process(target=_worker, args=(theirs, os.getpid(), *self.args),
                                                    daemon=True, name="timeline-batch-worker")
        process.start()
        theirs.close()
        return _Slot(process, ours)

    def finish(self, index: int, outcome: Outcome) -> None:
        self.done[index] = outcome
        if self.progress is not None:
            self.progress(1)

    def hand_out(self) -> None:
        """The next jobs, in input order, to the idle workers."""
        for slot in self.slots:
            if slot.index is None and self.queue:
                slot.index = self.queue.pop()
                with contextlib.suppress(OSError):  # a worker gone: its sentinel says so below
                    slot.conn.send((slot.index, self.planned[slot.index]))

    def collect(self, slot: _Slot, ready: set[Any]) -> bool:
        """A finished job's outcome from `slot`, if it sent one (True then)."""
        result = None
        if slot.conn in ready or slot.process.sentinel in ready:
            try:
                if slot.conn.poll():
                    result = slot.conn.recv()
            except (EOFError, OSError):
                result = None
        if result is None:
            return False
        index, outcome = result
        slot.index = None
        self.finish(index, outcome)
        return True

    def replace_if_dead(self, n: int, slot: _Slot, ready: set[Any]) -> None:
        """A worker that died: its job (if any) is reported as failed, and a new worker takes its place; workers
        that keep dying before they render anything stop the run."""
        if not (slot.process.sentinel in ready and not slot.process.is_alive()):
            return
        slot.process.join()
        if slot.index is not None:
            self.finish(slot.index, _died(self.planned[slot.index], slot.process))
        else:
            self.idle_deaths += 1
            if self.idle_deaths > _MAX_IDLE_DEATHS:
                raise OutputError("the worker processes keep stopping before they render anything; try -j 1")
        slot.conn.close()
        self.slots[n] = self.start()

    def close(self) -> None:
        """Every worker told to stop, given five seconds in all, then killed."""
        for slot in self.slots:
            with contextlib.suppress(OSError):
                slot.conn.send(None)
        deadline = time.monotonic() + 5
        for slot in self.slots:
            slot.process.join(max(0.0, deadline - time.monotonic()))
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            slot.conn.close()


# ---------------------------------------------------------------- the command's side


def run(
    inputs: Sequence[str],
    *,
    outdir: str,
    options: RenderOptions,
    jobs: int | None = None,
    as_of: date | None = None,
    force: bool = False,
) -> int:
    """Run a batch for the CLI: progress bar on a terminal only, one line per failure, a summary; the exit code."""
    total = _count(inputs)
    if sys.stderr.isatty() and total > 1:
        with click.progressbar(length=total, label="Rendering", file=sys.stderr, show_pos=True) as bar:
            result = run_batch(inputs, outdir=outdir, options=options, jobs=jobs, as_of=as_of, progress=bar.update,
                               force=force)
    else:
        result = run_batch(inputs, outdir=outdir, options=options, jobs=jobs, as_of=as_of, force=force)
    for outcome in result.failed:
        click.echo(visible(outcome.message), err=True)
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
    return (f"rendered {result.written} of {total} {what} to {shown_name(outdir)} as {fmt.upper()} "
            f"({'; '.join(parts)})")


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
