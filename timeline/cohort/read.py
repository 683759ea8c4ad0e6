"""Cohort stage (reading): case files, folders and mapped tables -> one small `ChildRecord` per child.

Each child is read into the same `Case` the single-child timeline uses and measured by the same
`timeline.facts.compute` (`compute_facts`, `pace_steps`, `placement_at`); the record keeps only what the cohort
counts and draws, so that thousands of children cross process boundaries cheaply. A child that cannot be
read is a `LeftOut` (where, and the located messages) and the rest still count.

Speed: a case file is first parsed with libyaml (its node tree walked by `_build`, not PyYAML's general
constructor) or the json module, and validated by the model directly;
only a file that fails that way -- or that uses something the project's own reader treats specially
(anchors and aliases, repeated keys) -- is read again by `io.load_case`, whose located messages are the
ones reported. The 12,000-child bench (bench/cohort_bench.py) depends on it: the located reader costs
about three times as much per file. Files are read in parallel processes (`jobs`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..dates import age_at
from ..facts.compute import FLAG_MOVES, Step, compute_facts, pace_steps, placement_at
from ..facts.standards import Standards, load_standards
from ..io.read import CASE_SUFFIXES, SourceMap, load_case, read_text, validate_data
from ..model.case import Case, OrderEvent, PlacementEvent
from ..problems import CaseError

PARALLEL_FROM = 64  # fewer children than this are read in this process: starting workers costs more
CHUNK = 32  # children per task sent to a worker
GC_THRESHOLD = 20_000  # allocations between young collections in a worker (Python's default: 700)


@dataclass(frozen=True, slots=True)
class Span:
    """A placement or an order on the child's age axis, in days since birth."""

    start: int
    end: int
    code: str
    open: bool  # still running at as_of


@dataclass(frozen=True, slots=True)
class ChildRecord:
    """What the cohort counts and draws about one child, all from the single-child facts."""

    index: int  # position among the inputs (0-based), for a stable order
    ref: str  # the case reference, else "#N" (never the name)
    name: str
    source: str  # file, or table and rows
    date_of_birth: date
    age_days: int
    entry: date | None  # became looked after (facts.looked_after_start)
    left: date | None  # stopped being looked after (facts.looked_after_end)
    looked_after_now: bool
    placement_now: str | None  # placement code at as_of, for a child looked after now
    placements: int
    moves: int
    moves_flag: bool  # 3 or more moves within 12 months (the single-child flag)
    permanence: date | None
    permanence_route: str | None
    permanence_days: int | None  # days from looked after to legal permanence
    route: str | None  # the plan's route (latest permanence recommendation)
    steps: tuple[Step, ...]
    journey: tuple[Span, ...]
    orders: tuple[Span, ...]
    jurisdiction: str = "scotland"  # whose steps `steps` are (a cohort is measured in one jurisdiction's)

    @property
    def entry_age_years(self) -> int | None:
        """Completed years of age when the child became looked after."""
        return age_at(self.date_of_birth, self.entry)[0] if self.entry is not None else None


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A child (a file, or a child of a table) that could not be read, and why."""

    source: str
    messages: tuple[str, ...]


class StandardsBook:
    """The standards of each jurisdiction a cohort meets: the file given (else the bundled defaults) over
    that jurisdiction's defaults, read once per jurisdiction, so an English child is measured against
    England's steps and a Scottish child against Scotland's."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._read: dict[str, Standards] = {}

    def __call__(self, jurisdiction: str) -> Standards:
        if jurisdiction not in self._read:
            self._read[jurisdiction] = load_standards(self.path, jurisdiction)
        return self._read[jurisdiction]


def record_for(case: Case, *, index: int, source: str, standards: Standards | StandardsBook) -> ChildRecord:
    """Measure one case as the single-child tool does and keep what the cohort needs."""
    if isinstance(standards, StandardsBook):
        standards = standards(case.jurisdiction)
    facts = compute_facts(case, standards=standards)
    steps = pace_steps(case, facts, standards=standards)
    as_of = facts.as_of
    born = case.child.date_of_birth
    now = facts.looked_after_start is not None and facts.looked_after_end is None
    current = placement_at(case, as_of) if now else None
    lp = facts.legal_permanence
    return ChildRecord(
        index=index,
        ref=case.child.ref or f"#{index + 1}",
        name=case.child.name,
        source=source,
        date_of_birth=born,
        age_days=facts.age_days,
        entry=facts.looked_after_start,
        left=facts.looked_after_end,
        looked_after_now=now,
        placement_now=current.type if current is not None else None,
        placements=facts.placements,
        moves=facts.moves,
        moves_flag=any(f.code == FLAG_MOVES for f in facts.flags),
        permanence=lp.date if lp is not None else None,
        permanence_route=lp.route if lp is not None else None,
        permanence_days=lp.days_from_looked_after if lp is not None else None,
        route=facts.plan_route,  # the plan in force at as_of, worked out once by the facts
        steps=steps,
        journey=_spans(case, born, as_of, PlacementEvent),
        orders=_spans(case, born, as_of, OrderEvent),
        jurisdiction=case.jurisdiction,
    )


