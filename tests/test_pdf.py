"""PDF and PNG reports (render stage): text, pages, metadata, tagging, determinism, offline safety, views."""

from __future__ import annotations

import getpass
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from test_report import (
    AMY_EVENTS,
    HOSTILE_IMG,
    HOSTILE_LINK,
    HOSTILE_SCRIPT,
    HOSTILE_URL,
    case_from,
    hostile_case,
)

from timeline.model.case import Case
from timeline.pipeline import RenderOptions, render_case
from timeline.render.assets import allowed_assets
from timeline.render.pdf import FetchLog, decode_data_uri, make_fetcher, pdf_bytes
from timeline.report.content import TRAINING_BANNER

ROOT = Path(__file__).resolve().parent.parent
MARKING = "OFFICIAL-SENSITIVE"

# Socket audit: record any connection attempt made while `_WATCH` is on (audit hooks cannot be removed).
_WATCH: list[bool] = []
_SOCKET_EVENTS: list[str] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _WATCH and event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        _SOCKET_EVENTS.append(event)


sys.addaudithook(_audit)


def python_words(code: str, *argv: str) -> list[str]:
    """What a fresh interpreter running `code` (with `argv`) prints, split into words; its stderr on failure."""
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.split()


def squash(text: str) -> str:
    """Text without whitespace: table cells wrap long values over lines."""
    return "".join(text.split())


