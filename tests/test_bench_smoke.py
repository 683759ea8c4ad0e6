"""The benchmark runs in one command: `python bench/run.py --quick` prints its table and writes its JSON.

Running the benchmark (cold processes, a batch) is marked `slow`: `pytest -m slow` runs it, the default run
does not. Nothing here judges a time: the bench reports timings, these tests only check it ran and
reported them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


@pytest.mark.slow
def test_quick_bench_runs_and_writes_json(tmp_path: Path) -> None:
    import importlib.util

    has_mpl = importlib.util.find_spec("matplotlib") is not None  # the bench extra; the bench runs without it
    out = tmp_path / "quick.json"
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--quick", "--out", str(out)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    rows = {row["events"]: row for row in result["sizes"]}
    assert sorted(rows) == [10, 100]
    for row in rows.values():
        for stage in ("load", "facts", "layout", "svg", "ours_svg", *(("mpl_svg",) if has_mpl else ())):
            assert isinstance(row[stage], float) and row[stage] > 0, (row["events"], stage, row[stage])
        if has_mpl:
            assert row["svg_ratio"] == pytest.approx(row["ours_svg"] / row["mpl_svg"])
    assert "ours_pdf" in rows[10] and "ours_pdf" not in rows[100]
    assert ("mpl_pdf" in rows[10]) == has_mpl
    # The whole CLI from a cold process, on the typical sample.
    assert result["cli"]["sample"].endswith(".yaml")
    assert all(isinstance(result["cli"][f], float) for f in ("svg", "pdf"))
    assert result["batch"]["written"] == 10 and result["batch"]["failed"] == 0
    assert result["batch"]["peak_worker_mb"] > 0
    assert [t["target"] for t in result["targets"]][:2] == ["cold CLI, typical sample -> SVG",
                                                           "cold CLI, typical sample -> PDF"]
    assert len(result["targets"]) == 9
    if has_mpl:  # the cold PDF without the HarfBuzz subsetter, beside matplotlib's cold PDF
        cli = result["cli"]
        assert cli["cold_pdf_ratio"] == pytest.approx(cli["cold_pdf_no_hb_subset"] / cli["cold_mpl_pdf"])
        assert "Cold PDF without the HarfBuzz subsetter" in proc.stdout
    # The table is printed, one line per size, and the JSON's path last.
    assert "Stage medians in ms" in proc.stdout
    assert any(line.split()[:1] == ["100"] for line in proc.stdout.splitlines())
    assert proc.stdout.rstrip().endswith(f"wrote {out}")


def test_synthetic_cases_are_deterministic_valid_and_the_asked_size() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import synth
    finally:
        sys.path.remove(str(BENCH))
    from timeline.io.read import load_text

    assert synth.case_yaml(100, seed=3) == synth.case_yaml(100, seed=3)
    assert synth.case_yaml(100, seed=3) != synth.case_yaml(100, seed=4)
    loaded = load_text(synth.case_yaml(1000, seed=1), "synthetic.yaml")
    assert len(loaded.case.events) == 1000
    assert loaded.warnings == ()
    kinds = [e.kind for e in loaded.case.events]
    assert 80 <= kinds.count("placement") <= 120
    assert all(kinds.count(k) > 0 for k in ("order", "hearing", "meeting", "milestone", "event"))


def test_growth_exponent_fit() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import run
    finally:
        sys.path.remove(str(BENCH))
    assert run.growth_exponent([(1000, 0.1), (10_000, 1.0)]) == pytest.approx(1.0)
    assert run.growth_exponent([(1000, 0.01), (2000, 0.04), (10_000, 1.0)]) == pytest.approx(2.0)
    assert run.growth_exponent([(1000, 0.1)]) is None
