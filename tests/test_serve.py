"""The workspace's HTTP API through Flask's test client: every route, and every refusal in plain words."""

from __future__ import annotations

import io
import json
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from timeline.serve.app import MAX_UPLOAD, create_app
from timeline.serve.state import Store

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TOKEN = "test-token-0123456789"
ORIGIN = "http://localhost"


class Clock:
    """A clock the test moves by hand (the store's idle limit is measured with it)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def app(clock: Clock) -> Any:
    store = Store(clock=clock, today=lambda: date(2019, 6, 1))
    return create_app(token=TOKEN, store=store)


@pytest.fixture()
def client(app: Any) -> Any:
    """A browser: it opened the printed address, so it holds the session cookie."""
    c = app.test_client()
    r = c.get(f"/?token={TOKEN}")
    assert r.status_code == 303
    return c


def upload(client: Any, path: Path | None = None, *, data: bytes | None = None, filename: str | None = None,
           origin: str | None = ORIGIN, **fields: str) -> Any:
    body: dict[str, Any] = {"name": "Amy", "dob": "14/03/2015", "as_of": "01/06/2019"}
    body.update(fields)
    if path is not None or data is not None:
        raw = data if data is not None else path.read_bytes()  # type: ignore[union-attr]
        body["file"] = (io.BytesIO(raw), filename or (path.name if path else "upload.csv"))
    headers = {"Origin": origin} if origin else {}
    return client.post("/api/cases", data=body, headers=headers, content_type="multipart/form-data")


def send(client: Any, method: str, url: str, body: Any = None, *, origin: str | None = ORIGIN) -> Any:
    headers = {"Origin": origin} if origin else {}
    return client.open(url, method=method, json=body, headers=headers)


@pytest.fixture()
def case_id(client: Any) -> str:
    r = upload(client, SAMPLES / "chronology.csv")
    assert r.status_code == 201, r.json
    return str(r.json["id"])


# ---------------------------------------------------------------- who gets in


def test_the_printed_address_sets_a_strict_cookie_and_drops_the_token(app: Any) -> None:
    c = app.test_client()
    r = c.get(f"/?token={TOKEN}")
    assert r.status_code == 303
    assert r.headers["Location"] == "/"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert TOKEN not in cookie
    page = c.get("/")
    assert page.status_code == 200
    assert b"Draw a child's timeline" in page.data


@pytest.mark.parametrize("url", ["/", "/api/cases", "/template.csv", "/cases/abc"])
def test_no_token_is_401(app: Any, url: str) -> None:
    r = app.test_client().get(url)
    assert r.status_code == 401
    text = r.get_data(as_text=True)
    assert "timeline serve" in text
    assert "Traceback" not in text


def test_401_is_json_for_the_api_and_a_page_for_pages(app: Any) -> None:
    c = app.test_client()
    assert c.get("/api/cases").json["error"].startswith("This workspace needs its key")
    page = c.get("/")
    assert page.mimetype == "text/html" and b"needs its key" in page.data


def test_wrong_token_is_401(app: Any) -> None:
    c = app.test_client()
    assert c.get("/?token=wrong").status_code == 401
    r = c.get("/api/cases", headers={"X-Timeline-Token": "wrong"})
    assert r.status_code == 401 and "token is wrong" in r.json["error"]
    assert c.get("/").status_code == 401  # no cookie was given for the wrong token


def test_the_token_header_works_without_a_cookie(app: Any) -> None:
    c = app.test_client()
    r = c.post("/api/cases", headers={"X-Timeline-Token": TOKEN},
               data={"file": (io.BytesIO((SAMPLES / "chronology.csv").read_bytes()), "chronology.csv"),
                     "name": "Amy", "dob": "14/03/2015"}, content_type="multipart/form-data")
    assert r.status_code == 201
    assert r.json["events"] == 33  # 32 rows; row 13 gives the hearing and the ICSO


def test_a_made_up_cookie_is_401(app: Any) -> None:
    c = app.test_client()
    c.set_cookie("timeline_session", "made-up")
    assert c.get("/api/cases").status_code == 401


def test_wrong_origin_is_403(client: Any, case_id: str) -> None:
    for method, url, body in (("PATCH", f"/api/cases/{case_id}/events/3", {"date": "01/01/2015"}),
                              ("DELETE", f"/api/cases/{case_id}", None), ("POST", "/api/clear", None)):
        r = send(client, method, url, body, origin="http://evil.example")
        assert r.status_code == 403, (method, url)
        assert "another site" in r.json["error"]
    assert client.get(f"/api/cases/{case_id}").status_code == 200  # nothing was changed or deleted
    r = upload(client, SAMPLES / "chronology.csv", origin="http://127.0.0.1.evil.example")
    assert r.status_code == 403


def test_a_change_without_origin_is_403_for_the_cookie_but_fine_for_the_token(app: Any, client: Any,
                                                                                case_id: str) -> None:
    r = send(client, "PATCH", f"/api/cases/{case_id}/events/3", {"date": "01/01/2015"}, origin=None)
    assert r.status_code == 403 and "Origin" in r.json["error"]
    script = app.test_client()
    r = script.patch(f"/api/cases/{case_id}/events/3", json={"label": "Referral"},
                     headers={"X-Timeline-Token": TOKEN})
    assert r.status_code == 200
    r = script.patch(f"/api/cases/{case_id}/events/3", json={"label": "x"},
                     headers={"X-Timeline-Token": TOKEN, "Origin": "http://evil.example"})
    assert r.status_code == 403


def test_cross_site_fetch_metadata_is_403(client: Any, case_id: str) -> None:
    r = client.delete(f"/api/cases/{case_id}", headers={"Origin": ORIGIN, "Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.nip.io", "192.168.1.20"])
def test_a_host_not_allowed_is_400(app: Any, host: str) -> None:
    c = app.test_client()
    r = c.get(f"/?token={TOKEN}", headers={"Host": host})
    assert r.status_code == 400
    assert "Set-Cookie" not in r.headers
    r = c.get("/api/cases", headers={"Host": host, "X-Timeline-Token": TOKEN})
    assert r.status_code == 400 and "Host" in r.json["error"]


def test_allowed_hosts_include_the_loopback_names(app: Any) -> None:
    for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765"):
        r = app.test_client().get("/api/cases", headers={"Host": host, "X-Timeline-Token": TOKEN})
        assert r.status_code == 200, host


def test_every_answer_is_no_store_with_a_strict_csp_and_no_cors(client: Any, case_id: str) -> None:
    answers = [client.get("/"), client.get(f"/cases/{case_id}"), client.get("/assets/workspace.js"),
               client.get("/assets/font/regular.ttf"), client.get(f"/api/cases/{case_id}", headers={"Origin": ORIGIN}),
               client.get("/api/cases/nope"), client.get("/nowhere"),
               client.options(f"/api/cases/{case_id}", headers={"Origin": "http://evil.example",
                                                                "Access-Control-Request-Method": "DELETE"}),
               client.get(f"/api/cases/{case_id}/timeline.svg")]
    for r in answers:
        assert r.headers["Cache-Control"] == "no-store", r
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe" not in csp
        assert not any(k.lower().startswith("access-control-") for k, _ in r.headers.items())
        assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_hold_no_inline_script(client: Any, case_id: str) -> None:
    for url in ("/", f"/cases/{case_id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " on" + "click=" not in html
        assert '<script src="/assets/workspace.js" defer></script>' in html


# ---------------------------------------------------------------- uploads


def test_a_chronology_upload_gives_the_case_and_its_report(client: Any) -> None:
    r = upload(client, SAMPLES / "chronology.csv")
    assert r.status_code == 201
    body = r.json
    assert body["events"] == 33 and body["problems"] == []
    assert "report" in body  # the import report when the importer gives one (None until it does)
    assert body["columns"]["date"] == ["Date"] and body["columns"]["note"] == ["Details"]
    assert body["child"] == {"name": "Amy", "dob": "14/03/2015", "as_of": "01/06/2019", "ref": ""}
    assert len(body["rows"]) == 32 and body["rows"][0]["row"] == 2
    assert body["became"]["3"].startswith("Referral")


def test_an_xlsx_upload_is_read_in_memory(client: Any) -> None:
    r = upload(client, SAMPLES / "chronology.xlsx")
    assert r.status_code == 201, r.json
    assert r.json["events"] > 20
    assert r.json["sheet"]


def test_a_word_chronology_upload_is_read_in_memory(client: Any) -> None:
    from test_docx import FIRST, SECOND, docx

    r = upload(client, data=docx([FIRST, SECOND]), filename="chronology.docx")
    assert r.status_code == 201, r.json
    assert r.json["events"] == 5


def test_uploads_never_spool_to_disk(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    import werkzeug.formparser

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an upload touched the disk")

    for module in (tempfile, werkzeug.formparser):
        for name in ("SpooledTemporaryFile", "TemporaryFile", "NamedTemporaryFile", "mkstemp"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, refuse)
    big = (SAMPLES / "chronology.csv").read_bytes()
    padding = b"," * (3 * 1024 * 1024) + b"\n"  # an empty row of 3 MB: past Werkzeug's 500 kB spooling size
    r = upload(client, data=big + padding, filename="chronology.csv")
    assert r.status_code == 201, r.json


def test_a_case_file_upload_is_prefilled_from_the_file(client: Any) -> None:
    r = upload(client, SAMPLES / "adoption.yaml", name="", dob="", as_of="")
    assert r.status_code == 201, r.json
    body = r.json
    assert body["from_case_file"] is True
    assert body["child"]["name"] and body["child"]["dob"]
    assert body["rows"][0]["row"] == 1  # row n is the n-th event
    assert body["problems"] == []


def test_a_case_file_goes_through_the_workspace_unchanged(client: Any) -> None:
    from timeline.io.casefile import dump_case
    from timeline.io.read import load_case

    original = load_case(SAMPLES / "adoption.yaml").case
    r = upload(client, SAMPLES / "adoption.yaml", name="", dob="", as_of="")
    assert r.status_code == 201, r.json
    back = client.get(f"/api/cases/{r.json['id']}/case.yaml")
    assert back.status_code == 200
    assert back.get_data(as_text=True) == dump_case(original)


def test_too_large_is_413(client: Any) -> None:
    r = upload(client, data=b"Date,Details\n" + b"x" * (MAX_UPLOAD + 1), filename="big.csv")
    assert r.status_code == 413
    assert "larger than 10 MB" in r.json["error"]


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # a page the browser asks for


def test_the_start_form_posted_by_the_browser_itself_gets_pages(client: Any) -> None:
    """Without the page's script, the start form posts to the API as a browser navigation: the refusal is a page
    that says why (the 413 page the issue asks for), and an upload goes on to the workspace page."""
    big = {"file": (io.BytesIO(b"Date,Details\n" + b"x" * (MAX_UPLOAD + 1)), "big.csv")}
    r = client.post("/api/cases", data=big, headers={"Origin": ORIGIN, "Accept": BROWSER_ACCEPT},
                    content_type="multipart/form-data")
    assert r.status_code == 413 and r.mimetype == "text/html"
    page = r.get_data(as_text=True)
    assert "larger than 10 MB" in page and 'role="alert"' in page
    junk = {"file": (io.BytesIO(b"PK\x03\x04junk"), "chronology.xlsx")}
    r = client.post("/api/cases", data=junk, headers={"Origin": ORIGIN, "Accept": BROWSER_ACCEPT},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and r.mimetype == "text/html" and "Excel workbook" in r.get_data(as_text=True)
    good = {"file": (io.BytesIO((SAMPLES / "chronology.csv").read_bytes()), "chronology.csv"),
            "name": "Amy", "dob": "14/03/2015"}
    r = client.post("/api/cases", data=good, headers={"Origin": ORIGIN, "Accept": BROWSER_ACCEPT},
                    content_type="multipart/form-data")
    assert r.status_code == 303 and r.headers["Location"].startswith("/cases/")
    assert client.get(r.headers["Location"]).status_code == 200
    # the script's and a program's calls still get JSON
    assert upload(client, SAMPLES / "chronology.csv").json["events"] > 20


def test_too_large_is_refused_before_it_is_read(client: Any) -> None:
    r = client.post("/api/cases", data=b"x" * (MAX_UPLOAD + 100 * 1024), headers={"Origin": ORIGIN},
                    content_type="multipart/form-data; boundary=xyz")
    assert r.status_code == 413
    assert "larger than 10 MB" in r.json["error"]


def test_a_case_file_the_table_cannot_hold_is_refused_not_cut(client: Any) -> None:
    """kinship.yaml has child-facing words (`for_child`) and drifting.yaml a complete record of reviews: the
    workspace's table has no column for them, so it says so instead of dropping them on the way back."""
    for sample, words in (("kinship.yaml", "'for_child' words"), ("drifting.yaml", "'records'")):
        r = upload(client, SAMPLES / sample, name="", dob="", as_of="")
        assert r.status_code == 422, r.json
        assert words in json.dumps(r.json) and "timeline command" in json.dumps(r.json)