def reader_of(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def amy() -> Case:
    return case_from(AMY_EVENTS)


@pytest.fixture(scope="module")
def amy_pdf(amy: Case) -> bytes:
    return render_case(amy, RenderOptions(format="pdf", marking=MARKING))


def long_case(n: int) -> Case:
    events = [
        {"kind": "event", "type": "contact", "date": f"{2016 + i // 12}-{i % 12 + 1:02d}-10",
         "label": f"Contact visit {i + 1}", "note": "Contact went well; mother arrived on time. " * 3}
        for i in range(n)
    ]
    return case_from(events)


def test_pdf_text_header_labels_marking_and_page_numbers(amy: Case, amy_pdf: bytes) -> None:
    reader = reader_of(amy_pdf)
    pages = [p.extract_text() for p in reader.pages]
    n = len(pages)
    assert n >= 2
    first = pages[0]
    for text in ("Amy", "14 Mar 2015", "C-0001", "1 Jun 2019", "4 y 2 m"):
        assert text in first
    everything = squash("\n".join(pages))
    for e in amy.events:
        assert e.label is not None
        assert squash(e.label) in everything
    assert "Settled well." in "\n".join(pages)
    for i, text in enumerate(pages, start=1):
        assert text.count(MARKING) >= 2, f"page {i} lacks the marking in header and footer"
        assert f"Page {i} of {n}" in text
        assert "Timeline: Amy" in text


def test_pdf_metadata_language_tagging_and_no_paths(amy_pdf: bytes) -> None:
    reader = reader_of(amy_pdf)
    meta = reader.metadata
    assert meta is not None and meta.title == "Timeline: Amy"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged (PDF/UA-1)
    assert "/StructTreeRoot" in root
    for key, value in meta.items():
        text = str(value)
        assert "/" not in text.replace("Timeline: Amy", ""), (key, text)
        assert os.getcwd() not in text
    user = getpass.getuser().encode()
    assert str(ROOT).encode() not in amy_pdf and b"file:" not in amy_pdf
    if len(user) > 4:
        assert user not in amy_pdf
    # the bundled font is embedded (subset) and is the only font
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("Atkinson-Hyperlegible" in f for f in fonts)


def test_title_option_and_a3(amy: Case) -> None:
    data = render_case(amy, RenderOptions(format="pdf", title="Child's plan review", page="A3"))
    reader = reader_of(data)
    assert reader.metadata is not None and reader.metadata.title == "Child's plan review"
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (420, 297)
    a4 = reader_of(render_case(amy, RenderOptions(format="pdf"))).pages[0].mediabox
    assert (round(float(a4.width) / 72 * 25.4), round(float(a4.height) / 72 * 25.4)) == (297, 210)


def test_page_count_grows_with_the_chronology() -> None:
    small = len(reader_of(render_case(long_case(4), RenderOptions(format="pdf"))).pages)
    large_pdf = render_case(long_case(80), RenderOptions(format="pdf"))
    large = reader_of(large_pdf)
    assert len(large.pages) > small + 2
    texts = squash("".join(p.extract_text() for p in large.pages))
    for i in range(80):
        assert f"Contactvisit{i + 1}Contact" in texts or f"Contactvisit{i + 1}" in texts
    # the header row repeats on every chronology page
    for page in large.pages[2:]:
        assert "Age then" in page.extract_text()


def test_two_renders_are_byte_identical_across_processes(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from timeline.io.read import load_case\n"
        "from timeline.pipeline import RenderOptions, render_case\n"
        "c = load_case(sys.argv[1]).case\n"
        "sys.stdout.buffer.write(render_case(c, RenderOptions(format='pdf', marking='M')))\n"
    )
    sample = str(ROOT / "samples" / "home.yaml")
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        outs.append(subprocess.run([sys.executable, "-c", code, sample], capture_output=True, check=True,
                                   env=env).stdout)
    assert outs[0][:5] == b"%PDF-"
    assert outs[0] == outs[1]
    assert "SOURCE_DATE_EPOCH" not in os.environ or os.environ["SOURCE_DATE_EPOCH"] != "0"


def test_hostile_text_is_literal_and_nothing_is_fetched() -> None:
    log = FetchLog()
    _SOCKET_EVENTS.clear()
    _WATCH.append(True)
    try:
        data, _ = pdf_bytes(hostile_case(), options=RenderOptions(format="pdf"), log=log)
    finally:
        _WATCH.clear()
    assert _SOCKET_EVENTS == []
    allowed = set(allowed_assets())
    assert log.requested and all(url in allowed or url.startswith("data:") for url in log.requested)
    assert log.refused == []
    text = squash("".join(p.extract_text() for p in reader_of(data).pages))
    for hostile in (HOSTILE_IMG, HOSTILE_LINK, HOSTILE_SCRIPT, HOSTILE_URL, "http://example.invalid/z"):
        assert squash(hostile) in text
    assert b"/EmbeddedFiles" not in data  # <link rel=attachment> stayed text


def test_fetcher_refuses_everything_outside_the_allow_list() -> None:
    from weasyprint.urls import URLFetchingError, fetch

    log = FetchLog()
    fetcher = make_fetcher(log)
    _SOCKET_EVENTS.clear()
    _WATCH.append(True)
    try:
        for url in ("file:///etc/passwd", "http://example.invalid/a.css", "https://127.0.0.1/x",
                    "ftp://example.invalid/f", (ROOT / "pyproject.toml").as_uri()):
            with pytest.raises(URLFetchingError), fetch(fetcher, url):
                pass
    finally:
        _WATCH.clear()
    assert _SOCKET_EVENTS == []
    assert len(log.refused) == 5
    font_url = next(u for u in allowed_assets() if u.endswith("Regular.ttf"))
    with fetch(fetcher, font_url) as response:
        assert response.read(4) == b"\x00\x01\x00\x00"
    assert decode_data_uri("data:text/plain;base64,aGk=") == (b"hi", "text/plain")
    assert decode_data_uri("data:,a%20b") == (b"a b", "text/plain")


def test_hearing_view_is_exactly_one_page_with_words(amy: Case) -> None:
    for case in (amy, long_case(80)):
        data = render_case(case, RenderOptions(format="pdf", view="hearing", marking=MARKING, page="A3"))
        reader = reader_of(data)
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert round(float(box.width) / 72 * 25.4) == 297  # always A4 landscape
        text = reader.pages[0].extract_text()
        assert "In words" in text and "Page 1 of 1" in text and MARKING in text
        assert "Chronology" not in text and "Contact went well" not in text
    assert "Amy is 4." in reader_of(render_case(amy, RenderOptions(format="pdf", view="hearing"))).pages[0] \
        .extract_text()


def test_training_view_has_the_banner_on_every_page_and_no_original_name() -> None:
    case = case_from(AMY_EVENTS * 6, name="Siobhán Ó Dónaill")
    data = render_case(case, RenderOptions(format="pdf", view="training"))
    reader = reader_of(data)
    assert len(reader.pages) >= 2
    for page in reader.pages:
        text = page.extract_text()
        assert TRAINING_BANNER in text
        assert "Siobh" not in text and "C-0001" not in text and "Settled well" not in text
    assert reader.metadata is not None and "Siobh" not in str(reader.metadata.title)
    assert b"Siobh" not in data


def test_png_first_page_and_page_range(amy: Case, amy_pdf: bytes) -> None:
    from PIL import Image

    png = render_case(amy, RenderOptions(format="png", dpi=50))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    # A4 landscape at 50 dpi: 297 mm x 210 mm -> 585 x 413 px
    assert abs(image.width - 585) <= 1 and abs(image.height - 413) <= 1
    assert png == render_case(amy, RenderOptions(format="png", dpi=50))
    two = Image.open(io.BytesIO(render_case(amy, RenderOptions(format="png", dpi=50, page_range="1-2"))))
    assert two.width == image.width and two.height > 2 * image.height


def test_png_bad_page_range_and_missing_renderer(amy: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline.render import png

    with pytest.raises(png.PngError, match="outside the document"):
        render_case(amy, RenderOptions(format="png", page_range="9"))
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    with pytest.raises(png.PngError, match="pip install pypdfium2"):
        render_case(amy, RenderOptions(format="png"))


def _pyproject_dependencies() -> list[str]:
    """The `[project] dependencies` entries of pyproject.toml (read as text: tomllib is 3.11+)."""
    import re

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = text.split("\ndependencies = [", 1)[1].split("\n]", 1)[0]
    return re.findall(r'^\s*"([^"]+)"', block, flags=re.MULTILINE)


def test_weasyprint_versions_allowed_are_the_versions_the_hooks_were_written_for() -> None:
    """pyproject.toml allows exactly the WeasyPrint the private hooks mirror (`WEASYPRINT_REQUIREMENT`, named
    once in the code), the installed one is in it, and every hook took effect on it."""
    import weasyprint

    from timeline.render.pdf import import_weasyprint
    from timeline.render.weasy_private import WEASYPRINT_MAJOR, WEASYPRINT_REQUIREMENT, weasyprint_tested

    assert WEASYPRINT_REQUIREMENT in _pyproject_dependencies()
    assert [d for d in _pyproject_dependencies() if d.startswith("weasyprint")] == [WEASYPRINT_REQUIREMENT]
    assert weasyprint.__version__.split(".")[0] == str(WEASYPRINT_MAJOR), weasyprint.__version__
    import_weasyprint()
    import weasyprint.images
    import weasyprint.pdf.fonts

    assert weasyprint_tested(weasyprint)
    assert getattr(weasyprint.pdf.fonts.TTFont, "keeps_font_dates", False)
    assert getattr(weasyprint.images.SVGImage, "draws_scenes", False)
    assert getattr(weasyprint.pdf.fonts.Font.subset, "keeps_bundled_fonts", False)


def test_png_needs_no_extra() -> None:
    """PNG works after a plain `pip install .`: its rasteriser is a regular, bounded dependency."""
    deps = _pyproject_dependencies()
    assert any(d.startswith("pypdfium2>=") and ",<" in d for d in deps), deps
    assert all(",<" in d for d in deps if d.startswith(("weasyprint", "pypdfium2")))


def test_cli_render_pdf_html_png_with_marking_title_and_view(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from timeline.cli.commands import main

    sample = str(ROOT / "samples" / "kinship.yaml")
    runner = CliRunner()
    pdf = tmp_path / "k.pdf"
    result = runner.invoke(main, ["render", sample, "-o", str(pdf), "--marking", MARKING, "--title", "Panel copy"])
    assert result.exit_code == 0, result.output
    reader = reader_of(pdf.read_bytes())
    assert reader.metadata is not None and reader.metadata.title == "Panel copy"
    assert all(MARKING in p.extract_text() for p in reader.pages)
    hearing = tmp_path / "h.pdf"
    result = runner.invoke(main, ["render", sample, "-o", str(hearing), "--view", "hearing"])
    assert result.exit_code == 0, result.output
    assert len(reader_of(hearing.read_bytes()).pages) == 1
    html = tmp_path / "k.html"
    assert runner.invoke(main, ["render", sample, "-o", str(html), "--view", "training"]).exit_code == 0
    assert TRAINING_BANNER in html.read_text(encoding="utf-8")
    png = tmp_path / "k.png"
    result = runner.invoke(main, ["render", sample, "-o", str(png), "--dpi", "40", "--page-range", "2"])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = runner.invoke(main, ["render", sample, "-o", str(tmp_path / "bad.png"), "--page-range", "99"])
    assert result.exit_code == 1 and "outside the document" in result.output
    assert not (tmp_path / "bad.png").exists()


# ------------------------------------------------------------------------------------------------ speed paths


def _svg_pdf_text(svg: str) -> str:
    from timeline.render.pdf import render_document, write_document

    html = f'<html lang="en-GB"><body style="margin:0">{svg}</body></html>'
    return reader_of(write_document(render_document(html, fetcher=make_fetcher()))).pages[0].extract_text()


def test_an_svg_image_that_is_not_a_scene_is_drawn_by_weasyprint() -> None:
    """Only registered scenes are painted by `pdfdraw`; any other SVG goes through WeasyPrint's own drawing,
    text included (letter by letter there, so it is compared without spaces)."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" font-family="Atkinson Hyperlegible">'
           '<text x="200" y="30" text-anchor="middle">Looked after since birth</text>'
           '<text x="10" y="80" dx="0 1 1 1">Moves</text></svg>')
    text = squash(_svg_pdf_text(svg))
    assert squash("Lookedaftersincebirth") in text.replace(" ", "") and squash("Moves") in text


def test_full_view_skips_the_measuring_pass(amy: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    import timeline.render.pdf as pdf

    def no_measuring(*args: Any, **kwargs: Any) -> float:
        raise AssertionError("the full view must not lay out a measuring pass")

    monkeypatch.setattr(pdf, "hearing_room", no_measuring)
    data, pages = pdf_bytes(amy, options=RenderOptions(format="pdf"))
    assert pages == len(reader_of(data).pages) >= 2


# A fresh interpreter that records every process-wide change a library call could make: garbage-collector
# settings, environment variables, `ctypes.util.find_library`, `sys.modules` stand-ins, WeasyPrint's log level.
WATCH_PROCESS_STATE = (
    "import ctypes.util, gc, logging, os, sys\n"
    "changes = []\n"
    "for name in ('set_threshold', 'disable', 'enable', 'freeze', 'unfreeze'):\n"
    "    def record(*args, _name=name, _real=getattr(gc, name)):\n"
    "        changes.append('gc.' + _name)\n"
    "        return _real(*args)\n"
    "    setattr(gc, name, record)\n"
    "for name in ('__setitem__', '__delitem__'):\n"
    "    def record_env(self, key, *args, _real=getattr(os._Environ, name)):\n"
    "        changes.append('environ:' + key)\n"
    "        return _real(self, key, *args)\n"
    "    setattr(os._Environ, name, record_env)\n"
    "find_library = ctypes.util.find_library\n"
    "meta_path = list(sys.meta_path)\n"
    "import cffi\n"
    "ffi_class = cffi.FFI\n"
    "modules_before = set(sys.modules)\n"
)
REPORT_PROCESS_STATE = (
    "if ctypes.util.find_library is not find_library: changes.append('ctypes.util.find_library')\n"
    "if sys.meta_path != meta_path: changes.append('sys.meta_path')\n"
    "if cffi.FFI is not ffi_class: changes.append('cffi.FFI')\n"
    "for name in set(sys.modules) - modules_before:\n"
    "    module = sys.modules[name]\n"
    "    if type(module).__name__ == '_LazyModule' or (  # (the type first: any attribute loads a lazy module)\n"
    "            getattr(module, '__spec__', None) is None and '__getattr__' in vars(module)):\n"
    "        changes.append('sys.modules:' + name)\n"
    "if logging.getLogger('weasyprint').level not in (logging.NOTSET,):\n"
    "    changes.append('weasyprint-log-level')\n"
    "print(*changes, sep='\\n')\n"
    "print('done')\n"
)


@pytest.mark.parametrize("hide_subsetter", [False, True], ids=["as-installed", "without-harfbuzz-subset"])
def test_library_renders_change_no_process_wide_state(hide_subsetter: bool, tmp_path: Path) -> None:
    """Importing and rendering PDF (full and hearing view), SVG and PNG through the library changes no garbage
    collector setting, no environment variable, no `ctypes` function, puts no stand-in into `sys.modules`
    and leaves WeasyPrint's logger alone: that is the command line's start-up (`timeline.cli.startup`)."""
    code = WATCH_PROCESS_STATE + (
        "from timeline.io.read import load_case\n"
        "from timeline.pipeline import RenderOptions, render_case\n"
        f"case = load_case({str(ROOT / 'samples' / 'adoption.yaml')!r}).case\n"
        "for options in (RenderOptions(format='pdf'), RenderOptions(format='pdf', view='hearing'),\n"
        "                RenderOptions(format='svg'), RenderOptions(format='png', page_range='1', dpi=40)):\n"
        "    assert render_case(case, options)\n"
    ) + REPORT_PROCESS_STATE
    assert run_python(code, hide_subsetter=hide_subsetter) == ["done"]


def test_the_command_line_start_up_is_where_the_tuning_happens() -> None:
    """The same watch sees the command's start-up tuning (so the watch can fail), and only there."""
    code = WATCH_PROCESS_STATE + "from timeline.cli.startup import tune\ntune()\ntune()\n" + REPORT_PROCESS_STATE
    changes = run_python(code, hide_subsetter=False)
    assert changes.count("gc.set_threshold") == 1 and "ctypes.util.find_library" in changes, changes
    assert {"sys.modules:fontTools.subset", "sys.modules:fontTools.varLib.instancer"} <= set(changes), changes


def test_the_quick_library_search_answers_weasyprints_names_by_file_name() -> None:
    from timeline.cli.startup import quick_find_library

    asked: list[str] = []

    def original(name: str) -> str | None:
        asked.append(name)
        return None

    find = quick_find_library(original)
    assert find("pango-1.0") == find("libpango-1.0-0") == "libpango-1.0.so.0"  # this machine has Pango
    assert find("libpangoft2-1.0-0") == "libpangoft2-1.0.so.0" and find("harfbuzz") == "libharfbuzz.so.0"
    assert find("libharfbuzz-vector-0") in (None, "libharfbuzz-vector.so.0")  # optional: never the long search
    assert find("uuid") is None and asked == ["uuid"]  # anything else: the ordinary search


_ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["adoption", "drifting", "home", "kinship", "permanence-order", "interim-orders"])
def test_the_chart_is_on_page_one_for_every_sample(name: str) -> None:
    # The chart is fitted to page 1's room below the header; if the header grew past what was reserved
    # (a key figure wrapping onto more lines), the chart would be pushed whole onto page 2.
    from timeline.io.read import load_case

    case = load_case(_ROOT / "samples" / f"{name}.yaml").case
    page1 = reader_of(render_case(case, RenderOptions(format="pdf"))).pages[0].extract_text()
    assert f"Where {case.child.name} lived" in page1
    assert "Calendar year" in page1


def test_the_key_figures_name_the_order_by_its_abbreviation() -> None:
    from timeline.io.read import load_case

    case = load_case(_ROOT / "samples" / "adoption.yaml").case
    page1 = squash(reader_of(render_case(case, RenderOptions(format="pdf"))).pages[0].extract_text())
    assert squash("Legal permanence 1 year 11 months (POA, 8 Feb 2021)") in page1


# The HarfBuzz subsetter (`libharfbuzz-subset0`) is an optional system library: WeasyPrint subsets fonts with
# it when it is there and with fontTools when it is not. Tests that touch fonts run both ways: as this machine
# is, and with the library hidden (WeasyPrint's loader is told it is missing), the path of a user without it.
HIDE_HARFBUZZ_SUBSET = (
    "import cffi.api\n"
    "import timeline.render.weasy_start\n"
    "def _without_subsetter(dlopen):\n"
    "    def hidden(ffi, name, *args, **kwargs):\n"
    "        if 'harfbuzz-subset' in str(name):\n"
    "            raise OSError('libharfbuzz-subset hidden by the test')\n"
    "        return dlopen(ffi, name, *args, **kwargs)\n"
    "    return hidden\n"
    "cffi.api.FFI.dlopen = _without_subsetter(cffi.api.FFI.dlopen)\n"
    "timeline.render.weasy_start.open_library = _without_subsetter(  # (the precompiled declarations)\n"
    "    timeline.render.weasy_start.open_library)\n"
)
SUBSETTER_REPORT = (
    "from weasyprint.text.ffi import harfbuzz_subset\n"
    "print('harfbuzz' if harfbuzz_subset is not None else 'fonttools', end=' ')\n"
)


def run_python(code: str, *, hide_subsetter: bool) -> list[str]:
    """Run `code` in a fresh interpreter (with the HarfBuzz subsetter hidden, or as installed); its words."""
    prefix = HIDE_HARFBUZZ_SUBSET if hide_subsetter else ""
    out = subprocess.run([sys.executable, "-c", prefix + code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.split()


def harfbuzz_subset_installed() -> bool:
    """Whether this machine has the HarfBuzz subsetter, as WeasyPrint finds it."""
    return run_python(SUBSETTER_REPORT, hide_subsetter=False) == ["harfbuzz"]


@pytest.mark.parametrize("hide_subsetter", [False, True], ids=["as-installed", "without-harfbuzz-subset"])
def test_fallback_font_modules_are_only_loaded_when_used(hide_subsetter: bool) -> None:
    """fontTools' subsetter and variable-font instancer (WeasyPrint imports both) cost a tenth of a second at
    start-up, and the bundled fonts need neither (static, embedded whole, so never subset): after the
    command's start-up tuning, a PDF render leaves them unexecuted whether or not HarfBuzz's subsetter is
    installed, and they still work when asked for."""
    code = (
        "import sys\n"
        "from timeline.cli.startup import tune\n"
        "tune()  # as the command does at start-up: the library itself defers nothing\n"
        "from timeline.io.read import load_case\n"
        "from timeline.pipeline import RenderOptions, render_case\n"
        f"data = render_case(load_case({str(ROOT / 'samples' / 'home.yaml')!r}).case, RenderOptions(format='pdf'))\n"
        "assert data.startswith(b'%PDF')\n"
        + SUBSETTER_REPORT +
        "instancer = sys.modules['fontTools.varLib.instancer']\n"
        "print('__file__' not in vars(instancer), end=' ')  # still the stand-in\n"
        "print(type(sys.modules['fontTools.subset']).__name__, end=' ')  # still lazy\n"
        "print(callable(instancer.instantiateVariableFont), end=' ')\n"
        "print(instancer.OverlapMode.__name__, end=' ')  # any other name loads the real module\n"
        "print(sys.modules['fontTools.varLib.instancer'].__file__.endswith('.py'))\n"
    )
    words = run_python(code, hide_subsetter=hide_subsetter)
    subsetter = "fonttools" if hide_subsetter or not harfbuzz_subset_installed() else "harfbuzz"
    assert words == [subsetter, "True", "_LazyModule", "True", "OverlapMode", "True"], words


def test_pdf_bytes_do_not_depend_on_the_harfbuzz_subsetter() -> None:
    """The bundled fonts are embedded whole, so a machine with `libharfbuzz-subset0` and one without it
    write the same bytes (subset by the two subsetters, they differed)."""
    code = (
        "import hashlib\n"
        "from timeline.io.read import load_case\n"
        "from timeline.pipeline import RenderOptions, render_case\n"
        f"case = load_case({str(ROOT / 'samples' / 'adoption.yaml')!r}).case\n"
        "data = render_case(case, RenderOptions(format='pdf'))\n"
        + SUBSETTER_REPORT +
        "print(hashlib.sha256(data).hexdigest())\n"
    )
    hidden = run_python(code, hide_subsetter=True)
    installed = run_python(code, hide_subsetter=False)
    assert hidden[0] == "fonttools"
    assert installed[0] == ("harfbuzz" if harfbuzz_subset_installed() else "fonttools")
    assert hidden[1] == installed[1]


def _embedded_fonts(data: bytes) -> dict[str, int]:
    """Embedded font name (without the subset tag) -> length of its font file, for every font of the PDF."""
    found: dict[str, int] = {}
    for page in reader_of(data).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            found[name] = int(descriptor["/FontFile2"].get_object()["/Length1"])
    return found


@pytest.mark.parametrize("hide_subsetter", [False, True], ids=["as-installed", "without-harfbuzz-subset"])
def test_bundled_fonts_are_embedded_whole_and_a_fallback_font_is_subset(hide_subsetter: bool,
                                                                       tmp_path: Path) -> None:
    """The bundled fonts go in whole (their file's exact length); a system font drawing letters the bundled
    font lacks (Cyrillic here) is still subset, by HarfBuzz or by fontTools, so it stays small."""
    from timeline.chart.metrics import font_bytes

    case = tmp_path / "dima.yaml"
    case.write_text("child:\n  name: Дима\n  date_of_birth: 2015-03-14\nas_of: 2019-06-01\nevents:\n"
                    "  - kind: placement\n    type: foster\n    start: 2016-01-20\n    label: Семья Б\n",
                    encoding="utf-8")
    out = tmp_path / "dima.pdf"
    code = (
        "from pathlib import Path\n"
        "from timeline.io.read import load_case\n"
        "from timeline.pipeline import RenderOptions, render_case\n"
        f"Path({str(out)!r}).write_bytes(render_case(load_case({str(case)!r}).case, RenderOptions(format='pdf')))\n"
        + SUBSETTER_REPORT
    )
    assert run_python(code, hide_subsetter=hide_subsetter)[0] in ("harfbuzz", "fonttools")
    fonts = _embedded_fonts(out.read_bytes())
    whole = {len(font_bytes(False)), len(font_bytes(True))}
    bundled = {name: size for name, size in fonts.items() if name.startswith("Atkinson-Hyperlegible")}
    assert bundled and set(bundled.values()) <= whole, fonts
    others = {name: size for name, size in fonts.items() if name not in bundled}
    # A machine with no font for Cyrillic draws boxes from the bundled font: nothing else to check then.
    for name, size in others.items():
        assert size < 100_000, f"{name} embedded at {size} bytes: a fallback font should be subset"


def test_a_fallback_font_subset_by_fonttools_keeps_its_own_date(tmp_path: Path) -> None:
    """Without HarfBuzz's subsetter a fallback font is rewritten by fontTools, which would stamp it with the
    clock or SOURCE_DATE_EPOCH; the renderer neither reads nor sets that variable, and the bytes are the same
    whatever it says (it used to be pinned in the process environment around every write)."""
    import hashlib
    import os

    case = tmp_path / "dima.yaml"
    case.write_text("child:\n  name: Дима\n  date_of_birth: 2015-03-14\nas_of: 2019-06-01\nevents:\n"
                    "  - kind: placement\n    type: foster\n    start: 2016-01-20\n    label: Семья Б\n",
                    encoding="utf-8")
    code = HIDE_HARFBUZZ_SUBSET + (
        "import sys\n"
        "from timeline.io.read import load_case\n"
        "from timeline.pipeline import RenderOptions, render_case\n"
        f"sys.stdout.buffer.write(render_case(load_case({str(case)!r}).case, RenderOptions(format='pdf')))\n"
    )
    digests, fonts = set(), {}
    for epoch in (None, "0", "1700000000"):
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        if epoch is not None:
            env["SOURCE_DATE_EPOCH"] = epoch
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=False)
        assert out.returncode == 0, out.stderr[-3000:]
        digests.add(hashlib.sha256(out.stdout).hexdigest())
        fonts = _embedded_fonts(out.stdout)
    assert len(digests) == 1
    assert any(not name.startswith("Atkinson") for name in fonts), f"no fallback font was subset: {fonts}"


def test_a_pdf_render_depends_on_its_arguments_not_on_shared_state(amy: Case, amy_pdf: bytes) -> None:
    """The PDF renderer hands the HTML writer its own registry's `image_uri`: no registry is shared between
    renders (pdfdraw has no context variable any more), so the same arguments give the same bytes."""
    from timeline.render import pdfdraw

    assert not any(name.startswith("_ACTIVE") or name == "scene_images" for name in vars(pdfdraw))
    data, pages = pdf_bytes(amy, options=RenderOptions(format="pdf", marking=MARKING))
    assert data == amy_pdf
    assert pages >= 2


# WeasyPrint's start-up (`render/weasy_start.py`): its C declarations precompiled, two of its three UA
# stylesheets parsed on first use only, the third without rules the report never needs.
COUNT_STYLESHEETS = (
    "import hashlib, sys, tinycss2\n"
    "parsed = []\n"
    "_parse = tinycss2.parse_stylesheet\n"
    "def counting(css, *args, **kwargs):\n"
    "    parsed.append(hashlib.sha256(css.encode()).hexdigest())\n"
    "    return _parse(css, *args, **kwargs)\n"
    "tinycss2.parse_stylesheet = counting\n"
)


def ua_texts() -> dict[str, str]:
    from importlib.resources import files

    from timeline.render.pdf import import_weasyprint

    css = import_weasyprint().css
    return {name: (files(css) / f"html5_{name}.css").read_text("utf-8") for name in ("ua", "ua_form", "ph")}


def test_a_render_parses_no_c_declarations_and_only_the_ua_sheet_it_uses() -> None:
    """A PDF render imports WeasyPrint without pycparser (the declarations are `weasy_cffi70`'s), parses
    the forms' and presentational hints' UA sheets never, and HTML's once, cut (`report_ua_css`); an on-demand
    sheet is parsed when first used, and is then what WeasyPrint's own parse gives."""
    from timeline.render.weasy_start import digest, report_ua_css

    texts = ua_texts()
    code = COUNT_STYLESHEETS + (
        "from timeline.io.read import load_case\n"
        "from timeline.pipeline import RenderOptions, render_case\n"
        f"case = load_case({str(ROOT / 'samples' / 'adoption.yaml')!r}).case\n"
        "assert render_case(case, RenderOptions(format='pdf'))\n"
        "import weasyprint.text.ffi, weasyprint.html as html\n"
        "print('pycparser' in sys.modules, type(weasyprint.text.ffi.ffi).__module__, html.CSS is html.CSS)\n"
        "print(*parsed, sep='\\n')\n"
        "print('--')\n"
        "ph = html.PH_STYLESHEET\n"
        "print(len(ph.matcher.lower_local_name_selectors), type(ph).__mro__[1].__name__)\n"
        "print(*parsed, sep='\\n')\n"
    )
    words = run_python(code, hide_subsetter=False)
    assert words[:3] == ["False", "_cffi_backend", "True"], words
    before, after = words[3:words.index("--")], words[words.index("--") + 1:]
    assert before.count(digest(report_ua_css(texts["ua"]))) == 1
    for name in ("ua", "ua_form", "ph"):
        assert digest(texts[name]) not in before, name
    from timeline.render.pdf import import_weasyprint

    eager = import_weasyprint().CSS(string=texts["ph"])
    assert after[0] == str(len(eager.matcher.lower_local_name_selectors)) != "0"
    assert after[1] == "CSS" and after[2:].count(digest(texts["ph"])) == 1


@pytest.mark.parametrize("view", ["full", "hearing"])
def test_the_start_up_hooks_change_no_pdf_byte(view: str) -> None:
    """The same PDF bytes whether WeasyPrint was imported through the hooks or plainly before (a program's
    own `import weasyprint`, where they do not apply): the cut UA sheet drops nothing the report uses."""
    code = (
        "import hashlib, sys\n"
        "if sys.argv[1:] == ['plain']:\n"
        "    import weasyprint\n"
        "from timeline.io.read import load_case\n"
        "from timeline.pipeline import RenderOptions, render_case\n"
        "for name in ('adoption', 'drifting', 'english-care-proceedings'):\n"
        f"    case = load_case({str(ROOT / 'samples')!r} + '/' + name + '.yaml').case\n"
        f"    print(hashlib.sha256(render_case(case, RenderOptions(format='pdf', view={view!r}))).hexdigest())\n"
        "import weasyprint.text.ffi as ffi\n"
        "print(type(ffi.ffi).__module__)\n"
    )

    hooked, plain = python_words(code), python_words(code, "plain")
    assert hooked[-1] == "_cffi_backend" and plain[-1] == "cffi.api"  # (each took its own path)
    assert hooked[:-1] == plain[:-1] and len(hooked) == 4


def test_the_precompiled_declarations_are_the_installed_weasyprints(tmp_path: Path) -> None:
    """`weasy_cffi70` is what cffi's generator makes of the declarations WeasyPrint gives `cdef` today (so an
    upgrade that changes them shows here; the render would fall back to parsing them)."""
    import timeline.render.weasy_cffi70 as compiled
    from timeline.render.weasy_start import digest, weasyprint_declarations, write_compiled_declarations

    assert digest(weasyprint_declarations()) == compiled.DECLARATIONS_SHA256
    write_compiled_declarations(tmp_path / "again.py")
    assert (tmp_path / "again.py").read_text() == Path(compiled.__file__).read_text()


def test_other_declarations_are_parsed_by_cffi_as_before() -> None:
    """A stand-in FFI given declarations it has no precompiled module for becomes cffi's own."""
    import cffi  # type: ignore[import-untyped]

    from timeline.render.weasy_start import DeclaredFFI

    ffi = DeclaredFFI(cffi.FFI)
    ffi.cdef("int abs(int);")
    assert ffi.dlopen(None).abs(-3) == 3 and not ffi.precompiled and isinstance(ffi.target(), cffi.FFI)


def test_the_report_uses_nothing_the_cut_ua_sheet_leaves_out() -> None:
    """`report_ua_css` drops the form-field rules, those selecting `dir`, `rules` or `frame` attributes and most
    counter styles: no sample's report writes such an element or attribute, and the report's stylesheet
    numbers with the kept counter styles only."""
    import re

    from timeline.io.read import load_case
    from timeline.render.assets import css_text
    from timeline.render.html import report_html
    from timeline.render.weasy_start import FORM_ELEMENTS, KEPT_COUNTER_STYLES, UNUSED_ATTRIBUTES, report_ua_css

    ua = ua_texts()["ua"]
    cut = report_ua_css(ua)
    assert "/* Form fields */" in ua and "/* Form fields */" not in cut and "textarea { height" not in cut
    assert "@counter-style decimal " in cut and "@counter-style armenian" not in cut and len(cut) < len(ua) * 0.6
    assert "[dir=rtl i] { direction: rtl }" in ua and "[dir" not in cut and "h1 { bookmark-level: 1 }" in cut
    for name in ("adoption", "drifting", "home"):
        html = report_html(load_case(ROOT / "samples" / f"{name}.yaml").case, options=RenderOptions(format="pdf"),
                           target="pdf")
        forms = "|".join(FORM_ELEMENTS)
        assert not re.findall(rf"<({forms})\b", html), name
        attributes = "|".join((*UNUSED_ATTRIBUTES, "frame"))
        assert not re.findall(rf"<[a-z0-9]+\s[^>]*\b({attributes})=", html), name
    css = css_text()
    styles = set(re.findall(r"list-style(?:-type)?:\s*([a-z-]+)", css))
    styles |= set(re.findall(r"counters?\([^),]+(?:,\s*\"[^\"]*\")?,\s*([a-z-]+)\)", css))
    assert styles <= KEPT_COUNTER_STYLES | {"none", "inside", "outside"}, styles


def test_the_compiled_report_template_is_current_and_renders_as_the_template(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`templates/report.html.j2.py` is what Jinja2 makes of `report.html.j2` today (rewritten, it is the same
    file), the environment uses it, and the report's HTML is the same as from the template compiled as usual;
    compiled code that no longer matches the template's text is not used."""
    import jinja2

    import timeline.render.assets as assets
    from timeline.io.read import load_case
    from timeline.render.html import report_html

    compiled = assets.templates_dir() / "report.html.j2.py"
    assets.write_compiled_template("report.html.j2", tmp_path / "again.py")
    assert (tmp_path / "again.py").read_text() == compiled.read_text()
    assert assets.environment().get_template("report.html.j2").filename == str(compiled)

    def from_source() -> Any:
        return jinja2.Environment(loader=jinja2.FileSystemLoader(str(assets.templates_dir())), autoescape=True,
                                  undefined=jinja2.StrictUndefined, keep_trailing_newline=True)

    assert from_source().get_template("report.html.j2").filename != str(compiled)
    case = load_case(ROOT / "samples" / "drifting.yaml").case
    html = report_html(case, options=RenderOptions(format="pdf"), target="pdf")
    monkeypatch.setattr("timeline.render.html.environment", from_source)
    assert report_html(case, options=RenderOptions(format="pdf"), target="pdf") == html
    edited = tmp_path / "report.html.j2"
    edited.write_text(compiled.with_suffix("").read_text() + "<!-- edited -->\n")
    (tmp_path / "report.html.j2.py").write_text(compiled.read_text())
    monkeypatch.setattr(assets, "templates_dir", lambda: tmp_path)
    stale = assets._compiled_loader(jinja2).load(from_source(), "report.html.j2")
    assert stale.filename == str(edited)  # compiled from the edited text, not taken from the stale code


def test_pillow_is_not_run_by_a_pdf_render_after_the_command_start_up() -> None:
    """After the command's start-up tuning, a PDF render leaves Pillow's image modules unexecuted (WeasyPrint
    imports them for raster images, which the report has none of) and its colour management a stand-in; the
    same bytes as without the tuning; and Pillow still works when asked for (a PNG page)."""
    code = (
        "import hashlib, sys\n"
        "if sys.argv[1:] == ['tuned']:\n"
        "    from timeline.cli.startup import tune\n"
        "    tune()\n"
        "from timeline.io.read import load_case\n"
        "from timeline.pipeline import RenderOptions, render_case\n"
        f"case = load_case({str(ROOT / 'samples' / 'adoption.yaml')!r}).case\n"
        "print(hashlib.sha256(render_case(case, RenderOptions(format='pdf'))).hexdigest())\n"
        "print(type(sys.modules['PIL.Image']).__name__, '__file__' in vars(sys.modules['PIL.ImageCms']))\n"
        "png = render_case(case, RenderOptions(format='png', page_range='1', dpi=30))\n"
        "print(png[:4] == b'\\x89PNG', type(sys.modules['PIL.Image']).__name__)\n"
    )

    tuned, plain = python_words(code, "tuned"), python_words(code)
    assert tuned[1:3] == ["_LazyModule", "False"] and plain[1:3] == ["module", "True"], (tuned, plain)
    assert tuned[0] == plain[0] and tuned[3:] == plain[3:] == ["True", "module"], (tuned, plain)
