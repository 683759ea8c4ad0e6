"""SVG renderer tests: the DESIGN §3 contract, escaping, determinism, goldens, and the render command."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from timeline.cli.commands import main
from timeline.io.read import load_case
from timeline.model.case import Case, event_id
from timeline.pipeline import RenderOptions, render_case, scene_for
from timeline.render.svg import scene_to_svg

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
GOLDEN = Path(__file__).resolve().parent / "golden"
NS = "{http://www.w3.org/2000/svg}"


def case_of(events: list[dict[str, Any]], name: str = "Amy") -> Case:
    return Case.model_validate({"child": {"name": name, "date_of_birth": "2015-01-01"}, "as_of": "2019-01-01",
                                "events": events})


def svg_of(case: Case, **kw: Any) -> str:
    return render_case(case, RenderOptions(format="svg", **kw)).decode("utf-8")


def check_contract(case: Case, svg: str) -> ET.Element:
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    children = list(root)
    assert children[0].tag == f"{NS}title" and case.child.name in (children[0].text or "")
    assert children[1].tag == f"{NS}desc" and (children[1].text or "").strip()
    styles = root.findall(f".//{NS}style")
    assert len(styles) == 1
    style = styles[0].text or ""
    assert "Atkinson Hyperlegible" in style
    assert case.child.name not in style
    groups = [g for g in root.iter(f"{NS}g") if "event" in (g.get("class") or "").split()]
    want = [event_id(n, e) for n, e in case.numbered()]
    assert sorted(g.get("id") or "" for g in groups) == sorted(want)
    by_id = {g.get("id"): g for g in groups}
    for n, e in case.numbered():
        g = by_id[event_id(n, e)]
        classes = (g.get("class") or "").split()
        assert {"event", f"kind-{e.kind}", f"type-{e.type}"} <= set(classes)
        first = next(iter(g))
        assert first.tag == f"{NS}title"
        assert e.first.display() in (first.text or "") and "age " in (first.text or "")
        assert "\n" not in (first.text or "")
    return root


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_samples_keep_the_contract_and_are_deterministic(path: Path) -> None:
    case = load_case(path).case
    svg = svg_of(case)
    root = check_contract(case, svg)
    assert svg == svg_of(case)  # same input, same bytes
    assert svg.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert root.get("width") == "1031.81"


def test_moves_are_groups_of_class_move() -> None:
    case = case_of([
        {"kind": "placement", "type": "foster", "start": "2016-01-01", "end": "2017-01-01"},
        {"kind": "placement", "type": "kinship", "start": "2017-01-01"},
    ])
    root = check_contract(case, svg_of(case))
    moves = [g for g in root.iter(f"{NS}g") if g.get("class") == "move"]
    assert len(moves) == 1
    assert (moves[0].find(f"{NS}title").text or "").startswith("Move 1: 1 Jan 2017")  # type: ignore[union-attr]


def test_user_text_is_escaped_and_never_reaches_the_style_block() -> None:
    hostile = "</style><script>alert(1)</script> & <b>"
    case = case_of([{"kind": "event", "type": "other", "date": "2016-05-01", "label": hostile}], name="Amy </style>")
    svg = svg_of(case)
    root = check_contract(case, svg)
    assert not list(root.iter(f"{NS}script"))
    assert "<script>" not in svg
    texts = ["".join(t.itertext()) for t in root.iter(f"{NS}text")]
    assert any(hostile[:20] in t for t in texts)


def test_inline_svg_has_no_declaration_and_no_title_block() -> None:
    case = case_of([{"kind": "hearing", "type": "court", "date": "2016-05-01"}])
    scene = scene_for(case, RenderOptions(), title_block=False)
    inline = scene_to_svg(scene, standalone=False)
    assert inline.startswith("<svg") and "<?xml" not in inline
    assert 'class="title"' not in inline


def test_scene_json_texts_carry_boxes_and_events_are_named() -> None:
    case = case_of([{"kind": "placement", "type": "foster", "start": "2016-01-01", "label": "Foster", "id": "p1"}])
    data = json.loads(render_case(case, RenderOptions(format="scene-json")))
    assert set(data) >= {"width", "height", "items"}
    texts = [i for i in data["items"] if i["type"] == "text"]
    assert texts and all({"x", "y", "width", "height", "text"} <= set(i) for i in texts)
    assert any(i.get("event") == "p1" and i["type"] == "rect" for i in data["items"])


def test_width_option_and_a3_page() -> None:
    case = case_of([])
    assert scene_for(case, RenderOptions(width=1500)).width == 1500
    assert scene_for(case, RenderOptions(page="A3")).width == pytest.approx(1496.69)


# ---------------------------------------------------------------- goldens


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_golden_scene_and_svg(path: Path, regen_golden: bool) -> None:
    case = load_case(path).case
    scene = scene_for(case, RenderOptions())
    outputs = {f"{path.stem}.scene.json": scene.to_json(), f"{path.stem}.svg": scene_to_svg(scene)}
    for name, text in outputs.items():
        golden = GOLDEN / name
        if regen_golden:
            GOLDEN.mkdir(exist_ok=True)
            golden.write_text(text, encoding="utf-8")
            continue
        assert golden.exists(), f"no golden file {name}; run pytest --regen-golden after looking at the chart"
        assert text == golden.read_text(encoding="utf-8"), f"{name} differs; look, then pytest --regen-golden"


# ---------------------------------------------------------------- CLI


def test_render_command_writes_svg_and_json(tmp_path: Path) -> None:
    src = ROOT / "samples" / "adoption.yaml"
    runner = CliRunner()
    out = tmp_path / "chart.svg"
    result = runner.invoke(main, ["render", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    check_contract(load_case(src).case, out.read_text(encoding="utf-8"))
    out_json = tmp_path / "chart.data"
    result = runner.invoke(main, ["render", str(src), "-o", str(out_json), "--format", "scene-json",
                                  "--width", "1400", "--as-of", "2021-01-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["width"] == 1400
    assert any(i["type"] == "text" and i["text"] == "As at 1 Jan 2021" for i in data["items"])


def test_render_command_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    src = ROOT / "samples" / "home.yaml"
    result = runner.invoke(main, ["render", str(src), "-o", str(tmp_path / "chart.txt")])
    assert result.exit_code == 2 and "cannot tell the format" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("child: {name: A, date_of_birth: 2015-01-01}\nevents:\n  - kind: hearing\n    type: nope\n"
                   "    date: 2016-01-01\n", encoding="utf-8")
    result = runner.invoke(main, ["render", str(bad), "-o", str(tmp_path / "chart.svg")])
    assert result.exit_code == 1
    assert "bad.yaml:4:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "chart.svg").exists()


def test_an_svg_render_needs_no_xml_library() -> None:
    """The SVG is written straight from the scene (render/svg.py): no svgwrite, no ElementTree at render time."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from timeline.cli.startup import tune\n"
        "tune()\n"
        "from timeline.io.read import load_case\n"
        "from timeline.pipeline import RenderOptions, render_case\n"
        f"case = load_case({str(Path(__file__).resolve().parent.parent / 'samples' / 'home.yaml')!r}).case\n"
        "assert render_case(case, RenderOptions(format='svg')).startswith(b'<?xml')\n"
        "print('svgwrite' in sys.modules, 'xml.etree.ElementTree' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr


HOSTILE = ["a & b", "<script>x</script>", 'say "hi"', "it's", "tab\there", "cr\rlf\nend", "]]>", "", " ",
           "Łukasz Ó Dónaill", "&amp;"]


def test_every_user_text_and_attribute_is_escaped_and_reads_back_unchanged() -> None:
    """Labels, titles, ids and classes with markup characters come back from an XML parser exactly as given
    (escaped as ElementTree escapes: &, <, > in text; those, quotes and CR/LF/TAB in attributes). A CR in
    text is read back as a line feed (XML's line ends; the case file refuses control characters anyway)."""
    from timeline.render.svg import scene_to_svg
    from timeline.scene.items import Group, Rect, Scene, Text
    from timeline.scene.style import StyleSheet, rule

    ns = "{http://www.w3.org/2000/svg}"
    for n, value in enumerate(HOSTILE):
        read = value.replace("\r", "\n")  # XML's end-of-line handling, in text only
        text = Text(1, 2, 3, 4, 5, value, "label")
        group = Group((text, Rect(0, 0, 1, 1, "bar")), "event", id=value or None, title=value)
        scene = Scene(width=10, height=10, title=value, desc=value, style=StyleSheet((rule(".bar", fill="#000"),)),
                      items=(group,))
        root = ET.fromstring(scene_to_svg(scene))
        assert (root.find(f"{ns}title").text or "") == read and (root.find(f"{ns}desc").text or "") == read, n
        g = root.find(f"{ns}g")
        assert (g.get("id") or "") == value and (g.find(f"{ns}title").text or "") == read, n
        assert (g.find(f"{ns}text").text or "") == read, n
