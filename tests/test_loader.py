"""Loading case files: every error class is reported with its file, line, column and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from timeline.io.read import MAX_BYTES, load_case, load_text
from timeline.problems import CaseError

HEAD = "child:\n  name: Amy\n  date_of_birth: 2015-03-14\nas_of: 2019-06-01\nevents:\n"


def problems(text: str, name: str = "case.yaml") -> list[str]:
    with pytest.raises(CaseError) as info:
        load_text(text, name)
    return [p.format() for p in info.value.problems]


def one(text: str, name: str = "case.yaml") -> str:
    found = problems(text, name)
    assert len(found) == 1, found
    return found[0]


def test_valid_case_loads_with_dates_kept_as_written() -> None:
    loaded = load_text(HEAD + "  - kind: placement\n    type: foster\n    start: 2018-01\n")
    event = loaded.case.events[0]
    assert event.first.isoformat() == "2018-01"
    assert loaded.case.as_of == date(2019, 6, 1)
    assert loaded.warnings == ()


def test_yaml_timestamp_that_is_not_a_date_is_a_located_error() -> None:
    msg = one(HEAD + "  - kind: hearing\n    type: childrens_hearing\n    date: 2019-13-01\n")
    assert msg.startswith("case.yaml:8:11: events[0].date: month 13 does not exist")


def test_unquoted_year_is_a_year() -> None:
    event = load_text(HEAD + "  - kind: event\n    type: school\n    date: 2016\n").case.events[0]
    assert (event.first.isoformat(), event.first.display()) == ("2016", "2016")


def test_uk_date_gets_a_suggestion() -> None:
    msg = one(HEAD + "  - kind: hearing\n    type: proof\n    date: 31/01/2016\n")
    assert msg == (
        "case.yaml:8:11: events[0].date: '31/01/2016' is not a date in the expected form; did you mean 2016-01-31?"
    )


def test_unknown_key_and_code_get_did_you_mean() -> None:
    found = problems(HEAD + "  - kind: order\n    type: csoo\n    start: 2016-01-01\n    lable: x\n")
    assert found[0].startswith("case.yaml:7:11: events[0].type: 'csoo' is not a known order type; did you mean 'cso'?")
    assert found[1].startswith("case.yaml:9:5: events[0].lable: unknown field 'lable'; did you mean 'label'?")


def test_unknown_kind() -> None:
    msg = one(HEAD + "  - kind: placment\n    type: foster\n    start: 2016-01-01\n")
    assert msg.startswith(
        "case.yaml:6:11: events[0].kind: 'placment' is not a kind of event; did you mean 'placement'?"
    )


def test_missing_required_fields_point_at_the_event() -> None:
    msg = one(HEAD + "  - kind: placement\n    type: foster\n")
    assert msg.startswith("case.yaml:6:5: events[0].start: is required")
    msg = one("child:\n  name: Amy\nevents: []\n")
    assert msg.startswith("case.yaml:2:3: child.date_of_birth: is required")


def test_end_before_start() -> None:
    msg = one(HEAD + "  - kind: placement\n    type: foster\n    start: 2016-05-01\n    end: 2016-02-01\n")
    assert msg.startswith("case.yaml:9:10: events[0].end: ends (2016-02-01) before it starts (2016-05-01)")


def test_duplicate_ids() -> None:
    text = HEAD + (
        "  - kind: hearing\n    type: proof\n    date: 2016-01-01\n    id: h1\n"
        "  - kind: hearing\n    type: proof\n    date: 2016-02-01\n    id: h1\n"
    )
    assert one(text).startswith("case.yaml:13:9: events[1].id: 'h1' is already used by events[0]")


def test_route_only_on_permanence_recommended() -> None:
    msg = one(HEAD + "  - kind: milestone\n    type: permanence_panel\n    date: 2017-01-01\n    route: adoption\n")
    assert msg.startswith("case.yaml:9:12: events[0].route: 'route' belongs only on a permanence_recommended")


def test_date_of_birth_after_as_of() -> None:
    msg = one("child:\n  name: Amy\n  date_of_birth: 2020-03-14\nas_of: 2019-06-01\nevents: []\n")
    assert msg.startswith("case.yaml:4:8: as_of: is before the date of birth")


def test_partial_date_of_birth_refused() -> None:
    msg = one("child:\n  name: Amy\n  date_of_birth: 2015-03\nevents: []\n")
    assert msg.startswith("case.yaml:3:18: child.date_of_birth: needs a full date")


def test_duplicate_keys_are_reported_with_the_other_errors() -> None:
    found = problems(HEAD + "  - kind: hearing\n    type: proof\n    type: court\n    date: 2016-13-01\n")
    assert found[0].startswith("case.yaml:8:5: events[0].type: appears twice in the same block (first on line 7)")
    assert found[1].startswith("case.yaml:9:11: events[0].date: month 13")


def test_all_errors_at_once_in_file_order() -> None:
    text = HEAD + (
        "  - kind: hearing\n    type: prof\n    date: 2016-01-01\n"
        "  - kind: meeting\n    type: laac_review\n    date: 2016-02-30\n"
    )
    found = problems(text)
    assert [f.split(":")[1] for f in found] == ["7", "11"]


def test_control_characters_refused() -> None:
    msg = one(HEAD + '  - kind: hearing\n    type: proof\n    date: 2016-01-01\n    label: "a\\u202eb"\n')
    assert "events[0].label: contains a control or text-direction character" in msg


def test_label_too_long() -> None:
    msg = one(HEAD + f"  - kind: hearing\n    type: proof\n    date: 2016-01-01\n    label: {'x' * 121}\n")
    assert "events[0].label: is too long: at most 120 characters (this has 121)" in msg


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("child: [1, 2\n", "case.yaml:2:1: is not valid YAML"),
        ("- 1\n- 2\n", "case.yaml:1:1: the top level is a list"),
        ("just text\n", "case.yaml:1:1: the top level is a single value"),
        ("a: 1\n---\nb: 2\n", "case.yaml:3:1: holds more than one YAML document"),
        ("child:\n\tname: x\n", "is not valid YAML"),
        ("events: {}\nchild: 3\n", "child: should be a block of fields"),
        ("child:\n  name: A\n  date_of_birth: 2015-01-01\nevents: 5\n", "events: should be a list of events"),
    ],
)
def test_malformed_documents(text: str, expected: str) -> None:
    assert any(expected in p for p in problems(text))


def test_json_errors_are_located() -> None:
    text = (
        '{\n  "child": {"name": "A", "date_of_birth": "2015-03-14"},\n  "events": [\n'
        '    {"kind": "order", "type": "CSO", "start": "2016"}\n  ]\n}\n'
    )
    assert one(text, "c.json").startswith(
        "c.json:4:31: events[0].type: 'CSO' is not a known order type; did you mean 'cso'?"
    )
    assert (
        "c.json:2:2: child: appears twice in the same object (first on line 1)"
        in problems('{"child": 1,\n "child": 2, "events": []}', "c.json")[1]
    )
    assert one('{"child": {,}}', "c.json").startswith("c.json:1:12: is not valid JSON")


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    assert "has too many values" in one("\n".join(lines) + "\n")


def test_deep_nesting_is_refused() -> None:
    assert "nested too deeply" in one("child: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in one('{"child": ' + "[" * 5000 + "]" * 5000 + "}", "c.json")


def test_files_that_are_not_case_files(tmp_path: Path) -> None:
    cases = {
        "empty.yaml": b"  \n",
        "binary.yaml": b"\x89PNG\r\n\x1a\n\x00\x00",
        "latin1.yaml": "child:\n  name: Siobh\u00e1n\n".encode("latin-1"),
        "big.yaml": b"#" * (MAX_BYTES + 1),
    }
    expected = {
        "empty.yaml": "is empty",
        "binary.yaml": "is a binary file",
        "latin1.yaml": "2:14: is not UTF-8 text",
        "big.yaml": "is larger than 5 MB",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(CaseError) as info:
            load_case(path)
        assert expected[name] in info.value.problems[0].format(), name
    with pytest.raises(CaseError) as info:
        load_case(tmp_path / "missing.yaml")
    assert "no such file" in info.value.problems[0].format()
    with pytest.raises(CaseError) as info:
        load_case(tmp_path)
    assert "is a folder" in info.value.problems[0].format()


def test_as_of_defaults_to_today_and_option_overrides() -> None:
    text = "child:\n  name: A\n  date_of_birth: 2015-03-14\nevents: []\n"
    assert load_text(text, today=lambda: date(2020, 1, 1)).case.as_of == date(2020, 1, 1)
    assert load_text(text, as_of=date(2018, 1, 1)).case.as_of == date(2018, 1, 1)


def test_warnings_are_located_and_do_not_fail() -> None:
    text = HEAD + (
        "  - kind: placement\n    type: foster\n    start: 2016-01-01\n    end: 2016-06-01\n"
        "  - kind: placement\n    type: kinship\n    start: 2016-05-01\n    end: 2016-09-01\n"
        "  - kind: placement\n    type: residential\n    start: 2016-12-01\n"
        "  - kind: hearing\n    type: review_hearing\n    date: 2020-01-01\n"
        "  - kind: meeting\n    type: laac_review\n    date: 2017-01-01\n    status: planned\n"
    )
    found = [w.format() for w in load_text(text, "case.yaml").warnings]
    assert found[0].startswith("case.yaml:12: warning: events[1].start: this placement starts before")
    assert found[1].startswith("case.yaml:16: warning: events[2].start: 91 days with no placement")
    assert found[2].startswith("case.yaml:19: warning: events[3].date: is after as_of (2019-06-01)")
    assert found[3].startswith("case.yaml:23: warning: events[4].status: is planned but dated before as_of")
    assert len(found) == 4


def test_ids_are_one_word_and_may_start_with_a_digit() -> None:
    text = HEAD + (
        "  - kind: hearing\n    type: proof\n    date: 2016-01-01\n    id: 12\n"
        "  - kind: hearing\n    type: proof\n    date: 2016-02-01\n    id: 001-b\n"
    )
    assert [e.id for e in load_text(text).case.events] == ["12", "001-b"]
    msg = one(HEAD + '  - kind: hearing\n    type: proof\n    date: 2016-01-01\n    id: "p 1"\n')
    assert msg.startswith("case.yaml:9:9: events[0].id: an id is one word of up to 64 characters")


def test_a_gap_between_partial_dates_is_warned_about_as_the_least_and_most() -> None:
    """A foster placement ending 'Mar 2016' and the next starting '2017' (or 'c. Sep 2016'): the gap is not the
    days between their middle days (16 Mar 2016 to 2 Jul 2017, 473 days), it is the least and most."""
    for end, start, said in (("2016-03", "'2017'", "between 9 months and 1 year 10 months"),
                             ("'2015'", "2016-09~", "between 8 months and 1 year 9 months")):
        text = HEAD + (f"  - {{kind: placement, type: foster, start: 2015-01-10, end: {end}}}\n"
                       f"  - {{kind: placement, type: kinship, start: {start}}}\n")
        found = [w.format() for w in load_text(text, "case.yaml").warnings]
        assert any(f"events[1].start: {said} with no placement recorded" in w for w in found), found
        assert not any("days with no placement" in w for w in found)
