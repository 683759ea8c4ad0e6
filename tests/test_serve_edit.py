"""Workspace edits: an edited draft is what deriving it from scratch gives, and an edit re-reads only what changed.

The importer keeps the reading of a date cell and the other-jurisdiction words of a text between imports (both
pure), so an edit costs the rows it touched. These tests check the result is the same as with nothing kept
(same case, problems, report and chart bytes) and count the work: a label edit reads one new text, a date edit
one new date cell. No time is asserted here (timings live in bench/serve_bench.py).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from timeline.io import chronology, classify
from timeline.serve import state
from timeline.serve.app import create_app
from timeline.serve.state import Store, WorkCase

TOKEN = "test-token-0123456789"
ORIGIN = "http://localhost"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TODAY = date(2019, 6, 1)


def forget_kept_work() -> None:
    """Empty what the importer keeps between imports, so the next derive starts from nothing."""
    chronology._read_date.cache_clear()
    classify._foreign_in.cache_clear()


@pytest.fixture()
def workspace() -> tuple[Any, Any]:
    app = create_app(token=TOKEN, store=Store(today=lambda: TODAY))
    client = app.test_client()
    assert client.get(f"/?token={TOKEN}").status_code == 303
    return app, client


def upload(client: Any, name: str) -> str:
    body = {"name": "Amy", "dob": "14/03/2015", "as_of": "01/06/2019",
            "file": (io.BytesIO((SAMPLES / name).read_bytes()), name)}
    r = client.post("/api/cases", data=body, headers={"Origin": ORIGIN}, content_type="multipart/form-data")
    assert r.status_code == 201, r.json
    return str(r.json["id"])


def held(app: Any, cid: str) -> WorkCase:
    case: WorkCase = app.extensions["timeline_store"].get(cid, "*")
    return case


def edit(client: Any, cid: str, row: int, values: dict[str, str]) -> None:
    r = client.patch(f"/api/cases/{cid}/events/{row}", json=values, headers={"Origin": ORIGIN})
    assert r.status_code == 200, r.json


def chart(client: Any, cid: str, version: int) -> bytes:
    r = client.get(f"/api/cases/{cid}/timeline.svg?partial=1&pages=1&view=full&v={version}")
    assert r.status_code == 200
    data: bytes = r.data
    return data


def test_edited_drafts_give_what_deriving_them_from_scratch_gives(workspace: tuple[Any, Any]) -> None:
    app, client = workspace
    cid = upload(client, "chronology.csv")
    edits: list[tuple[int, dict[str, str]]] = [
        (5, {"label": "At home with mum and her partner"}),
        (3, {"date": "31/02/2015"}),  # a bad date: the row is kept, marked, and left off the chart
        (10, {"date": "21/01/2016", "type": "Kinship care"}),
        (3, {"date": "14/01/2015"}),  # fixed again
        (20, {"label": "Mum moved to Glasgow in the spring"}),
    ]
    for row, values in edits:
        edit(client, cid, row, values)
        case = held(app, cid)
        edited, drawn = case.derived, chart(client, cid, case.version)
        forget_kept_work()
        fresh = state.derive(case.draft, today=lambda: TODAY)
        assert fresh == edited
        assert fresh.report == edited.report and fresh.problems == edited.problems
        case.derived, case.preview = fresh, None
        assert chart(client, cid, case.version) == drawn
    assert 3 not in held(app, cid).derived.bad_rows
    assert held(app, cid).derived.case is not None


def test_a_bad_date_kept_between_imports_is_still_a_problem(workspace: tuple[Any, Any]) -> None:
    app, client = workspace
    cid = upload(client, "chronology.csv")
    for _ in range(2):  # the second time the cell's reading is not kept (a failure is never kept)
        edit(client, cid, 3, {"date": "31/02/2015"})
        assert 3 in held(app, cid).derived.bad_rows
        edit(client, cid, 3, {"date": "14.01.2015"})
        assert 3 not in held(app, cid).derived.bad_rows


def test_a_label_edit_reads_one_new_text_and_no_date(workspace: tuple[Any, Any]) -> None:
    app, client = workspace
    cid = upload(client, "chronology.csv")
    rows = len(held(app, cid).draft.rows)
    assert rows > 20
    dates, texts = chronology._read_date.cache_info(), classify._foreign_in.cache_info()
    edit(client, cid, 12, {"label": "Second working day hearing: ICSO made, contact twice a week"})
    assert chronology._read_date.cache_info().misses == dates.misses
    assert classify._foreign_in.cache_info().misses == texts.misses + 1
    assert chronology._read_date.cache_info().hits >= dates.hits + rows - 2  # every other date was kept


def test_a_date_edit_reads_one_new_date_cell(workspace: tuple[Any, Any]) -> None:
    _app, client = workspace
    cid = upload(client, "chronology.csv")
    dates, texts = chronology._read_date.cache_info(), classify._foreign_in.cache_info()
    edit(client, cid, 19, {"date": "12/08/2016"})
    assert chronology._read_date.cache_info().misses == dates.misses + 1
    assert classify._foreign_in.cache_info().misses == texts.misses
