"""Model stage: the case file format, version 1, as frozen pydantic models (validation and nothing else).

Every later stage consumes one validated `Case`; nothing is drawn from a file that failed here. Field
descriptions double as editor hover help through the generated JSON Schema (`schemas/case.schema.json`).
"""

from __future__ import annotations

import contextvars
import difflib
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..dates import DateFormatError, PartialDate, parse_date
from ..problems import format_path
from .vocabulary import JURISDICTIONS, KINDS, ROUTES, load_vocabulary

# The jurisdiction of the case being validated, so each event's type is checked against that case's own
# vocabulary (set around a Case's validation; an event validated on its own is checked against Scotland's).
_CASE_JURISDICTION: contextvars.ContextVar[str] = contextvars.ContextVar("case_jurisdiction", default="scotland")

# The years a case file may name (a limit documented in the README): wide enough for any child's history
# and its family background, narrow enough that the chart stays a human time frame.
MIN_YEAR = 1900
# Events in one file: ten times the longest real chronology; past it a chart is unreadable and slow to draw.
MAX_EVENTS = 10_000
MAX_YEAR = 2199
# Placements running at once: a child lives in one place, with a short break or a planned move overlapping;
# a chronology without end dates leaves a few dozen open. Past this the chart's sub-rows and the review
# schedule of every open placement make a render too slow and too big (bench/limits.py).
MAX_OVERLAPPING = 100
_EDTF_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?[~?]?(/\d{4}(-\d{2}(-\d{2})?)?[~?]?)?$"
_FULL_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# C0/C1 controls and the bidi embedding/override/isolate controls that can make text read differently
# from how it is stored ("Trojan Source"); tabs and newlines are allowed only in notes.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Zero-width characters: allowed inside text (they join emoji and some scripts) but not as all of it.
MAX_COMBINING_MARKS = 5
# Letters and symbols that draw as nothing (Hangul fillers, the blank Braille pattern, Khmer inherent
# vowels, the Mongolian vowel separator, the combining grapheme joiner): text made only of these, of
# format characters (U+2061-2064, LRM/RLM/ALM, tag characters) and of marks is as blank as spaces.
_DRAWS_NOTHING = frozenset("\u3164\u2800\u115f\u1160\uffa0\u17b4\u17b5\u180e\u034f")
_NOTHING_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Cc", "Zs", "Zl", "Zp"})


def is_blank(value: str) -> bool:
    """True when `value` would draw as nothing: only blanks, invisible or format characters, or marks."""
    return all(ch.isspace() or ch in _DRAWS_NOTHING or unicodedata.category(ch) in _NOTHING_CATEGORIES
               for ch in value)
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f" + _BIDI + "]")
_CONTROL_NOTE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _BIDI + "]")


def _to_partial(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return _in_range(value)
    if isinstance(value, date):
        return _in_range(PartialDate.of(value))
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # an unquoted year (`date: 2016`) reaches us as a number
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "expected a date written as text such as 2016-01-20")
    try:
        return _in_range(parse_date(value))
    except DateFormatError as exc:
        raise PydanticCustomError("date_format", str(exc)) from None


def _in_range(value: PartialDate) -> PartialDate:
    """Refuse years no child's file can hold (a typo such as 0216 or 2106): they would stretch the chart
    over centuries, and arithmetic near year 1 or 9999 would leave the calendar."""
    for year in (value.earliest.year, value.latest.year):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PydanticCustomError(
                "date_range",
                "year {year} is outside {low}-{high}; check for a typo",
                {"year": f"{year:04d}", "low": MIN_YEAR, "high": MAX_YEAR},
            )
    return value


def _to_full(value: Any) -> date:
    if isinstance(value, date):
        return value
    parsed = _to_partial(value)
    if parsed.precision != "day" or parsed.qualifier:
        raise PydanticCustomError("date_not_full", "needs a full date written as YYYY-MM-DD, e.g. 2015-03-14")
    return parsed.earliest


