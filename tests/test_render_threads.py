"""Render stage, from threads: a program (the workspace server) may render several cases at once from
threads of one process; each render's bytes must be exactly those of the same render done alone."""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from timeline.io.read import load_case
from timeline.model.case import Case
from timeline.pipeline import RenderOptions, render_case

ROOT = Path(__file__).resolve().parent.parent
THREADS = 8
# Eight different jobs: four PDFs (the full and the hearing view, which measures its page with WeasyPrint),
# four SVGs, of six different cases.
JOBS: tuple[tuple[str, RenderOptions], ...] = (
    ("adoption", RenderOptions(format="pdf")),
    ("kinship", RenderOptions(format="pdf", view="hearing")),
    ("home", RenderOptions(format="pdf", page="A3", marking="OFFICIAL-SENSITIVE")),
    ("drifting", RenderOptions(format="pdf", view="hearing")),
    ("interim-orders", RenderOptions(format="svg")),
    ("permanence-order", RenderOptions(format="svg")),
    ("adoption", RenderOptions(format="svg", page="A3")),
    ("drifting", RenderOptions(format="svg")),
)


def _digest(case: Case, options: RenderOptions) -> str:
    return hashlib.sha256(render_case(case, options)).hexdigest()


def test_renders_from_eight_threads_at_once_give_the_bytes_of_renders_one_at_a_time() -> None:
    cases = {name: load_case(ROOT / "samples" / f"{name}.yaml").case for name, _ in JOBS}
    # Threaded first, so that WeasyPrint's first import and hook installation also happen under contention.
    start = threading.Barrier(THREADS)

    def job(index: int) -> str:
        name, options = JOBS[index]
        start.wait(timeout=600)
        return _digest(cases[name], options)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        threaded = list(pool.map(job, range(len(JOBS))))
    alone = [_digest(cases[name], options) for name, options in JOBS]
    assert len(JOBS) == THREADS and len(set(alone)) == len(JOBS)  # eight different outputs
    assert threaded == alone
