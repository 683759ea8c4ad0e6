"""Serve stage (HTTP): the Flask app of `timeline serve` -- pages, the JSON API, and who may use them.

Wiring only: uploads are read by `io`/`chronology`, cases by `io.load_text`, charts and reports by
`pipeline.render_case`, summaries by `facts`; this module decides who gets in and turns every outcome
into a JSON answer or a page. The rules (docs/serve.md): a per-launch token (then an HttpOnly,
SameSite=Strict cookie naming a random session), the Origin checked on every change, a Host allow-list,
a strict Content Security Policy, no CORS, `Cache-Control: no-store` on every answer, uploads read in
memory only, renders pooled, and never a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any, cast

from flask import Flask, Request, Response, abort, current_app, g, redirect, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..io.tables import TABLE_SUFFIXES
from ..problems import CaseError
from . import state
from .state import Draft, EditError, Gone, Store, WorkCase

MAX_UPLOAD = 10 * 1024 * 1024  # bytes of one upload (the importer's own limits apply after)
COOKIE = "timeline_session"
TOKEN_HEADER = "X-Timeline-Token"
RENDER_SLOTS = 2  # renders at once; the rest wait their turn (the machine's cores, and memory, are finite)
RENDER_WAIT = 60.0  # seconds a request waits for a render slot before it is told the server is busy
CASE_SUFFIXES = (".yaml", ".yml", ".json")
FORMATS = {"svg": ("svg", "image/svg+xml"), "pdf": ("pdf", "application/pdf"), "png": ("png", "image/png"),
           "json": ("scene-json", "application/json")}
VIEWS = ("full", "hearing", "training")
PAGES = ("A4", "A3")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' blob:; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
FONTS = {"regular.ttf": "AtkinsonHyperlegible-Regular.ttf", "bold.ttf": "AtkinsonHyperlegible-Bold.ttf"}


class InMemoryRequest(Request):
    """A request whose uploaded files stay in memory (Werkzeug would spool a large one to a temporary file)."""

    max_content_length = MAX_UPLOAD + 64 * 1024  # the file plus the few form fields beside it
    max_form_parts = 50

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None, content_length: int | None = None) -> Any:
        return io.BytesIO()


class ApiError(Exception):
    """A refusal with its HTTP status and a plain-words message (and, for bad input, the located problems)."""

    def __init__(self, status: int, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems


@dataclass
class Workspace:
    """What every route of one app shares: the cases held, the per-launch token, the Host allow-list, the
    render pool and the hearing rooms remembered. One per `create_app`, so two apps (tests) share nothing."""

    token: str
    store: Store
    hosts: frozenset[str]
    slots: threading.BoundedSemaphore
    pdf_slot: threading.Lock = field(default_factory=threading.Lock)
    rooms: HearingRooms = field(default_factory=lambda: HearingRooms())
    render_wait: float = RENDER_WAIT  # seconds a request waits for a slot before it is told the server is busy

    @contextmanager
    def pdf_turn(self, start: float | None = None) -> Iterator[None]:
        """The one PDF slot (WeasyPrint's work, one at a time), waited for until `render_wait` from `start`."""
        begun = time.monotonic() if start is None else start
        if not self.pdf_slot.acquire(timeout=max(0.0, self.render_wait - (time.monotonic() - begun))):
            raise ApiError(503, BUSY)
        try:
            yield
        finally:
            self.pdf_slot.release()

    def pooled(self, work: Callable[[], bytes], *, pdf: bool = False) -> bytes:
        """Run a render in one of the pool's slots; a PDF (or the PNG made from one) also waits for the one
        PDF slot, which bounds the heaviest work to one at a time. (It was first needed because the PDF
        renderer pinned SOURCE_DATE_EPOCH in the process environment; it no longer changes any process-wide
        state, and renders from several threads give the same bytes as one at a time: tested.)"""
        start = time.monotonic()
        if not self.slots.acquire(timeout=self.render_wait):
            raise ApiError(503, BUSY)
        try:
            if not pdf:
                return work()
            with self.pdf_turn(start):
                return work()
        finally:
            self.slots.release()


BUSY = "The workspace is busy drawing other timelines; try again in a moment"


def create_app(*, token: str, store: Store | None = None, allowed_hosts: tuple[str, ...] = ("127.0.0.1",
               "localhost", "::1"), render_slots: int = RENDER_SLOTS,
               today: Callable[[], date] = date.today) -> Flask:
    """The workspace app. `token` is the per-launch secret; `allowed_hosts` the names the Host header may give.

    The routes come in groups, each added by one function below, so that what a group may do is read in one
    place: who gets in (`_who_gets_in`, before every request), the headers every answer carries, how every
    failure becomes a message (`_refusals`), the pages, and the API's cases, rows, chart and files."""
    app = Flask(__name__, static_folder="static", static_url_path="/assets", template_folder="templates")
    app.request_class = InMemoryRequest
    app.config.update(MAX_CONTENT_LENGTH=InMemoryRequest.max_content_length, JSON_SORT_KEYS=False,
                      SEND_FILE_MAX_AGE_DEFAULT=0, TEMPLATES_AUTO_RELOAD=False)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.jinja_env.autoescape = True
    ws = Workspace(token=token, store=store if store is not None else Store(today=today),
                   hosts=frozenset(h.lower().strip("[]") for h in allowed_hosts),
                   slots=threading.BoundedSemaphore(render_slots))
    app.extensions["timeline_rooms"] = ws.rooms  # the hearing page's measured room, for the server's life
    app.extensions["timeline_store"] = ws.store
    app.extensions["timeline_workspace"] = ws
    _who_gets_in(app, ws)
    _answer_headers(app)
    _refusals(app)
    _pages(app, ws)
    _case_api(app, ws)
    _row_api(app, ws)
    _chart_api(app, ws)
    _file_api(app, ws)
    return app


# ---------------------------------------------------------------- answers and refusals (in a request)


def answer(body: Any) -> Response:
    """A JSON answer, keys in the order given."""
    return cast(Response, current_app.json.response(body))


def navigating() -> bool:
    """A page the browser itself asked for (a form posted without the script, a download link followed), not
    the script's or a program's call: it prefers HTML, so a refusal is a page that says why."""
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def wants_json() -> bool:
    """The script's or a program's call to the API (not a page): it is answered in JSON."""
    return request.path.startswith("/api/") and not navigating()


def fail(status: int, message: str, problems: list[dict[str, Any]] | None = None) -> Response:
    """A refusal in plain words: `{"error": ...}` for the API, a page (the message in `role=alert`) otherwise."""
    if wants_json():
        body: dict[str, Any] = {"error": message}
        if problems is not None:
            body["problems"] = problems
        resp = answer(body)
        resp.status_code = status
        return resp
    html = render_template("error.html", status=status, message=message, problems=problems or [])
    return Response(html, status=status, mimetype="text/html")


# ---------------------------------------------------------------- who gets in


def _who_gets_in(app: Flask, ws: Workspace) -> None:
    """Before every request: the Host allow-list (DNS rebinding), then the token (header, or once in the
    printed address, which is swapped for the session cookie), then the Origin of every change."""

    @app.before_request
    def guard() -> Response | None:
        host = (request.host or "").lower()
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:].split("]", 1)[0]
        if name not in ws.hosts:
            return fail(400, "This address is not one the workspace answers to (the Host header is not allowed); "
                             "open the address `timeline serve` printed")
        if request.path.startswith("/assets/") or request.path == "/favicon.ico":
            return None
        given = request.headers.get(TOKEN_HEADER)
        if given is not None:
            if not hmac.compare_digest(given.encode(), ws.token.encode()):
                return fail(401, "The token is wrong; use the one `timeline serve` printed when it started")
            g.owner = "*"
            return check_origin(header_token=True)
        query = request.args.get("token")
        if query is not None and request.method == "GET" and not request.path.startswith("/api/"):
            if not hmac.compare_digest(query.encode(), ws.token.encode()):
                return fail(401, "The token in the address is wrong; open the address `timeline serve` printed")
            sid = request.cookies.get(COOKIE)
            if not ws.store.known_owner(sid):
                sid = ws.store.new_owner()
            resp = redirect(request.path, code=303)  # the token leaves the address bar and the history
            resp.set_cookie(COOKIE, sid or "", httponly=True, samesite="Strict", secure=False, path="/")
            return resp  # type: ignore[return-value]
        sid = request.cookies.get(COOKIE)
        if not ws.store.known_owner(sid):
            return fail(401, "This workspace needs its key: open the address `timeline serve` printed "
                             "(http://127.0.0.1:PORT/?token=...). The key is new each time it starts")
        g.owner = sid
        return check_origin(header_token=False)