EDTFDate = Annotated[
    PartialDate,
    PlainValidator(_to_partial),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _EDTF_PATTERN,
            "description": "YYYY-MM-DD, YYYY-MM or YYYY, optionally followed by ~ (approximate) or ? (uncertain); "
            "or an interval of two of them, earlier first (2016-03-14/2016-03-16: some day in that span)",
        }
    ),
]
FullDate = Annotated[
    date,
    PlainValidator(_to_full),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "pattern": _FULL_PATTERN, "description": "A full date, YYYY-MM-DD"}),
]


def _check_line(value: str) -> str:
    if _CONTROL_LINE.search(value):
        raise PydanticCustomError(
            "control_character", "contains a control or text-direction character; remove it (retype the text)"
        )
    if is_blank(value):
        raise PydanticCustomError("blank_text", "is blank (or only invisible characters); write some text or leave "
                                                "the field out")
    return _check_marks(unicodedata.normalize("NFC", value))


def check_line(value: str) -> str:
    """One line of user text as a label or name must be (no control or text-direction characters, not blank,
    few marks per letter): the text, NFC; ValueError saying why not. For options such as --title."""
    return _check_line(value)


def _check_note(value: str) -> str:
    if _CONTROL_NOTE.search(value):
        raise PydanticCustomError(
            "control_character", "contains a control or text-direction character; remove it (retype the text)"
        )
    return _check_marks(unicodedata.normalize("NFC", value))


def _check_marks(value: str) -> str:
    """Refuse a letter carrying a pile of combining marks ("Zalgo" text): drawn, the pile climbs out of the
    text's measured box over the rest of the chart. Real writing stacks at most three or four on a letter."""
    run = 0
    for ch in value:
        run = run + 1 if unicodedata.category(ch) in ("Mn", "Me") else 0
        if run > MAX_COMBINING_MARKS:
            raise PydanticCustomError(
                "combining_marks",
                "has more than {limit} accents or marks on one letter; retype the text",
                {"limit": MAX_COMBINING_MARKS},
            )
    return value


Line = Annotated[str, AfterValidator(_check_line)]
Note = Annotated[str, AfterValidator(_check_note)]


def _length(limit: int) -> AfterValidator:
    """A length check on the text as kept (NFC), raising pydantic's own "string_too_long" so that every message
    says "characters": the field's `max_length` (kept for the schema) would run after the text validator and
    count "items"."""

    def check(value: str) -> str:
        if len(value) > limit:
            raise PydanticCustomError("string_too_long", "String should have at most {max_length} characters",
                                      {"max_length": limit})
        return value

    return AfterValidator(check)


def _line(max_length: int) -> Any:
    """One line of text of at most `max_length` characters."""
    return Annotated[str, AfterValidator(_check_line), _length(max_length)]


def _note(max_length: int) -> Any:
    """A note of at most `max_length` characters (tabs and line breaks allowed)."""
    return Annotated[str, AfterValidator(_check_note), _length(max_length)]


_ID = re.compile(r"^[^\s<>&\"'`\\]{1,64}$")


