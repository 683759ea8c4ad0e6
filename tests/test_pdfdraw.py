"""Drawings painted straight from their scenes (render/pdfdraw.py) look like WeasyPrint's drawing of their SVG.

Every sample and a 300-event synthetic case are laid out as the report lays them out (the standalone chart
with its title, legend and key; the chart that fits page 1 with its legend and key on canvases of their
own), put as images on a page of their size, and rendered twice: painted from the scenes, and from their
full SVG by WeasyPrint. Both are rasterised at 50 dpi with pypdfium2 and compared.

The pictures differ only where the hatching falls: the painter starts pattern tiles at the drawing's
origin (userSpaceOnUse, as browsers do), WeasyPrint 70 at each shape's corner, so within patterned bars
the hatching's phase differs. The thresholds were chosen by measuring (all cases, both drawings each):
- outside the patterned rectangles no pixel may differ by more than 48 of 255 in any channel (measured:
  the largest difference anywhere there was 25, anti-aliasing); one missing digit breaks this;
- averaged over 3 x 3 pixel blocks (about 6 CSS px, a hatching tile) the phase evens out, so no block may
  differ by more than 64 (measured: at most 47);
- of all pixels, fewer than 1% may differ by more than 48 (measured: at most 0.66%, kinship; with
  WeasyPrint's tile phase forced on the painter, for comparison, 0.000% and a largest difference of 35).
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from timeline.io.read import load_case, load_text
from timeline.model.case import Case
from timeline.pipeline import RenderOptions, scene_for
from timeline.render.assets import font_uris
from timeline.render.pdfdraw import (
    PATTERN_CHAIN,
    DrawingError,
    SceneRegistry,
)
from timeline.render.safety import svg_image_uri
from timeline.scene.items import Group, Item, Line, Marker, Rect, Scene, Text
from timeline.scene.items import Path as ScenePath
from timeline.scene.shapes import arc_curves, svg_d, trace
from timeline.scene.style import Chain, StyleError, StyleResolver, StyleSheet, rule

pytest.importorskip("pypdfium2")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
SYNTHETIC = "synthetic-300"  # bench/synth.py 300 7
DPI = 50
PIXEL_OFF = 48  # a pixel is "off" when a channel differs by more than this (of 255)
# WeasyPrint's own SVG text is drawn letter by letter, unkerned, so a painted label's letters sit up to a pixel
# apart from it: the shares below were measured against that drawing (samples, 300 events, both scene sets).
MAX_PIXELS_OFF = 0.015  # share of pixels off (measured at most 0.0098: letter positions, the hatching's phase)
MAX_OFF_OUTSIDE_HATCHING = 0.005  # share off outside the patterns (measured at most 0.0032: letter positions)
BLOCK = 3  # px at 50 dpi: about a hatching tile
BLOCK_OFF = 64  # no 3 x 3 block's average may differ by more than this (none did; one missing number does)
CHART_ROOM = 560.0  # px: a report page's room for the chart, so the legend and key move out of it


@pytest.fixture(scope="module")
def pdf() -> Any:
    """render/pdf.py, which installs the scene painter into WeasyPrint (skips where it cannot)."""
    from timeline.render import pdf as module

    if not module.scene_images_supported():
        pytest.skip("this WeasyPrint draws the drawings from their SVG")
    return module


def _synthetic() -> Case:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return load_text(synth.case_yaml(300, seed=7), "synthetic.yaml").case


@pytest.fixture(scope="module")
def cases() -> dict[str, Case]:
    found = {path.stem: load_case(path).case for path in SAMPLES}
    found[SYNTHETIC] = _synthetic()
    return found


def _drawings(case: Case) -> list[tuple[Scene, ...]]:
    """The scene sets a case is drawn as: the standalone chart; the page-1 chart with its key canvases."""
    alone = scene_for(case, RenderOptions())
    fitted = scene_for(case, RenderOptions(), title_block=False, max_height=CHART_ROOM)
    return [(alone,), (fitted, *fitted.appendix)]


def _page(pdf: Any, scenes: tuple[Scene, ...], *, direct: bool) -> bytes:
    """A PDF page exactly holding the scenes as images one under the other, painted or from SVG."""
    fetcher = pdf.make_fetcher()
    image_uri = fetcher.scenes.image_uri if direct else svg_image_uri
    images = "".join(f'<img style="display:block;width:{s.width}px" src="{image_uri(s)}">' for s in scenes)
    width, height = max(s.width for s in scenes), sum(s.height for s in scenes)
    # The bundled font, declared as the report declares it: without it both drawings fall back to whatever
    # system font the machine has, which is not what a reader sees and differs between the two painters.
    regular, bold = font_uris("pdf")
    faces = "".join(f'@font-face{{font-family:"Atkinson Hyperlegible";font-weight:{weight};src:url("{uri}")}}'
                    for weight, uri in ((400, regular), (700, bold)))
    html = (f"<html><head><style>{faces}@page{{size:{width}px {height + 2}px;margin:0}}body{{margin:0}}</style>"
            f"</head><body>{images}</body></html>")
    data: bytes = pdf.write_document(pdf.render_document(html, fetcher=fetcher))
    if direct:
        assert fetcher.scenes is not None and len(fetcher.scenes) == len(scenes)
    return data


def _raster(data: bytes) -> Any:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return document[0].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        document.close()


def _worst(a: Any, b: Any) -> Any:
    """Per pixel, the largest channel difference (an "L" image)."""
    from PIL import ImageChops

    assert a.size == b.size
    r, g, bl = ImageChops.difference(a, b).split()
    return ImageChops.lighter(ImageChops.lighter(r, g), bl)


def _over(worst: Any, threshold: int) -> int:
    return sum(worst.histogram()[threshold + 1 :])


def _hatched(scenes: tuple[Scene, ...], size: tuple[int, int]) -> Any:
    """A mask ("1" image) of the patterned rectangles on the page (a pixel of margin), where the hatching's
    phase may differ."""
    from PIL import Image, ImageDraw

    mask = Image.new("1", size, 0)
    draw = ImageDraw.Draw(mask)
    scale = 0.75 * DPI / 72  # CSS px -> pt -> raster px
    top = 0.0
    for scene in scenes:
        for item, _ in scene.walk():
            if isinstance(item, Rect) and item.fill_pattern:
                draw.rectangle(((item.x * scale - 1, (top + item.y) * scale - 1),
                                ((item.x + item.width) * scale + 1, (top + item.y + item.height) * scale + 1)), fill=1)
        top += scene.height
    return mask


def _compare(direct: Any, svg: Any) -> tuple[float, int]:
    """(share of pixels off, 3 x 3 blocks off)."""
    worst = _worst(direct, svg)
    blocks = _over(_worst(direct.reduce(BLOCK), svg.reduce(BLOCK)), BLOCK_OFF)
    return _over(worst, PIXEL_OFF) / (worst.width * worst.height), blocks


def _off_outside_hatching(direct: Any, svg: Any, scenes: tuple[Scene, ...]) -> int:
    """Pixels off outside the patterned rectangles (where the pictures must agree to the anti-aliasing)."""
    from PIL import ImageChops

    worst = _worst(direct, svg)
    return _over(ImageChops.multiply(worst, ImageChops.invert(_hatched(scenes, worst.size).convert("L"))),
                 PIXEL_OFF)


@pytest.mark.parametrize("name", [path.stem for path in SAMPLES] + [SYNTHETIC])
def test_painted_drawings_match_weasyprints_svg_drawing(name: str, cases: dict[str, Case], pdf: Any) -> None:
    for scenes in _drawings(cases[name]):
        direct, svg = _raster(_page(pdf, scenes, direct=True)), _raster(_page(pdf, scenes, direct=False))
        share, blocks = _compare(direct, svg)
        outside = _off_outside_hatching(direct, svg, scenes) / (direct.width * direct.height)
        assert outside < MAX_OFF_OUTSIDE_HATCHING, (name, outside)
        assert blocks == 0, (name, blocks)
        assert share < MAX_PIXELS_OFF, (name, share)


def test_a_missing_label_is_caught_by_the_comparison(cases: dict[str, Case], pdf: Any) -> None:
    """The measure is sharp enough: one key number left out of the painted chart shows."""
    _, *keys = _drawings(cases["drifting"])[1]  # kinship's page 1 now shows every label's words: no numbers
    key_scene = next(s for s in keys if any(t.cls == "key-number" for t in s.texts()))
    dropped = [False]

    def without_one_number(items: tuple[Item, ...]) -> tuple[Item, ...]:
        out: list[Item] = []
        for item in items:
            if not dropped[0] and isinstance(item, Text) and item.cls == "key-number":
                dropped[0] = True
                continue
            out.append(dataclasses.replace(item, items=without_one_number(item.items))
                       if isinstance(item, Group) else item)
        return tuple(out)

    broken = dataclasses.replace(key_scene, items=without_one_number(key_scene.items))
    assert dropped[0]
    svg = _raster(_page(pdf, (key_scene,), direct=False))
    assert _compare(_raster(_page(pdf, (key_scene,), direct=True)), svg)[1] == 0
    assert _compare(_raster(_page(pdf, (broken,), direct=True)), svg)[1] > 0


def test_the_report_paints_the_same_page_one_as_its_svg(cases: dict[str, Case], pdf: Any) -> None:
    """The whole hearing page, painted from its scene and through WeasyPrint's SVG."""
    options = RenderOptions(format="pdf", view="hearing")
    painted, pages = pdf.pdf_bytes(cases["adoption"], options=options)
    svg, svg_pages = pdf.pdf_bytes(cases["adoption"], options=options, draw_scenes=False)
    assert pages == svg_pages == 1
    share, blocks = _compare(_raster(painted), _raster(svg))
    assert share < MAX_PIXELS_OFF and blocks == 0
    assert pdf.pdf_bytes(cases["adoption"], options=options)[0] == painted  # deterministic