def check_origin(*, header_token: bool) -> Response | None:
    """A change (not GET/HEAD) must come from this server's own pages: its Origin is this server's."""
    if request.method in ("GET", "HEAD"):
        return None
    origin = request.headers.get("Origin")
    expected = f"{request.scheme}://{request.host}"
    if origin is None:
        if header_token:
            return None  # a script with the token; a browser cannot add that header across sites
        return fail(403, "The request did not say which page sent it (no Origin header); changes are "
                         "accepted only from the workspace's own pages")
    if origin != expected:
        return fail(403, "Changes are accepted only from the workspace's own pages; this request came from "
                         "another site (its Origin is not this server)")
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return fail(403, "Changes are accepted only from the workspace's own pages")
    return None


def _answer_headers(app: Flask) -> None:
    """Every answer: not stored, a strict Content Security Policy, not framed, and no CORS header at all."""

    @app.after_request
    def headers(resp: Response) -> Response:
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["Pragma"] = "no-cache"
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        resp.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        for name in [k for k, _ in resp.headers.items() if k.lower().startswith("access-control-")]:
            del resp.headers[name]
        return resp


def _refusals(app: Flask) -> None:
    """Every failure is a message in plain words (JSON or a page), never a traceback or a blank page."""

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return fail(exc.status, exc.message, exc.problems)

    @app.errorhandler(Gone)
    def gone(exc: Gone) -> Response:
        return fail(404, exc.reason)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge) -> Response:
        return fail(413, f"The file is larger than {MAX_UPLOAD // (1024 * 1024)} MB, the most the workspace "
                         "takes; a chronology is normally far smaller (save it without pictures, or as CSV)")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        messages = {404: "There is no such page here", 405: "That cannot be done to this address",
                    400: "The request could not be understood"}
        return fail(exc.code or 500, messages.get(exc.code or 500, exc.description or "Refused"))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        app.logger.error("unexpected failure: %s", exc.__class__.__name__)  # no case data in the log
        return fail(500, f"Something went wrong inside the workspace ({exc.__class__.__name__}); your case is "
                         "as it was before this step. Try again, or download the chronology to keep your work")


