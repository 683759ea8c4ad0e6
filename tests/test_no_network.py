"""No network, no stray reads (issue 7): a render opens no socket and reads only what it must.

A subprocess (so the audit hook never leaks into other tests) installs `sys.addaudithook`, renders the
hostile markup case to SVG, HTML and PDF, and reports every socket event and every file opened outside
the case file, the output folder, the package, the Python installation and the system font and library
paths. A loopback HTTP server whose address fills the case's URLs proves they are never requested.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_hostile import HOSTILE, Loopback

import timeline

RENDER_TIMEOUT_S = 180
PACKAGE = Path(timeline.__file__).resolve().parent
SYSTEM_PREFIXES = (
    "/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts", "/var/cache/fontconfig", "/usr/share/fontconfig",
    "/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/etc/ld.so.cache", "/usr/share/harfbuzz",
    "/usr/share/zoneinfo", "/etc/localtime", "/dev/null", "/dev/urandom", "/proc/self", "/etc/mime.types",
)  # fmt: skip
LIBRARY_LOOKUP = {"ldconfig", "gcc", "cc", "ld", "objdump", "ld.bfd", "ld.gold", "x86_64-linux-gnu-gcc"}

# Runs in the child: the hook records, the renders run, the findings go to stdout as JSON.
CHILD = r"""
import json, os, site, sys, tempfile
tmp = os.path.realpath(tempfile.gettempdir())
case, outdir, allowed = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
home = os.path.expanduser("~")
allowed += [sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages(), site.getusersitepackages(),
            os.path.join(home, ".cache", "fontconfig"), os.path.join(home, ".fontconfig"), case, outdir]
allowed = [os.path.realpath(a) for a in allowed]
found = {"sockets": [], "opens": [], "spawned": []}
def hook(event, args):
    if event.startswith("socket.") or event in ("urllib.Request", "http.client.connect", "ftplib.connect"):
        found["sockets"].append([event, repr(args)[:200]])
    elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn"):
        program = args[0] if args and isinstance(args[0], (str, bytes)) else repr(args)[:200]
        found["spawned"].append([event, os.fsdecode(program)])
    elif event == "open":
        path = args[0]
        if isinstance(path, int):
            return
        path = os.fsdecode(path)
        real = os.path.realpath(path)
        if os.path.dirname(real) == tmp and os.path.basename(real).startswith(("tmp", "weasyprint-")):
            return  # scratch files of ctypes' library lookup and of WeasyPrint's font loading
        parent = os.path.dirname(real)
        if os.path.dirname(parent) == tmp and os.path.basename(parent).startswith("weasyprint-"):
            return
        if real == tmp:
            return
        if not any(real == a or real.startswith(a.rstrip("/") + "/") for a in allowed):
            found["opens"].append(real)
sys.addaudithook(hook)
from timeline.cli.commands import main
codes = {}
for fmt in ("svg", "html", "pdf"):
    try:
        main(["render", case, "-o", os.path.join(outdir, "out." + fmt)], standalone_mode=False)
        codes[fmt] = 0
    except SystemExit as exc:
        codes[fmt] = exc.code
found["codes"] = codes
sys.stdout.write("\n" + json.dumps(found))
"""


def test_render_opens_no_socket_and_reads_only_what_it_must(tmp_path: Path) -> None:
    with Loopback() as server:
        case = tmp_path / "case" / "markup.yaml"
        case.parent.mkdir()
        text = (HOSTILE / "ok-markup-everywhere.yaml").read_text(encoding="utf-8")
        case.write_text(text.replace("__PORT__", str(server.port)), encoding="utf-8")
        outdir = tmp_path / "out"
        outdir.mkdir()
        allowed = [str(PACKAGE), str(PACKAGE.parent / "templates"), *SYSTEM_PREFIXES]
        run = subprocess.run(
            [sys.executable, "-c", CHILD, str(case), str(outdir), json.dumps(allowed)],
            capture_output=True, text=True, timeout=RENDER_TIMEOUT_S, cwd=tmp_path,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        found = json.loads(run.stdout.rsplit("\n", 1)[-1])
        assert found["codes"] == {"svg": 0, "html": 0, "pdf": 0}
        assert found["sockets"] == []
        # WeasyPrint's library loader falls back on ctypes.util.find_library, which runs ldconfig/gcc/ld
        # (locally, on library names): allowed, anything else spawned is not.
        assert [s for s in found["spawned"] if Path(s[1]).name not in LIBRARY_LOOKUP] == []
        assert sorted(set(found["opens"])) == []
        assert server.requests == []
    assert sorted(p.name for p in outdir.iterdir()) == ["out.html", "out.pdf", "out.svg"]


def test_the_hook_would_see_a_request(tmp_path: Path) -> None:
    """The check above can fail: the same child, made to fetch a URL, reports it and the server sees it."""
    with Loopback() as server:
        code = (
            "import sys, urllib.request\n"
            "seen = []\n"
            "sys.addaudithook(lambda e, a: seen.append(e) if e.startswith('socket.') else None)\n"
            f"urllib.request.urlopen('http://127.0.0.1:{server.port}/probe', timeout=10).read()\n"
            "print('socket.connect' in seen)\n"
        )
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=RENDER_TIMEOUT_S)
        assert run.stdout.strip() == "True", run.stderr
        assert server.requests == ["/probe"]