def _check_id(value: Any) -> str:
    """An id is one word: it becomes an SVG element id and a key in tables and JSON."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # `id: 12` unquoted reaches us as a number
    if not isinstance(value, str) or not _ID.match(value) or _CONTROL_LINE.search(value):
        raise PydanticCustomError(
            "bad_id", "an id is one word of up to 64 characters, without spaces, quotes, backslashes or < > &"
        )
    return value


EventId = Annotated[str, PlainValidator(_check_id), WithJsonSchema({"type": "string", "pattern": _ID.pattern})]
Status = Literal["actual", "planned"]
Route = Literal["home", "kinship", "permanence_order", "adoption"]


def did_you_mean(value: object, choices: list[str] | tuple[str, ...]) -> str:
    """' Did you mean 'x'?' for the closest choice, or '' when nothing is close."""
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value.lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _type_hint(value: object, kind: str) -> str:
    """' Did you mean ...?' only for codes that keep the legal meaning of what was written, else ''.

    A spelling guess across legal meaning ("Placement order" -> Permanence Order, "POA petition" -> an
    order) printed a permanence that never happened; `classify.safe_suggestions` refuses those, and the
    message already lists the valid codes.
    """
    if not isinstance(value, str):
        return ""
    from ..io.classify import safe_suggestions  # the words file is read only when a type is wrong

    close = safe_suggestions(value, kind, jurisdiction=_CASE_JURISDICTION.get())
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close else ""


class _Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", hide_input_in_errors=True, str_strip_whitespace=True, strict=False
    )


class Child(_Frozen):
    """Who the timeline is about."""

    name: _line(80) = Field(  # type: ignore[valid-type]
        min_length=1, max_length=80, description="Name or pseudonym shown on the timeline (1-80 characters)."
    )
    date_of_birth: FullDate = Field(description="Date of birth, a full date (YYYY-MM-DD).")
    ref: _line(40) | None = Field(  # type: ignore[valid-type]
        default=None, max_length=40, description="Optional case reference, e.g. C-0001.")
    known_as: Line | None = Field(
        default=None, max_length=40,
        description="Optional: the name the child uses, shown in the child's own story (`--view child`); "
                    "default: the first word of `name`.",
    )


class _Event(_Frozen):
    """Fields every event has."""

    KIND: ClassVar[str] = ""
    label: _line(120) | None = Field(  # type: ignore[valid-type]
        default=None, max_length=120, description="Short text drawn on the chart (at most 120 characters)."
    )
    note: _note(2000) | None = Field(  # type: ignore[valid-type]
        default=None,
        max_length=2000,
        description="Longer text for the chronology table only, never drawn on the chart (at most 2000 characters).",
    )
    source: _line(200) | None = Field(  # type: ignore[valid-type]
        default=None, max_length=200, description="Where the information comes from, e.g. 'SW chronology'."
    )
    for_child: Line | None = Field(
        default=None,
        max_length=120,
        description="Optional words for the child's own story (`--view child`), written to the child, agreed "
                    "with them: one plain, kind sentence (at most 120 characters), e.g. 'The Children's Hearing "
                    "decided you would stay with Gran.' On a placement: who looked after you there, as you "
                    "call them, and why you moved, e.g. 'Sam and Alex, so you could be safe'. Without it the "
                    "child's story uses a kind default sentence or leaves the event out; it never shows `label`.",
    )
    status: Status = Field(
        default="actual", description="'actual' (default) or 'planned' (a future or proposed event)."
    )
    id: EventId | None = Field(
        default=None,
        description="Optional identifier, unique in the file: one word (no spaces, quotes or < > &), e.g. p1.",
    )

    @field_validator("type", mode="before", check_fields=False)
    @classmethod
    def _known_code(cls, value: Any) -> Any:
        codes = load_vocabulary(_CASE_JURISDICTION.get()).codes(cls.KIND)
        if isinstance(value, str) and value in codes:
            return value
        raise PydanticCustomError(
            "unknown_code",
            "'{value}' is not a known {kind} type{hint} (one of: {codes})",
            {
                "value": str(value)[:40],
                "kind": cls.KIND,
                "hint": _type_hint(value, cls.KIND),
                "codes": ", ".join(codes),
            },
        )

    # Uniform access for later stages, whatever the kind.
    @property
    def first(self) -> PartialDate:
        """The start of a span event, or the date of a point event."""
        raise NotImplementedError

    @property
    def last(self) -> PartialDate | None:
        """The end of a span event (None while ongoing), or the date of a point event."""
        raise NotImplementedError

    @property
    def is_span(self) -> bool:
        """True for placements and orders, which run from start to end."""
        return False

    @property
    def planned(self) -> bool:
        """True for a future or proposed event."""
        return self.status == "planned"


class _SpanEvent(_Event):
    start: EDTFDate = Field(description="When it began (required).")
    end: EDTFDate | None = Field(default=None, description="When it ended; leave out while it is ongoing.")

    @model_validator(mode="after")
    def _end_after_start(self) -> _SpanEvent:
        if self.end is not None and self.end.latest < self.start.earliest:
            raise PydanticCustomError(
                "end_before_start",
                "ends ({end}) before it starts ({start}); check both dates",
                {"end": self.end.isoformat(), "start": self.start.isoformat()},
            )
        return self

    @property
    def first(self) -> PartialDate:
        return self.start

    @property
    def last(self) -> PartialDate | None:
        return self.end

    @property
    def is_span(self) -> bool:
        return True


class _PointEvent(_Event):
    date: EDTFDate = Field(description="When it happened (required).")

    @property
    def first(self) -> PartialDate:
        return self.date

    @property
    def last(self) -> PartialDate | None:
        return self.date


def _all_codes(kind: str) -> list[Any]:
    """The codes of one kind in any jurisdiction (Scotland's first): the schema's enum; the case's own
    jurisdiction is checked when the file is read."""
    return list(dict.fromkeys(c for j in JURISDICTIONS for c in load_vocabulary(j).codes(kind)))


def _type_field(kind: str, what: str) -> Any:
    return Field(
        description=f"The {what}: a code of the jurisdiction's vocabulary (`timeline vocab {kind}`).",
        json_schema_extra={"enum": _all_codes(kind)},
    )


class PlacementEvent(_SpanEvent):
    """Where the child lived, from start to end."""

    KIND: ClassVar[str] = "placement"
    kind: Literal["placement"] = Field(description="placement: where the child lived.")
    type: str = _type_field("placement", "kind of placement")


class OrderEvent(_SpanEvent):
    """A legal order (or the child's name on the child protection register), from start to end."""

    KIND: ClassVar[str] = "order"
    kind: Literal["order"] = Field(description="order: a legal order or the child protection register.")
    type: str = _type_field("order", "order")


class HearingEvent(_PointEvent):
    """A Children's Hearing or a court hearing on one date."""

    KIND: ClassVar[str] = "hearing"
    kind: Literal["hearing"] = Field(description="hearing: a Children's Hearing or court.")
    type: str = _type_field("hearing", "hearing")


class MeetingEvent(_PointEvent):
    """A review, planning meeting or panel on one date."""

    KIND: ClassVar[str] = "meeting"
    kind: Literal["meeting"] = Field(description="meeting: a review or planning meeting.")
    type: str = _type_field("meeting", "meeting")


class MilestoneEvent(_PointEvent):
    """A step on the way to permanence."""

    KIND: ClassVar[str] = "milestone"
    kind: Literal["milestone"] = Field(description="milestone: a step to permanence.")
    type: str = _type_field("milestone", "milestone")
    route: str | None = Field(
        default=None,
        description="Only on permanence_recommended: a route of the case's jurisdiction: home | kinship | "
                    "permanence_order | adoption (Scotland); home | special_guardianship | child_arrangements | "
                    "adoption (England and Wales).",
        json_schema_extra={"enum": [*ROUTES, None]},
    )

    @field_validator("route", mode="before")
    @classmethod
    def _route_of_jurisdiction(cls, value: Any) -> Any:
        """A route is a legal route of the case's own jurisdiction (a Scottish Permanence Order is no route in
        England): checked against that jurisdiction's vocabulary, as the event types are."""
        routes = tuple(load_vocabulary(_CASE_JURISDICTION.get()).routes)
        if value is None or (isinstance(value, str) and value in routes):
            return value
        expected = ", ".join(f"'{r}'" for r in routes[:-1]) + f" or '{routes[-1]}'"
        raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})

    @model_validator(mode="after")
    def _route_only_when_recommended(self) -> MilestoneEvent:
        if self.route is not None and self.type != "permanence_recommended":
            raise PydanticCustomError(
                "route_not_allowed",
                "'route' belongs only on a permanence_recommended milestone; remove it here",
            )
        return self


