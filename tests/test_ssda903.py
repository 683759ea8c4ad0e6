"""SSDA903 reader: the project's own small return (hand-worked figures) and the shared fake return (robustness)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli.commands import main
from timeline.facts.compute import compute_facts
from timeline.io.read import load_case
from timeline.io.ssda903 import WARNING_KINDS, ChildImport, UnknownChild, child_case, is_ssda903, read_return
from timeline.model.case import OrderEvent, PlacementEvent
from timeline.problems import CaseError

OWN = Path(__file__).parent / "data" / "ssda903"
_HERE = Path(__file__).resolve()
# CI puts shared/ beside the clone (repo at /work/main or /tmp/x/main); a worktree sits one level deeper.
_CANDIDATES = [_HERE.parents[2] / "shared/data/ssda903-fake", _HERE.parents[3] / "shared/data/ssda903-fake"]


def fake_return() -> Path:
    """The shared fake return; its absence is a failure, never a skip (CI places shared/ beside the clone)."""
    for p in _CANDIDATES:
        if (p / "episodes.csv").is_file():
            return p
    pytest.fail(f"the shared SSDA903 fixture is missing: looked in {', '.join(str(p) for p in _CANDIDATES)}")


@pytest.fixture(scope="module")
def own() -> dict[str, ChildImport]:
    ret = read_return(OWN)
    return {c: child_case(ret, c) for c in ret.children}


@pytest.fixture(scope="module")
def fake() -> tuple[object, dict[str, ChildImport | CaseError]]:
    ret = read_return(fake_return())
    out: dict[str, ChildImport | CaseError] = {}
    for c in ret.children:
        try:
            out[c] = child_case(ret, c)
        except CaseError as exc:  # a located refusal is allowed by the reader; the test below says none happens
            out[c] = exc
    return ret, out


# ------------------------------------------------------------ the project's own return, hand-worked


def test_own_return_is_two_years(own: dict[str, ChildImport]) -> None:
    ret = read_return(OWN)
    assert ret.year_ends == (date(2017, 3, 31), date(2018, 3, 31))
    assert ret.children == ("1001", "1002", "1003")
    assert all(c.case.as_of == date(2018, 3, 31) for c in own.values())
    assert own["1001"].case.child.name == "Child 1001"
    assert own["1001"].case.child.date_of_birth == date(2015, 5, 10)
    assert own["1001"].case.jurisdiction == "england-wales"


def test_adopted_child_figures(own: dict[str, ChildImport]) -> None:
    """1001: 12/09/2016 -> adopted 21/02/2018 = 365 + 162 = 527 days; foster then adoptive: 2 placements,
    1 move; the episode left open at 31/03/2017 is closed by the 2018 return (stitched, nothing inferred)."""
    case = own["1001"].case
    facts = compute_facts(case)
    assert facts.days_looked_after == 527
    assert (facts.placements, facts.moves) == (2, 1)
    assert len(facts.looked_after_periods) == 1
    assert facts.inferred_ends == {}
    assert facts.legal_permanence is not None
    assert (facts.legal_permanence.date, facts.legal_permanence.route) == (date(2018, 2, 21), "adoption")
    steps = {m.type: m.date for m in facts.milestones}
    assert steps["adm_decision"] == date(2017, 3, 2)  # PlacedAdoption DATE_PLACED: the decision
    assert steps["placement_order"] == date(2017, 3, 16)  # the first E1 episode
    assert steps["matched"] == date(2017, 6, 22)  # AD1 DATE_MATCH
    assert steps["placed_for_adoption"] == date(2017, 7, 10)  # the first A3-A6 episode: the move
    foster = [e for e in case.events if isinstance(e, PlacementEvent) and e.type == "foster"]
    assert len(foster) == 1 and foster[0].start.isoformat() == "2016-09-12"
    assert foster[0].end is not None and foster[0].end.isoformat() == "2017-07-10"
    assert "2017/episodes.csv" in (foster[0].source or "") and "2018/episodes.csv" in (foster[0].source or "")
    temp = [e for e in case.events if isinstance(e, PlacementEvent) and e.type == "temporary"]
    assert [(e.start.isoformat(), e.end.isoformat() if e.end else None) for e in temp] == [("2017-01-20", "2017-01-27")]
    orders = [(e.type, e.start.isoformat()) for e in case.events if isinstance(e, OrderEvent)]
    assert orders == [("s20", "2016-09-12"), ("ico", "2016-11-14"), ("placement_order", "2017-03-16"),
                      ("adoption", "2018-02-21")]
    decision = [e for e in case.events if e.kind == "milestone" and e.type == "adm_decision"]
    assert len(decision) == 1  # the same PlacedAdoption row in both returns is one decision
    assert "not the day the child moved" in (decision[0].note or "")
    assert sum(1 for e in case.events if e.type == "cla_review") == 4
    assert own["1001"].warnings == ()


def test_inferred_end_is_marked(own: dict[str, ChildImport]) -> None:
    """1002: the foster placement left open in 2017 is not in the 2018 return, whose first episode (RNE B)
    starts 02/05/2017: its end is inferred, said in the note, drawn as inferred, and warned about."""
    imp = own["1002"]
    facts = compute_facts(imp.case)
    assert facts.days_looked_after == 668  # 01/06/2016 -> 31/03/2018, still looked after
    assert (facts.placements, facts.moves) == (3, 2)
    foster = next(e for e in imp.case.events if isinstance(e, PlacementEvent) and e.type == "foster")
    assert foster.end is None and "end inferred" in (foster.note or "")
    n = imp.case.events.index(foster) + 1
    assert facts.inferred_ends[n] == date(2017, 5, 2)
    s20 = next(e for e in imp.case.events if isinstance(e, OrderEvent) and e.type == "s20")
    assert facts.inferred_ends[imp.case.events.index(s20) + 1] == date(2017, 5, 2)
    assert [(w.kind, w.file, w.row, w.child) for w in imp.warnings] == [
        ("open_inferred", "2017/episodes.csv", 7, "1002")]


def test_two_periods_and_missing(own: dict[str, ChildImport]) -> None:
    """1003: 05/04-30/09/2016 (178 days, home E4A) and 11/12/2017-31/03/2018 (110 days) = 288 days."""
    facts = compute_facts(own["1003"].case)
    assert [(p.start, p.end, p.days) for p in facts.looked_after_periods] == [
        (date(2016, 4, 5), date(2016, 9, 30), 178), (date(2017, 12, 11), date(2018, 3, 31), 110)]
    assert facts.days_looked_after == 288
    missing = [e for e in own["1003"].case.events if e.type == "missing"]
    assert [e.first.isoformat() for e in missing] == ["2018-02-14/2018-02-15"]


def test_every_row_is_accounted_for(own: dict[str, ChildImport]) -> None:
    for imp in own.values():
        for r in imp.rows:
            assert r.became or r.notes or r.table == "header", r.where


def test_cli_render_and_import(tmp_path: Path) -> None:
    runner = CliRunner()
    svg = tmp_path / "c.svg"
    res = runner.invoke(main, ["render", str(OWN), "--ssda903", "--child", "1001", "-o", str(svg)])
    assert res.exit_code == 0, res.output
    text = svg.read_text(encoding="utf-8")
    assert "type-temporary" in text and "Placement order" in text and "CLA review" in text
    out = tmp_path / "c.yaml"
    res = runner.invoke(main, ["import", "--ssda903", str(OWN), "--child", "1002", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert load_case(out).case.child.ref == "1002"
    res = runner.invoke(main, ["import", "--ssda903", str(OWN), "--child", "42", "-o", str(tmp_path / "x.yaml")])
    assert res.exit_code == 1
    assert "no child with the ID '42'" in res.output and "holds 3 children" in res.output
    assert not (tmp_path / "x.yaml").exists()
    res = runner.invoke(main, ["import", "--ssda903", str(OWN), "-o", str(tmp_path / "y.yaml")])
    assert res.exit_code == 2


def test_cohort_reads_a_return() -> None:
    from timeline.cohort import read_inputs

    assert is_ssda903(OWN)
    records, left = read_inputs([str(OWN)], as_of=date(2018, 3, 31))
    assert sorted(r.ref for r in records) == ["1001", "1002", "1003"] and left == []
    assert {r.ref: r.moves for r in records} == {"1001": 1, "1002": 2, "1003": 1}


def test_unknown_child_says_how_many() -> None:
    with pytest.raises(UnknownChild, match="holds 3 children"):
        child_case(read_return(OWN), "nobody")


# ------------------------------------------------------------ the shared fake return (nobody here wrote it)


def test_fake_every_child_imports(fake: tuple[object, dict[str, ChildImport | CaseError]]) -> None:
    ret, out = fake
    assert len(out) == 2675  # every child of the Header
    assert len(ret.looked_after) == 2123  # ... of whom these have episodes  # type: ignore[attr-defined]
    refused = {c: str(v) for c, v in out.items() if isinstance(v, CaseError)}
    assert refused == {}


def test_fake_warnings_are_located(fake: tuple[object, dict[str, ChildImport | CaseError]]) -> None:
    _, out = fake
    kinds: Counter[str] = Counter()
    for ident, imp in out.items():
        assert isinstance(imp, ChildImport)
        for w in imp.warnings:
            assert w.kind in WARNING_KINDS and w.file and w.row and w.child == ident
            kinds[w.kind] += 1
    # counted independently with the csv module (research-next-wave.md): 62 overlaps; 113 adopted (E11/E12),
    # 3 of them with an AD1 row; 2,675 - 2,123 header-only children
    assert kinds["overlap"] == 62
    assert kinds["adopted_no_record"] == 110
    assert kinds["no_episodes"] == 552
    assert kinds["temporary_first"] > 0 and kinds["period_not_started"] > 0


def test_fake_xml_form() -> None:
    ret = read_return(fake_return() / "fake_903.xml")
    assert len(ret.children) == 253
    assert sum(1 for rows in ret.rows.values() for r in rows if r.table == "episodes") == 459
    first = child_case(ret, ret.looked_after[0])
    assert first.case.child.name.startswith("Child ")
    assert all(w.element for w in first.warnings)


def test_messy_rows_are_warned_and_kept(tmp_path: Path) -> None:
    """Every inconsistency is a located warning; no row disappears without a word."""
    (tmp_path / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC\n7,1,03/2015,WBRI\n8,2,01/01/2014,WBRI\n",
                                         encoding="utf-8")
    (tmp_path / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,DEC,REC\n"
        "7,01/04/2016,S,V2,N1,T1,05/04/2016,X1\n"      # row 2: a period starting with a temporary placement
        "7,05/04/2016,P,V2,N1,Q9,01/06/2016,X1\n"      # row 3: unknown PLACE
        "7,05/04/2016,P,V2,N1,Q9,01/06/2016,X1\n"      # row 4: exact duplicate
        "7,20/05/2016,P,C9,N1,U4,01/09/2016,X1\n"      # row 5: overlaps row 3; unknown LS
        "7,31/02/2016,P,C1,N1,U4,,\n"                  # row 6: no such date
        "7,01/09/2016,L,C2,N1,U4,01/03/2017,E11\n"     # row 7: adopted, no AD1 row
        "8,01/01/2017,S,V2,N1,U6,01/02/2017,X1\n"      # row 8
        "8,10/02/2017,P,V2,N1,U4,,\n",                 # row 9: 9 days after an X1 end
        encoding="utf-8")
    ret = read_return(tmp_path)
    seven = child_case(ret, "7")
    got = {(w.kind, w.row) for w in seven.warnings}
    assert {("temporary_first", 2), ("unknown_code", 3), ("duplicate", 4), ("overlap", 5), ("unknown_code", 5),
            ("bad_date", 6), ("adopted_no_record", 7), ("dob_month", 2)} <= got
    assert all(w.file in ("episodes.csv", "header.csv") and w.child == "7" for w in seven.warnings)
    assert seven.case.child.name == "Child 7 (born Mar 2015, day not given)"
    assert seven.case.child.date_of_birth == date(2015, 3, 15)
    outcome = {r.where: r for r in seven.rows}
    assert any("not drawn" in n for n in outcome["episodes.csv row 6"].notes)
    assert any("exactly" in n for n in outcome["episodes.csv row 4"].notes)
    other = [e for e in seven.case.events if isinstance(e, PlacementEvent) and e.type == "other"]
    assert other and "Q9" in (other[0].label or "")
    assert any(isinstance(e, OrderEvent) and e.type == "adoption" for e in seven.case.events)
    eight = child_case(ret, "8")
    assert [(w.kind, w.row) for w in eight.warnings] == [("gap", 9)]


def test_xml_reads_as_the_csv(tmp_path: Path) -> None:
    """The XML form of child 1003's 2018 return gives the same events as its CSV tables."""
    xml = ("<?xml version='1.0' encoding='us-ascii'?><EXPSSDA903><CHILD><HEADER><CHILDID>1003</CHILDID>"
           "<SEX>1</SEX><DOB>21/08/2012</DOB><ETHNIC>MWBC</ETHNIC>"
           "<AREVIEW><REVIEW>08/01/2018</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>"
           "<AREVIEW><REVIEW>29/03/2018</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>"
           "<AMISSING><MISSING>M</MISSING><MIS_START>14/02/2018</MIS_START><MIS_END>15/02/2018</MIS_END></AMISSING>"
           "</HEADER><EPISODE><DECOM>11/12/2017</DECOM><RNE>S</RNE><LS>V2</LS><CIN>N1</CIN><PL>U1</PL>"
           "<PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC /><REC /></EPISODE></CHILD></EXPSSDA903>")
    (tmp_path / "2018.xml").write_text(xml, encoding="ascii")
    from_xml = child_case(read_return(tmp_path / "2018.xml"), "1003")
    from_csv = child_case(read_return(OWN / "2018"), "1003")

    def strip(imp: ChildImport) -> list[tuple[str, str, str, str | None]]:
        return [(e.kind, e.type, e.first.isoformat(), e.label) for e in imp.case.events]

    assert strip(from_xml) == strip(from_csv)
    assert from_xml.case.as_of == from_csv.case.as_of == date(2018, 3, 31)
    (tmp_path / "bomb.xml").write_text("<!DOCTYPE x [<!ENTITY a 'b'>]><EXPSSDA903/>", encoding="ascii")
    with pytest.raises(CaseError, match="DOCTYPE or entities"):
        read_return(tmp_path / "bomb.xml")