# ---------------------------------------------------------------- pages


def _pages(app: Flask, ws: Workspace) -> None:
    """The start page, the workspace page of one case, the bundled font and the blank templates."""

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)

    @app.get("/assets/font/<name>")
    def font(name: str) -> Response:
        if name not in FONTS:
            abort(404)
        data = resources.files("timeline").joinpath("fonts").joinpath(FONTS[name]).read_bytes()
        return Response(data, mimetype="font/ttf")

    @app.get("/")
    def start() -> str:
        return render_template("start.html", cases=ws.store.cases_of(g.owner),
                               cleared=request.args.get("cleared"), max_mb=MAX_UPLOAD // (1024 * 1024))

    @app.get("/cases/<cid>")
    def workspace(cid: str) -> str:
        case = ws.store.get(cid, g.owner)
        return render_template("workspace.html", case_id=case.id)

    @app.get("/template.csv")
    def template_csv() -> Response:
        from .tables import template_csv as make

        return download(make(), "text/csv", "chronology-template.csv")

    @app.get("/template.xlsx")
    def template_xlsx() -> Response:
        from .tables import template_xlsx as make

        return download(make(), XLSX, "chronology-template.xlsx")


# ---------------------------------------------------------------- the API: cases, rows, chart, files


def _case_api(app: Flask, ws: Workspace) -> None:
    """Upload a case, read it, change its child, columns and options, undo, forget it (or all of a browser's)."""

    @app.post("/api/cases")
    def create_case() -> tuple[Response, int]:
        draft = read_upload()
        case, evicted = ws.store.add(g.owner, draft)
        body = case_json(case)
        if evicted:
            body["notice"] = ("The server was full, so the case unused the longest (perhaps in another tab) was "
                              "forgotten to make room for this one")
        if navigating():  # the start page's form posted by the browser itself: on to the workspace page
            return cast(Response, redirect(f"/cases/{case.id}{'#made-room' if evicted else ''}", code=303)), 303
        return answer(body), 201

    @app.get("/api/cases")
    def list_cases() -> Response:
        return answer({"cases": [{"id": c.id, "events": events_of(c)} for c in ws.store.cases_of(g.owner)]})

    @app.get("/api/cases/<cid>")
    def get_case(cid: str) -> Response:
        return answer(case_json(ws.store.get(cid, g.owner)))

    @app.patch("/api/cases/<cid>")
    def patch_case(cid: str) -> Response:
        case = ws.store.get(cid, g.owner)
        with case.lock:
            change_case(case, json_body())
            return answer(case_json(case))

    @app.delete("/api/cases/<cid>")
    def delete_case(cid: str) -> Response:
        ws.store.delete(cid, g.owner)
        return Response(status=204)

    @app.post("/api/clear")
    def clear() -> Response:
        n = ws.store.clear_owner(g.owner) if g.owner != "*" else 0
        return answer({"cleared": n})

    @app.post("/api/cases/<cid>/undo")
    def undo(cid: str) -> Response:
        case = ws.store.get(cid, g.owner)
        with case.lock:
            if not case.undo_last():
                raise ApiError(422, "There is nothing to undo")
            return answer(case_json(case))


def change_case(case: WorkCase, body: dict[str, Any]) -> None:
    """`PATCH /api/cases/ID`: the render options, the column mapping and the child's details, all or nothing
    (a 422 changes none of the draft); the caller holds the case's lock."""
    options = {k: body.pop(k) for k in ("view", "page", "marking") if k in body}
    for key, value in options.items():
        case.options[key] = check_option(key, value)
    new = case.draft
    try:
        if "columns" in body:
            columns = body.pop("columns")
            if not isinstance(columns, dict):
                raise EditError("columns must be an object: field -> header text")
            new = state.set_mapping(new, columns)
        child = {k: body.pop(k) for k in state.CHILD_FIELDS if k in body}
        if child:
            new = state.set_child(new, child)
        if body:
            raise EditError(f"'{next(iter(body))[:40]}' cannot be changed here; the case takes "
                            "name, dob, as_of, ref, columns, view, page and marking")
    except EditError as exc:
        raise ApiError(422, str(exc)) from None
    if new is not case.draft:
        case.change(new)
    elif options:
        case.version += 1


def _row_api(app: Flask, ws: Workspace) -> None:
    """Add (or duplicate), change and delete one row; each answers with the updated problems (`edit_json`)."""

    @app.post("/api/cases/<cid>/events")
    def add_event(cid: str) -> tuple[Response, int]:
        case = ws.store.get(cid, g.owner)
        body = json_body()
        copy_of = body.pop("copy_of", None)
        if copy_of is not None and (not isinstance(copy_of, int) or isinstance(copy_of, bool)):
            raise ApiError(422, "copy_of must be the number of the row to copy")
        with case.lock:
            try:
                new, number = state.add_row(case.draft, body, copy_of=copy_of)
            except EditError as exc:
                raise ApiError(422, str(exc)) from None
            case.change(new)
            out = edit_json(case)
            out["row"] = number
            return answer(out), 201

    @app.patch("/api/cases/<cid>/events/<int:number>")
    def patch_event(cid: str, number: int) -> Response:
        case = ws.store.get(cid, g.owner)
        body = json_body()
        if not body:
            raise ApiError(422, "Nothing to change: send the fields to change, e.g. {\"date\": \"20/01/2016\"}")
        with case.lock:
            try:
                new = state.set_cells(case.draft, number, body)
            except EditError as exc:
                raise ApiError(422, str(exc)) from None
            key = ("cell", number, ",".join(sorted(body))) if len(body) == 1 else None
            case.change(new, key=key)
            return answer(edit_json(case))

    @app.delete("/api/cases/<cid>/events/<int:number>")
    def delete_event(cid: str, number: int) -> Response:
        case = ws.store.get(cid, g.owner)
        with case.lock:
            case.change(state.delete_row(case.draft, number))
            return answer(edit_json(case))


def _chart_api(app: Flask, ws: Workspace) -> None:
    """The chart and report as SVG, PDF, PNG or scene JSON; the page's preview (`pages=1`) is remembered per
    version and options, so asking again for an unchanged case draws nothing."""

    @app.get("/api/cases/<cid>/timeline.<ext>")
    def timeline(cid: str, ext: str) -> Response:
        if ext not in FORMATS:
            abort(404)
        case = ws.store.get(cid, g.owner)
        fmt, mimetype = FORMATS[ext]
        view = check_option("view", request.args.get("view", case.options["view"]))
        page = check_option("page", request.args.get("page", case.options["page"]))
        marking = check_option("marking", request.args.get("marking", case.options["marking"]))
        pages = fmt == "svg" and request.args.get("pages") == "1"  # the page's preview: with the key's pages
        name = None if fmt == "svg" and request.args.get("partial") else f"timeline-{view}.{ext}"
        with case.lock:
            drawn = drawable(case)
            key = (case.version, fmt, view, page, marking, pages)
            if fmt == "svg" and case.preview is not None and case.preview[0] == key:
                return download(case.preview[1], mimetype, name)
        from ..pipeline import RenderOptions, render_case

        # The chart (SVG, scene JSON) is the one the view draws on its page (`as_drawn`): the preview is what the
        # PDF will show -- fitted to page 1, anonymised for training, one canvas with legend and key for a hearing.
        options = RenderOptions(format=fmt, view=view, page=page, marking=marking or None,  # type: ignore[arg-type]
                                as_drawn=fmt in ("svg", "scene-json"))
        # A hearing page is measured by the PDF renderer even for its chart, so it waits for the PDF slot too; the
        # page's preview only when its room is not remembered yet (after an edit it seldom is not), so that the
        # preview does not wait behind a PDF download.
        work = ((lambda: with_key_pages(drawn, options, ws.rooms, ws.pdf_turn)) if pages
                else (lambda: render_case(drawn, options)))
        data = ws.pooled(work, pdf=fmt in ("pdf", "png") or (view == "hearing" and not pages))
        if fmt == "svg":
            with case.lock:
                case.preview = (key, data)
        return download(data, mimetype, name)


def _file_api(app: Flask, ws: Workspace) -> None:
    """The case file (YAML), the corrected chronology (CSV, XLSX: every row as typed) and the summary."""

    @app.get("/api/cases/<cid>/case.yaml")
    def case_yaml(cid: str) -> Response:
        from ..io.casefile import dump_case

        case = ws.store.get(cid, g.owner)
        with case.lock:
            drawn = drawable(case)
        return download(dump_case(drawn).encode("utf-8"), "application/yaml", "case.yaml")

    @app.get("/api/cases/<cid>/chronology.<ext>")
    def chronology(cid: str, ext: str) -> Response:
        from . import tables

        case = ws.store.get(cid, g.owner)
        with case.lock:
            draft = case.draft
        if ext == "csv":
            return download(tables.draft_csv(draft), "text/csv", "chronology.csv")
        if ext == "xlsx":
            return download(ws.pooled(lambda: tables.draft_xlsx(draft)), XLSX, "chronology.xlsx")
        abort(404)

    @app.get("/api/cases/<cid>/summary.<ext>")
    def summary(cid: str, ext: str) -> Response:
        from ..facts.compute import compute_facts, summary_dict, summary_text

        case = ws.store.get(cid, g.owner)
        with case.lock:
            drawn = drawable(case)
        facts = compute_facts(drawn)
        if ext == "json":
            text = json.dumps(summary_dict(drawn, facts), indent=2, ensure_ascii=False)
            return download(text.encode("utf-8"), "application/json", "summary.json")
        if ext == "txt":
            return download(summary_text(drawn, facts).encode("utf-8"), "text/plain", "summary.txt")
        abort(404)


# ---------------------------------------------------------------- in a request: the case's chart, an upload


def drawable(case: WorkCase) -> Any:
    """The case of the rows that can be read; a 422 naming the rows with problems unless `partial=1` asks
    for the others (the page's preview), and always when nothing at all can be drawn."""
    from .words import problem_in_words

    derived = case.derived
    partial = request.args.get("partial") in ("1", "true", "yes")
    if derived.case is None:
        raise ApiError(422, "Nothing can be drawn yet: " + "; ".join(
            located_text(p, case.draft.jurisdiction) for p in derived.problems[:5]),
            [problem_in_words(p.to_json(), case.draft.jurisdiction) for p in derived.problems])
    if derived.problems and not partial:
        rows = sorted(derived.bad_rows)
        shown = ", ".join(str(r) for r in rows[:8]) + (" ..." if len(rows) > 8 else "")
        raise ApiError(422, f"Row{'s' if len(rows) != 1 else ''} {shown} "
                            f"{'have' if len(rows) != 1 else 'has'} a problem and would be missing; fix or "
                            "delete them first (or ask with partial=1 for the rows that can be read)",
                       [problem_in_words(p.to_json(), case.draft.jurisdiction) for p in derived.problems])
    return derived.case


def read_upload() -> Draft:
    """The request's upload (or an empty table) as a draft, read in memory; a 413 or 422 saying why not."""
    form = request.form
    child = {k: (form.get(k) or "").strip() for k in state.CHILD_FIELDS}
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        if form.get("empty") in ("1", "true", "yes"):
            return state.draft_from_case(None, file="chronology.csv", child=child)
        raise ApiError(422, "Choose a file to upload (a chronology spreadsheet .csv or .xlsx, a Word table .docx, "
                            "or a case file .yaml or .json), or start from an empty table")
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:120] or "upload"
    data = upload.stream.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise RequestEntityTooLarge()
    lower = name.lower()
    try:
        if lower.endswith(CASE_SUFFIXES):
            return case_draft(data, name, child)
        if lower.endswith(TABLE_SUFFIXES):
            return table_draft(data, name, child)
    except CaseError as exc:
        raise ApiError(422, f"{name} could not be read: " + "; ".join(
            problem_text(p) for p in exc.problems[:3]), [problem_json(p) for p in exc.problems]) from None
    raise ApiError(422, f"{name} is not a chronology (.csv, .xlsx, .docx) or a case file (.yaml, .json); "
                        "save it as one of those")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def case_draft(data: bytes, name: str, child: dict[str, str]) -> Draft:
    """A case file (YAML/JSON) -> a draft of its events; the file's child details win over empty fields."""
    from ..io.read import load_text

    if b"\x00" in data:
        raise CaseError([problem(name, "is a binary file, not a YAML or JSON case file")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseError([problem(name, "is not UTF-8 text; save the case file as UTF-8")]) from None
    try:
        loaded = load_text(text, name)
    except CaseError:
        from ..io.read import parse_document

        try:
            data, _source = parse_document(name, text)
        except CaseError:
            raise  # not even YAML/JSON: its located problems are the answer
        draft = state.draft_from_data(data, file=name, child=child)
        if draft is None:
            raise
        return draft  # every value as written; the bad ones are marked on their rows
    case = loaded.case
    kept_out = state.not_in_a_table(case)
    if kept_out:  # the workspace edits a table: refuse rather than drop what a table cannot hold
        raise CaseError([problem(name, "uses " + ", ".join(kept_out) + ", which the workspace cannot edit yet "
                                 "and would drop; work on this case file with the timeline command")])
    details = {"name": case.child.name, "dob": case.child.date_of_birth.isoformat(),
               "as_of": case.as_of.isoformat() if case.as_of else "", "ref": case.child.ref or ""}
    details.update({k: v for k, v in child.items() if v})
    return state.draft_from_case(case, file=name, child=details)


def table_draft(data: bytes, name: str, child: dict[str, str]) -> Draft:
    """A chronology spreadsheet -> a draft with the header row and columns the importer finds in it."""
    from ..io.read import read_table

    table = read_table(name, data=data)
    header_row, mapping = state.table_mapping(table)
    return state.draft_from_table(table, header_row=header_row, mapping=mapping, child=child)


def problem(file: str, message: str) -> Any:
    from ..problems import Problem

    return Problem(file, None, None, "", message)


def problem_text(p: Any) -> str:
    """A problem without the file name (the page says which file)."""
    where = f"line {p.line}: " if p.line else ""
    return f"{where}{p.path + ': ' if p.path else ''}{p.message}"


def problem_json(p: Any) -> dict[str, Any]:
    """A file problem in the API's form."""
    return {"line": p.line, "column": p.col, "field": p.path or None, "message": p.message}


def located_text(p: state.Located, jurisdiction: str = "scotland") -> str:
    """A located problem in plain words (the vocabulary's words, not its codes)."""
    from .words import in_words

    message = in_words(p.message, jurisdiction)
    where = f"row {p.row}" if p.row is not None else (p.field or "")
    return f"{where}{' ' + p.field if p.row is not None and p.field else ''}: {message}" if where else message


def check_option(key: str, value: Any) -> str:
    """A render option as given, or a 422 saying what it may be."""
    if not isinstance(value, str):
        raise ApiError(422, f"{key} must be text")
    if key == "view" and value not in VIEWS:
        raise ApiError(422, f"view must be one of {', '.join(VIEWS)}")
    if key == "page" and value not in PAGES:
        raise ApiError(422, f"page must be one of {', '.join(PAGES)}")
    if key == "marking" and (len(value) > 60 or any(not c.isprintable() for c in value)):
        raise ApiError(422, "the marking must be one short line of text (at most 60 characters)")
    return value.strip() if key == "marking" else value


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 422."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(422, "Send a JSON object (Content-Type: application/json)")
    return dict(body)


def download(data: bytes, mimetype: str, name: str | None) -> Response:
    """Bytes to the browser; as an attachment when named."""
    resp = Response(data, mimetype=mimetype)
    if name:
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


class HearingRooms:
    """The hearing page's room (px) for its chart, legend and key, measured with WeasyPrint once per measuring
    page and then remembered for the server's life, so that a preview after an edit does not lay the page out
    again (about 250 ms). The room is what `pipeline.hearing_room` measures: a function of the page drawn
    without its chart (`report_html(..., measuring=True)`: header, words, marking, page size), which an edit of
    a row's label or date seldom changes. That page's HTML, hashed, is the key, so a room is reused only for
    the very page it was measured on, and a preview stays byte for byte the download. Thread-safe; the
    oldest rooms are forgotten past `size`."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.measured = 0  # how many times WeasyPrint measured a page (tests read it)
        self._rooms: OrderedDict[bytes, float | None] = OrderedDict()
        self._lock = threading.Lock()

    def room(self, prepared: Any, options: Any,
             turn: Callable[[], AbstractContextManager[None]] | None = None) -> float | None:
        """The room of the hearing page of `prepared` (what `prepare` made) drawn with `options`; a page not yet
        measured is measured in `turn` (the app's PDF slot: WeasyPrint's work is done one at a time)."""
        from dataclasses import replace

        from ..pipeline import hearing_room
        from ..render.html import report_html

        page = report_html(prepared.case, options=replace(options, format="pdf"), target="pdf", measuring=True,
                           prepared=prepared)  # as `render.pdf.hearing_room` does (a measuring pass draws nothing)
        key = hashlib.sha256(page.encode("utf-8")).digest()
        with self._lock:
            if key in self._rooms:
                self._rooms.move_to_end(key)
                return self._rooms[key]
        with turn() if turn is not None else nullcontext():
            room = hearing_room(prepared.case, options, prepared=prepared)
        with self._lock:
            self.measured += 1
            self._rooms[key] = room
            while len(self._rooms) > self.size:
                self._rooms.popitem(last=False)
        return room


def preview_scene(case: Any, options: Any, rooms: HearingRooms | None = None,
                  turn: Callable[[], AbstractContextManager[None]] | None = None) -> Any:
    """`pipeline.view_scene`, with the hearing page's room from `rooms` (measured once per page)."""
    from dataclasses import replace

    from ..chart.prepare import prepare
    from ..pipeline import view_scene
    from ..report.content import one_page_chart

    if rooms is None or options.view != "hearing" or not options.as_drawn:
        return view_scene(case, options)
    prepared = prepare(case, options)  # as `view_scene` draws a hearing chart, with the remembered room
    room = rooms.room(prepared, options, turn)
    return one_page_chart(prepared.case, options=replace(options, page="A4"), room=room,
                          facts=prepared.facts).chart


def with_key_pages(case: Any, options: Any, rooms: HearingRooms | None = None,
                   turn: Callable[[], AbstractContextManager[None]] | None = None) -> bytes:
    """The page's preview: the chart as the view draws it and, under it, the legend and key pages that follow
    it in the PDF when they had to move off page 1 (`Scene.appendix`), as one SVG; so that a label drawn as a
    number can be looked up in the preview as in the download. The chart is `render.svg`'s own; a hearing
    page's room comes from `rooms` when given (`HearingRooms`)."""
    from ..facts.standards import load_standards
    from ..model.limits import check_report, check_reviews
    from ..render.svg import XML_DECLARATION, scene_to_svg

    check_report(case, fmt="svg", view=options.view)  # as `pipeline.render_case` checks
    check_reviews(case, load_standards(options.standards, case.jurisdiction).reviews)
    scene = preview_scene(case, options, rooms, turn)
    drawings = [scene_to_svg(scene, standalone=False)]
    drawings += [scene_to_svg(p, standalone=False, ids=f"key-{i}") for i, p in enumerate(scene.appendix, 1)]
    if len(drawings) == 1:
        return (XML_DECLARATION + drawings[0] + "\n").encode("utf-8")
    width = max([scene.width, *(p.width for p in scene.appendix)])
    parts, y = [], 0.0
    for drawing, height in zip(drawings, [scene.height, *(p.height for p in scene.appendix)], strict=True):
        parts.append(drawing.replace("<svg ", f'<svg x="0" y="{y:g}" ', 1))
        y += height
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{y:g}" '
            f'viewBox="0 0 {width:g} {y:g}">')
    return (XML_DECLARATION + head + "".join(parts) + "</svg>\n").encode("utf-8")


def events_of(case: WorkCase) -> int:
    """How many events the case's good rows became."""
    return len(case.derived.case.events) if case.derived.case is not None else 0


def edit_json(case: WorkCase) -> dict[str, Any]:
    """The answer to an edit: the updated problems and warnings, and which row became which event."""
    from .words import problem_in_words, report_in_words

    d = case.derived
    j = case.draft.jurisdiction
    return {"id": case.id, "version": case.version, "events": events_of(case), "drawable": d.case is not None,
            "problems": [problem_in_words(p.to_json(), j) for p in d.problems],
            "warnings": [problem_in_words(w.to_json(), j) for w in d.warnings],
            "row_events": {str(k): [i + 1 for i in v] for k, v in d.row_events.items()},
            "became": became(case), "can_undo": bool(case.undo), "report": report_in_words(d.report, j)}


def became(case: WorkCase) -> dict[str, str]:
    """Row number -> what it is drawn as, in words ('Foster care (placement), 20 Jan 2016 - 2 Jul 2016')."""
    from ..model.vocabulary import load_vocabulary

    d = case.derived
    if d.case is None:
        return {}
    vocab = load_vocabulary(d.case.jurisdiction)
    out: dict[str, str] = {}
    for row, indexes in d.row_events.items():
        parts = []
        for i in indexes:
            if i >= len(d.case.events):
                continue
            e = d.case.events[i]
            try:
                what = vocab.term(e.kind, e.type).label
            except KeyError:  # pragma: no cover
                what = e.type
            when = e.first.display() + (f" to {e.last.display()}" if e.is_span and e.last else "")
            route = getattr(e, "route", None) if e.kind == "milestone" else None  # (a missing attribute is slow)
            parts.append(f"{what} ({vocab.kind_labels.get(e.kind, e.kind).lower()}), {when}"
                         + (", planned" if e.planned else "")
                         + (f", route: {vocab.routes.get(route, route)}" if route else ""))
        out[str(row)] = "; ".join(parts)
    return out


def vocabulary_json(jurisdiction: str) -> dict[str, Any]:
    """Kinds and their types in the vocabulary's words, for the pickers."""
    from ..model.vocabulary import KINDS, load_vocabulary

    vocab = load_vocabulary(jurisdiction)
    return {k: {"label": vocab.kind_labels.get(k, k), "types": [t.label for t in vocab.terms.get(k, {}).values()],
                "codes": {c: t.label for c, t in vocab.terms.get(k, {}).items()}}
            for k in KINDS}


def routes_json(jurisdiction: str) -> dict[str, str]:
    """The routes to permanence, code -> the vocabulary's words, for the route picker."""
    from ..model.vocabulary import load_vocabulary

    return dict(load_vocabulary(jurisdiction).routes)


def case_json(case: WorkCase) -> dict[str, Any]:
    """Everything the workspace page shows of a case."""
    draft = case.draft
    out = edit_json(case)
    out.update({
        "file": draft.file, "sheet": draft.sheet, "from_case_file": draft.from_case_file,
        "child": draft.child_values, "jurisdiction": draft.jurisdiction, "options": dict(case.options),
        "headers": list(draft.headers), "header_row": draft.header_row, "columns": draft.columns_json(),
        "fields": list(state.EDITABLE),
        "rows": [{"row": n, "cells": {f: draft.cell(cells, f) for f in state.EDITABLE}} for n, cells in draft.rows],
        "vocabulary": vocabulary_json(draft.jurisdiction), "routes": routes_json(draft.jurisdiction),
    })
    return out