class LifeEvent(_PointEvent):
    """Something else that mattered in the child's life."""

    KIND: ClassVar[str] = "event"
    kind: Literal["event"] = Field(description="event: a life event (school, health, family, ...).")
    type: str = _type_field("event", "life event")


EVENT_CLASSES: dict[str, type[_Event]] = {
    c.KIND: c for c in (PlacementEvent, OrderEvent, HearingEvent, MeetingEvent, MilestoneEvent, LifeEvent)
}
Event = Annotated[
    Union[PlacementEvent, OrderEvent, HearingEvent, MeetingEvent, MilestoneEvent, LifeEvent],  # noqa: UP007
    Field(discriminator="kind"),
]
AnyEvent = Union[PlacementEvent, OrderEvent, HearingEvent, MeetingEvent, MilestoneEvent, LifeEvent]  # noqa: UP007


class UndatedEntry(_Frozen):
    """A row of a chronology whose date is not known: kept, never given an invented date, never drawn or counted.

    The chronology table shows it where the source placed it: after the event `after` (0-based index into
    `events`), or first when null. Facts and the chart ignore it.
    """

    label: Line = Field(max_length=120, description="What the row says, short (at most 120 characters).")
    note: Note | None = Field(default=None, max_length=2000, description="The rest of the row's text.")
    source: Line | None = Field(default=None, max_length=200, description="Where the information comes from.")
    after: int | None = Field(
        default=None, ge=0, description="Index (from 0) of the dated event it follows in the source, or null."
    )