def test_steps_a_return_never_holds_are_not_recorded_never_overdue(own: dict[str, ChildImport],
                                                                    tmp_path: Path) -> None:
    """A 903 has no permanence plan date: 1002 (looked after 1 Jun 2016, no later plan step before 31 Mar
    2018) would be 'OVERDUE' for a plan due 28 Sep 2016; the case says the return does not keep that step, so
    it is 'not recorded', the cohort does not count the child as waiting for it, and the case file keeps it."""
    case = own["1002"].case
    assert "permanence_recommended" in case.records.steps_not_kept
    plan = next(m for m in compute_facts(case).milestones if m.type == "permanence_recommended")
    assert plan.status == "not_recorded" and plan.target_date is None
    from timeline.cohort import read_inputs
    from timeline.facts.compute import summary_text
    from timeline.io.casefile import dump_case

    assert "not recorded (the source does not hold it)" in summary_text(case, compute_facts(case))
    records, _ = read_inputs([str(OWN)], as_of=date(2018, 3, 31))
    for r in records:
        step = next(s for s in r.steps if s.milestone == "permanence_recommended")
        assert not step.waiting and step.days is None
    written = tmp_path / "c.yaml"
    written.write_text(dump_case(case), encoding="utf-8")
    assert load_case(written).case.records.steps_not_kept == case.records.steps_not_kept
