"""The validate / schema / vocab / init commands, through click's CliRunner, and the committed docs."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.cli.commands import main
from timeline.io.read import load_text
from timeline.model.case import case_json_schema
from timeline.model.reference import format_reference

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_samples_validate_and_start_with_the_schema_line() -> None:
    assert len(SAMPLES) >= 5
    code, _, err = run("validate", *map(str, SAMPLES))
    assert code == 0, err
    for sample in SAMPLES:
        first = sample.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schemas/case.schema.json", sample.name


def test_validate_reports_errors_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("child:\n  name: A\n  date_of_birth: 2015-01-01\nevents:\n  - kind: order\n    type: csoo\n")
    code, _, err = run("validate", str(bad))
    assert code == 1
    assert f"{bad}:6:11: events[0].type: 'csoo' is not a known order type; did you mean 'cso'?" in err
    assert f"{bad}:5:5: events[0].start: is required" in err
    assert "Traceback" not in err


def test_usage_error_is_exit_2() -> None:
    assert run("validate")[0] == 2
    assert run("vocab", "nonsense")[0] == 2


def test_committed_schema_matches_the_models() -> None:
    committed = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    assert committed == case_json_schema(), "regenerate: timeline schema > schemas/case.schema.json"
    code, out, _ = run("schema")
    assert code == 0 and json.loads(out) == committed


def test_committed_format_reference_matches_the_models() -> None:
    committed = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert committed == format_reference(), "regenerate: timeline schema --markdown > docs/format.md"


def test_vocab_lists_codes() -> None:
    code, out, _ = run("vocab", "order")
    assert code == 0
    assert "cso" in out and "Compulsory Supervision Order (CSO)" in out and "permanence: adoption" in out
    code, out, _ = run("vocab", "--json")
    data = json.loads(out)
    assert [t["code"] for t in data["milestone"]][:2] == ["looked_after", "permanence_recommended"]


def test_init_writes_a_valid_case_and_will_not_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "case.yaml"
    assert run("init", str(target))[0] == 0
    code, out, err = run("validate", str(target))
    assert code == 0, err
    assert "ok (9 events)" in out
    code, _, err = run("init", str(target))
    assert code == 1 and "exists" in err


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:  # type: ignore[attr-defined]
        assert f"timeline {name}" in readme, name


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Mn", "Me", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s.strip())
_day = st.dates(min_value=__import__("datetime").date(1990, 1, 1), max_value=__import__("datetime").date(2030, 12, 31))


@st.composite
def _event(draw: st.DrawFn) -> dict[str, object]:
    kind = draw(st.sampled_from(["placement", "order", "hearing", "meeting", "milestone", "event"]))
    from timeline.model.vocabulary import load_vocabulary

    ev: dict[str, object] = {"kind": kind, "type": draw(st.sampled_from(load_vocabulary().codes(kind)))}
    start = draw(_day)
    form = draw(st.sampled_from(["%Y-%m-%d", "%Y-%m", "%Y"]))
    text = start.strftime(form) + draw(st.sampled_from(["", "~", "?"]))
    if kind in ("placement", "order"):
        ev["start"] = start.isoformat()
        if draw(st.booleans()):
            ev["end"] = (start + __import__("datetime").timedelta(days=draw(st.integers(0, 900)))).isoformat()
    else:
        ev["date"] = text
    if draw(st.booleans()):
        ev["label"] = draw(_text)
    if kind == "milestone" and ev["type"] == "permanence_recommended" and draw(st.booleans()):
        ev["route"] = draw(st.sampled_from(["home", "kinship", "permanence_order", "adoption"]))
    return ev


@settings(max_examples=60, deadline=None)
@given(events=st.lists(_event(), max_size=12), name=_text)
def test_round_trip_model_yaml_model(events: list[dict[str, object]], name: str) -> None:
    data = {"child": {"name": name, "date_of_birth": "1995-01-01"}, "as_of": "2031-01-01", "events": events}
    first = load_text(yaml.safe_dump(data, allow_unicode=True), "a.yaml").case
    dumped = yaml.safe_dump(first.model_dump(mode="json", exclude_none=True), allow_unicode=True)
    second = load_text(dumped, "b.yaml").case
    assert second == first
    as_json = json.dumps(first.model_dump(mode="json"))
    assert load_text(as_json, "c.json").case == first