class Records(_Frozen):
    """What the case says about how complete its record is: absent from a chronology is "not recorded",
    never "did not happen", unless the file says the record of that kind is complete."""

    reviews: Literal["complete", "partial"] = Field(
        default="partial",
        description=(
            "'complete' when every looked-after review held is in this file, so a review due and not in it "
            "was not held (reported as missed); 'partial' (default) when the file may leave reviews out, so "
            "a gap is reported as 'no review recorded', never as a review not held."
        ),
    )
    steps_not_kept: tuple[str, ...] = Field(
        default=(),
        max_length=40,
        description=(
            "Steps to permanence (milestone codes) that this record's source never holds: an SSDA903 return "
            "has no permanence plan, proceedings-issued or application date. Such a step with no date is "
            "'not recorded', never 'overdue' or 'waiting'."
        ),
    )


class ChildView(_Frozen):
    """How the child's own story (`--view child`) stands."""

    agreed: bool = Field(
        default=False,
        description="true once the child's version has been gone through and agreed with the child (and their "
                    "carers); until then every page of the child's story says 'Draft: to be read with a worker'.",
    )


class Case(_Frozen):
    """One child's case file, format version 1."""

    version: Literal[1] = Field(default=1, description="Format version; 1 is the only version.")
    child: Child = Field(description="The child the timeline is about.")
    jurisdiction: Literal["scotland", "england-wales", "wales"] = Field(
        default="scotland",
        description=("Whose law and vocabulary apply: scotland (default), england-wales, or wales (a variant "
                     "of england-wales; docs/england-wales.md)."),
    )
    as_of: FullDate | None = Field(
        default=None, description="The date the timeline runs to (YYYY-MM-DD); default: today."
    )
    records: Records = Field(
        default_factory=Records,
        description="Optional: how complete the record is, e.g. `records: {reviews: complete}`.",
    )
    events: tuple[Event, ...] = Field(
        max_length=MAX_EVENTS,
        description="Everything that happened, in any order; several on one day keep file order.",
    )
    undated: tuple[UndatedEntry, ...] = Field(
        default=(),
        max_length=MAX_EVENTS,
        description="Rows of the source chronology with no known date, kept for the chronology table only.",
    )
    child_view: ChildView | None = Field(
        default=None,
        description="Optional: the child's own story (`--view child`); `child_view: {agreed: true}` once the "
                    "child's version is agreed with them, which takes the 'Draft' line off its pages.",
    )

    @model_validator(mode="wrap")
    @classmethod
    def _with_jurisdiction(cls, data: Any, handler: ModelWrapValidatorHandler[Case]) -> Case:
        """Validate the events against the vocabulary of the jurisdiction this case names."""
        named = data.get("jurisdiction") if isinstance(data, dict) else getattr(data, "jurisdiction", None)
        token = _CASE_JURISDICTION.set(named if named in JURISDICTIONS else "scotland")
        try:
            return handler(data)
        finally:
            _CASE_JURISDICTION.reset(token)

    @model_validator(mode="after")
    def _whole_case_checks(self, info: ValidationInfo) -> Case:
        problems = list(case_problems(self))
        sink = info.context.get("problems") if isinstance(info.context, dict) else None
        if isinstance(sink, list):
            sink.extend(problems)
        elif problems:
            loc, message = problems[0]
            raise ValueError(f"{format_path(loc)}: {message}")
        return self

    @property
    def as_of_date(self) -> date:
        """`as_of`. No stage after the loader reads a clock: a case that leaves `as_of` out is given today's date
        where the input is read (`io.as_of_today`, `pipeline.with_as_of`: the caller passes "today"), so asking
        before then is a bug, said as one rather than answered with whatever day the code happens to run."""
        if self.as_of is None:
            raise ValueError("the case has no as-at date yet: fill it in first (io.as_of_today or pipeline.with_as_of)")
        return self.as_of

    def numbered(self) -> Iterator[tuple[int, AnyEvent]]:
        """(1-based position in the file, event), in file order."""
        return enumerate(self.events, start=1)


