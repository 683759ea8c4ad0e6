"""Anonymised case examples: pseudonym, shifted dates, nothing identifying left, the same measures."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from timeline.anonymise import anonymise, default_shift, leaks, pseudonyms
from timeline.casefile import dump_case
from timeline.cli import main
from timeline.facts import compute_facts, summary_dict
from timeline.io import load_case, load_text
from timeline.model import Case
from timeline.vocabulary import load_vocabulary

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CASES = sorted(p.name for p in SAMPLES.glob("*.yaml"))
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load(name: str) -> Case:
    return load_case(SAMPLES / name).case


def shifted_equal(before: Any, after: Any, days: int, path: str = "") -> list[str]:
    """Differences between two summaries, with every ISO date of `before` moved by `days` first."""
    if isinstance(before, dict):
        return [d for k in before for d in shifted_equal(before[k], after[k], days, f"{path}.{k}")]
    if isinstance(before, list):
        if len(before) != len(after):
            return [f"{path}: {len(before)} items, then {len(after)}"]
        return [d for i, (x, y) in enumerate(zip(before, after, strict=True))
                for d in shifted_equal(x, y, days, f"{path}[{i}]")]
    if isinstance(before, str) and _DAY.match(before):
        moved = (dt.date.fromisoformat(before) + dt.timedelta(days=days)).isoformat()
        return [] if moved == after else [f"{path}: {before} -> {after}, expected {moved}"]
    return [] if before == after else [f"{path}: {before!r} -> {after!r}"]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("seed", [0, 7])
def test_measures_are_unchanged_with_dates_shifted(name: str, seed: int) -> None:
    original = load(name)
    anon = load_text(dump_case(anonymise(original, seed=seed)), "anon.yaml").case
    days = default_shift(seed)
    assert anon.child.date_of_birth == original.child.date_of_birth + dt.timedelta(days=days)
    assert anon.as_of == original.as_of_date + dt.timedelta(days=days)
    before = summary_dict(original, compute_facts(original))
    after = summary_dict(anon, compute_facts(anon))
    for summary in (before, after):
        summary.pop("child")
        for flag in summary.get("flags", []):  # type: ignore[attr-defined]
            flag.pop("text", None)  # words with dates in them; the dates are checked elsewhere
    assert shifted_equal(before, after, days) == []


@pytest.mark.parametrize("name", CASES)
def test_nothing_identifying_is_left(name: str) -> None:
    original = load(name)
    text = dump_case(anonymise(original, seed=3))
    data = text.encode("utf-8")
    assert original.child.name.encode() not in data
    assert original.child.ref is None or original.child.ref.encode() not in data
    for event in original.events:
        for value in (event.label, event.note, event.source):
            if value:
                assert value.encode() not in data, value
    assert leaks(original, text) == []


def test_every_date_moves_by_the_same_days_and_keeps_its_precision() -> None:
    original = load("home.yaml")
    anon = anonymise(original, shift_days=-100)
    vocab = load_vocabulary("scotland")
    for before, after in zip(original.events, anon.events, strict=True):
        assert (after.kind, after.type, after.status) == (before.kind, before.type, before.status)
        assert after.first.precision == before.first.precision
        assert after.first.qualifier == before.first.qualifier
        if before.first.precision == "day":
            assert after.first.earliest == before.first.earliest - dt.timedelta(days=100)
        assert after.note is None and after.source is None
        assert after.label in (vocab.term(before.kind, before.type).label, None)
    assert anon.child.ref is None
    assert [e.first.isoformat() for e in anon.events[:4]] == ["2012-06-09", "2016~", "2017-05-08", "2018-02?"]


def test_pseudonym_and_shift_are_fixed_by_the_seed() -> None:
    original = load("home.yaml")
    assert dump_case(anonymise(original, seed=5)) == dump_case(anonymise(original, seed=5))
    names = {anonymise(original, seed=s).child.name for s in range(5)}
    assert len(names) == 5 and names <= set(pseudonyms())
    shifts = [default_shift(s) for s in range(50)]
    assert all(-400 <= d <= -30 for d in shifts) and len(set(shifts)) > 40
    assert anonymise(original, name="Robin").child.name == "Robin"


def test_keep_labels_keeps_them_and_leaks_finds_names() -> None:
    original = load("home.yaml")
    kept = anonymise(original, keep_labels=True, seed=1)
    assert [e.label for e in kept.events] == [e.label for e in original.events]
    assert leaks(original, dump_case(kept), include_labels=False) == []
    found = leaks(original, dump_case(kept))
    assert "Police" in found and "Foster" not in found  # vocabulary words are not flagged
    assert leaks(original, f"notes about {original.child.name.upper()} and C-1042") == ["Ruairí", "C-1042"]


def test_cli_anonymise(tmp_path: Path) -> None:
    out = tmp_path / "anon.yaml"
    result = CliRunner().invoke(main, ["anonymise", str(SAMPLES / "adoption.yaml"), "-o", str(out), "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert f"dates moved {-default_shift(2)} days earlier" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/case.schema.json\n")
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0

    result = CliRunner().invoke(main, ["anonymise", str(SAMPLES / "adoption.yaml"), "-o", str(out),
                                       "--keep-labels", "--shift-days", "35", "--name", "Skye"])
    assert result.exit_code == 0
    assert "labels may name people" in result.stderr or "may name people" in result.stderr
    anon = load_case(out).case
    original = load("adoption.yaml")
    assert anon.child.name == "Skye"
    assert anon.child.date_of_birth == original.child.date_of_birth + dt.timedelta(days=35)


def test_cli_anonymise_warns_about_surviving_words(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("child: {name: Lachlan Moffat, date_of_birth: 2015-03-14}\nas_of: 2019-01-01\n"
                    "events:\n  - {kind: event, type: other, date: 2016-01-01, label: Lachlan starts nursery}\n",
                    encoding="utf-8")
    out = tmp_path / "anon.yaml"
    result = CliRunner().invoke(main, ["anonymise", str(case), "-o", str(out), "--keep-labels"])
    assert result.exit_code == 0
    assert "still contains words of the original name, reference or labels: 'Lachlan'" in result.stderr
