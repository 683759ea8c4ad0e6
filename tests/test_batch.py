"""Batch rendering: many cases, in parallel, past bad files, no silent overwrites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import batch
from timeline.cli.batch import Job, find_inputs, is_batch, plan_jobs, render_one, run_batch
from timeline.cli.commands import main
from timeline.pipeline import RenderOptions

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BROKEN = "child:\n  name: Amy\n  date_of_birth: 2015-13-01\nevents: []\n"
TINY = """child:
  name: {name}
  date_of_birth: 2015-03-14
as_of: 2019-06-01
events:
  - kind: placement
    type: foster
    start: 2016-01-20
    label: Foster carers (B)
  - kind: hearing
    type: childrens_hearing
    date: 2016-01-28
    label: ICSO made
"""


def _caseload(folder: Path) -> Path:
    """Two good cases (YAML and JSON-free samples), one broken, and a note that is not a case file."""
    folder.mkdir()
    shutil.copy(SAMPLES / "home.yaml", folder / "home.yaml")
    (folder / "amy.yml").write_text(TINY.format(name="Amy"), encoding="utf-8")
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (folder / "notes.txt").write_text("not a case", encoding="utf-8")
    (folder / ".hidden.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def test_folder_with_a_broken_file_renders_the_good_ones_and_exits_1(tmp_path: Path) -> None:
    cases = _caseload(tmp_path / "cases")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(cases), "-o", f"{out}/", "--format", "svg", "-j", "2"])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["amy.svg", "home.svg"]
    assert (out / "home.svg").read_bytes().startswith(b"<?xml") or b"<svg" in (out / "home.svg").read_bytes()[:400]
    lines = result.stderr.strip().splitlines()
    # One line for the one failure, with the loader's located message, then the summary.
    assert lines[0] == f"{cases}/broken.yaml:3:18: child.date_of_birth: month 13 does not exist; months run 01 to 12"
    assert lines[1].startswith(f"rendered 2 of 3 case files to {out}/ as SVG (1 failed; 2 processes;")
    assert len(lines) == 2
    assert "Traceback" not in result.output
    assert "notes" not in result.output and "hidden" not in result.output


def test_all_good_exits_0_with_summary_on_stdout(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("amy", "ben", "cal"):
        (cases / f"{name}.yaml").write_text(TINY.format(name=name.title()), encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(cases), "-o", str(tmp_path / "out") + "/", "--format", "svg"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith("rendered 3 of 3 case files to ")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["amy.svg", "ben.svg", "cal.svg"]


def test_batch_output_is_the_same_bytes_as_a_single_render(tmp_path: Path) -> None:
    runner = CliRunner()
    single = tmp_path / "single.svg"
    assert runner.invoke(main, ["render", str(SAMPLES / "home.yaml"), "-o", str(single)]).exit_code == 0
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(SAMPLES / "home.yaml"), str(SAMPLES / "kinship.yaml"),
                                  "-o", str(out), "--format", "svg", "-j", "2"])
    assert result.exit_code == 0, result.output
    assert (out / "home.svg").read_bytes() == single.read_bytes()


def test_two_inputs_with_the_same_name_are_both_refused_not_overwritten(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "case.yaml").write_text(TINY.format(name=sub.upper()), encoding="utf-8")
    (tmp_path / "a" / "other.yaml").write_text(TINY.format(name="Other"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(tmp_path / "a"), str(tmp_path / "b"), "-o", f"{out}/",
                                       "--format", "svg"])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["other.svg"]
    errors = [line for line in result.stderr.splitlines() if "would write" in line]
    assert len(errors) == 2
    assert errors[0].startswith(f"{tmp_path}/a/case.yaml: would write {out}/case.svg, as would another input")
    assert errors[1].startswith(f"{tmp_path}/b/case.yaml: would write")
    assert "neither was rendered" in errors[0]
    assert "rendered 1 of 3 case files" in result.stderr


def test_collisions_are_found_case_insensitively_and_across_suffixes() -> None:
    jobs, refused = plan_jobs(["x/Amy.yaml", "y/amy.json", "z/ben.yml"], outdir="out", fmt="pdf")
    assert [j.target for j in jobs] == ["out/ben.pdf"]
    assert [o.source for o in refused] == ["x/Amy.yaml", "y/amy.json"]


def test_output_names_follow_input_names_for_each_format() -> None:
    jobs, refused = plan_jobs(["cases/case.yaml", "b.json", "c.yml"], outdir="o", fmt="scene-json")
    assert refused == []
    assert [(j.source, j.target) for j in jobs] == [("cases/case.yaml", "o/case.json"), ("b.json", "o/b.json"),
                                                     ("c.yml", "o/c.json")]
    assert plan_jobs(["case.yaml"], outdir="o", fmt="pdf")[0][0].target == "o/case.pdf"


def test_missing_input_is_one_failure_line_and_the_rest_still_render(tmp_path: Path) -> None:
    good = tmp_path / "amy.yaml"
    good.write_text(TINY.format(name="Amy"), encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "nope.yaml"), str(good), "-o", str(tmp_path / "o"),
                                       "--format", "svg"])
    assert result.exit_code == 1
    assert (tmp_path / "o" / "amy.svg").exists()
    assert f"{tmp_path}/nope.yaml: no such file or folder; check the name" in result.stderr
    assert "rendered 1 of 2 case files" in result.stderr


def test_folder_inputs_are_expanded_sorted_and_deduplicated(tmp_path: Path) -> None:
    cases = _caseload(tmp_path / "cases")
    (tmp_path / "empty").mkdir()
    files, problems = find_inputs([str(cases), str(cases / "amy.yml"), str(tmp_path / "empty")])
    assert files == [str(cases / "amy.yml"), str(cases / "broken.yaml"), str(cases / "home.yaml")]
    assert [p.message for p in problems] == [f"{tmp_path}/empty: holds no case files (.yaml, .yml, .json)"]


def test_an_unexpected_error_in_one_case_is_one_line_and_the_others_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = batch.render_case

    def flaky(case: object, options: RenderOptions) -> bytes:
        if getattr(getattr(case, "child", None), "name", "") == "Ben":
            raise RuntimeError("layout exploded")
        return real(case, options)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "render_case", flaky)
    for name in ("amy", "ben"):
        (tmp_path / f"{name}.yaml").write_text(TINY.format(name=name.title()), encoding="utf-8")
    seen: list[int] = []
    result = run_batch([str(tmp_path)], outdir=tmp_path / "o", options=RenderOptions(format="svg"), jobs=1,
                       progress=seen.append)
    assert [o.ok for o in result.outcomes] == [True, False]
    assert result.failed[0].message == f"{tmp_path}/ben.yaml: error: RuntimeError: layout exploded"
    assert sum(seen) == 2
    assert result.workers == 1


def test_parallel_batch_keeps_input_order_and_reports_worker_memory(tmp_path: Path) -> None:
    names = [f"case-{i:02d}" for i in range(6)]
    for name in names:
        (tmp_path / f"{name}.yaml").write_text(TINY.format(name=name), encoding="utf-8")
    (tmp_path / "case-03.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_batch([str(tmp_path)], outdir=tmp_path / "o", options=RenderOptions(format="svg"), jobs=2)
    assert result.workers == 2
    assert [Path(o.source).stem for o in result.outcomes] == names
    assert [o.ok for o in result.outcomes] == [True, True, True, False, True, True]
    assert result.written == 5
    assert 10_000 < result.peak_rss_kb < 1_000_000  # KiB: a worker is tens of MB, well under a GB


def test_render_one_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    source = tmp_path / "case.json"
    source.write_text('{"child": {"name": "Amy", "date_of_birth": "2015-03-14"}, "as_of": "2019-01-01", '
                      '"events": []}', encoding="utf-8")
    before = source.read_bytes()
    outcome = render_one(Job(str(source), str(source)), options=RenderOptions(format="scene-json"))
    assert not outcome.ok
    assert outcome.message.startswith(f"{source}: ") and "input file" in outcome.message
    assert source.read_bytes() == before


def test_is_batch() -> None:
    assert not is_batch(["a.yaml"], "a.svg")
    assert is_batch(["a.yaml"], "out/")
    assert is_batch(["a.yaml", "b.yaml"], "out")
    assert is_batch([str(SAMPLES)], "out")


def test_single_render_rejects_jobs_and_batch_rejects_chronology_options(tmp_path: Path) -> None:
    runner = CliRunner()
    one = runner.invoke(main, ["render", str(SAMPLES / "home.yaml"), "-o", str(tmp_path / "x.svg"), "-j", "2"])
    assert one.exit_code == 2 and "-j/--jobs applies to a batch" in one.output
    many = runner.invoke(main, ["render", str(SAMPLES), "-o", str(tmp_path / "o") + "/", "--name", "Amy"])
    assert many.exit_code == 2 and "not to a batch" in many.output
    assert not (tmp_path / "o").exists()


def test_no_progress_bar_when_not_a_terminal(tmp_path: Path) -> None:
    for name in ("amy", "ben"):
        (tmp_path / f"{name}.yaml").write_text(TINY.format(name=name.title()), encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(tmp_path), "-o", str(tmp_path / "o") + "/", "--format", "svg"])
    assert result.exit_code == 0
    assert "Rendering" not in result.output and "%" not in result.output
    assert result.output.count("\n") == 1


def test_a_file_as_the_batch_folder_is_refused_before_anything_renders(tmp_path: Path) -> None:
    target = tmp_path / "out.svg"
    target.write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(SAMPLES / "home.yaml"), str(SAMPLES / "kinship.yaml"),
                                       "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"error: {target}: is a file; a batch writes one output per case into a "
                                     "folder, e.g. -o out/")
    assert target.read_text(encoding="utf-8") == "keep me"


# ---------------------------------------------------------------- issue 20: faults, names, links


def test_a_worker_killed_mid_case_costs_that_case_only_and_a_new_worker_renders_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker rendering 'ben' dies (SIGKILL, as the out-of-memory killer sends): ben alone fails,
    with a message saying so, and every other case is written by the workers that replace it."""
    import os
    import signal

    real = batch.render_case

    def dies_on_ben(case: object, options: RenderOptions) -> bytes:
        if getattr(getattr(case, "child", None), "name", "") == "Ben":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(case, options)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "render_case", dies_on_ben)  # forked workers inherit the patch
    names = ["amy", "ben", "cal", "dee", "eve", "fin"]
    for name in names:
        (tmp_path / f"{name}.yaml").write_text(TINY.format(name=name.title()), encoding="utf-8")
    result = run_batch([str(tmp_path)], outdir=tmp_path / "o", options=RenderOptions(format="svg"), jobs=2)
    assert [o.ok for o in result.outcomes] == [True, False, True, True, True, True]
    assert result.failed[0].message == (f"{tmp_path}/ben.yaml: the process rendering it stopped (killed by "
                                        "SIGKILL, perhaps for want of memory); nothing written for this case, "
                                        "the others went on")
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [f"{n}.svg" for n in names if n != "ben"]


