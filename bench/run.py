"""Benchmark (measures every pipeline stage): one command, a table on the terminal, JSON in bench/results/.

    python bench/run.py            # the full run (a few minutes): sizes 10 .. 10,000, cold CLI, batch of 1,000
    python bench/run.py --quick    # a smoke run (seconds): small sizes, one run each, a batch of 10

For deterministic synthetic cases of 10, 100, 1,000 and 10,000 events (bench/synth.py) it times, warm and
in process, each stage separately -- load+validate (io.load_case), facts (facts.compute_facts), layout
(layout.layout), SVG serialisation (render.svg.scene_to_svg) -- and end to end from a validated case to
SVG bytes and to PDF bytes (pipeline.render_case), beside the matplotlib peer (bench/baseline_mpl.py)
drawing the same cases. Then it times the whole CLI from a cold process on the typical sample (and, in turns
with matplotlib's cold PDF, the typical PDF without the HarfBuzz subsetter: the ratio), fits the
growth exponent of layout time against event count (log-log least squares, 1,000 .. 10,000 events), and
renders a batch of typical cases with the batch command's engine. Every figure is a median of several
runs. Targets (issues 8 and 12) are checked at the end; the exit code is 0 even when one is missed -- the table
says which.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from coldstart import compiled_env  # noqa: E402

SIZES = (10, 100, 1000, 10_000)
FIT_SIZES = (1000, 2000, 5000, 10_000)
QUICK_SIZES = (10, 100)
TYPICAL_EVENTS = 60
BATCH_CASES = 1000
BATCH_JOBS = 2
MB = 1024  # KiB per MiB

# Issue 8 targets.
TARGET_CLI_SVG_S = 0.4
TARGET_CLI_PDF_S = 1.2
TARGET_LAYOUT_SVG_10K_S = 2.0
TARGET_EXPONENT = 1.15
TARGET_SVG_RATIO = 0.5
TARGET_PDF_RATIO = 1.0
TARGET_COLD_PDF_RATIO = 0.75  # issue 12: cold typical PDF without the HarfBuzz subsetter / cold matplotlib PDF
TARGET_BATCH_S = 60.0
TARGET_WORKER_MB = 250.0


def median_time(fn: Callable[[], object], runs: int, *, warmup: int = 1) -> float:
    """Median wall time of `fn` over `runs` calls, after `warmup` untimed calls (caches, imports)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(max(1, runs)):
        gc.collect()  # start each run from the same heap: garbage from the last run is not this run's cost
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def growth_exponent(points: list[tuple[int, float]]) -> float | None:
    """Slope of log(time) against log(n), least squares; None with fewer than two usable points."""
    usable = [(math.log(n), math.log(t)) for n, t in points if n > 0 and t > 0]
    if len(usable) < 2:
        return None
    mx = statistics.fmean(x for x, _ in usable)
    my = statistics.fmean(y for _, y in usable)
    sxx = sum((x - mx) ** 2 for x, _ in usable)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in usable) / sxx


# ---------------------------------------------------------------- the stages under test


@dataclass(frozen=True)
class Stages:
    """The pipeline's stage functions, or None where a stage has not landed yet (the bench still runs)."""

    load: Callable[[Path], Any]
    facts: Callable[[Any], Any] | None
    layout: Callable[[Any, Any], Any] | None
    svg: Callable[[Any], str] | None
    render: Callable[[Any, str], bytes]
    has_pdf: bool