def event_id(position: int, event: AnyEvent) -> str:
    """The contract id of an event: its own `id`, else `event-<n>` (n = 1-based file position)."""
    return event.id if event.id else f"event-{position}"


def case_problems(case: Case) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Checks that need the whole file: (data path, message) pairs."""
    for i, entry in enumerate(case.undated):
        if entry.after is not None and entry.after >= len(case.events):
            yield (("undated", i, "after"), f"is {entry.after} but there are only {len(case.events)} events")
    if case.as_of is not None and case.child.date_of_birth > case.as_of:
        yield (("as_of",), f"is before the date of birth ({case.child.date_of_birth.isoformat()}); check both dates")
    seen: dict[str, int] = {}
    auto_ids = {f"event-{n}" for n in range(1, len(case.events) + 1)}
    for n, event in case.numbered():
        if event.id is None:
            continue
        if event.id in seen:
            yield (
                ("events", n - 1, "id"),
                f"'{event.id}' is already used by events[{seen[event.id] - 1}]; ids must be unique",
            )
        else:
            seen[event.id] = n
        if event.id in auto_ids and event.id != f"event-{n}":
            yield (("events", n - 1, "id"), f"'{event.id}' is reserved for the event at that position; pick another")
    yield from _overlap_problems(case)


def _overlap_problems(case: Case) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """At most MAX_OVERLAPPING placements open on any one day (a sweep, O(n log n)); one with no end is ended
    by the next placement that starts later, as facts chain them."""
    import heapq

    for kind, plural in (("placement", "placements"),):
        spans = sorted((e.first.earliest, n) for n, e in case.numbered() if e.kind == kind)
        if len(spans) <= MAX_OVERLAPPING:
            continue
        open_ends: list[date] = []
        unended: list[date] = []  # starts of placements with no end: the next later placement ends them
        for start, n in spans:
            event = case.events[n - 1]
            while open_ends and open_ends[0] < start:
                heapq.heappop(open_ends)
            unended = [s for s in unended if s >= start]
            last = event.last
            if last is not None:
                heapq.heappush(open_ends, last.latest)
            else:
                unended.append(start)
            if len(open_ends) + len(unended) > MAX_OVERLAPPING:  # its start as written ("2016"), never a day
                yield (("events", n - 1, "start"),
                       f"makes {len(open_ends) + len(unended)} {plural} open at once on {event.first.isoformat()}; "
                       f"at most {MAX_OVERLAPPING} may run at once (give the earlier ones their end dates)")
                break


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema of the case format (committed as schemas/case.schema.json)."""
    schema = Case.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://child-timeline.invalid/schemas/case.schema.json"
    schema["title"] = "child-timeline case file, version 1"
    return schema


__all__ = [
    "EVENT_CLASSES",
    "JURISDICTIONS",
    "KINDS",
    "ROUTES",
    "AnyEvent",
    "Case",
    "Child",
    "Event",
    "HearingEvent",
    "LifeEvent",
    "MeetingEvent",
    "MilestoneEvent",
    "OrderEvent",
    "PlacementEvent",
    "Records",
    "UndatedEntry",
    "case_json_schema",
    "did_you_mean",
    "event_id",
]