def test_the_report_hands_its_drawings_over_as_scenes(cases: dict[str, Case], pdf: Any) -> None:
    log = pdf.FetchLog()
    pdf.pdf_bytes(cases["adoption"], options=RenderOptions(format="pdf", view="hearing"), log=log)
    stubs = [url for url in log.requested if url.startswith("data:image/svg+xml") and len(url) < 1000]
    assert stubs and all(_stub_token(url) is not None for url in stubs)


def _stub_token(url: str) -> str | None:
    import base64
    import re

    found = re.search(r'data-timeline-scene="(\d+)"', base64.b64decode(url.split(",", 1)[1]).decode())
    return found.group(1) if found else None


# ----------------------------------------------------------------------------------------------- the hand-over


def test_a_registrys_image_is_a_stub_and_the_full_svg_image_is_not(cases: dict[str, Case]) -> None:
    import base64

    scene = scene_for(cases["home"], RenderOptions())
    outside = svg_image_uri(scene)
    assert len(outside) > 10_000 and "data-timeline-scene" not in base64.b64decode(outside.split(",")[1]).decode()
    registry = SceneRegistry()
    first, second = registry.image_uri(scene), registry.image_uri(scene.appendix[0] if scene.appendix else scene)
    stub = base64.b64decode(first.split(",", 1)[1]).decode()
    assert len(first) < 400 and 'data-timeline-scene="0"' in stub and 'viewBox="0 0 ' in stub
    assert 'data-timeline-scene="1"' in base64.b64decode(second.split(",", 1)[1]).decode()
    assert registry.get("0") is scene and registry.get("2") is None and registry.get("x") is None


