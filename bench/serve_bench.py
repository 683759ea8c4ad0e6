"""Benchmark (the workspace, `timeline serve`): edit-to-preview time, PDF download time, memory of 20 sessions.

    python bench/serve_bench.py           # medians of 7 runs (5 at 1,000 events), about a minute
    python bench/serve_bench.py --quick   # one run each, smaller memory check

A real server (the `timeline serve` one, threaded Werkzeug on a free port of 127.0.0.1) in this process;
every figure is measured at the HTTP client (urllib), warm (one untimed run first):

- preview after an edit: PATCH one row's label, then GET the chart SVG the page redraws (as the view draws
  it, with the key pages under it: `pages=1`) -- the time from sending the edit to holding the new chart --
  for cases of 60 and 1,000 events (bench/synth.py), in the full and the hearing view;
- PDF download: GET timeline.pdf of the typical sample (samples/chronology.csv, 32 rows), full report
  and hearing view;
- memory: a fresh interpreter uploads 20 cases of 1,000 events (one per browser session) and draws each
  one's preview, then reports its resident set (VmRSS) and its peak (VmHWM).

Targets (issue 15): preview <= 150 ms at 60 events and <= 500 ms at 1,000; PDF <= 1.5 s; 20 x 1,000 events
< 500 MB resident. The exit code is 0 even when one is missed; the table says which.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import synth  # noqa: E402

TOKEN = "bench-token"


class Client:
    """A browser-like client: it opens the printed address once, then sends the cookie and the Origin."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with self.opener.open(f"{base}/?token={TOKEN}") as resp:
            resp.read()

    def call(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None) -> bytes:
        headers = {"Origin": self.base}
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        with self.opener.open(req) as resp:
            data: bytes = resp.read()
            return data

    def upload(self, filename: str, data: bytes, **fields: str) -> dict[str, Any]:
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        out = self.call("POST", "/api/cases", b"".join(parts), f"multipart/form-data; boundary={boundary}")
        result: dict[str, Any] = json.loads(out)
        return result


def start_server() -> tuple[Any, str]:
    from timeline.serve import make_server

    server = make_server("127.0.0.1", 0, token=TOKEN)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def timed(work: Any, runs: int) -> tuple[list[float], list[float]]:
    """Wall times at the client, and the CPU time this process (server and client) spent, per run.

    On a machine shared with other work the wall time waits for a core; the CPU time says what the
    request itself costs."""
    work()  # warm
    walls, cpus = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return walls, cpus