def find_stages() -> Stages:
    """Import what exists of the pipeline."""
    from timeline.io.read import load_case
    from timeline.pipeline import RenderOptions, render_case

    def load(path: Path) -> Any:
        return load_case(path).case

    facts_fn: Callable[[Any], Any] | None = None
    layout_fn: Callable[[Any, Any], Any] | None = None
    svg_fn: Callable[[Any], str] | None = None
    try:
        from timeline.facts.compute import compute_facts

        facts_fn = compute_facts
    except ImportError:
        pass
    try:
        from timeline.chart.layout import layout
        from timeline.chart.metrics import default_metrics
        from timeline.scene.theme import DEFAULT_THEME, printable_width_px

        width = printable_width_px("A4")

        def layout_fn(case: Any, facts: Any) -> Any:
            return layout(case, facts=facts, theme=DEFAULT_THEME, metrics=default_metrics(), width=width)

    except ImportError:
        pass
    try:
        from timeline.render.svg import scene_to_svg

        svg_fn = scene_to_svg
    except ImportError:
        pass

    def render(case: Any, fmt: str, view: str = "full") -> bytes:
        return render_case(case, RenderOptions(format=fmt, view=view))  # type: ignore[arg-type]

    import importlib.util

    has_pdf = importlib.util.find_spec("timeline.render.pdf") is not None
    return Stages(load, facts_fn, layout_fn, svg_fn, render, has_pdf)


def mpl_render() -> Callable[[Any, str], bytes] | None:
    """The matplotlib peer, or None when matplotlib is not installed (pip install -e '.[bench]')."""
    try:
        import baseline_mpl
    except ImportError:
        return None
    return lambda case, fmt: baseline_mpl.render(case, fmt=fmt)


# ---------------------------------------------------------------- measurements


def bench_size(n: int, folder: Path, stages: Stages, peer: Callable[[Any, str], bytes] | None, *, runs: int,
               pdf: bool) -> dict[str, Any]:
    """All in-process timings for one synthetic case of n events (seconds, medians)."""
    path = synth.write_case(folder / f"synthetic-{n}.yaml", n)
    row: dict[str, Any] = {"events": n, "bytes": path.stat().st_size}
    row["load"] = median_time(lambda: stages.load(path), runs)
    case = stages.load(path)
    facts = None
    if stages.facts is not None:
        row["facts"] = median_time(lambda: stages.facts(case), runs)  # type: ignore[misc]
        facts = stages.facts(case)
    if stages.layout is not None:
        row["layout"] = median_time(lambda: stages.layout(case, facts), runs)  # type: ignore[misc]
        scene = stages.layout(case, facts)
        if stages.svg is not None:
            row["svg"] = median_time(lambda: stages.svg(scene), runs)  # type: ignore[misc]
            row["layout_svg"] = row["layout"] + row["svg"]
    try:
        row["ours_svg"] = median_time(lambda: stages.render(case, "svg"), runs)
    except Exception as exc:  # a stage still being written: say so, keep measuring the rest
        row["ours_svg_error"] = f"{exc.__class__.__name__}: {str(exc)[:120]}"
    if pdf and stages.has_pdf:
        try:
            row["ours_pdf"] = median_time(lambda: stages.render(case, "pdf"), runs)
            # Like for like with matplotlib's one chart: the one-page hearing view (chart, key, words), where
            # the full report above also lays out the whole chronology table over many pages.
            row["ours_chart_pdf"] = median_time(lambda: stages.render(case, "pdf", "hearing"), runs)
        except Exception as exc:
            row["ours_pdf_error"] = f"{exc.__class__.__name__}: {str(exc)[:120]}"
    if peer is not None:
        row["mpl_svg"] = median_time(lambda: peer(case, "svg"), runs)
        if pdf:
            row["mpl_pdf"] = median_time(lambda: peer(case, "pdf"), runs)
    for ours, theirs, key in (("ours_svg", "mpl_svg", "svg_ratio"), ("ours_pdf", "mpl_pdf", "pdf_ratio"),
                              ("ours_chart_pdf", "mpl_pdf", "chart_pdf_ratio")):
        if ours in row and theirs in row:
            row[key] = row[ours] / row[theirs]
    return row