def _spans(case: Case, born: date, as_of: date, kind: type[PlacementEvent] | type[OrderEvent]) -> tuple[Span, ...]:
    """Actual placements (not overlays) or orders begun by as_of, clipped to it, in days since birth."""
    from ..facts.compute import main_placements

    events = ([e for _, e in main_placements(case)] if kind is PlacementEvent
              else [e for e in case.events if isinstance(e, OrderEvent)])
    out: list[Span] = []
    for e in events:
        if e.planned or e.start.mid > as_of:
            continue
        end = e.end.mid if e.end is not None and e.end.mid <= as_of else as_of
        out.append(Span(max(0, (e.start.mid - born).days), max(0, (end - born).days), e.type,
                        e.end is None or e.end.mid > as_of))
    return tuple(out)


# ---------------------------------------------------------------- case files


_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml's safe loader that keeps dates as text (the model reads them, as the project's reader does).

    Its resolver is cut to what a case file needs: the composer asks it once per scalar, and PyYAML's own
    (path resolvers, list concatenation on every call) was a fifth of a file's load. Same tags, same rules:
    a quoted scalar is text, a plain one takes the first implicit resolver (bool, int, float, null) that
    matches, else text. Without libyaml the pure-Python loader is used the same way (slower, same result).
    """

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered: nothing to track."""

    def ascend_resolver(self) -> None:
        """No path resolvers are registered: nothing to track."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """The tag of a node, as `BaseResolver.resolve` gives it when no path resolver is registered."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


_Loader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
assert None not in _Loader.yaml_implicit_resolvers  # no wildcard resolver: `resolve` above relies on it
_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    key: tuple(resolvers) for key, resolvers in _Loader.yaml_implicit_resolvers.items()}
# Anchors, aliases, tags (& * ! at the start of a token): the project's reader judges those. Written with a
# look-behind, so the search looks for the three characters first, not at every position; and only run
# when one of them is in the text at all (a plain `in` is a byte scan): this check was a fifth of a file.
_SPECIAL = re.compile(r"(?<![^\s\[{,:-])[&*!]\S")


def _special(text: str) -> bool:
    """True when the YAML text may use an anchor, alias or tag."""
    return ("&" in text or "*" in text or "!" in text) and _SPECIAL.search(text) is not None


class _Repeated(ValueError):
    """A key appears twice in one object: the project's reader reports it."""


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a repeated key; built in C, checked by its size (once per event)."""
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Repeated("a key appears twice")  # the project's reader finds and locates it
    return out


def _yaml_data(text: str) -> Any:
    """The document's plain data, built from libyaml's node tree in one tight walk.

    PyYAML's own constructor is general (generators for recursive structures, merge keys, every tag) and
    costs most of a case file's load; a case file needs mappings, lists, text, null, booleans and numbers.
    Scalars keep the tags libyaml's composer resolved (with timestamps left as text, as the project's
    reader does); a repeated key or anything else raises, and the caller hands the file to `io.load_case`.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _build(node, loader)
    finally:
        loader.dispose()


def _build(node: Any, loader: Any) -> Any:
    """One node's plain data; text scalars (most of a case file) are taken inline, without a call each."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return node.value.lower() in ("yes", "true", "on")
        if tag == _INT:
            return loader.construct_yaml_int(node)
        if tag == _FLOAT:
            return loader.construct_yaml_float(node)
        raise ValueError(tag)
    if kind is yaml.MappingNode:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR or key_node.value in out:
                raise _Repeated(str(key_node.value))  # a repeated or non-text key: the project's reader says
            out[key_node.value] = (value_node.value if type(value_node) is yaml.ScalarNode
                                   and value_node.tag == _STR else _build(value_node, loader))
        return out
    if kind is yaml.SequenceNode:
        return [item.value if type(item) is yaml.ScalarNode and item.tag == _STR else _build(item, loader)
                for item in node.value]
    raise ValueError("unknown node")


# Event text the cohort never counts, draws or shows: not read, so neither checked nor kept (a note or a
# source could hold anything). The single-child reader still checks it when a child is drawn alone.
_UNUSED_TEXT = frozenset({"label", "note", "source", "for_child"})


def _without_text(data: Any) -> Any:
    """The case data with its events' free text left out (the cohort's lighter validation)."""
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        return data
    events = [{k: v for k, v in e.items() if k not in _UNUSED_TEXT} if isinstance(e, dict) else e
              for e in data["events"]]
    return {**data, "events": events}


def quick_case(text: str, name: str, as_of: date) -> Case | None:
    """The case by the fast path, or None when the project's reader must decide (and report)."""
    try:
        if name.lower().endswith(".json"):
            data = json.loads(text, object_pairs_hook=_no_repeats)
        else:
            if _special(text):
                return None
            data = _yaml_data(text)
        return validate_data(_without_text(data), SourceMap(file=name), as_of=as_of)
    except (ValueError, yaml.YAMLError, CaseError, TypeError, RecursionError):
        return None