# ----------------------------------------------------------------------------------------------- styles and paths


def _walk(items: tuple[Item, ...], chain: Chain) -> Iterator[tuple[Item, Chain]]:
    for item in items:
        if isinstance(item, Group):
            yield from _walk(item.items, (*chain, ("g", item.cls)))
        else:
            yield item, chain


class _Recorder:
    """A pen that writes back what `shapes.trace` drew, as absolute path data (M, L, C, Z)."""

    def __init__(self) -> None:
        self.ops: list[str] = []

    def move_to(self, x: float, y: float) -> None:
        self.ops.append(f"M{x:g} {y:g}")

    def line_to(self, x: float, y: float) -> None:
        self.ops.append(f"L{x:g} {y:g}")

    def curve_to(self, *numbers: float) -> None:
        self.ops.append("C" + " ".join(f"{v:g}" for v in numbers))

    def close(self) -> None:
        self.ops.append("Z")


def test_every_item_of_every_sample_has_a_resolved_style_and_traceable_segments(cases: dict[str, Case]) -> None:
    """Every item's style resolves from the scene's sheet, and every path traces to as many moves as its data has."""
    tags = {Rect: "rect", Line: "line", ScenePath: "path", Marker: "path", Text: "text"}
    for name, case in cases.items():
        for scenes in _drawings(case):
            for scene in scenes:
                ids = frozenset(f"pat-{spec.name}" for spec in scene.patterns)
                resolver = scene.style.resolver(scene.font_family, ids)
                assert scene.style.css().startswith("text{font-family:'Atkinson Hyperlegible', "), name
                for item, chain in _walk(scene.items, ()):
                    pattern = item.fill_pattern if isinstance(item, Rect) else None
                    assert resolver.resolve(tags[type(item)], item.cls, chain, pattern).font_size > 0
                    if isinstance(item, (ScenePath, Marker)):
                        pen = _Recorder()
                        trace(item.segments, pen)
                        assert sum(op[0] == "M" for op in pen.ops) == item.d.count("M"), name
                for cls in ("pattern-bg", "pattern-ink"):
                    resolver.resolve("rect", cls, PATTERN_CHAIN)


