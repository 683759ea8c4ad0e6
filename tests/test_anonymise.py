"""Anonymised case examples: pseudonym, shifted dates, nothing identifying left, the same measures."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from timeline.cli.commands import main
from timeline.facts.compute import compute_facts, summary_dict
from timeline.facts.standards import load_standards
from timeline.io.casefile import dump_case
from timeline.io.read import load_case, load_text
from timeline.model.anonymise import anonymise, case_seed, default_shift, leaks, pseudonyms
from timeline.model.case import Case
from timeline.model.vocabulary import load_vocabulary

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CASES = sorted(p.name for p in SAMPLES.glob("*.yaml"))
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load(name: str) -> Case:
    return load_case(SAMPLES / name).case


def shifted_equal(before: Any, after: Any, days: int, path: str = "", ids: dict[str, str] | None = None) -> list[str]:
    """Differences between two summaries, with every ISO date of `before` moved by `days` first, and every
    event id of `before` replaced by `ids` (anonymising replaces ids with event-<n>)."""
    ids = ids or {}
    if isinstance(before, dict):
        return [d for k in before for d in shifted_equal(before[k], after[k], days, f"{path}.{k}", ids)]
    if isinstance(before, list):
        if len(before) != len(after):
            return [f"{path}: {len(before)} items, then {len(after)}"]
        return [d for i, (x, y) in enumerate(zip(before, after, strict=True))
                for d in shifted_equal(x, y, days, f"{path}[{i}]", ids)]
    if isinstance(before, str) and before in ids and path.rsplit(".", 1)[-1] != "type":  # a code, not an id
        return [] if after == ids[before] else [f"{path}: id {before} -> {after}, expected {ids[before]}"]
    if isinstance(before, str) and _DAY.match(before):
        moved = (dt.date.fromisoformat(before) + dt.timedelta(days=days)).isoformat()
        return [] if moved == after else [f"{path}: {before} -> {after}, expected {moved}"]
    return [] if before == after else [f"{path}: {before!r} -> {after!r}"]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("seed", [0, 7])
def test_measures_are_unchanged_with_dates_shifted(name: str, seed: int) -> None:
    original = load(name)
    anon = load_text(dump_case(anonymise(original, seed=seed)), "anon.yaml").case
    days = default_shift(case_seed(seed, original))
    assert anon.child.date_of_birth == original.child.date_of_birth + dt.timedelta(days=days)
    assert anon.as_of == original.as_of_date + dt.timedelta(days=days)
    before = summary_dict(original, compute_facts(original))
    after = summary_dict(anon, compute_facts(anon))
    for summary in (before, after):
        summary.pop("child")
        for flag in summary.get("flags", []):  # type: ignore[attr-defined]
            flag.pop("text", None)  # words with dates in them; the dates are checked elsewhere
    for summary in (before, after):
        for measure in summary.get("measures", []):  # type: ignore[attr-defined]
            measure.pop("note", None)  # words with dates in them, as the flags' text
    if load_standards(jurisdiction=original.jurisdiction).reviews.first_working_days is not None:
        # England: reviews fall due after 20 working days and 3 or 6 calendar months, which a shift by a
        # number of days moves by a day or two more or less (weekends, month lengths): within 3 days.
        pairs = list(zip(before["reviews"]["items"], after["reviews"]["items"], strict=True))  # type: ignore[index]
        pairs += [(b, a) for b, a in zip(before.get("measures", []), after.get("measures", []), strict=True)
                  if b["code"] == "permanence_plan_by_second_review"]  # type: ignore[index]
        for b, a in pairs:
            key = "due" if "due" in b else "target_date"
            moved = (dt.date.fromisoformat(a[key]) - dt.date.fromisoformat(b[key])).days
            assert abs(moved - days) <= 3, (b, a, days)
            for item in (a, b):
                for k in ("due", "days_late", "target_date", "target_days"):
                    item.pop(k, None)
    ids = {e.id: f"event-{n}" for n, e in original.numbered() if e.id}
    assert all(e.id is None for e in anon.events)
    assert shifted_equal(before, after, days, ids=ids) == []


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
    assert f"dates moved {-default_shift(case_seed('2', load('adoption.yaml')))} days earlier" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/case.schema.json\n")
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0

    result = CliRunner().invoke(main, ["anonymise", str(SAMPLES / "adoption.yaml"), "-o", str(out),
                                       "--keep-labels", "--shift-days", "35", "--name", "Skye", "--force"])
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
    assert "still contains words of the original name, reference, labels or ids: 'Lachlan'" in result.stderr


# ---------------------------------------------------------------- issue 20: leaks

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile" / "leaks"
LEAKY_IDS = ("morags-house", "mcallisterperm", "stninians", "amysgp")


def test_every_id_is_replaced_and_none_reaches_any_training_output(tmp_path: Path) -> None:
    case = HOSTILE / "identifying.yaml"
    original = load_case(case).case
    text = dump_case(anonymise(original, seed="trainer key"))
    assert all(e.id is None for e in load_text(text, "anon.yaml").case.events)
    for fmt, suffix in (("svg", "svg"), ("html", "html"), ("scene-json", "json")):
        out = tmp_path / f"training.{suffix}"
        result = CliRunner().invoke(main, ["render", str(case), "--view", "training", "--seed", "k1",
                                           "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        data = out.read_text(encoding="utf-8").casefold()
        for leaky in (*LEAKY_IDS, "siobh", "mcallister", "morag", "ninian", "88213"):
            assert leaky not in data, (fmt, leaky)
    assert leaks(original, text) == []


def test_the_leak_check_sees_ids_and_every_spelling_of_a_name() -> None:
    original = load_case(HOSTILE / "identifying.yaml").case
    assert leaks(original, "event amysgp and stninians") == ["stninians", "amysgp"]
    assert {"Morag", "morags-house"} <= set(leaks(original, "id: morags-house"))
    for spelling in ("siobhan", "SIOBHAN", "Siobha\u0301n", "\uff33\uff49\uff4f\uff42\uff48\u00e1\uff4e",
                     "Sio\u00adbh\u00e1n", "Siob\u200bhán"):
        assert leaks(original, f"notes on {spelling} today") == ["Siobhán"], spelling
    for spelling in ("the McAllisters' house", "McAllister's", "MCALLISTERS", "Mc\u00adAllister"):
        assert "McAllister" in leaks(original, spelling), spelling
    assert leaks(original, "a school and a doctor") == []


def test_the_training_shift_needs_the_seed_and_the_same_seed_gives_the_same_copy(tmp_path: Path) -> None:
    """The shift is a hash of a secret seed: without it (a random one each run, printed once), the real date
    of birth cannot be worked out from a handout and the code; with it, the copy is the same each time."""
    case = SAMPLES / "adoption.yaml"
    original = load(case.name)
    seeds, births = [], set()
    for run in range(3):
        out = tmp_path / f"t{run}.json"
        result = CliRunner().invoke(main, ["render", str(case), "--view", "training", "-o", str(out)])
        assert result.exit_code == 0, result.output
        seed = re.search(r"--seed (\d{12})\)", result.stderr)
        assert seed, result.stderr
        seeds.append(seed.group(1))
        again = tmp_path / f"again{run}.json"
        assert CliRunner().invoke(main, ["render", str(case), "--view", "training", "--seed", seed.group(1),
                                         "-o", str(again)]).exit_code == 0
        assert again.read_bytes() == out.read_bytes()
        births.add(anonymise(original, seed=seed.group(1)).child.date_of_birth)
    assert len(set(seeds)) == 3
    # The API without a seed uses a random per-process secret, not a constant: not seed 0's shift.
    assert anonymise(original).child.date_of_birth != anonymise(original, seed=0).child.date_of_birth or \
        anonymise(original).child.name != anonymise(original, seed=0).child.name
    assert len(births) >= 2  # three random seeds giving one shift: 1 in 137,000


def test_anonymise_prints_a_new_seed_once_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "anon.yaml"
    result = CliRunner().invoke(main, ["anonymise", str(SAMPLES / "home.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    seed = re.search(r"^seed (\d{12}):", result.stderr, re.MULTILINE)
    assert seed and result.stderr.count(seed.group(1)) == 2 and seed.group(1) not in out.read_text()
    first = out.read_bytes()
    result = CliRunner().invoke(main, ["anonymise", str(SAMPLES / "home.yaml"), "-o", str(out), "--seed", "x"])
    assert result.exit_code == 1 and "exists; use --force to overwrite it" in result.stderr
    assert out.read_bytes() == first
    result = CliRunner().invoke(main, ["anonymise", str(SAMPLES / "home.yaml"), "-o", str(out), "--force",
                                       "--seed", seed.group(1)])
    assert result.exit_code == 0 and out.read_bytes() == first


def test_one_seed_over_a_batch_gives_each_child_its_own_shift() -> None:
    """The same seed for two children (a training batch): knowing one child's real date of birth must not
    give away the other's, so the shift differs by child (and stays fixed for each)."""
    shifts = set()
    for name in CASES:
        original = load(name)
        anon = anonymise(original, seed="batch seed")
        assert anon == anonymise(original, seed="batch seed")
        shifts.add((anon.child.date_of_birth - original.child.date_of_birth).days)
    assert len(shifts) >= len(CASES) - 1  # 6 children, 371 possible shifts: a coincidence at most