@pytest.mark.parametrize(("filename", "data", "words"), [
    ("report.docx", b"PK\x03\x04whatever", "not a readable Word document"),
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "not a chronology (.csv, .xlsx, .docx)"),
    ("chronology.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary file"),
    ("chronology.csv", b"", "empty"),
    ("chronology.xlsx", b"PK\x03\x04this is not really a workbook", "not a readable Excel workbook"),
    ("chronology.xlsx", b"Date,Details\n01/01/2016,Moved\n", "not an Excel .xlsx workbook"),
    ("chronology.csv", b"Who,What\nMum,Moved\n", "date"),  # no column of dates ("When it was" is one)
    ("case.yaml", b"child: [unclosed\n", "line"),
    ("case.json", b"\x00\x01", "binary"),
])
def test_unreadable_uploads_are_422_in_plain_words(client: Any, filename: str, data: bytes, words: str) -> None:
    r = upload(client, data=data, filename=filename)
    assert r.status_code == 422
    body = r.json
    assert words in body["error"] or any(words in json.dumps(p) for p in body.get("problems", []))
    assert "Traceback" not in json.dumps(body)


def test_a_corrupt_xlsx_is_422_not_a_crash(client: Any) -> None:
    good = (SAMPLES / "chronology.xlsx").read_bytes()
    broken = good[: len(good) // 2]
    r = upload(client, data=broken, filename="chronology.xlsx")
    assert r.status_code == 422
    assert "Excel workbook" in r.json["error"]


def test_a_case_file_that_does_not_fit_a_table_lists_located_problems(client: Any) -> None:
    text = b"child:\n  name: Amy\n  date_of_birth: 2015-03-14\nevents:\n  - kind: hearing\n    lable: oops\n"
    r = upload(client, data=text, filename="c.yaml", name="", dob="", as_of="")
    assert r.status_code == 422
    assert any(p["line"] == 6 for p in r.json["problems"])  # the unknown key, where it is


def test_a_case_file_with_bad_values_opens_with_them_marked(client: Any) -> None:
    text = (b"child:\n  name: Amy\n  date_of_birth: 2015-03-14\nas_of: 2019-06-01\nevents:\n"
            b"  - kind: placement\n    type: foster\n    start: 2016-01-20\n    end: 2016-13-02\n"
            b"  - kind: hearing\n    type: childrens_hearing\n    date: 2016-01-28\n")
    r = upload(client, data=text, filename="c.yaml", name="", dob="", as_of="")
    assert r.status_code == 201, r.json
    assert r.json["events"] == 2  # the placement is kept, its end open, until the end is fixed
    [problem] = r.json["problems"]
    assert problem["row"] == 1 and problem["field"] == "end"
    assert r.json["rows"][0]["cells"]["end"] == "2016-13-02"  # kept as written


def test_no_file_is_422_and_empty_table_is_201(client: Any) -> None:
    assert upload(client).status_code == 422
    r = upload(client, empty="1")
    assert r.status_code == 201
    assert r.json["events"] == 0 and r.json["rows"] == [] and r.json["drawable"] is True


def test_a_missing_name_is_a_problem_on_the_name(client: Any) -> None:
    r = upload(client, SAMPLES / "chronology.csv", name="")
    assert r.status_code == 201
    assert r.json["drawable"] is False
    assert r.json["problems"][0]["field"] == "name"


# ---------------------------------------------------------------- editing rows


def patch(client: Any, cid: str, row: int, **fields: str) -> Any:
    return send(client, "PATCH", f"/api/cases/{cid}/events/{row}", fields)


def test_a_bad_value_is_kept_marked_and_left_out_then_fixed(client: Any, case_id: str) -> None:
    r = patch(client, case_id, 3, date="31/02/2015")
    assert r.status_code == 200
    assert r.json["events"] == 32  # row 3 is kept undated: on no chart, in the table
    [problem] = r.json["problems"]
    assert problem["row"] == 3 and problem["field"] == "date"
    assert "day 31 does not exist" in problem["message"]
    state = client.get(f"/api/cases/{case_id}").json
    row3 = next(r for r in state["rows"] if r["row"] == 3)
    assert row3["cells"]["date"] == "31/02/2015"  # kept as typed
    assert "3" not in state["row_events"]
    r = patch(client, case_id, 3, date="02/12/2014")
    assert r.json["problems"] == [] and r.json["events"] == 33
    assert "2 Dec 2014" in r.json["became"]["3"]  # in words, as the page shows it


def test_problems_name_the_field_for_each_column(client: Any, case_id: str) -> None:
    r = patch(client, case_id, 4, type="Foster carr")
    assert r.json["problems"][0]["field"] == "type"
    assert "did you mean" in r.json["problems"][0]["message"]
    r = patch(client, case_id, 4, type="CPPM", status="maybe")
    assert [p["field"] for p in r.json["problems"]] == ["status"]
    r = patch(client, case_id, 4, status="", end="not a date")
    assert [p["field"] for p in r.json["problems"]] == ["end"]


def test_kind_and_type_in_words_add_a_column(client: Any, case_id: str) -> None:
    r = patch(client, case_id, 2, kind="Life event")
    assert r.status_code == 200, r.json
    state = client.get(f"/api/cases/{case_id}").json
    assert "Kind" in state["headers"] and state["columns"]["kind"] == ["Kind"]
    csv_text = client.get(f"/api/cases/{case_id}/chronology.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].endswith(",Kind")


def test_unknown_field_row_or_bad_body_is_refused(client: Any, case_id: str) -> None:
    r = patch(client, case_id, 3, colour="red")
    assert r.status_code == 422 and "not a field" in r.json["error"]
    assert patch(client, case_id, 999, date="01/01/2016").status_code == 404
    r = send(client, "PATCH", f"/api/cases/{case_id}/events/3", [1, 2])
    assert r.status_code == 422
    r = send(client, "PATCH", f"/api/cases/{case_id}/events/3", {"date": 5})
    assert r.status_code == 422 and "must be text" in r.json["error"]
    r = send(client, "PATCH", f"/api/cases/{case_id}/events/3", {})
    assert r.status_code == 422


def test_add_duplicate_delete_and_undo(client: Any, case_id: str) -> None:
    r = send(client, "POST", f"/api/cases/{case_id}/events", {"date": "01/05/2019", "type": "School",
                                                                "label": "Started primary school"})
    assert r.status_code == 201
    new = r.json["row"]
    assert new == 34 and r.json["events"] == 34  # 32 rows gave 33 events
    r = send(client, "POST", f"/api/cases/{case_id}/events", {"copy_of": 3})
    assert r.status_code == 201 and r.json["events"] == 35
    rows = [x["row"] for x in client.get(f"/api/cases/{case_id}").json["rows"]]
    assert rows[rows.index(3) + 1] == r.json["row"]  # the copy sits under its original
    r = send(client, "DELETE", f"/api/cases/{case_id}/events/{new}")
    assert r.status_code == 200 and r.json["events"] == 34
    assert send(client, "DELETE", f"/api/cases/{case_id}/events/{new}").status_code == 404
    r = send(client, "POST", f"/api/cases/{case_id}/undo")
    assert r.json["events"] == 35 and new in [x["row"] for x in r.json["rows"]]
    r = send(client, "POST", f"/api/cases/{case_id}/events", {"copy_of": "3"})
    assert r.status_code == 422


def test_an_empty_row_says_what_it_needs(client: Any, case_id: str) -> None:
    r = send(client, "POST", f"/api/cases/{case_id}/events", {})
    problems = [p for p in r.json["problems"] if p["row"] == r.json["row"]]
    assert problems and problems[0]["field"] == "date" and "is empty" in problems[0]["message"]


def test_typing_in_one_field_is_one_step_of_undo(client: Any, case_id: str) -> None:
    for text in ("S", "Sc", "Sch", "School"):
        patch(client, case_id, 2, type=text)
    patch(client, case_id, 2, label="Older brother")
    send(client, "POST", f"/api/cases/{case_id}/undo")
    row = next(r for r in client.get(f"/api/cases/{case_id}").json["rows"] if r["row"] == 2)
    assert row["cells"]["type"] == "School" and row["cells"]["label"] == ""
    send(client, "POST", f"/api/cases/{case_id}/undo")
    row = next(r for r in client.get(f"/api/cases/{case_id}").json["rows"] if r["row"] == 2)
    assert row["cells"]["type"] == ""
    assert send(client, "POST", f"/api/cases/{case_id}/undo").status_code == 422  # nothing left to undo


def test_the_child_and_the_options_can_change(client: Any, case_id: str) -> None:
    r = send(client, "PATCH", f"/api/cases/{case_id}", {"dob": "31/02/2015"})
    assert r.status_code == 200
    assert r.json["drawable"] is False and r.json["problems"][0]["field"] == "dob"
    assert client.get(f"/api/cases/{case_id}/timeline.svg").status_code == 422
    r = send(client, "PATCH", f"/api/cases/{case_id}", {"dob": "14/03/2015", "view": "hearing",
                                                        "marking": "OFFICIAL-SENSITIVE"})
    assert r.json["drawable"] is True and r.json["options"]["view"] == "hearing"
    pdf = client.get(f"/api/cases/{case_id}/timeline.pdf")
    assert pdf.headers["Content-Disposition"].endswith('timeline-hearing.pdf"')
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    assert "OFFICIAL-SENSITIVE" in reader.pages[0].extract_text()
    assert send(client, "PATCH", f"/api/cases/{case_id}", {"view": "poster"}).status_code == 422
    assert send(client, "PATCH", f"/api/cases/{case_id}", {"colour": "red"}).status_code == 422


def test_the_column_mapping_can_change(client: Any, case_id: str) -> None:
    r = send(client, "PATCH", f"/api/cases/{case_id}", {"columns": {"source": None}})
    assert r.status_code == 200 and "source" not in r.json["columns"]
    r = send(client, "PATCH", f"/api/cases/{case_id}", {"columns": {"date": None}})
    assert r.status_code == 422 and "date column" in r.json["error"]
    r = send(client, "PATCH", f"/api/cases/{case_id}", {"columns": {"label": "Nope"}})
    assert r.status_code == 422 and "no column" in r.json["error"]
    r = send(client, "PATCH", f"/api/cases/{case_id}", {"columns": {"end": "Date"}})
    assert r.status_code == 422 and "both" in r.json["error"]
    r = send(client, "PATCH", f"/api/cases/{case_id}", {"columns": {"label": "Details", "note": None}})
    assert r.status_code == 200 and r.json["columns"]["label"] == ["Details"]
    assert r.json["events"] == 33


# ---------------------------------------------------------------- what comes out


def test_every_download(client: Any, case_id: str) -> None:
    from openpyxl import load_workbook

    expect = {"timeline.svg": "image/svg+xml", "timeline.pdf": "application/pdf", "timeline.png": "image/png",
              "timeline.json": "application/json", "case.yaml": "application/yaml", "chronology.csv": "text/csv",
              "chronology.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "summary.json": "application/json", "summary.txt": "text/plain"}
    for name, mimetype in expect.items():
        r = client.get(f"/api/cases/{case_id}/{name}")
        assert r.status_code == 200, name
        assert r.mimetype == mimetype, name
        assert "attachment" in r.headers["Content-Disposition"], name
    assert client.get(f"/api/cases/{case_id}/timeline.pdf").data.startswith(b"%PDF")
    assert client.get(f"/api/cases/{case_id}/timeline.png").data.startswith(b"\x89PNG")
    assert b"<svg" in client.get(f"/api/cases/{case_id}/timeline.svg").data
    assert "items" in client.get(f"/api/cases/{case_id}/timeline.json").json
    summary = client.get(f"/api/cases/{case_id}/summary.json").json
    assert summary and isinstance(summary, dict)
    book = load_workbook(io.BytesIO(client.get(f"/api/cases/{case_id}/chronology.xlsx").data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Date", "End date", "Type") and len(rows) == 33
    assert client.get(f"/api/cases/{case_id}/timeline.gif").status_code == 404
    assert client.get(f"/api/cases/{case_id}/chronology.ods").status_code == 404


def test_downloads_wait_for_problems_but_the_chronology_keeps_every_row(client: Any, case_id: str) -> None:
    patch(client, case_id, 3, date="=HYPERLINK(\"http://evil.example\")")
    for name in ("timeline.pdf", "timeline.svg", "case.yaml", "summary.json"):
        r = client.get(f"/api/cases/{case_id}/{name}")
        assert r.status_code == 422, name
        assert "Row 3" in r.json["error"] and r.json["problems"][0]["row"] == 3
    assert client.get(f"/api/cases/{case_id}/timeline.svg?partial=1").status_code == 200
    text = client.get(f"/api/cases/{case_id}/chronology.csv").get_data(as_text=True)
    assert len(text.strip().splitlines()) == 33
    assert "'=HYPERLINK" in text  # shown as text by a spreadsheet, never run as a formula
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(f"/api/cases/{case_id}/chronology.xlsx").data))
    cell = book.active.cell(row=3, column=1)
    assert cell.data_type == "s" and str(cell.value).startswith("=HYPERLINK")


def test_templates(client: Any) -> None:
    from openpyxl import load_workbook

    csv_text = client.get("/template.csv").get_data(as_text=True).lstrip("\ufeff")
    assert csv_text.startswith("Date,End date,Kind,Type,Label,Note,Source")
    book = load_workbook(io.BytesIO(client.get("/template.xlsx").data))
    assert next(book.active.iter_rows(values_only=True))[0] == "Date"
    r = upload(client, data=client.get("/template.xlsx").data, filename="template.xlsx")
    assert r.status_code == 201 and r.json["events"] == 0  # the blank template reads back as an empty chronology


# ---------------------------------------------------------------- forgetting


def test_delete_forgets_and_every_call_is_then_404(client: Any, case_id: str) -> None:
    assert send(client, "DELETE", f"/api/cases/{case_id}").status_code == 204
    for method, url in (("GET", f"/api/cases/{case_id}"), ("GET", f"/api/cases/{case_id}/timeline.svg"),
                        ("GET", f"/api/cases/{case_id}/chronology.csv"), ("PATCH", f"/api/cases/{case_id}"),
                        ("PATCH", f"/api/cases/{case_id}/events/3"), ("DELETE", f"/api/cases/{case_id}"),
                        ("POST", f"/api/cases/{case_id}/undo"), ("GET", f"/cases/{case_id}")):
        r = send(client, method, url, {"date": "x"} if method == "PATCH" else None)
        assert r.status_code == 404, (method, url)
        assert "cleared" in r.get_data(as_text=True)


def test_clear_forgets_every_case_of_the_browser(client: Any) -> None:
    ids = [upload(client, SAMPLES / "chronology.csv").json["id"] for _ in range(2)]
    r = send(client, "POST", "/api/clear")
    assert r.json == {"cleared": 2}
    assert all(client.get(f"/api/cases/{i}").status_code == 404 for i in ids)


def test_an_idle_case_expires_after_30_minutes(client: Any, case_id: str, clock: Clock) -> None:
    clock.now += 29 * 60
    assert client.get(f"/api/cases/{case_id}").status_code == 200  # used: the idle time starts again
    clock.now += 30 * 60 + 1
    r = client.get(f"/api/cases/{case_id}")
    assert r.status_code == 404
    assert "30 minutes" in r.json["error"]


def test_unknown_case_is_404(client: Any) -> None:
    r = client.get("/api/cases/no-such-case")
    assert r.status_code == 404 and "no such case" in r.json["error"]


def test_another_browser_cannot_see_the_case(app: Any, case_id: str) -> None:
    other = app.test_client()
    other.get(f"/?token={TOKEN}")
    assert other.get(f"/api/cases/{case_id}").status_code == 404
    assert send(other, "DELETE", f"/api/cases/{case_id}").status_code == 404


def test_the_oldest_idle_case_makes_room_and_its_owner_is_told(clock: Clock) -> None:
    app = create_app(token=TOKEN, store=Store(clock=clock, max_cases=2))
    c = app.test_client()
    c.get(f"/?token={TOKEN}")
    first = upload(c, SAMPLES / "chronology.csv").json["id"]
    clock.now += 1
    upload(c, SAMPLES / "chronology.csv")
    clock.now += 1
    r = upload(c, SAMPLES / "chronology.csv")
    assert r.status_code == 201 and "forgotten to make room" in r.json["notice"]
    gone = c.get(f"/api/cases/{first}")
    assert gone.status_code == 404 and "make room" in gone.json["error"]


# ---------------------------------------------------------------- load and failure


def test_twenty_simultaneous_renders_are_pooled(client: Any, case_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import timeline.pipeline as pipeline

    real = pipeline.render_case
    busy = pdfs = 0
    peak = pdf_peak = 0
    lock = threading.Lock()

    def counted(case: Any, options: Any) -> bytes:
        nonlocal busy, peak, pdfs, pdf_peak
        heavy = options.format in ("pdf", "png")
        with lock:
            busy += 1
            pdfs += heavy
            peak = max(peak, busy)
            pdf_peak = max(pdf_peak, pdfs)
        try:
            time.sleep(0.01)  # hold the slot a moment, so that requests overlap (not a timing assertion)
            return real(case, options)
        finally:
            with lock:
                busy -= 1
                pdfs -= heavy

    def url(i: int) -> str:
        ext = ("svg", "pdf", "png", "json")[i % 4]
        return f"/api/cases/{case_id}/timeline.{ext}?view={('hearing', 'full')[i // 4 % 2]}"

    # What each request must give, rendered one at a time first: a render that two threads disturbed (the PDF
    # renderer's pinned SOURCE_DATE_EPOCH undone by another thread, say) gives other bytes and fails below.
    serial = {}
    for i in range(8):
        r = client.get(url(i), headers={"X-Timeline-Token": TOKEN})
        assert r.status_code == 200
        serial[url(i)] = r.data
    assert len(set(serial.values())) == 8
    monkeypatch.setattr(pipeline, "render_case", counted)
    # On a machine shared with other work 20 renders, the PDFs one at a time, can take longer than the minute a
    # request normally waits (then it is told the server is busy: `test_a_render_waits_then_is_told_busy`).
    client.application.extensions["timeline_workspace"].render_wait = 900.0
    results: list[int] = []
    wrong: list[str] = []

    def fetch(i: int) -> None:
        r = client.application.test_client().get(url(i), headers={"X-Timeline-Token": TOKEN})
        with lock:
            results.append(r.status_code)
            if r.data != serial[url(i)]:
                wrong.append(url(i))

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sorted(results) == [200] * 20
    assert wrong == []  # every answer is byte for byte the serial render's
    assert 1 <= peak <= 2  # never more renders at once than the pool's slots
    assert pdf_peak == 1  # and one PDF at a time (the heaviest work)


def test_an_unexpected_failure_is_a_message_not_a_traceback(client: Any, case_id: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import timeline.pipeline as pipeline

    def broken(case: Any, options: Any) -> bytes:
        raise RuntimeError("secret cell text")

    monkeypatch.setattr(pipeline, "render_case", broken)
    r = client.get(f"/api/cases/{case_id}/timeline.pdf")
    assert r.status_code == 500
    assert "Something went wrong" in r.json["error"]
    assert "secret cell text" not in r.get_data(as_text=True) and "Traceback" not in r.get_data(as_text=True)
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200  # the case is as it was


def test_404_and_405_pages_are_plain(client: Any) -> None:
    r = client.get("/nowhere")
    assert r.status_code == 404 and b"There is no such page" in r.data
    r = client.put("/api/cases", headers={"Origin": ORIGIN})
    assert r.status_code == 405 and "cannot be done" in r.json["error"]


# ---------------------------------------------------------------- the command


def test_serve_refuses_a_remote_address_without_allow_remote() -> None:
    from timeline.cli.commands import main

    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output


def test_serve_prints_the_address_with_its_token(monkeypatch: pytest.MonkeyPatch) -> None:
    import timeline.serve as serve
    from timeline.cli.commands import main

    class FakeServer:
        server_port = 8123

        def serve_forever(self) -> None:
            raise KeyboardInterrupt

        def server_close(self) -> None:
            pass

    seen: dict[str, Any] = {}

    def fake_make(host: str, port: int, *, token: str) -> FakeServer:
        seen.update(host=host, port=port, token=token)
        return FakeServer()

    monkeypatch.setattr(serve, "make_server", fake_make)
    result = CliRunner().invoke(main, ["serve", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert f"Open http://127.0.0.1:8123/?token={seen['token']}" in result.output
    assert seen["host"] == "127.0.0.1" and len(seen["token"]) >= 30
    result = CliRunner().invoke(main, ["serve", "--host", "10.0.0.5", "--allow-remote"])
    assert "warning" in result.output and seen["host"] == "10.0.0.5"


def test_the_log_never_shows_the_query(capsys: pytest.CaptureFixture[str]) -> None:
    import logging
    import urllib.request

    from timeline.serve import make_server

    srv = make_server("127.0.0.1", 0, token=TOKEN)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    log = logging.getLogger("werkzeug")
    log.addHandler(handler)
    old = log.level
    log.setLevel(logging.INFO)
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(f"http://127.0.0.1:{srv.server_port}/?token={TOKEN}") as resp:
            assert resp.status == 200
    finally:
        log.removeHandler(handler)
        log.setLevel(old)
        srv.shutdown()
        srv.server_close()
    assert records and all(TOKEN not in r for r in records)
    assert any('"GET /"' in r for r in records)




def test_a_wildcard_address_allows_this_machines_names_only() -> None:
    import socket

    from timeline.serve import allowed_hosts

    names = allowed_hosts("0.0.0.0")
    assert "127.0.0.1" in names and socket.gethostname().lower() in names
    assert "evil.example" not in names
    assert allowed_hosts("10.0.0.5") == ("127.0.0.1", "localhost", "::1", "10.0.0.5")


def test_the_import_report_says_what_each_row_became(client: Any) -> None:
    """The page shows the importer's own report: the columns it read, every row, and which events each row
    became (row 13 of the sample states a hearing and the ICSO it made: two events)."""
    r = upload(client, SAMPLES / "chronology.csv")
    assert r.status_code == 201, r.json
    report = r.json["report"]
    assert report["columns"]["note"] == ["Details"] and report["columns"]["date"] == "Date"
    assert len(report["rows"]) == 32
    row13 = next(x for x in report["rows"] if x["row"] == 13)
    assert [(b["kind"], b["type"]) for b in row13["became"]] == [("hearing", "childrens_hearing"), ("order", "icso")]
    assert len(r.json["row_events"]["13"]) == 2


def test_a_case_files_note_stays_a_note(client: Any) -> None:
    text = (b"child:\n  name: Amy\n  date_of_birth: 2015-03-14\nas_of: 2019-06-01\nevents:\n"
            b"  - kind: event\n    type: health\n    date: 2016-01-20\n    note: For the table only\n")
    r = upload(client, data=text, filename="c.yaml", name="", dob="", as_of="")
    back = client.get(f"/api/cases/{r.json['id']}/case.yaml").get_data(as_text=True)
    assert 'note: "For the table only"' in back and "label:" not in back


def test_what_the_page_shows_is_in_the_vocabularys_words_not_its_codes(client: Any) -> None:
    r = upload(client, SAMPLES / "interim-orders.yaml")
    assert r.status_code == 201, r.json
    cid, rows = r.json["id"], r.json["rows"]
    assert r.json["vocabulary"]["order"]["codes"]["cso"] == "Compulsory Supervision Order"  # for the type cell
    order = next(x for x in rows if x["cells"]["kind"] == "order" and x["cells"]["type"] == "cso")
    drawn = r.json["became"][str(order["row"])]
    assert drawn.startswith("Compulsory Supervision Order (legal order), ") and "cso" not in drawn
    assert any(ch.isalpha() for ch in drawn.split(", ")[1][:6])  # "12 Oct 2016", not "2016-10-12"
    # a message about a kind and a type says their words
    e = send(client, "PATCH", f"/api/cases/{cid}/events/{order['row']}", {"kind": "placement"})
    assert e.status_code == 200
    message = next(p["message"] for p in e.json["problems"] if p["row"] == order["row"])
    assert "is a legal order type, not a placement type" in message, message
    assert "a order" not in message
    shown = next(x for x in e.json["report"]["problems"] if x["row"] == order["row"])["message"]
    assert "legal order type" in shown
    gone = client.get(f"/api/cases/{cid}/timeline.pdf")
    assert gone.status_code == 422 and "legal order type" in json.dumps(gone.json["problems"])


def test_the_preview_is_the_chart_as_the_view_draws_it(client: Any, case_id: str) -> None:
    """Preview = download: the page's chart is the view's own (fitted to page 1; one canvas with the key for a
    hearing; anonymised for training), and the key pages that follow it in the PDF are drawn under it."""
    from timeline.io.read import load_text
    from timeline.pipeline import RenderOptions, render_case

    drawn = load_text(client.get(f"/api/cases/{case_id}/case.yaml").get_data(as_text=True)).case
    for view in ("full", "hearing", "training"):
        download = client.get(f"/api/cases/{case_id}/timeline.svg?view={view}")
        assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
        assert download.data == render_case(drawn, RenderOptions(view=view, as_drawn=True))  # type: ignore[arg-type]
        preview = client.get(f"/api/cases/{case_id}/timeline.svg?view={view}&partial=1&pages=1").data
        chart = download.data.decode().split("\n", 1)[1].strip()
        assert chart in preview.decode() or chart.replace("<svg ", '<svg x="0" y="0" ', 1) in preview.decode()
        if view == "training":
            assert b"Amy" not in preview and b"Amy" not in download.data
        if view == "hearing":
            assert preview == download.data  # one canvas: chart, legend and key
    full = client.get(f"/api/cases/{case_id}/timeline.svg?view=full&partial=1&pages=1").data.decode()
    assert full.count("<svg ") >= 2 and "their words are in the key after the chart" in full
    assert "key-1-title" in full  # the key page that follows page 1, with its own ids


def test_a_row_s_route_is_a_column_of_the_table(client: Any, case_id: str) -> None:
    """The route to permanence is edited in the table like any field: the page is given the routes in words,
    a route typed as words the importer reads is drawn, and one on a row that is no recommendation is marked."""
    case = client.get(f"/api/cases/{case_id}").json
    assert case["routes"]["permanence_order"] == "Permanence Order" and set(case["routes"]) >= {"home", "adoption"}
    assert "route" in case["fields"]
    row = next(r["row"] for r in case["rows"] if r["cells"]["type"] == "Permanence recommended")
    r = send(client, "PATCH", f"/api/cases/{case_id}/events/{row}", {"route": "permanence order"})
    assert r.status_code == 200 and r.json["problems"] == []
    assert r.json["became"][str(row)].endswith(", route: Permanence Order")  # "Drawn as", in words
    assert "route: permanence_order" in client.get(f"/api/cases/{case_id}/case.yaml").get_data(as_text=True)
    again = client.get(f"/api/cases/{case_id}").json
    assert next(x for x in again["rows"] if x["row"] == row)["cells"]["route"] == "permanence order"  # as typed
    other = next(r["row"] for r in case["rows"] if r["cells"]["type"] == "Referral")
    r = send(client, "PATCH", f"/api/cases/{case_id}/events/{other}", {"route": "adoption"})
    assert r.json["problems"] == []  # the row is still drawn; its route is not, and the page says so there
    said = [w for w in r.json["warnings"] if w["row"] == other]
    assert [w["field"] for w in said] == ["route"] and "not drawn" in said[0]["message"]


def test_a_render_waits_then_is_told_busy(client: Any, case_id: str) -> None:
    """Every render slot taken for longer than a request waits: a 503 in plain words, not a hang or a crash."""
    ws = client.application.extensions["timeline_workspace"]
    ws.render_wait = 0.05
    taken = 0
    while ws.slots.acquire(blocking=False):
        taken += 1
    try:
        r = client.get(f"/api/cases/{case_id}/timeline.svg")
        assert r.status_code == 503 and "busy" in r.json["error"]
    finally:
        for _ in range(taken):
            ws.slots.release()
    assert client.get(f"/api/cases/{case_id}/timeline.svg").status_code == 200


def test_a_hearing_preview_waits_for_the_pdf_slot_only_to_measure_its_page(client: Any, case_id: str) -> None:
    """The hearing page is measured with WeasyPrint (one at a time, in the PDF slot) once; after an edit the
    preview uses the room remembered and does not wait behind a PDF download, which still waits its turn."""
    ws = client.application.extensions["timeline_workspace"]
    ws.render_wait = 0.2
    url = f"/api/cases/{case_id}/timeline.svg?partial=1&pages=1&view=hearing"
    ws.pdf_slot.acquire()
    try:
        assert client.get(url).status_code == 503  # not measured yet: it must wait for WeasyPrint's turn
    finally:
        ws.pdf_slot.release()
    before = client.get(url)
    assert before.status_code == 200
    assert send(client, "PATCH", f"/api/cases/{case_id}/events/6", {"end": "10/01/2016"}).status_code == 200
    ws.pdf_slot.acquire()
    try:
        r = client.get(url + "&v=after-edit")
        assert r.status_code == 200 and r.data != before.data  # drawn anew, with the edit
        assert client.get(f"/api/cases/{case_id}/timeline.pdf?view=hearing").status_code == 503
    finally:
        ws.pdf_slot.release()
    assert ws.rooms.measured == 1


def test_serve_open_opens_the_printed_address_in_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    import timeline.serve as serve
    from timeline.cli.commands import main

    class FakeServer:
        server_port = 8124

        def serve_forever(self) -> None:
            raise KeyboardInterrupt  # Ctrl-C

        def server_close(self) -> None:
            pass

    opened: list[str] = []
    monkeypatch.setattr(serve, "make_server", lambda host, port, *, token: FakeServer())
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url))
    result = CliRunner().invoke(main, ["serve", "--open"])
    assert result.exit_code == 0, result.output
    assert len(opened) == 1 and f"Open {opened[0]}" in result.output and "?token=" in opened[0]
    assert "stopped; nothing was kept" in result.output
    assert CliRunner().invoke(main, ["serve"]).exit_code == 0 and len(opened) == 1  # only when asked