def test_workers_exit_when_the_batch_process_is_killed(tmp_path: Path) -> None:
    """SIGKILL the batch parent while its workers render: they must not run on (holding its pipes)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    for i in range(40):
        shutil.copy(SAMPLES / "adoption.yaml", tmp_path / f"case-{i:02d}.yaml")
    proc = subprocess.Popen([sys.executable, "-m", "timeline", "render", str(tmp_path), "-o", str(tmp_path / "o") + "/",
                             "--format", "pdf", "-j", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def children() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == proc.pid:
                    found.append(int(entry.name))
        return found

    deadline = time.monotonic() + 60
    while len(children()) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    workers = children()
    assert len(workers) == 2, "the batch never started its workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 30
    alive = workers
    while alive and time.monotonic() < deadline:
        alive = [w for w in workers if Path(f"/proc/{w}").exists()
                 and (Path(f"/proc/{w}") / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
        time.sleep(0.05)
    for w in alive:
        os.kill(w, signal.SIGKILL)
    assert alive == [], "workers outlived the batch"


def test_names_equal_after_unicode_normalisation_collide() -> None:
    nfc, nfd = "Ren\u00e9e.yaml", "Rene\u0301e.yaml"
    jobs, refused = plan_jobs([f"a/{nfc}", f"b/{nfd}"], outdir="out", fmt="pdf")
    assert jobs == [] and len(refused) == 2
    assert all("as would another input" in o.message for o in refused)


def test_links_out_of_the_folder_are_skipped_and_said(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "amy.yaml").write_text(TINY.format(name="Amy"), encoding="utf-8")
    (cases / "passwd.yaml").symlink_to("/etc/passwd")
    (cases / "also-amy.yaml").symlink_to(cases / "amy.yaml")  # inside the folder: the same case, once
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(TINY.format(name="Out"), encoding="utf-8")
    (cases / "out.yaml").symlink_to(outside)
    result = CliRunner().invoke(main, ["render", str(cases), "-o", str(tmp_path / "o") + "/", "--format", "svg"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert f"{cases}/out.yaml: skipped: a link to a file outside the folder, not followed" in lines[0] + lines[1]
    assert any(line.startswith(f"{cases}/passwd.yaml: skipped: a link") for line in lines)
    assert "root:" not in result.output
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["also-amy.svg"] or \
        sorted(p.name for p in (tmp_path / "o").iterdir()) == ["amy.svg"]


def test_an_unwritable_output_folder_is_found_before_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(batch, "render_case", lambda *a, **k: calls.append(a) or b"")

    def denied(folder: Path) -> tuple[int, str]:
        import errno
        import os

        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("timeline.io.output._create_temp", denied)
    result = CliRunner().invoke(main, ["render", str(SAMPLES / "home.yaml"), str(SAMPLES / "kinship.yaml"),
                                       "-o", str(tmp_path / "o") + "/", "--format", "svg"])
    assert result.exit_code == 1
    assert "cannot write into this folder (Permission denied)" in result.stderr
    assert calls == []


def test_a_batch_never_writes_over_a_case_file_without_force(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "amy.yaml").write_text(TINY.format(name="Amy"), encoding="utf-8")
    (tmp_path / "o").mkdir()
    precious = tmp_path / "o" / "amy.json"
    precious.write_text('{"child": {"name": "Amy", "date_of_birth": "2015-03-14"}, "events": []}', encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "in"), "-o", str(tmp_path / "o") + "/",
                                       "--format", "scene-json"])
    assert result.exit_code == 1 and "would write over the case file" in result.stderr
    assert precious.read_text(encoding="utf-8").startswith('{"child"')
    result = CliRunner().invoke(main, ["render", str(tmp_path / "in"), "-o", str(tmp_path / "o") + "/",
                                       "--format", "scene-json", "--force"])
    assert result.exit_code == 0 and precious.read_text(encoding="utf-8").startswith('{\n "width"')