def _bound(fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """fn with its arguments bound now (a lambda in a loop would see the loop's last values)."""
    return lambda: fn(*args)


def in_fresh_process(what: str, n: int, *, runs: int, pdf: bool = False, mpl: bool = True) -> dict[str, Any]:
    """Run one size's measurements in a new interpreter, so no other size's (or matplotlib's) objects are
    on the heap: Python's garbage collector scans every live object, so a crowded harness would slow
    the stage under test and blur the growth exponent."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", what, "--child-n", str(n), "--runs", str(runs)]
    cmd += [] if pdf else ["--pdf-max", "0"]
    cmd += [] if mpl else ["--no-mpl"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"events": n, "error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    row: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return row


def child_main(what: str, n: int, *, runs: int, pdf_max: int, mpl: bool) -> int:
    """The body of a fresh process: one size, printed as one JSON line."""
    stages = find_stages()
    with tempfile.TemporaryDirectory(prefix="timeline-bench-") as tmp:
        if what == "size":
            row = bench_size(n, Path(tmp), stages, mpl_render() if mpl else None, runs=runs, pdf=n <= pdf_max)
        else:
            row = bench_fit(Path(tmp), stages, (n,), runs=runs)["points"][0]
    print(json.dumps(row))
    return 0


def bench_fit(folder: Path, stages: Stages, sizes: tuple[int, ...], *, runs: int) -> dict[str, Any]:
    """Layout (and layout + SVG) time at each size, and the fitted growth exponents."""
    if stages.layout is None:
        return {"error": "timeline.chart.layout is not there yet"}
    layout_pts: list[tuple[int, float]] = []
    both_pts: list[tuple[int, float]] = []
    points = []
    lay, svg = stages.layout, stages.svg
    for n in sizes:
        case = stages.load(synth.write_case(folder / f"fit-{n}.yaml", n))
        facts = stages.facts(case) if stages.facts is not None else None
        t_layout = median_time(_bound(lay, case, facts), runs)
        scene = lay(case, facts)
        t_svg = median_time(_bound(svg, scene), runs) if svg is not None else 0.0
        layout_pts.append((n, t_layout))
        both_pts.append((n, t_layout + t_svg))
        points.append({"events": n, "layout": t_layout, "svg": t_svg, "layout_svg": t_layout + t_svg})
    return {
        "points": points,
        "layout_exponent": growth_exponent(layout_pts),
        "layout_svg_exponent": growth_exponent(both_pts),
    }


def fit_in_fresh_processes(sizes: tuple[int, ...], *, runs: int) -> dict[str, Any]:
    """bench_fit, one fresh process per size."""
    points = [in_fresh_process("fit", n, runs=runs) for n in sizes]
    bad = [p for p in points if "error" in p]
    if bad:
        return {"error": bad[0]["error"]}
    return {
        "points": points,
        "layout_exponent": growth_exponent([(p["events"], p["layout"]) for p in points]),
        "layout_svg_exponent": growth_exponent([(p["events"], p["layout_svg"]) for p in points]),
    }


def timeline_command() -> list[str]:
    """`python -m timeline`: the command with its start-up (`cli.run`), from the tree being measured (an
    installed `timeline` script made by an older install may still call `cli.main`, without the start-up)."""
    return [sys.executable, "-m", "timeline"]


def typical_sample() -> Path:
    """The bundled sample whose event count is nearest the typical case (about 60 events)."""
    import yaml

    best: tuple[int, Path] | None = None
    for path in sorted((ROOT / "samples").glob("*.yaml")):
        n = len(yaml.safe_load(path.read_text(encoding="utf-8")).get("events") or [])
        if best is None or abs(n - TYPICAL_EVENTS) < abs(best[0] - TYPICAL_EVENTS):
            best = (n, path)
    if best is None:
        raise SystemExit("no samples/*.yaml to time the CLI on")
    return best[1]


def _children_cpu() -> float:
    """User + system CPU seconds of all finished child processes so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return float(usage.ru_utime + usage.ru_stime)


def bench_cli(folder: Path, *, runs: int) -> dict[str, Any]:
    """`timeline render SAMPLE -o x.svg` (and x.pdf) as a fresh process each time: wall-clock medians."""
    sample = typical_sample()
    out: dict[str, Any] = {"sample": sample.name, "command": [*timeline_command(), "render", "SAMPLE", "-o", "x.svg"]}
    env = compiled_env()
    # The one-page hearing view is timed too: it shows what the multi-page chronology table costs.
    for fmt, suffix, extra in (("svg", "svg", []), ("pdf", "pdf", []), ("pdf_hearing", "pdf", ["--view", "hearing"])):
        target = folder / f"cold-{fmt}.{suffix}"
        cmd = [*timeline_command(), "render", str(sample), "-o", str(target), *extra]
        first = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)  # also warms the disk cache
        if first.returncode != 0:
            out[f"{fmt}_error"] = (first.stderr or first.stdout).strip().splitlines()[-1:] or ["failed"]
            continue
        times, cpu = [], []
        for _ in range(max(1, runs)):
            before = _children_cpu()
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env, check=True)
            times.append(time.perf_counter() - start)
            cpu.append(_children_cpu() - before)
        out[fmt] = statistics.median(times)
        out[f"{fmt}_cpu"] = statistics.median(cpu)  # user + system: less sensitive to other load on the machine
        out[f"{fmt}_runs"] = times
    out.update(bench_cold_pdf_against_mpl(folder, sample, runs=runs, env=env))
    return out