@pytest.mark.parametrize(("selectors", "properties"), [
    ("a>b", {"fill": "#000"}), ("#id", {"fill": "#000"}), (".a:hover", {"fill": "#000"}),
    (".a", {"stroke_linecap": "round"}), (".a", {"fill": "rgb(1,2,3)"}), (".a", {"fill": "#000 !important"}),
    (".a", {"font_weight": "bolder"}), (".a", {"fill": "url(#elsewhere)"}),
])
def test_style_outside_the_sheets_types_is_refused(selectors: str, properties: dict[str, object]) -> None:
    with pytest.raises(StyleError):
        rule(selectors, **properties)


def test_a_fill_naming_an_unknown_pattern_is_refused() -> None:
    with pytest.raises(StyleError, match="unknown pattern"):
        StyleSheet((rule(".a", fill="#000"),)).resolver("x", frozenset()).resolve("rect", "a", (), "pat-elsewhere")


def test_path_data_is_written_from_segments_in_each_producers_form() -> None:
    from timeline.scene import shapes

    segments = (shapes.move(1, 2.5), shapes.line(3.456, 4), shapes.arc(5, 5, True, False, 10, 2.5), shapes.close())
    assert svg_d(segments) == "M1 2.5L3.46 4A5 5 0 1 0 10 2.5Z"
    assert svg_d(segments, "spaced") == "M1 2.5 L3.46 4 A5 5 0 1 0 10 2.5 Z"
    assert svg_d(segments[:2], "fixed") == "M1.00 2.50L3.46 4.00"
    assert svg_d(shapes.translated(segments, 1, -0.5)) == "M2 2L4.46 3.5A5 5 0 1 0 11 2Z"
    pen = _Recorder()
    trace((shapes.move(0, 0), shapes.horizontal(2), shapes.vertical(3), shapes.close()), pen)
    assert pen.ops == ["M0 0", "L2 0", "L2 3", "Z"]


def _sheet() -> StyleSheet:
    return StyleSheet((
        rule(".court", fill="#111111"), rule(".marker.court", fill="#222222"),
        rule(".marker", fill="#333333", stroke="#444444"), rule(".g", opacity=0.5, fill="#555555", stroke_width=3),
        rule(".planned .bar", fill_opacity=0.3, stroke_dasharray="4 3"), rule(".hatch", stroke=None),
        rule("text", font_size=12), rule(".big", font_size=20, font_weight="bold"),
    ))


def test_the_sheet_is_written_as_compact_css_in_source_order() -> None:
    assert _sheet().css() == (
        ".court{fill:#111111}.marker.court{fill:#222222}.marker{fill:#333333;stroke:#444444}"
        ".g{opacity:0.5;fill:#555555;stroke-width:3}.planned .bar{fill-opacity:0.3;stroke-dasharray:4 3}"
        ".hatch{stroke:none}text{font-size:12px}.big{font-size:20px;font-weight:bold}")
    spaced = StyleSheet((rule(".a,.b", fill="#FFFFFF", stroke_width=1.5), rule(".c", font_weight=700)), "spaced")
    assert spaced.css() == "\n.a,.b { fill: #FFFFFF; stroke-width: 1.5; }\n.c { font-weight: 700; }\n"