def preview_after_edit(client: Client, n_events: int, runs: int, view: str = "full") -> tuple[list[float], list[float]]:
    case = client.upload(f"synthetic-{n_events}.yaml", synth.case_yaml(n_events, seed=1).encode("utf-8"))
    cid = case["id"]
    row = case["rows"][len(case["rows"]) // 2]["row"]
    counter = iter(range(10**9))

    def edit() -> None:
        label = f"Edited label {next(counter)}".encode()
        t0 = time.perf_counter()
        answer = json.loads(client.call("PATCH", f"/api/cases/{cid}/events/{row}",
                                        b'{"label": "' + label + b'"}', "application/json"))
        patches.append(time.perf_counter() - t0)
        svg = client.call("GET", f"/api/cases/{cid}/timeline.svg?partial=1&pages=1&view={view}&v={answer['version']}")
        assert svg.startswith(b"<?xml")
        assert label in svg or n_events > 200  # the edit is in the new chart (big charts may shorten labels)

    walls, cpus = timed(edit, runs)
    del patches[:-runs]  # the untimed warm run's edit
    return walls, cpus


patches: list[float] = []  # the wall time of each timed run's PATCH alone (the edit's answer, before the chart)


def pdf_direct(view: str, runs: int) -> tuple[list[float], list[float]]:
    """The typical PDF as `timeline render` makes it (`pipeline.render_case` on the imported case), in this
    process with no server: what the download's figure is compared with (the workspace should add nothing)."""
    from timeline.io.chronology import import_table
    from timeline.io.read import read_table
    from timeline.pipeline import RenderOptions, render_case

    path = ROOT / "samples" / "chronology.csv"
    case = import_table(read_table(path), name="Amy", dob="14/03/2015",
                        as_of="01/06/2019").case
    options = RenderOptions(format="pdf", view=view)  # type: ignore[arg-type]

    def render() -> None:
        assert render_case(case, options).startswith(b"%PDF")

    return timed(render, runs)


def pdf_download(client: Client, view: str, runs: int) -> tuple[list[float], list[float]]:
    case = client.upload("chronology.csv", (ROOT / "samples" / "chronology.csv").read_bytes(),
                         name="Amy", dob="14/03/2015", as_of="01/06/2019")

    def get() -> None:
        data = client.call("GET", f"/api/cases/{case['id']}/timeline.pdf?view={view}")
        assert data.startswith(b"%PDF")

    return timed(get, runs)


def memory(sessions: int, n_events: int) -> dict[str, float]:
    """In a fresh interpreter: hold `sessions` cases of `n_events`, one per browser, each chart drawn once."""
    code = f"""
import sys, json
sys.path[:0] = [{str(HERE)!r}, {str(ROOT)!r}]
import serve_bench as b, synth
server, base = b.start_server()
text = synth.case_yaml({n_events}, seed=2).encode()
for i in range({sessions}):
    c = b.Client(base)
    case = c.upload(f"case-{{i}}.yaml", text)
    c.call("GET", f"/api/cases/{{case['id']}}/timeline.svg?partial=1")
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
kb = lambda k: int(status[k].split()[0])
print(json.dumps({{"rss_mb": kb("VmRSS") / 1024, "peak_mb": kb("VmHWM") / 1024}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="one run each and a smaller memory check")
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server, base = start_server()
    client = Client(base)
    runs = 1 if args.quick else 7
    rows: list[tuple[str, float, float | None, str, bool]] = []
    load = os.getloadavg()[0]
    for n, target, view in ((60, 0.150, "full"), (1000, 0.500, "full"), (60, 0.150, "hearing"),
                            (1000, 0.500, "hearing")):
        walls, cpus = preview_after_edit(client, n, runs if n < 1000 else max(1, runs - 2), view)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        rows.append((f"preview after an edit, {n} events, {view}", wall * 1000, cpu * 1000,
                     f"<= {target * 1000:.0f} ms", wall <= target))
        rows.append(("  of which the edit's answer (PATCH)", statistics.median(patches) * 1000, None, "", True))
        patches.clear()
    for view in ("full", "hearing"):
        walls, cpus = pdf_download(client, view, max(1, runs - 2))
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        rows.append((f"PDF download, typical sample, {view}", wall * 1000, cpu * 1000, "<= 1500 ms", wall <= 1.5))
        walls, cpus = pdf_direct(view, max(1, runs - 2))
        rows.append(("  the same PDF by render_case, no server", statistics.median(walls) * 1000,
                     statistics.median(cpus) * 1000, "(what timeline render does)", True))
    server.shutdown()
    sessions, n_events = (5, 200) if args.quick else (20, 1000)
    mem = memory(sessions, n_events)
    rows.append((f"resident, {sessions} sessions x {n_events} events", mem["rss_mb"], None, "< 500 MB",
                 mem["rss_mb"] < 500))
    rows.append((f"peak resident, {sessions} sessions x {n_events} events", mem["peak_mb"], None, "(peak)", True))
    width = max(len(r[0]) for r in rows)
    print(f"load average at the start: {load:.1f}, at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores); "
          "wall = at the HTTP client, "
          "cpu = this process's CPU time")
    print(f"{'figure':<{width}}  {'wall':>10}  {'cpu':>8}  target")
    for name, value, cpu_ms, target, ok in rows:
        unit = "MB" if "resident" in name else "ms"
        cpu_text = f"{cpu_ms:>5.0f} ms" if cpu_ms is not None else " " * 8
        verdict = ("ok" if ok else "MISSED") if target.startswith(("<", "(peak")) else ""
        print(f"{name:<{width}}  {value:>7.0f} {unit}  {cpu_text}  {target} {verdict}".rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
