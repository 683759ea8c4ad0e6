"""The child's own story (`--view child`): allow-listed projection, kind words, draft marking, 14 pt type."""

from __future__ import annotations

import io
import json
import math
import re
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from timeline.cli.commands import main
from timeline.dates import parse_date
from timeline.model.case import Case
from timeline.pipeline import FORMATS, RenderOptions, render_case
from timeline.report.child import child_words, project, story, when_words

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
SURNAME = "Quennell"
REF = "REF-77Z"
NOTE = "Notewordzq"
SOURCE = "Sourcewordzq"
LABEL = "Labelwordzq"
PLANTED = (SURNAME, REF, NOTE, SOURCE, LABEL)


def planted_case(agreed: bool = False) -> Case:
    """A case with a surname, a reference, a note, a source and a label in every field that is not on the
    allow-list (child name's later words, ref, every event's label/note/source/id), and child-facing words
    in the allow-listed ones."""
    bad = f"{SURNAME} {REF} {NOTE} {SOURCE} {LABEL}"
    extra = {"label": bad, "note": bad, "source": bad}
    events: list[dict[str, Any]] = [
        {"kind": "placement", "type": "home", "start": "2015-03-14", "end": "2016-01-20", "id": f"{SURNAME}1",
         **extra},
        {"kind": "placement", "type": "foster", "start": "2016-01-20", "end": "2017-05-01", "id": f"{LABEL}2",
         "for_child": "Sam and Alex", **extra},
        {"kind": "placement", "type": "kinship", "start": "2017-05-01", "id": f"{NOTE}3",
         "for_child": "Gran, so you could stay near your school", **extra},
        {"kind": "placement", "type": "respite", "start": "2016-06-01", "end": "2016-06-08", "id": f"{REF}4",
         **extra},
        {"kind": "order", "type": "cso", "start": "2016-03-01", "id": f"{SOURCE}5", **extra},
        {"kind": "hearing", "type": "childrens_hearing", "date": "2016-01-28", **extra},
        {"kind": "hearing", "type": "grounds_hearing", "date": "2016-02-10", **extra},
        {"kind": "hearing", "type": "childrens_hearing", "date": "2017-04-20",
         "for_child": "The Children's Hearing decided you would stay with Gran", **extra},
        {"kind": "meeting", "type": "laac_review", "date": "2016-07-01", **extra},
        {"kind": "milestone", "type": "permanence_recommended", "date": "2017-01-10", "route": "kinship",
         **extra},
        {"kind": "event", "type": "referral", "date": "2015-12-01", **extra},
        {"kind": "event", "type": "contact", "date": "2016-08", **extra},
        {"kind": "event", "type": "worker_change", "date": "2018-02-01", **extra},
        {"kind": "event", "type": "school", "date": "2019-08-15", "status": "planned",
         "for_child": "You will start school", **extra},
    ]
    data: dict[str, Any] = {
        "child": {"name": f"Amy {SURNAME}", "date_of_birth": "2015-03-14", "ref": REF},
        "as_of": "2019-06-01",
        "events": events,
    }
    if agreed:
        data["child_view"] = {"agreed": True}
    return Case.model_validate(data)


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    case = planted_case()
    return {fmt: render_case(case, RenderOptions(format=fmt, view="child")) for fmt in FORMATS}


def without_fonts(html: str) -> str:
    """The HTML less its embedded fonts (base64 can spell anything, e.g. 'LAAC')."""
    return re.sub(r"data:[a-z/+-]+;base64,[A-Za-z0-9+/=]+", "data:", html)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def png_text_chunks(data: bytes) -> bytes:
    """Every ancillary chunk of a PNG (tEXt, iTXt, zTXt...), decompressed where it is: where text would hide."""
    out, i = b"", 8
    while i < len(data):
        length = int.from_bytes(data[i:i + 4], "big")
        kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + length]
        if kind not in (b"IHDR", b"IDAT", b"IEND", b"PLTE"):
            out += kind + body
            if kind == b"zTXt":
                out += zlib.decompress(body.split(b"\0", 1)[1][1:])
        i += 12 + length
    return out


