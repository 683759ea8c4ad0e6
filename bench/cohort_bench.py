"""Benchmark (the cohort view, issue 16): synthetic cohorts from bench/synth.py, read, measured and drawn.

    python bench/cohort_bench.py                 # a council (500 children) and a nation (12,000), 60 events each
    python bench/cohort_bench.py --children 500  # one size only
    python bench/cohort_bench.py --write DIR --children 200   # just write a synthetic cohort to DIR

Each child is `synth.make_case(60, seed)` with its dates moved so that birth dates and entries spread over
twenty years, and its milestones replaced by a PACE sequence drawn like a real cohort's (looked after ->
permanence recommended -> panel -> ADM -> application -> final order, with waits of weeks to years, some
children stopping at each step), so the run charts and the Kaplan-Meier curve have something to show.
Still 60 events per child. Nothing here is about a real child.

It times `timeline cohort FOLDER -o OUT.pdf --json OUT.json` as a fresh process (wall clock, and peak
RSS of the process tree from /usr/bin/time when present) with -j 2. Targets: 500 children <= 5 s, 12,000
<= 60 s and 2 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
import yaml  # noqa: E402
from coldstart import compiled_env  # noqa: E402

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: writing 12,000 files is slow
EVENTS = 60
AS_OF = date(2026, 7, 31)
TARGETS = {500: 5.0, 12_000: 60.0}
TARGET_RSS_MB = 2048
PACE = ("looked_after", "permanence_recommended", "permanence_panel", "adm_decision", "application_lodged",
        "final_order")
WAITS = {"permanence_recommended": (60, 700), "permanence_panel": (20, 300), "adm_decision": (3, 40),
         "application_lodged": (20, 400), "final_order": (60, 500)}
ROUTE_ORDER = {"home": "cso", "kinship": "kco", "permanence_order": "po", "adoption": "adoption"}


def _iso(day: date) -> str:
    return day.isoformat()


def make_child(seed: int, *, as_of: date = AS_OF) -> dict[str, Any]:
    """One synthetic child of 60 events, moved to its own birth date, with a PACE sequence of milestones."""
    rng = random.Random(f"cohort:{seed}")
    data = synth.make_case(EVENTS, seed=seed)
    first = min(date.fromisoformat(e["start"][:10]) for e in data["events"]
                if e["kind"] == "placement" and len(e["start"]) >= 10)
    # Entries spread over the last eight years; ages at entry from birth to 15 (most under 5).
    entry_at = as_of - timedelta(days=rng.randrange(30, 8 * 365))
    entry_age = int(min(15 * 365, rng.expovariate(1 / (3.5 * 365))))
    shift = (entry_at - first).days
    born = entry_at - timedelta(days=entry_age)

    def move(text: str) -> str:
        suffix = ""
        if text.endswith(("~", "?")):
            text, suffix = text[:-1], text[-1]
        if len(text) == 10:
            return _iso(date.fromisoformat(text) + timedelta(days=shift)) + suffix
        day = date.fromisoformat(text + "-15") + timedelta(days=shift)
        return f"{day.year:04d}-{day.month:02d}" + suffix

    events = [e for e in data["events"] if e["kind"] != "milestone"]
    for e in events:
        for key in ("start", "end", "date"):
            if key in e:
                e[key] = move(e[key])
    starts = sorted(date.fromisoformat(e["start"][:10]) for e in events
                    if e["kind"] == "placement" and len(e["start"]) >= 10)
    entry = starts[0] if starts else born + timedelta(days=200)
    route = rng.choice(("adoption", "adoption", "kinship", "permanence_order", "home"))
    day = entry
    milestones: list[dict[str, Any]] = [{"kind": "milestone", "type": "looked_after", "date": _iso(entry)}]
    for step in PACE[1:]:
        if route in ("home", "kinship") and step in ("permanence_panel", "adm_decision"):
            continue
        lo, hi = WAITS[step]
        day = day + timedelta(days=int(rng.triangular(lo, hi, lo + (hi - lo) * 0.3)))
        if day > as_of or rng.random() < 0.12:
            break
        ev: dict[str, Any] = {"kind": "milestone", "type": step, "date": _iso(day)}
        if step == "permanence_recommended":
            ev["route"] = route
        milestones.append(ev)
    for e in events:  # orders of permanence come from the milestones here, not at random
        if e["kind"] == "order" and e["type"] in ("po", "poa", "kco", "adoption"):
            e["type"] = "cso"
    if milestones[-1]["type"] == "final_order":
        events.append({"kind": "order", "type": ROUTE_ORDER[route], "start": milestones[-1]["date"]})
    room = EVENTS - len(milestones)  # keep 60 events in all: drop or add life events, hearings, meetings
    points = [i for i, e in enumerate(events) if e["kind"] in ("event", "meeting", "hearing")]
    drop = set(points[len(points) - max(0, len(events) - room):]) if len(events) > room else set()
    events = [e for i, e in enumerate(events) if i not in drop]
    for k in range(room - len(events)):
        events.append({"kind": "event", "type": "other", "date": _iso(entry + timedelta(days=30 * (k + 1))),
                       "label": "Family time"})
    events.extend(milestones)
    events.sort(key=lambda e: str(e.get("start", e.get("date")))[:10])
    data["child"] = {"name": f"Child {seed}", "date_of_birth": _iso(born), "ref": f"SC-{seed:05d}"}
    data["as_of"] = _iso(as_of)
    data["events"] = events
    return data


def write_cohort(folder: str | Path, children: int, *, first_seed: int = 0, form: str = "yaml") -> Path:
    """Write `children` synthetic case files into `folder`, one per child, as YAML or JSON."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for seed in range(first_seed, first_seed + children):
        data = make_child(seed)
        if form == "json":
            (out / f"child-{seed:05d}.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
            continue
        body = yaml.dump(data, Dumper=DUMPER, sort_keys=False, allow_unicode=True, width=200)
        (out / f"child-{seed:05d}.yaml").write_text(f"# Synthetic cohort child {seed}; fictional.\n{body}",
                                                    encoding="utf-8")
    return out


def run(children: int, *, jobs: int, keep: str | None = None, form: str = "yaml",
        cases: str | None = None) -> dict[str, Any]:
    """Time one cohort render as a fresh process (of `cases`, a folder written before, when given)."""
    work = Path(tempfile.mkdtemp(prefix="cohort-bench-"))
    try:
        folder = Path(cases) if cases else write_cohort(work / "cases", children, form=form)
        children = sum(1 for f in folder.iterdir() if f.suffix in (".yaml", ".json"))
        pdf, js = work / "cohort.pdf", work / "cohort.json"
        env = compiled_env(PYTHONPATH=str(ROOT))
        command = [sys.executable, "-m", "timeline", "cohort", str(folder), "-o", str(pdf), "--json", str(js),
                   "--as-of", AS_OF.isoformat(), "-j", str(jobs)]
        timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
        if timer:
            command = [timer, "-f", "%e %U %S %M", *command]
        before = os.getloadavg()[0]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        wall = time.perf_counter() - start
        rss_mb = cpu = None
        if timer and done.stderr.strip():
            last = done.stderr.strip().splitlines()[-1].split()
            if len(last) == 4:
                cpu = float(last[1]) + float(last[2])  # user + system of the process and its workers
                rss_mb = int(last[3]) / 1024
        figures = json.loads(js.read_text()) if js.exists() else {}
        if keep:
            shutil.copy(pdf, keep)
        load = os.getloadavg()[0]
        form = "json" if any(folder.glob("*.json")) else "yaml"
        return {"children": children, "form": form, "events_per_child": EVENTS, "jobs": jobs,
                "seconds": round(wall, 2), "cpu_seconds": cpu, "load_average_before": round(before, 2),
                "load_average_after": round(load, 2),
                "peak_rss_mb_largest_process": round(rss_mb, 1) if rss_mb else None, "exit": done.returncode,
                "pdf_bytes": pdf.stat().st_size if pdf.exists() else 0, "read": figures.get("children"),
                "left_out": figures.get("left_out"), "target_s": TARGETS.get(children),
                "stderr_tail": done.stderr.strip().splitlines()[-3:] if done.returncode else []}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def stages(children: int, *, form: str = "yaml", keep: str | None = None, jobs: int = 1,
           cases: str | None = None) -> dict[str, Any]:
    """CPU seconds of each stage (read+measure, aggregate, layout, PDF), in this process and its workers.

    On a shared, busy machine wall times say little; CPU times hardly depend on the load. With `jobs`
    workers, the reading's CPU is theirs (RUSAGE_CHILDREN; tasks are handed out 32 children at a time, so
    each worker does about 1/jobs of it), and the critical path on free cores is: start-up and imports +
    the main process's share of reading + workers' CPU / jobs + aggregate, layout and PDF.
    """

    sys.path.insert(0, str(ROOT))
    work = Path(tempfile.mkdtemp(prefix="cohort-stages-"))
    try:
        folder = Path(cases) if cases else write_cohort(work / "cases", children, form=form)
        if cases:
            form = "json" if any(folder.glob("*.json")) else "yaml"
        import resource

        def workers_cpu() -> float:
            r = resource.getrusage(resource.RUSAGE_CHILDREN)
            return r.ru_utime + r.ru_stime

        t0 = time.process_time()
        from timeline.cohort import CohortOptions, build_cohort, read_inputs
        from timeline.cohort.report import cohort_pages, render_pdf
        from timeline.render.pdf import import_weasyprint

        import_weasyprint()
        t1 = time.process_time()
        w1 = workers_cpu()
        records, left = read_inputs([str(folder)], as_of=AS_OF, jobs=jobs)
        t2 = time.process_time()
        worker_cpu = workers_cpu() - w1
        cohort = build_cohort(records, left, CohortOptions(as_of=AS_OF))
        t3 = time.process_time()
        pages = cohort_pages(cohort)
        t4 = time.process_time()
        pdf = render_pdf(cohort)
        t5 = time.process_time()
        if keep:
            Path(keep).write_bytes(pdf)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = len(records) + len(left)
        main_read, rest = t2 - t1, (t3 - t2) + (t5 - t4)
        read = main_read + worker_cpu
        path = (t1 - t0) + main_read + worker_cpu / max(1, jobs) + rest
        return {"children": children, "form": form, "jobs": jobs, "cpu_import_s": round(t1 - t0, 2),
                "cpu_read_s": round(read, 2), "cpu_read_workers_s": round(worker_cpu, 2),
                "cpu_read_main_s": round(main_read, 2),
                "cpu_read_per_child_ms": round(1000 * read / max(1, children), 2),
                "critical_path_cpu_s": round(path, 2),
                "cpu_aggregate_s": round(t3 - t2, 2), "cpu_layout_s": round(t4 - t3, 2),
                "cpu_pdf_s": round(t5 - t4, 2), "pages": len(pages), "pdf_bytes": len(pdf),
                "peak_rss_mb_one_process": round(peak, 1),
                "estimate_2_free_cores_s": round((t1 - t0) + read / 2 + rest, 1),
                "estimate_8_free_cores_s": round((t1 - t0) + read / 8 + rest, 1)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, action="append", help="cohort size (repeatable)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--write", help="only write a synthetic cohort to this folder")
    parser.add_argument("--keep", help="copy the PDF of the last run here")
    parser.add_argument("--form", choices=("yaml", "json"), default="yaml", help="case files as YAML or JSON")
    parser.add_argument("--stages", action="store_true", help="CPU time per stage in one process instead")
    parser.add_argument("--cases", help="time this folder of case files (written before with --write)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the median is reported")
    args = parser.parse_args()
    sizes = args.children or [500, 12_000]
    if args.write:
        write_cohort(args.write, sizes[0], form=args.form)
        print(f"wrote {sizes[0]} children to {args.write}")
        return 0
    if args.stages:
        for n in ([0] if args.cases else sizes):
            print(json.dumps(stages(n, form=args.form, keep=args.keep, jobs=args.jobs if args.cases else 1,
                                    cases=args.cases)))
        return 0
    for n in ([0] if args.cases else sizes):
        runs = [run(n, jobs=args.jobs, keep=args.keep, form=args.form, cases=args.cases)
                for _ in range(max(1, args.repeat))]
        result = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
        result["all_seconds"] = [r["seconds"] for r in runs]
        result["all_cpu_seconds"] = [r["cpu_seconds"] for r in runs]
        result["all_load_average"] = [(r["load_average_before"], r["load_average_after"]) for r in runs]
        target = result["target_s"]
        verdict = "" if target is None else (" ok" if result["seconds"] <= target else " OVER TARGET")
        print(json.dumps(result) + verdict)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
