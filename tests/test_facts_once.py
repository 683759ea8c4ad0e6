"""Each stage runs once per render (pipeline): the facts are computed once, a `--standards` file is read
once and the training view's case is anonymised once, whatever the format and view; renderers receive what
the earlier stages made (`prepare.Prepared`) and re-run nothing.

Before this was made so, an HTML render computed the facts twice and a PDF of the hearing view three times
(its measuring pass, its report, its one-page chart), re-reading the standards file each time.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import timeline.facts.compute
import timeline.facts.standards
import timeline.model.anonymise
from timeline.io.read import load_case
from timeline.model.case import Case
from timeline.pipeline import RenderOptions, render_case

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("svg", "scene-json", "html", "pdf", "png")
VIEWS = ("full", "hearing", "training")


@pytest.fixture(scope="module")
def case() -> Case:
    return load_case(ROOT / "samples" / "home.yaml").case


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts of the stage functions called (each stage imports them from their module when it runs)."""
    counts: Counter[str] = Counter()

    def counting(name: str, module: Any, attr: str) -> None:
        real = getattr(module, attr)

        def counted(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, attr, counted)

    counting("facts", timeline.facts.compute, "compute_facts")
    counting("standards file reads", timeline.facts.standards, "read_text")
    counting("anonymise", timeline.model.anonymise, "anonymise")
    return counts


RENDERS = [(fmt, view, as_drawn) for fmt in FORMATS for view in VIEWS
           for as_drawn in ((False, True) if fmt in ("svg", "scene-json") else (False,))]  # as_drawn: charts only


@pytest.mark.parametrize(("fmt", "view", "as_drawn"), RENDERS,
                         ids=[f"{f}-{v}{'-as-drawn' if a else ''}" for f, v, a in RENDERS])
def test_each_stage_runs_once_per_render(fmt: str, view: str, as_drawn: bool, case: Case, calls: Counter[str],
                                         tmp_path: Path) -> None:
    if fmt in ("pdf", "png") or (as_drawn and view == "hearing"):
        pytest.importorskip("weasyprint")
    if fmt == "png":
        pytest.importorskip("pypdfium2")
    standards = tmp_path / "local.yaml"
    standards.write_text("name: Local targets\n", encoding="utf-8")
    options = RenderOptions(format=fmt, view=view, seed="once", standards=str(standards),  # type: ignore[arg-type]
                            as_drawn=as_drawn)
    assert render_case(case, options)
    assert calls["facts"] == 1
    assert calls["standards file reads"] == 1
    assert calls["anonymise"] == (1 if view == "training" else 0)


def test_the_as_at_date_is_read_once_at_the_start(case: Case) -> None:
    """A case built without an as-at date is measured as at the date the pipeline reads once (`with_as_of`);
    the later stages see it explicit, so the chart is the one of that date given in the file."""
    from datetime import date

    from timeline.pipeline import with_as_of

    undated = case.model_copy(update={"as_of": None})
    fixed = with_as_of(undated, today=lambda: date(2021, 6, 30))
    assert fixed.as_of == date(2021, 6, 30) and with_as_of(case) is case
    options = RenderOptions(format="scene-json")
    assert render_case(fixed, options) == render_case(case.model_copy(update={"as_of": date(2021, 6, 30)}), options)
    assert render_case(undated, options) == render_case(with_as_of(undated), options)