def read_case_file(path: str, *, index: int, as_of: date,
                   standards: Standards | StandardsBook) -> ChildRecord | LeftOut:
    """One case file -> its record, or why it is left out (the project's located messages)."""
    try:
        text = read_text(path)
        case = quick_case(text, str(path), as_of)
        if case is None:
            case = load_case(path, as_of=as_of).case
        return record_for(case, index=index, source=str(path), standards=standards)
    except CaseError as exc:
        return LeftOut(str(path), tuple(p.format() for p in exc.problems) or ("cannot be read",))
    except Exception as exc:  # a crash in one child must not stop the cohort
        return LeftOut(str(path), (f"{exc.__class__.__name__}: {str(exc)[:200]}",))


def find_case_files(paths: Sequence[str]) -> tuple[list[str], list[LeftOut]]:
    """Folders expand to their case files (sorted, not recursive, no hidden files); missing paths are left out."""
    files: list[str] = []
    missing: list[LeftOut] = []
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(str(f) for f in p.iterdir()
                           if f.is_file() and not f.name.startswith(".") and f.suffix.lower() in CASE_SUFFIXES)
            if not found:
                missing.append(LeftOut(raw, ("a folder with no case files (.yaml, .yml, .json)",)))
        elif p.exists():
            found = [raw]
        else:
            missing.append(LeftOut(raw, ("no such file or folder",)))
            found = []
        for f in found:
            key = os.path.realpath(f)
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files, missing


_WORKER_STATE: dict[str, Any] = {}


def _init_worker(as_of: date, standards_path: str | None, worker: bool = False) -> None:
    """Per-process state; in a worker, the garbage collector is told to leave the inherited heap alone and
    to run less often (each file's objects are freed by reference counting; cycles are rare)."""
    _WORKER_STATE["as_of"] = as_of
    _WORKER_STATE["standards"] = StandardsBook(standards_path)
    if worker:
        import gc

        gc.freeze()
        gc.set_threshold(GC_THRESHOLD, 20, 20)


def _read_chunk(chunk: list[tuple[int, str]]) -> list[ChildRecord | LeftOut]:
    as_of, standards = _WORKER_STATE["as_of"], _WORKER_STATE["standards"]
    return [read_case_file(path, index=i, as_of=as_of, standards=standards) for i, path in chunk]


def read_case_files(files: Sequence[str], *, as_of: date, standards_path: str | None = None,
                    jobs: int | None = None) -> list[ChildRecord | LeftOut]:
    """Every file's record or reason, in input order; in `jobs` processes for a large cohort."""
    numbered = list(enumerate(files))
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(numbered) < PARALLEL_FROM:
        import gc

        _init_worker(as_of, standards_path)
        before = gc.get_threshold()
        gc.set_threshold(GC_THRESHOLD, 20, 20)  # as in a worker; put back for the rest of the run
        try:
            return _read_chunk(numbered)
        finally:
            gc.set_threshold(*before)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [numbered[i:i + CHUNK] for i in range(0, len(numbered), CHUNK)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    out: list[ChildRecord | LeftOut] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(as_of, standards_path, True)) as pool:
        for part in pool.map(_read_chunk, chunks):
            out.extend(part)
    return out


# ---------------------------------------------------------------- SSDA903 returns


def read_ssda903(folder: str, *, first: int, as_of: date, standards_path: str | None = None
                 ) -> tuple[list[ChildRecord], list[LeftOut]]:
    """Every child of an SSDA903 return with at least one episode -> its record (numbered from `first`), or
    why it is left out. The case is the one `timeline import --ssda903` writes, but as at the cohort's date;
    the return's own warnings are not repeated here (import a child to see them)."""
    from ..io.ssda903 import child_case, read_return

    standards = StandardsBook(standards_path)
    found: list[ChildRecord] = []
    lost: list[LeftOut] = []
    try:
        ret = read_return(folder)
    except CaseError as exc:
        return [], [LeftOut(folder, tuple(p.format() for p in exc.problems))]
    for ident in ret.looked_after:
        source = f"{folder} (child {ident[:40]})"
        try:
            case = child_case(ret, ident, as_of=as_of).case
            found.append(record_for(case, index=first + len(found), source=source, standards=standards))
        except CaseError as exc:
            lost.append(LeftOut(source, tuple(p.format() for p in exc.problems)))
        except Exception as exc:  # a crash in one child must not stop the cohort
            lost.append(LeftOut(source, (f"{exc.__class__.__name__}: {str(exc)[:200]}",)))
    return found, lost
