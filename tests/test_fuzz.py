"""Fuzzing (issue 7): arbitrary bytes and structures through load -> validate -> facts -> layout -> SVG/HTML/PDF.

The only outcomes allowed are a rendered output or a clean CaseError with a located message (exit 1 from
the CLI). The default budget runs in every test run and in CI; `-m slow` runs a larger one. Each test
prints how many examples it ran (and how they ended) and appends the counts to
`$TIMELINE_FUZZ_REPORT` when that is set.
"""

from __future__ import annotations

import json
import os
import string
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.io.chronology import import_table
from timeline.io.read import load_text, read_csv_text
from timeline.pipeline import RenderOptions, render_case
from timeline.problems import CaseError

DEFAULT_EXAMPLES = 60
SLOW_EXAMPLES = 1500
PDF_EXAMPLES = 4
KINDS = {
    "placement": ["foster", "kinship", "home", "respite", "secure"],
    "order": ["cso", "icso", "po", "poa", "s25", "cp_register"],
    "hearing": ["childrens_hearing", "proof", "court"],
    "meeting": ["laac_review", "matching_panel"],
    "milestone": ["looked_after", "permanence_recommended", "final_order"],
    "event": ["school", "other"],
}
HOSTILE_TEXT = ["<script>", "</style>", "]]>", "<!ENTITY", "javascript:", "file:///etc/passwd", "url(", "@import",
                "\u202e", "\u200b", "\u0301", "🧒🏽", "&amp;", "{{ x }}", '"', "'", "\n", "\t", "\x00", "\x85"]


class Tally:
    """Counts examples by outcome, printed at the end of a test (and optionally written to a report file)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.outcomes: Counter[str] = Counter()

    def __call__(self, outcome: str) -> None:
        self.outcomes[outcome] += 1

    def report(self) -> None:
        total = sum(self.outcomes.values())
        line = f"fuzz {self.name}: {total} examples ({', '.join(f'{k} {v}' for k, v in sorted(self.outcomes.items()))})"
        print(f"\n{line}")
        target = os.environ.get("TIMELINE_FUZZ_REPORT")
        if target:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        assert total > 0


@pytest.fixture
def tally(request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]) -> Iterator[Tally]:
    t = Tally(request.node.name)
    yield t
    with capsys.disabled():  # shown in every run, CI included, not only with -s
        t.report()


def located(exc: CaseError, name: str) -> None:
    """A clean error: at least one problem, each naming the file, each message short and on one line."""
    assert exc.problems
    for problem in exc.problems:
        text = problem.format()
        assert text.startswith(name), text
        assert problem.message and "\n" not in problem.message + problem.path
        assert "Traceback" not in text


def run_pipeline(text: str, name: str, formats: tuple[str, ...], tally: Tally) -> None:
    try:
        loaded = load_text(text, name)
    except CaseError as exc:
        located(exc, name)
        tally("refused")
        return
    for fmt in formats:
        data = render_case(loaded.case, RenderOptions(format=fmt))
        assert data
    tally("rendered")


# ---------------------------------------------------------------- strategies

texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HOSTILE_TEXT),
    st.lists(st.sampled_from(HOSTILE_TEXT + list(string.ascii_letters)), max_size=12).map("".join),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1890, 2210), st.integers(0, 13)),
    st.integers(1890, 2210).map(str),
    st.sampled_from(["2016~", "2016-02?", "2016-02-30", "0000", "31/01/2016", "", "2016-1-1"]),
    st.integers(),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), texts, dates)
anything = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from([*KINDS, "bogus"]))
    event: dict[str, Any] = {"kind": kind, "type": draw(st.sampled_from([*KINDS.get(kind, ["x"]), "nope"]))}
    if kind in ("placement", "order"):
        event["start"] = draw(dates)
        if draw(st.booleans()):
            event["end"] = draw(dates)
    else:
        event["date"] = draw(dates)
    for key in ("label", "note", "source"):
        if draw(st.booleans()):
            event[key] = draw(texts)
    if draw(st.integers(0, 5)) == 0:
        event[draw(st.sampled_from(["status", "id", "route", "lable", "extra"]))] = draw(anything)
    return event


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    case: dict[str, Any] = {
        "child": {"name": draw(texts), "date_of_birth": draw(dates)},
        "as_of": draw(dates),
        "events": draw(st.lists(events(), max_size=8)),
    }
    if draw(st.integers(0, 4)) == 0:
        case[draw(st.sampled_from(["child", "events", "version", "jurisdiction", "unknown"]))] = draw(anything)
    return case


@st.composite
def plausible_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Cases that mostly validate, so the layout and renderers see many shapes of real data."""
    year = draw(st.integers(2000, 2020))
    born = f"{year}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
    out: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(list(KINDS)))
        code = draw(st.sampled_from(KINDS[kind]))
        when = f"{draw(st.integers(year - 1, year + 6))}-{draw(st.integers(1, 12)):02d}"
        event: dict[str, Any] = {"kind": kind, "type": code}
        if kind in ("placement", "order"):
            event["start"] = when
            if draw(st.booleans()):
                event["end"] = f"{int(when[:4]) + draw(st.integers(0, 3))}-12"
        else:
            event["date"] = when + draw(st.sampled_from(["", "~", "?"]))
        if draw(st.booleans()):
            event["label"] = draw(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=120))
        if draw(st.booleans()):
            event["status"] = "planned"
        out.append(event)
    name = draw(st.sampled_from(["Amy", "<script>alert(1)</script>", "Łukasz 🧒🏽 Ó Dónaill", "]]> & </style>"]))
    return {"child": {"name": name, "date_of_birth": born}, "as_of": f"{year + 7}-06-01", "events": out}


