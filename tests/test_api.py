"""The small public Python API: the CLI's pipeline, importable stage by stage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import timeline

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "adoption.yaml"


def test_public_names_resolve() -> None:
    for name in timeline.__all__:
        assert getattr(timeline, name) is not None, name


def test_pipeline_through_the_api() -> None:
    loaded = timeline.load_case(SAMPLE)
    facts = timeline.compute_facts(loaded.case)
    assert facts.placements == 3 and facts.moves == 2
    svg = timeline.render_case(loaded.case, timeline.RenderOptions(format="svg"))
    assert svg.startswith(b"<?xml") and b'role="img"' in svg


def test_importing_the_package_loads_no_stage() -> None:
    code = "import sys, timeline; print(sorted(m for m in sys.modules if m.startswith(('timeline.', 'weasyprint'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