def bench_cold_pdf_against_mpl(folder: Path, sample: Path, *, runs: int, env: dict[str, str]) -> dict[str, Any]:
    """The typical PDF as a new process on a machine without HarfBuzz's subsetter (hidden by
    bench/without_harfbuzz_subset.py, as the tests hide it: WeasyPrint's loader is refused the library, so
    `weasyprint.text.ffi.harfbuzz_subset` is None, which the run checks), and as this machine is, beside
    matplotlib drawing the same case to PDF as a new process (bench/baseline_mpl.py, which loads the file with
    the same loader). The bundled fonts are embedded whole, so no subsetter runs on this case either way and
    the bytes are the same (checked): the two figures differ only by the loading of the library.
    The three run in turns, run after run, so all see the same load on the machine; the ratios are of the
    medians (wall clock, and CPU time)."""
    import importlib.util

    if importlib.util.find_spec("matplotlib") is None:
        return {"cold_pdf_ratio_error": "matplotlib is not installed (pip install -e '.[bench]')"}
    commands = {
        "cold_pdf_no_hb_subset": [sys.executable, str(HERE / "without_harfbuzz_subset.py"), "render", str(sample),
                                  "-o", str(folder / "cold-no-hb-subset.pdf")],
        "cold_pdf_as_installed": [sys.executable, "-m", "timeline", "render", str(sample),
                                  "-o", str(folder / "cold-as-installed.pdf")],
        "cold_mpl_pdf": [sys.executable, str(HERE / "baseline_mpl.py"), str(sample), str(folder / "cold-mpl.pdf")],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for name, cmd in commands.items():  # untimed first runs: disk cache, bytecode
        first = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if first.returncode != 0:
            return {"cold_pdf_ratio_error": f"{name}: " + ((first.stderr or first.stdout).strip().splitlines()
                                                            or ["failed"])[-1]}
    for _ in range(max(1, runs)):
        for name, cmd in commands.items():
            before = _children_cpu()
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env, check=True)
            times[name].append(time.perf_counter() - start)
            cpu[name].append(_children_cpu() - before)
    out: dict[str, Any] = {}
    for name in commands:
        out[name] = statistics.median(times[name])
        out[f"{name}_cpu"] = statistics.median(cpu[name])
        out[f"{name}_runs"] = times[name]
    out["cold_pdf_bytes"] = (folder / "cold-no-hb-subset.pdf").stat().st_size
    out["cold_mpl_pdf_bytes"] = (folder / "cold-mpl.pdf").stat().st_size
    out["cold_pdf_ratio"] = out["cold_pdf_no_hb_subset"] / out["cold_mpl_pdf"]
    out["cold_pdf_cpu_ratio"] = out["cold_pdf_no_hb_subset_cpu"] / out["cold_mpl_pdf_cpu"]
    out["cold_pdf_as_installed_ratio"] = out["cold_pdf_as_installed"] / out["cold_mpl_pdf"]
    out["cold_pdf_as_installed_cpu_ratio"] = out["cold_pdf_as_installed_cpu"] / out["cold_mpl_pdf_cpu"]
    out["cold_pdf_same_bytes"] = ((folder / "cold-no-hb-subset.pdf").read_bytes()
                                  == (folder / "cold-as-installed.pdf").read_bytes())
    probe = ("from timeline.render.pdf import import_weasyprint; import_weasyprint()\n"  # as a render imports it
             "from weasyprint.text.ffi import harfbuzz_subset; print(harfbuzz_subset is not None)")
    hidden = subprocess.run([sys.executable, str(HERE / "without_harfbuzz_subset.py"), "--probe", probe],
                            capture_output=True, text=True, env=env, check=False).stdout.strip()
    installed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                               check=False).stdout.strip()
    out["harfbuzz_subset_hidden"] = hidden == "False"
    out["harfbuzz_subset_installed"] = installed == "True"
    return out