def dump(data: Any, how: str) -> tuple[str, str]:
    if how == "json":
        return json.dumps(data, ensure_ascii=draw_ascii(data)), "fuzz.json"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "fuzz.yaml"


def draw_ascii(data: Any) -> bool:
    return len(json.dumps(data)) % 2 == 0  # vary the escaping without another draw


def fuzz(examples: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------- default budget (every run, CI)


@fuzz(DEFAULT_EXAMPLES)
@given(data=st.binary(max_size=400), suffix=st.sampled_from(["fuzz.yaml", "fuzz.json"]))
def test_arbitrary_bytes(tmp_path: Path, tally: Tally, data: bytes, suffix: str) -> None:
    from timeline.io.read import load_case

    path = tmp_path / suffix
    path.write_bytes(data)
    try:
        loaded = load_case(path)
    except CaseError as exc:
        located(exc, str(path))
        tally("refused")
        return
    render_case(loaded.case, RenderOptions(format="svg"))
    tally("rendered")


@fuzz(DEFAULT_EXAMPLES)
@given(data=st.one_of(cases(), anything), how=st.sampled_from(["yaml", "json"]))
def test_arbitrary_structures(tally: Tally, data: Any, how: str) -> None:
    text, name = dump(data, how)
    run_pipeline(text, name, ("svg", "html"), tally)


@fuzz(DEFAULT_EXAMPLES)
@given(data=plausible_cases(), how=st.sampled_from(["yaml", "json"]))
def test_plausible_cases_render(tally: Tally, data: Any, how: str) -> None:
    text, name = dump(data, how)
    run_pipeline(text, name, ("svg", "html", "scene-json"), tally)


@fuzz(DEFAULT_EXAMPLES)
@given(rows=st.lists(st.lists(st.one_of(texts, dates.map(str)), min_size=1, max_size=5), max_size=8),
       header=st.sampled_from(["Date,Type,Details", "Date;Type;Details", "Date,End,Type,Details", "x,y", ""]))
def test_arbitrary_csv(tally: Tally, rows: list[list[str]], header: str) -> None:
    import csv
    import io as _io

    buffer = _io.StringIO()
    csv.writer(buffer).writerows(rows)
    text = (header + "\n" if header else "") + buffer.getvalue()
    try:
        table = read_csv_text(text, "fuzz.csv")
        loaded = import_table(table, name="<b>Amy</b>", dob="14/03/2015")
    except CaseError as exc:
        located(exc, "fuzz.csv")
        tally("refused")
        return
    render_case(loaded.case, RenderOptions(format="svg"))
    tally("rendered")


@fuzz(PDF_EXAMPLES)
@given(data=plausible_cases())
def test_plausible_cases_render_pdf(tally: Tally, data: Any) -> None:
    text, name = dump(data, "yaml")
    run_pipeline(text, name, ("pdf",), tally)


# ---------------------------------------------------------------- larger budget (pytest -m slow)


@pytest.mark.slow
@fuzz(SLOW_EXAMPLES)
@given(data=st.one_of(cases(), anything, plausible_cases()), how=st.sampled_from(["yaml", "json"]))
def test_slow_structures(tally: Tally, data: Any, how: str) -> None:
    text, name = dump(data, how)
    run_pipeline(text, name, ("svg", "html"), tally)


@pytest.mark.slow
@fuzz(SLOW_EXAMPLES)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(["fuzz.yaml", "fuzz.json"]))
def test_slow_bytes(tally: Tally, data: bytes, suffix: str) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        tally("not utf-8")
        return
    run_pipeline(text, suffix, ("svg",), tally)