def test_the_cascade_follows_specificity_order_inheritance_and_presentation_attributes() -> None:
    sheet = _sheet()
    resolver = StyleResolver(sheet, "Family", frozenset())
    court = resolver.resolve("path", "marker court", ())
    assert court.fill == (0x22 / 255,) * 3 and court.stroke == (0x44 / 255,) * 3  # two classes beat one
    inside = resolver.resolve("rect", "x", (("g", "g"),))
    assert inside.fill == (0x55 / 255,) * 3 and inside.stroke_width == 3 and inside.opacity == 1  # not inherited
    planned = resolver.resolve("rect", "bar", (("g", "event planned"), ("g", "other")))
    assert planned.fill_opacity == 0.3 and planned.dashes == (4, 3)
    assert resolver.resolve("rect", "bar", (("g", "event"),)).dashes == ()
    overridden = sheet + StyleSheet((rule(".hatch", fill="#666666"),))
    patterned = StyleResolver(overridden, "F", frozenset({"pat-p"})).resolve("rect", "hatch", (), "pat-p")
    assert patterned.pattern is None and patterned.fill == (0x66 / 255,) * 3  # a rule beats the attribute
    hatch = StyleResolver(sheet, "F", frozenset({"pat-p"})).resolve("rect", "hatch", (("g", "g"),), "pat-p")
    assert hatch.pattern == "pat-p" and hatch.stroke is None  # the attribute beats an inherited fill
    label = resolver.resolve("text", "big", ())
    assert (label.font_size, label.font_weight, label.font_family) == (20, 700, ("Family",))
    assert resolver.resolve("text", "small", ()).font_size == 12


def _pattern() -> Any:
    from timeline.scene.theme import PatternSpec

    return PatternSpec("p", 4.0, lines=((0.0, 0.0, 4.0, 4.0),))


def test_arcs_become_quarter_turn_beziers_on_the_circle() -> None:
    # The layout's circle marker: two half turns of radius 5 about (10, 10).
    for x1, x2, sweep in ((5.0, 15.0, 0), (15.0, 5.0, 0), (5.0, 15.0, 1)):
        curves = arc_curves(x1, 10.0, 5.0, 5.0, 0.0, 1, sweep, x2, 10.0)
        assert len(curves) == 2 and curves[-1][4:] == (x2, 10.0)
        for curve in curves:
            x, y = curve[4:]
            assert abs(((x - 10) ** 2 + (y - 10) ** 2) ** 0.5 - 5) < 1e-9
    below = arc_curves(5.0, 10.0, 5.0, 5.0, 0.0, 1, 0, 15.0, 10.0)  # sweep 0 from the left: through y=15
    assert below[0][5] == pytest.approx(15.0)
    assert arc_curves(1.0, 1.0, 5.0, 5.0, 0.0, 0, 0, 1.0, 1.0) == []
    with pytest.raises(ValueError, match="rotated"):
        arc_curves(0.0, 0.0, 5.0, 3.0, 30.0, 0, 0, 5.0, 0.0)


def test_svg_text_whitespace_is_read_as_weasyprint_reads_it() -> None:
    from timeline.render.pdfdraw import svg_text

    assert svg_text("Foster  carers\t(B) ") == "Foster carers (B)"
    assert svg_text("plain") == "plain"



def test_a_drawing_weasyprint_could_not_load_fails_the_render(cases: dict[str, Case], pdf: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint logs and leaves out an image it cannot load; a report without its chart must not pass as
    done, so the render fails with a plain message instead."""
    from timeline.report.parts import ReportError

    monkeypatch.setattr(SceneRegistry, "get", lambda self, token: None)  # every stub names an unknown scene
    with pytest.raises(ReportError, match=r"would lack 1 of its drawings \(chart or key\)"):
        pdf.pdf_bytes(cases["home"], options=RenderOptions(format="pdf", view="hearing"))


def test_opacity_on_a_group_is_refused_not_ignored(cases: dict[str, Case], pdf: Any) -> None:
    """Group opacity would need a transparency group the painter does not make: refused, never dropped."""
    from timeline.render.pdfdraw import ScenePainter

    scene = scene_for(cases["home"], RenderOptions())
    faded = dataclasses.replace(scene, style=scene.style + StyleSheet((rule(".event", opacity=0.5),)))
    painter = ScenePainter(faded, context=None)
    with pytest.raises(DrawingError, match="opacity on a group"):
        painter.paint(_NullStream())


class _NullStream:
    """Takes every drawing operator and does nothing (the painter is refused before any text is drawn)."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None