_BATCH_CHILD = """
import json, sys, time
from timeline.cli.batch import run_batch
from timeline.pipeline import RenderOptions
start = time.perf_counter()
r = run_batch([sys.argv[1]], outdir=sys.argv[2], options=RenderOptions(format=sys.argv[3]), jobs=int(sys.argv[4]))
print(json.dumps({"seconds": r.seconds, "workers": r.workers, "written": r.written, "failed": len(r.failed),
                  "peak_worker_kb": r.peak_rss_kb, "first_failure": r.failed[0].message if r.failed else None}))
"""


def bench_batch(folder: Path, *, cases: int, jobs: int, fmt: str = "svg") -> dict[str, Any]:
    """Render `cases` typical synthetic cases with the batch engine in a fresh process; wall time and memory."""
    try:
        import timeline.cli.batch  # noqa: F401
    except ImportError:
        return {"error": "timeline.cli.batch is not there yet"}
    inputs = folder / "caseload"
    outdir = folder / "caseload-out"
    synth.write_caseload(inputs, cases, TYPICAL_EVENTS)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _BATCH_CHILD, str(inputs), str(outdir), fmt, str(jobs)],
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out.update({"cases": cases, "jobs": jobs, "format": fmt, "wall_with_startup": wall,
                "peak_worker_mb": out["peak_worker_kb"] / MB})
    return out


# ---------------------------------------------------------------- report


def check_targets(sizes: list[dict[str, Any]], fit: dict[str, Any], cli: dict[str, Any],
                  batch: dict[str, Any]) -> list[dict[str, Any]]:
    """Each issue-8 target: measured value, limit, pass/fail (None when not measured)."""
    def target(name: str, value: float | None, limit: float, unit: str) -> dict[str, Any]:
        return {"target": name, "value": value, "limit": limit, "unit": unit,
                "ok": None if value is None else value <= limit}

    by_n = {r["events"]: r for r in sizes}
    fit_10k = next((p["layout_svg"] for p in fit.get("points", []) if p["events"] == 10_000), None)
    ten_k = by_n.get(10_000, {}).get("layout_svg", fit_10k)
    svg_ratios = [r["svg_ratio"] for r in sizes if "svg_ratio" in r]
    pdf_ratios = [r["chart_pdf_ratio"] for r in sizes if "chart_pdf_ratio" in r]
    return [
        target("cold CLI, typical sample -> SVG", cli.get("svg"), TARGET_CLI_SVG_S, "s"),
        target("cold CLI, typical sample -> PDF", cli.get("pdf"), TARGET_CLI_PDF_S, "s"),
        target("layout + SVG, 10,000 events", ten_k, TARGET_LAYOUT_SVG_10K_S, "s"),
        target("layout growth exponent, 1,000..10,000", fit.get("layout_exponent"), TARGET_EXPONENT, ""),
        target("our SVG / matplotlib SVG (worst size)", max(svg_ratios) if svg_ratios else None,
               TARGET_SVG_RATIO, "x"),
        target("our one-page chart PDF / matplotlib PDF (worst size)", max(pdf_ratios) if pdf_ratios else None,
               TARGET_PDF_RATIO, "x"),
        target("cold typical PDF without the HarfBuzz subsetter / cold matplotlib PDF", cli.get("cold_pdf_ratio"),
               TARGET_COLD_PDF_RATIO, "x"),
        target(f"batch of {batch.get('cases', BATCH_CASES)} to SVG, {batch.get('jobs', BATCH_JOBS)} processes",
               batch.get("seconds"), TARGET_BATCH_S, "s"),
        target("peak worker memory in the batch", batch.get("peak_worker_mb"), TARGET_WORKER_MB, "MB"),
    ]


