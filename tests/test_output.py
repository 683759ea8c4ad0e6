"""Nothing lost (issue 7): outputs are written atomically, and every CLI failure path exits with a clear message.

A render that fails (bad input, a full disk, a crash, a killed process) leaves an existing output
byte-for-byte as it was; the non-kill failures leave no temporary file behind, and the next write into
the folder removes what a killed run left. `-o` never writes over the input, and a missing folder is
refused with a message, not a traceback.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli.commands import main
from timeline.io import output as output_module
from timeline.io.output import TEMP_PREFIX, OutputError, atomic_output, write_atomic

SAMPLE = Path(__file__).parent.parent / "samples" / "adoption.yaml"
OLD = b"<svg>the good output of yesterday</svg>\n"
BAD_CASE = (
    "child:\n  name: Amy\n  date_of_birth: 2015-03-14\nevents:\n  - kind: order\n    type: cso\n    start: 2016-13\n"
)
KILL_DEADLINE_S = 60.0  # bound on waiting for the killed render's temporary file
POLL_S = 0.005


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def cli(*args: str) -> tuple[int, str, str, BaseException | None]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr, result.exception


@pytest.fixture
def old_output(tmp_path: Path) -> Path:
    out = tmp_path / "out" / "timeline.svg"
    out.parent.mkdir()
    out.write_bytes(OLD)
    return out


# ---------------------------------------------------------------- write_atomic itself


def test_write_atomic_replaces_and_leaves_nothing_else(old_output: Path) -> None:
    write_atomic(old_output, b"new")
    assert old_output.read_bytes() == b"new"
    assert temps(old_output.parent) == []
    assert oct(old_output.stat().st_mode & 0o777) == oct(0o644 & 0o666 & ~_umask())


@pytest.mark.parametrize("where", ["fsync", "replace", "write"])
def test_full_disk_keeps_the_old_file_and_no_temp(
    old_output: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "write":
        with pytest.raises(OSError, match="No space left"), atomic_output(old_output) as fh:
            fh.write(b"half")
            full()
    else:
        monkeypatch.setattr(output_module.os, where, full)
        with pytest.raises(OSError, match="No space left"):
            write_atomic(old_output, b"new" * 1000)
        monkeypatch.undo()
    assert old_output.read_bytes() == OLD
    assert temps(old_output.parent) == []


def test_an_error_inside_the_block_keeps_the_old_file(old_output: Path) -> None:
    with pytest.raises(RuntimeError), atomic_output(old_output) as fh:
        fh.write(b"partial")
        assert len(temps(old_output.parent)) == 1  # the temporary file exists while the render runs
        raise RuntimeError("renderer crashed")
    assert old_output.read_bytes() == OLD
    assert temps(old_output.parent) == []


def test_targets_that_are_refused(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match=r"the folder '.*nope' does not exist; create it first"):
        write_atomic(tmp_path / "nope" / "a.svg", b"x")
    with pytest.raises(OutputError, match="is a folder; give a file name"):
        write_atomic(tmp_path, b"x")
    with pytest.raises(OutputError, match="is the input file"):
        write_atomic(case, b"x", inputs=(case,))
    link = tmp_path / "link.yaml"
    link.symlink_to(case)
    with pytest.raises(OutputError, match="is the input file"):
        write_atomic(link, b"x", inputs=(case,))
    assert case.read_text(encoding="utf-8") == "x"
    assert temps(tmp_path) == []


def test_stale_temp_of_a_dead_process_is_removed_and_others_are_kept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    token = output_module.host_token()
    stale = tmp_path / f"{TEMP_PREFIX}{dead.stdout.strip()}-{token}-abc123.part"
    mine = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-{token}-zzz.part"
    lookalike = tmp_path / ".timeline-notes.part"
    # Another container or host sharing the folder: its process ids mean nothing here, so a "dead" pid
    # there may be a live render; its file is judged by age only (issue 20).
    other_host = tmp_path / f"{TEMP_PREFIX}{dead.stdout.strip()}-0badf00d-live.part"
    no_token = tmp_path / f"{TEMP_PREFIX}{dead.stdout.strip()}-abc123.part"
    ancient = tmp_path / f"{TEMP_PREFIX}{dead.stdout.strip()}-0badf00d-old.part"
    for p in (stale, mine, lookalike, other_host, no_token, ancient):
        p.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(ancient, (two_days_ago, two_days_ago))
    write_atomic(tmp_path / "a.svg", b"new")
    assert not stale.exists() and not ancient.exists()
    assert mine.exists() and lookalike.exists() and other_host.exists() and no_token.exists()


# ---------------------------------------------------------------- the render command


def test_bad_input_keeps_the_old_output(old_output: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_CASE, encoding="utf-8")
    code, _, err, _ = cli("render", str(bad), "-o", str(old_output))
    assert code == 1
    assert err == f"{bad}:7:12: events[0].start: month 13 does not exist; months run 01 to 12\n"
    assert old_output.read_bytes() == OLD
    assert temps(old_output.parent) == []


def test_full_disk_during_render(old_output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output_module.os, "fsync", full)
    code, _, err, _ = cli("render", str(SAMPLE), "-o", str(old_output))
    assert (code, err) == (1, "error: could not write the output (No space left on device)\n")
    assert old_output.read_bytes() == OLD
    assert temps(old_output.parent) == []


def test_renderer_crash_is_a_message_not_a_traceback(old_output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("layout fell over")

    monkeypatch.setattr("timeline.pipeline.render_case", crash)
    code, _, err, _ = cli("render", str(SAMPLE), "-o", str(old_output))
    assert (code, err) == (1, "error: RuntimeError: layout fell over (run with --debug for details)\n")
    assert old_output.read_bytes() == OLD and temps(old_output.parent) == []
    code, _, _, exc = cli("--debug", "render", str(SAMPLE), "-o", str(old_output))
    assert code == 1 and isinstance(exc, RuntimeError)  # --debug lets the traceback through
    assert old_output.read_bytes() == OLD and temps(old_output.parent) == []


def test_output_never_overwrites_the_input(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_bytes(SAMPLE.read_bytes())
    for target in (str(case), str(tmp_path / "." / "case.yaml")):
        code, _, err, _ = cli("render", str(case), "--format", "svg", "-o", target)
        assert (code, err) == (1, f"error: {target}: is the input file; choose another output name\n")
    assert case.read_bytes() == SAMPLE.read_bytes()
    assert temps(tmp_path) == []


def test_missing_output_folder_is_refused_before_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr("timeline.pipeline.render_case", lambda *a, **k: calls.append(a) or b"")
    target = tmp_path / "no such folder" / "a.pdf"
    code, _, err, _ = cli("render", str(SAMPLE), "-o", str(target))
    assert code == 1
    assert err == f"error: {target}: the folder '{target.parent}' does not exist; create it first or choose another\n"
    assert calls == [] and not target.parent.exists()


def test_unwritable_folder(old_output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(output_module, "_create_temp", denied)
    code, _, err, _ = cli("render", str(SAMPLE), "-o", str(old_output))
    assert (code, err) == (1, "error: could not write the output (Permission denied)\n")
    assert old_output.read_bytes() == OLD


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["render", "{case}", "-o", "{tmp}/a.txt"], 2, "cannot tell the format from"),
        (["render", "{case}"], 2, "Missing option '-o' / '--output'"),
        (["render", "{case}", "-o", "{tmp}/a.svg", "--as-of", "2019-13-01"], 2, "month 13 does not exist"),
        (["render", "{case}", "-o", "{tmp}/a.svg", "--width", "5"], 2, "5.0 is not in the range 320<=x<=20000"),
        (["render", "{case}", "-o", "{tmp}/a.svg", "--bogus"], 2, "No such option '--bogus'"),
        (["render", "{tmp}/missing.yaml", "-o", "{tmp}/a.svg"], 1, "missing.yaml: no such file; check the name"),
        (["render", "{tmp}/empty", "-o", "{tmp}/a.svg"], 1, "holds no case files (.yaml, .yml, .json)"),
        (["validate", "{tmp}/missing.yaml"], 1, "missing.yaml: no such file; check the name"),
        (["validate"], 2, "Missing argument 'FILES...'"),
        (["summary", "{tmp}/missing.yaml"], 1, "missing.yaml: no such file; check the name"),
        (["anonymise", "{tmp}/missing.yaml", "-o", "{tmp}/b.yaml"], 1, "missing.yaml: no such file; check the name"),
        (["init", "{case}"], 1, "exists; use --force to overwrite it"),
        (["vocab", "nonsense"], 2, "'nonsense' is not one of 'placement', 'order'"),
        (["nonsense"], 2, "No such command 'nonsense'"),
    ],
)
def test_every_failure_path_has_an_exit_code_and_a_message(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    case = tmp_path / "case.yaml"
    case.write_bytes(SAMPLE.read_bytes())
    (tmp_path / "empty").mkdir()
    filled = [a.format(case=case, tmp=tmp_path) for a in args]
    got, out, err, exc = cli(*filled)
    assert got == code, (out, err)
    assert message in err
    assert "Traceback" not in err + out
    assert exc is None or isinstance(exc, SystemExit)
    assert case.read_bytes() == SAMPLE.read_bytes()


# ---------------------------------------------------------------- a killed render


def test_killed_pdf_render_keeps_the_old_output(tmp_path: Path) -> None:
    """SIGKILL a real `timeline render` while its temporary file exists: the old PDF stays byte-identical,
    and the next render into the folder clears the dead run's temporary file."""
    big = tmp_path / "big.yaml"
    rows = [
        f"  - kind: hearing\n    type: childrens_hearing\n    date: {2015 + i % 4}-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
        f"    label: Hearing {i}\n    note: {'Words of a long note. ' * 20}\n"
        for i in range(150)
    ]
    big.write_text("child:\n  name: Amy\n  date_of_birth: 2015-03-14\nas_of: 2019-06-01\nevents:\n" + "".join(rows))
    out = tmp_path / "out.pdf"
    old = b"%PDF-1.7 the previous, good output\n"
    out.write_bytes(old)
    proc = subprocess.Popen(
        [sys.executable, "-m", "timeline", "render", str(big), "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + KILL_DEADLINE_S
        while not temps(tmp_path) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(POLL_S)
        assert temps(tmp_path), "the render never created its temporary file"
        assert proc.poll() is None, "the render finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=KILL_DEADLINE_S)
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == old
    left = temps(tmp_path)
    assert len(left) == 1 and left[0].startswith(f"{TEMP_PREFIX}{proc.pid}-")
    code, _, err, _ = cli("render", str(SAMPLE), "--format", "svg", "-o", str(tmp_path / "next.svg"))
    assert code == 0, err
    assert temps(tmp_path) == []
    assert out.read_bytes() == old


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------- targets that are not files (issue 20)


@pytest.mark.parametrize("kind", ["fifo", "devnull", "link-to-devnull", "devfull"])
def test_a_device_or_fifo_is_never_replaced(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        target = tmp_path / "pipe.svg"
        os.mkfifo(target)
    elif kind == "link-to-devnull":
        target = tmp_path / "null.svg"
        target.symlink_to("/dev/null")
    else:
        target = Path("/dev/null" if kind == "devnull" else "/dev/full")
    before = os.lstat(target)
    code, _, err, _ = cli("render", str(SAMPLE), "--format", "svg", "-o", str(target))
    assert code == 1
    assert "is not a regular file (a device, pipe or socket)" in err, err
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino, after.st_rdev) == (before.st_mode, before.st_ino, before.st_rdev)
    assert temps(target.parent) == [] or target.parent == Path("/dev")


def test_output_permissions_follow_the_umask_and_never_widen(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "private.svg", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "private.svg").stat().st_mode & 0o777 == 0o600
    kept = tmp_path / "kept.svg"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    old = os.umask(0o022)
    try:
        write_atomic(kept, b"new")
    finally:
        os.umask(old)
    assert kept.read_bytes() == b"new" and kept.stat().st_mode & 0o777 == 0o640


def test_a_fifo_as_input_is_refused_without_blocking(tmp_path: Path) -> None:
    """A reader of a FIFO waits for a writer for ever; the loader refuses it from fstat before reading."""
    for name in ("case.yaml", "chron.csv", "chron.xlsx"):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        extra = ["--name", "Amy", "--dob", "14/03/2015"] if name != "case.yaml" else []
        proc = subprocess.run([sys.executable, "-m", "timeline", "validate", str(fifo), *extra],
                              capture_output=True, text=True, timeout=KILL_DEADLINE_S)
        assert proc.returncode == 1
        assert "is not a regular file (a device, pipe or socket)" in proc.stderr, proc.stderr


def test_case_files_are_never_overwritten_without_force(tmp_path: Path) -> None:
    """`import`, `anonymise` and `render -o x.json` refuse an existing case file, as `init` does (issue 20)."""
    chron = tmp_path / "chron.csv"
    chron.write_text("Date,Type,Details\n20/01/2016,Foster care,Placed\n", encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_bytes(SAMPLE.read_bytes())
    json_case = tmp_path / "case.json"
    json_case.write_text('{"child": {"name": "Amy", "date_of_birth": "2015-03-14"}, "events": []}', encoding="utf-8")
    before = {p: p.read_bytes() for p in (case, json_case)}
    attempts = [
        ["import", str(chron), "--name", "Amy", "--dob", "14/03/2015", "-o", str(case)],
        ["anonymise", str(SAMPLE), "-o", str(case), "--seed", "1"],
        ["render", str(SAMPLE), "-o", str(json_case)],
        ["render", str(SAMPLE), "--format", "svg", "-o", str(case)],
    ]
    for args in attempts:
        code, _, err, _ = cli(*args)
        assert code == 1 and "use --force to overwrite it" in err, (args, err)
    assert {p: p.read_bytes() for p in (case, json_case)} == before
    assert temps(tmp_path) == []
    # A scene JSON written before is an output, not a case file: rendering over it needs no --force.
    scene = tmp_path / "scene.json"
    assert cli("render", str(SAMPLE), "-o", str(scene))[0] == 0
    assert cli("render", str(SAMPLE), "-o", str(scene))[0] == 0
    for args in attempts:
        code, _, err, _ = cli(*args, "--force")
        assert code == 0, (args, err)