def test_allow_list_nothing_planted_reaches_any_output(outputs: dict[str, bytes]) -> None:
    """A surname, a reference, a note, a source and a label in every field off the allow-list never appear
    in the SVG, scene JSON, HTML, PDF text, PDF metadata or PNG of the child's story."""
    pdf = outputs["pdf"]
    reader = PdfReader(io.BytesIO(pdf))
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    texts = {
        "svg": outputs["svg"].decode("utf-8"),
        "scene-json": outputs["scene-json"].decode("utf-8"),
        "html": outputs["html"].decode("utf-8"),
        "pdf text": pdf_text(pdf),
        "pdf metadata": meta,
        "pdf bytes": pdf.decode("latin-1"),
        "png chunks": png_text_chunks(outputs["png"]).decode("latin-1"),
    }
    for where, text in texts.items():
        for word in PLANTED:
            assert word.lower() not in text.lower(), (where, word)
    # ...and the allow-listed words do arrive (the test can fail the other way too)
    for where in ("svg", "scene-json", "html", "pdf text"):
        flat = " ".join(texts[where].split())
        assert "Amy" in flat and "Sam and Alex" in flat, where
        assert "decided you would stay with Gran" in flat, where
    assert outputs["png"][:8] == b"\x89PNG\r\n\x1a\n"


def test_professional_labels_codes_and_orders_never_shown(outputs: dict[str, bytes]) -> None:
    vocab_labels = ("Foster care", "Compulsory Supervision Order", "CSO", "LAAC", "Grounds", "Looked after",
                    "Kinship care", "Permanence", "Referral", "Respite", "kind-", "type-", "placement")
    for fmt in ("svg", "scene-json", "html"):
        text = without_fonts(outputs[fmt].decode("utf-8"))
        for word in vocab_labels:
            assert word not in text, (fmt, word)
    pdf = pdf_text(outputs["pdf"])
    for word in vocab_labels:
        assert word not in pdf, word


def test_story_every_move_kind_defaults_and_left_out() -> None:
    s = story(project(planted_case()))
    homes = [e for e in s.entries if e.lane == "lived"]
    assert [e.sentence for e in homes] == [
        "You lived at home with your family.",
        "You moved to live with foster carers: Sam and Alex.",
        "You moved to live with people in your family: Gran, so you could stay near your school.",
    ]
    assert [e.carers for e in homes] == ["Your family", "Sam and Alex", "Gran, so you could stay near your school"]
    days = [e.sentence for e in s.entries if e.lane == "days"]
    assert days == [
        "You had a Children's Hearing: a group of people met to help decide what was best for you.",
        "The Children's Hearing decided you would stay with Gran.",
        "You got a new social worker.",
    ]
    # respite, the order, grounds hearing, review, milestone, referral, contact and the planned event
    assert s.left_out == 8
    assert [e.number for e in s.entries] == list(range(1, 7))
    assert s.name == "Amy"  # the first word of the name only


def test_known_as_replaces_the_name() -> None:
    data = planted_case().model_dump(mode="json", exclude_none=True)
    data["child"]["known_as"] = "Mimi"
    s = story(project(Case.model_validate(data)))
    assert s.name == "Mimi"


@pytest.mark.parametrize(("when", "words"), [
    ("2015-03-14", "When you were born"),
    ("2015-09-01", "When you were a baby"),
    ("2018-03-14", "When you were 3"),
    ("2018", "When you were about 3"),
    ("2018-06-01~", "When you were about 3"),
    ("2014-05-01", "Before you were born"),
])
def test_when_words(when: str, words: str) -> None:
    from datetime import date

    assert when_words(date(2015, 3, 14), parse_date(when), child_words()) == words


