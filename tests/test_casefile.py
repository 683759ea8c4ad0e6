"""Case files written by the tool (import, anonymise): contract order, safe quoting, exact round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.dates import PartialDate, month_date, year_date
from timeline.io.casefile import dump_case, quote
from timeline.io.read import load_case, parse_yaml, validate_data
from timeline.model.case import EVENT_CLASSES, Case
from timeline.model.vocabulary import KINDS, SPAN_KINDS, load_vocabulary

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
VOCAB = load_vocabulary("scotland")


def reload(text: str) -> Case:
    return validate_data(*parse_yaml(text, "case.yaml"))


def test_samples_round_trip() -> None:
    for path in sorted(SAMPLES.glob("*.yaml")):
        case = load_case(path).case
        assert reload(dump_case(case)) == case, path.name


def test_field_order_follows_the_contract() -> None:
    text = dump_case(load_case(SAMPLES / "home.yaml").case)
    head = text.splitlines()[:8]
    assert head == ["# yaml-language-server: $schema=../schemas/case.schema.json", "version: 1", "child:",
                    '  name: "Ruairí"', "  date_of_birth: 2012-09-17", '  ref: "C-1042"', "jurisdiction: scotland",
                    "as_of: 2021-06-30"]
    first_event = text.split("events:\n", 1)[1].split("\n  - ", 1)[0].splitlines()
    assert [line.split(":")[0].strip(" -") for line in first_event] == [
        "kind", "type", "start", "end", "label", "note", "id"]


def test_tricky_text_is_quoted() -> None:
    for text in ["yes", "2016", "null", "- a", "# b", 'say "hi": now', "line\nbreak", "a\u2028b", "ü ☃ 😀"]:
        assert parse_yaml(f"x: {quote(text)}\n", "t.yaml")[0] == {"x": text}


_TEXT = st.text(
    # Format characters (bidi controls, zero-width, soft hyphen) and stacked marks are refused by the model
    # itself (tests/test_hostile.py covers them); this round trip is about quoting everything else.
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Cf", "Mn", "Me", "Zl", "Zp"), blacklist_characters="\u2028\u2029"
    ),
    min_size=1, max_size=30,
).filter(lambda s: s.strip() != "")
_DAY = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def partial_dates(draw: st.DrawFn) -> str:
    day = draw(_DAY)
    form = draw(st.sampled_from(["day", "month", "year"]))
    qualifier = draw(st.sampled_from(["", "~", "?"]))
    if form == "day":
        return PartialDate(day, day, "day", qualifier).isoformat()  # type: ignore[arg-type]
    if form == "month":
        return month_date(day.year, day.month, qualifier).isoformat()  # type: ignore[arg-type]
    return year_date(day.year, qualifier).isoformat()  # type: ignore[arg-type]


@st.composite
def events(draw: st.DrawFn) -> dict[str, object]:
    kind = draw(st.sampled_from(KINDS))
    event: dict[str, object] = {"kind": kind, "type": draw(st.sampled_from(VOCAB.codes(kind)))}
    if kind in SPAN_KINDS:
        event["start"] = draw(st.sampled_from(["2000-05-01", "2000-05", "2000~", "2000-12-31?"]))
        if draw(st.booleans()):
            event["end"] = draw(st.sampled_from(["2001-06-30", "2001-07", "2002~", "2003?"]))
    else:
        event["date"] = draw(partial_dates())
    if kind == "milestone" and event["type"] == "permanence_recommended" and draw(st.booleans()):
        event["route"] = draw(st.sampled_from(["home", "kinship", "permanence_order", "adoption"]))
    for field in ("label", "note", "source"):
        if draw(st.booleans()):
            event[field] = draw(_TEXT)
    if draw(st.booleans()):
        event["status"] = "planned"
    EVENT_CLASSES[kind].model_validate(event)
    return event


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=_TEXT,
    ref=st.one_of(st.none(), _TEXT.map(lambda s: s[:40])),
    as_of=st.one_of(st.none(), st.just("2031-01-01")),
    items=st.lists(events(), max_size=6),
)
def test_model_yaml_model_round_trip(name: str, ref: str | None, as_of: str | None,
                                     items: list[dict[str, object]]) -> None:
    data: dict[str, object] = {"child": {"name": name, "date_of_birth": "1995-02-28"}, "events": items}
    if ref is not None:
        data["child"]["ref"] = ref  # type: ignore[index]
    if as_of is not None:
        data["as_of"] = as_of
    case = Case.model_validate(data)
    assert reload(dump_case(case)) == case