def _ms(value: Any) -> str:
    return f"{value * 1000:9.1f}" if isinstance(value, float) else f"{'-':>9}"


def _x(value: Any) -> str:
    return f"{value:7.2f}x" if isinstance(value, float) else f"{'-':>8}"


def print_report(result: dict[str, Any]) -> None:
    """The table (milliseconds, medians) and the targets."""
    cols = ("load", "facts", "layout", "svg", "ours_svg", "mpl_svg", "ours_pdf", "ours_chart_pdf", "mpl_pdf")
    heads = ("load", "facts", "layout", "svg", "->SVG", "mpl SVG", "->report", "->chart", "mpl PDF")
    print(f"\nStage medians in ms (warm, in process; ->SVG/->PDF: validated case to bytes), runs={result['runs']}")
    print(f"{'events':>7} " + " ".join(f"{h:>9}" for h in heads) + f" {'SVG/mpl':>8} {'rep/mpl':>8} {'chart/mpl':>9}")
    for row in result["sizes"]:
        cells = " ".join(_ms(row.get(c)) for c in cols)
        ratios = f"{_x(row.get('svg_ratio'))} {_x(row.get('pdf_ratio'))} {_x(row.get('chart_pdf_ratio')):>9}"
        print(f"{row['events']:>7} {cells} {ratios}")
        for key in ("error", "ours_svg_error", "ours_pdf_error"):
            if key in row:
                print(f"{'':>7} {key}: {row[key]}")
    fit = result["fit"]
    if "points" in fit:
        pts = ", ".join(f"{p['events']}: {p['layout'] * 1000:.0f}+{p['svg'] * 1000:.0f} ms" for p in fit["points"])
        exp = fit["layout_exponent"]
        both = fit["layout_svg_exponent"]
        print(f"\nLayout + SVG by size ({pts})")
        print(f"growth exponent: layout {exp:.2f}, layout + SVG {both:.2f}" if exp is not None else "")
    elif fit:
        print(f"\nfit: {fit.get('error', 'skipped')}")
    cli = result["cli"]
    if cli:
        parts = (f"{f} {cli[f]:.3f} s wall, {cli[f + '_cpu']:.3f} s CPU" if f in cli
                 else f"{f} {cli.get(f + '_error')}" for f in ("svg", "pdf", "pdf_hearing"))
        print(f"\nCold CLI on {cli.get('sample')}: " + ", ".join(parts))
        if "cold_pdf_ratio" in cli:
            print(f"Cold PDF without the HarfBuzz subsetter {cli['cold_pdf_no_hb_subset']:.3f} s "
                  f"({cli['cold_pdf_bytes'] / 1000:.0f} KB), matplotlib PDF {cli['cold_mpl_pdf']:.3f} s "
                  f"({cli['cold_mpl_pdf_bytes'] / 1000:.0f} KB), each a new process, in turns: "
                  f"ratio {cli['cold_pdf_ratio']:.2f}x wall, {cli['cold_pdf_cpu_ratio']:.2f}x CPU")
            print(f"Cold PDF as this machine is (HarfBuzz subsetter "
                  f"{'installed' if cli['harfbuzz_subset_installed'] else 'absent'}; hidden above: "
                  f"{cli['harfbuzz_subset_hidden']}) {cli['cold_pdf_as_installed']:.3f} s: ratio "
                  f"{cli['cold_pdf_as_installed_ratio']:.2f}x wall, {cli['cold_pdf_as_installed_cpu_ratio']:.2f}x "
                  f"CPU; the same bytes both ways: {cli['cold_pdf_same_bytes']}")
        elif "cold_pdf_ratio_error" in cli:
            print(f"Cold PDF against matplotlib: {cli['cold_pdf_ratio_error']}")
    batch = result["batch"]
    if batch:
        if "error" in batch:
            print(f"\nBatch: {batch['error']}")
        else:
            print(f"\nBatch: {batch['written']} of {batch['cases']} typical cases to {batch['format'].upper()} with "
                  f"{batch['workers']} processes in {batch['seconds']:.1f} s ({batch['wall_with_startup']:.1f} s with "
                  f"interpreter start), {batch['failed']} failed, peak worker memory {batch['peak_worker_mb']:.0f} MB")
    load = result["meta"]["load_average"]
    print(f"\nTargets (issues 8 and 12); load average at start {load[0]:.2f} on {result['meta']['cpus']} CPUs")
    for t in result["targets"]:
        mark = "n/a " if t["ok"] is None else ("PASS" if t["ok"] else "MISS")
        value = "not measured" if t["value"] is None else f"{t['value']:.3f}{t['unit']}"
        print(f"  {mark}  {t['target']}: {value} (limit {t['limit']}{t['unit']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smoke run: sizes 10 and 100, one run, batch of 10")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per figure (median); default 5, quick 1")
    parser.add_argument("--sizes", default=None, help="comma-separated event counts (default 10,100,1000,10000)")
    parser.add_argument("--pdf-max", type=int, default=1000, help="largest case rendered to PDF (default 1000)")
    parser.add_argument("--batch-cases", type=int, default=None, help=f"cases in the batch (default {BATCH_CASES})")
    parser.add_argument("--jobs", type=int, default=BATCH_JOBS, help=f"batch processes (default {BATCH_JOBS})")
    parser.add_argument("--no-fit", action="store_true", help="skip the growth fit")
    parser.add_argument("--no-cli", action="store_true", help="skip the cold CLI runs")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch")
    parser.add_argument("--no-mpl", action="store_true", help="skip the matplotlib peer")
    parser.add_argument("--out", default=None, help="JSON file to write (default bench/results/bench-TIME.json)")
    parser.add_argument("--child", choices=("size", "fit"), help=argparse.SUPPRESS)
    parser.add_argument("--child-n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args.child, args.child_n, runs=args.runs or 1, pdf_max=args.pdf_max, mpl=not args.no_mpl)

    quick = args.quick
    runs = args.runs if args.runs is not None else (1 if quick else 5)
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else (QUICK_SIZES if quick else SIZES)
    pdf_max = min(args.pdf_max, 10) if quick else args.pdf_max
    batch_cases = args.batch_cases if args.batch_cases is not None else (10 if quick else BATCH_CASES)

    import importlib.metadata
    import importlib.util

    has_mpl = not args.no_mpl and importlib.util.find_spec("matplotlib") is not None
    result: dict[str, Any] = {
        "meta": {
            "python": platform.python_version(),
            "platform": platform.platform(terse=True),
            "cpus": os.cpu_count(),
            "quick": quick,
            "matplotlib": importlib.metadata.version("matplotlib") if has_mpl else None,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "load_average": os.getloadavg(),  # other work on the machine inflates wall times
        },
        "runs": runs,
    }
    with tempfile.TemporaryDirectory(prefix="timeline-bench-") as tmp:
        folder = Path(tmp)
        rows = []
        for n in sizes:
            print(f"timing {n} events ...", file=sys.stderr, flush=True)
            size_runs = runs if n < 10_000 else max(1, (runs + 1) // 2)
            rows.append(in_fresh_process("size", n, runs=size_runs, pdf=n <= pdf_max, mpl=has_mpl))
        result["sizes"] = rows
        fit_sizes = tuple(n for n in FIT_SIZES if n <= max(sizes))
        result["fit"] = {} if args.no_fit or quick else fit_in_fresh_processes(fit_sizes, runs=runs)
        print("timing the cold CLI ...", file=sys.stderr, flush=True)
        result["cli"] = {} if args.no_cli else bench_cli(folder, runs=runs)
        print(f"timing a batch of {batch_cases} ...", file=sys.stderr, flush=True)
        result["batch"] = {} if args.no_batch else bench_batch(folder, cases=batch_cases, jobs=args.jobs)
    result["targets"] = check_targets(result["sizes"], result["fit"], result["cli"], result["batch"])
    print_report(result)

    out = Path(args.out) if args.out else HERE / "results" / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