def test_draft_on_every_page_until_agreed() -> None:
    draft = child_words()["words"]["draft"]
    big = planted_case().model_dump(mode="json", exclude_none=True)
    big["events"] += [{"kind": "event", "type": "worker_change", "date": f"2018-{m:02d}-02"} for m in range(1, 13)]
    data = render_case(Case.model_validate(big), RenderOptions(format="pdf", view="child"))
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 2
    for i, text in enumerate(pages, start=1):
        assert draft in text, f"page {i} lacks the draft line"
    assert draft in render_case(planted_case(), RenderOptions(format="svg", view="child")).decode()
    agreed = planted_case(agreed=True)
    for fmt in ("svg", "html"):
        assert draft not in render_case(agreed, RenderOptions(format=fmt, view="child")).decode(), fmt
    assert draft not in pdf_text(render_case(agreed, RenderOptions(format="pdf", view="child")))


def text_sizes(data: bytes) -> list[tuple[float, str]]:
    """(printed pt, text) of every text run on every page, drawings included (as tests/test_fit.py)."""
    sizes: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        a = tm[0] * cm[0] + tm[1] * cm[2]
        b = tm[0] * cm[1] + tm[1] * cm[3]
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        sizes.append((round(size * math.sqrt(abs(a * d - b * c)), 2), text))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_renders_and_no_text_is_below_14pt(path: Path) -> None:
    from timeline.io.read import load_case

    case = load_case(str(path)).case
    data = render_case(case, RenderOptions(format="pdf", view="child"))
    sizes = text_sizes(data)
    assert any("Where I lived" in t for _, t in sizes), "the chart's text was not found"
    smallest = min(sizes)
    assert smallest[0] >= 14 - 0.01, smallest


def test_scene_pictures_are_shapes_and_nothing_overlaps() -> None:
    from timeline.report.child import scene_of

    _, scene = scene_of(planted_case(), RenderOptions(view="child"), standalone=True)
    paths = [item for item, _ in scene.walk() if type(item).__name__ == "Path"]
    assert {p.cls for p in paths} >= {"cv-house", "cv-heart", "cv-star"}
    texts = scene.texts()
    for i, a in enumerate(texts):
        assert a.x >= 0 and a.x + a.width <= scene.width + 0.01, a
        for b in texts[i + 1:]:
            assert not a.box.overlaps(b.box), (a.text, b.text)
    data = json.loads(scene.to_json())
    assert data["title"] == "My story: Amy"
    assert b"<image" not in render_case(planted_case(), RenderOptions(format="svg", view="child"))


def test_cli_view_child(tmp_path: Path) -> None:
    case = tmp_path / "c.json"
    case.write_text(planted_case().model_dump_json(exclude_none=True), encoding="utf-8")
    for suffix in (".pdf", ".html", ".svg", ".json", ".png"):
        out = tmp_path / f"my-story{suffix}"
        result = CliRunner().invoke(main, ["render", str(case), "--view", "child", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
        assert SURNAME.encode() not in out.read_bytes()


def test_for_child_text_rules_and_training_copy_drops_it() -> None:
    from pydantic import ValidationError

    from timeline.model.anonymise import anonymise

    data = planted_case().model_dump(mode="json", exclude_none=True)
    data["events"][0]["for_child"] = "x" * 121
    with pytest.raises(ValidationError):
        Case.model_validate(data)
    data["events"][0]["for_child"] = "bad\u202eline"
    with pytest.raises(ValidationError):
        Case.model_validate(data)
    assert all(e.for_child is None for e in anonymise(planted_case()).events)


def test_new_fields_round_trip_through_a_written_case_file() -> None:
    from timeline.io.casefile import dump_case
    from timeline.io.read import parse_yaml, validate_data

    data = planted_case(agreed=True).model_dump(mode="json", exclude_none=True)
    data["child"]["known_as"] = "Mimi"
    case = Case.model_validate(data)
    again = validate_data(*parse_yaml(dump_case(case), "case.yaml"))
    assert again == case and again.child.known_as == "Mimi" and again.child_view is not None
