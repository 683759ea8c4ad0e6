"""Import of chronology spreadsheets (CSV, XLSX): dates, types, free-text rows, errors by row and column."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from timeline.cli.commands import main
from timeline.dates import DateFormatError
from timeline.facts.compute import compute_facts
from timeline.io.chronology import chronology_date, import_file, load_any, match_type, read_date
from timeline.io.read import load_case, read_table
from timeline.model.vocabulary import load_vocabulary
from timeline.problems import CaseError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
VOCAB = load_vocabulary("scotland")


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("20/01/2016", "2016-01-20"),
        ("20.01.2016", "2016-01-20"),
        ("5/3/2016", "2016-03-05"),
        ("20 Jan 2016", "2016-01-20"),
        ("20th January 2016", "2016-01-20"),
        ("20-Jan-2016", "2016-01-20"),
        ("2016-01-20", "2016-01-20"),
        ("2016-01-20 00:00:00", "2016-01-20"),
        ("Jan 2016", "2016-01"),
        ("Sept 2016", "2016-09"),
        ("01/2016", "2016-01"),
        ("2016", "2016"),
        ("c. 2016", "2016~"),
        ("c.2014", "2014~"),
        ("circa Mar 2016", "2016-03~"),
        ("~2016", "2016~"),
        ("approx 20/01/2016", "2016-01-20~"),
        ("May 2016?", "2016-05?"),
    ],
)
def test_chronology_dates_become_edtf(text: str, edtf: str) -> None:
    assert chronology_date(text) == edtf


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31/02/2016", "day 31 does not exist in Feb 2016"),
        ("01/20/2016", "month 20 does not exist; dates are read day first"),
        ("Jnuary 2016", "did you mean 'January'?"),
        ("soon", "write it as 20/01/2016, 20 Jan 2016, Jan 2016, 2016 or c. 2016"),
    ],
)
def test_bad_dates_say_what_to_write(text: str, fragment: str) -> None:
    with pytest.raises(DateFormatError, match=None) as err:
        chronology_date(text)
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Foster care", None, ("placement", "foster")),
        ("foster", None, ("placement", "foster")),
        ("CSO", None, ("order", "cso")),
        ("Compulsory Supervision Order", None, ("order", "cso")),
        ("compulsory  supervision order", None, ("order", "cso")),
        ("LAC review", None, ("meeting", "laac_review")),
        ("Childrens Hearing", None, ("hearing", "childrens_hearing")),
        ("Children’s Hearing", None, ("hearing", "childrens_hearing")),
        ("s25", None, ("order", "s25")),
        ("other", None, ("event", "other")),
        ("other", "placement", ("placement", "other")),
        ("Other", "meeting", ("meeting", "other")),
    ],
)
def test_types_match_codes_names_and_abbreviations(text: str, kind: str | None, expected: tuple[str, str]) -> None:
    assert match_type(text, kind, VOCAB) == expected


def test_type_of_the_wrong_kind_is_explained() -> None:
    with pytest.raises(ValueError, match="'CSO' is a order type, not a placement type"):
        match_type("CSO", "placement", VOCAB)


def write(tmp_path: Path, text: str, name: str = "chronology.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_rows_read_like_a_social_worker_wrote_them(tmp_path: Path) -> None:
    csv = write(tmp_path, "Date,Type,Details\n"
                "20/01/2016,Foster care,Placed with Mr and Mrs B\n"
                "Jan 2016,,Contact with mum resumed\n"
                "c. 2014,,Family moved to Dundee\n"
                "28 Jan 2016,CSO,CSO made at hearing\n"
                "3/2/2016,LAC review,\n")
    case = import_file(csv, name="Amy", dob="14/03/2013").case
    got = [(e.kind, e.type, e.first.isoformat(), e.label) for e in case.events]
    assert got == [
        ("placement", "foster", "2016-01-20", "Placed with Mr and Mrs B"),
        ("event", "contact", "2016-01", "Contact with mum resumed"),
        ("event", "other", "2014~", "Family moved to Dundee"),
        ("order", "cso", "2016-01-28", "CSO made at hearing"),
        ("meeting", "laac_review", "2016-02-03", None),
    ]
    assert case.events[0].is_span and case.events[0].last is None
    assert case.child.date_of_birth == dt.date(2013, 3, 14)


def test_columns_and_aliases_any_case_semicolons_and_bom(tmp_path: Path) -> None:
    csv = write(tmp_path, "\ufeffDESCRIPTION;Agency;date;End Date;KIND;status\n"
                "With gran;SW;01/02/2016;01/08/2016;Placement;\n"
                "Review at school;Education;01/09/2099;;meeting;Planned\n")
    case = import_file(csv, name="Amy", dob="2013-03-14", as_of="2017-01-01").case
    first, second = case.events
    assert (first.kind, first.type, first.first.isoformat(), first.last.isoformat() if first.last else None) == (
        "placement", "kinship", "2016-02-01", "2016-08-01")
    assert first.source == "SW" and first.label == "With gran"
    assert (second.kind, second.type, second.status) == ("meeting", "laac_review", "planned")


def test_tab_separated_and_quoted_cells(tmp_path: Path) -> None:
    csv = write(tmp_path, 'Date\tType\tNotes\n20/01/2016\tCPO\t"Granted, by the sheriff\non the same day"\n')
    event = import_file(csv, name="Amy", dob="2013-03-14").case.events[0]
    assert (event.kind, event.type) == ("order", "cpo")
    assert event.label == "Granted, by the sheriff…"
    assert event.note == "Granted, by the sheriff\non the same day"


def test_long_free_text_is_cut_for_the_label_and_kept_whole_in_the_note(tmp_path: Path) -> None:
    text = "Mum phoned the duty team " + "to say she could not cope with the children " * 6
    csv = write(tmp_path, f'Date,Details\n2016,"{text.strip()}"\n')
    event = import_file(csv, name="Amy", dob="2013-03-14").case.events[0]
    assert event.label is not None and len(event.label) <= 120 and event.label.endswith("…")
    assert event.note == text.strip()


def test_a_date_range_in_one_cell_gives_start_and_end(tmp_path: Path) -> None:
    csv = write(tmp_path, "Date,Type\n20/01/2016 - 02/07/2016,Foster care\n2014-2015,Kinship\n")
    a, b = import_file(csv, name="Amy", dob="2013-03-14").case.events
    assert (a.first.isoformat(), a.last.isoformat() if a.last else None) == ("2016-01-20", "2016-07-02")
    assert (b.first.isoformat(), b.last.isoformat() if b.last else None) == ("2014", "2015")


BAD = ("Date,Type,Details\n"
       "20/01/2016,Foster care,ok\n"
       "21/01/2016,Foster care,ok\n"
       "22/01/2016,,ok\n"
       "23/01/2016,CSO,ok\n"
       "24/01/2016,,ok\n"
       "25/01/2016,Fostr care,typo\n"
       "31/02/2016,,no such day\n"
       ",Health,no date\n"
       "20/01/2016,,ok,bad status,\n")


def test_doubtful_rows_are_kept_and_said_and_bad_ones_located(tmp_path: Path) -> None:
    """A type nobody knows or a date that cannot be read does not lose the row: the type is read from the
    text (a warning names row and column), an impossible date keeps the row undated (never invented)."""
    csv = write(tmp_path, BAD.replace("20/01/2016,,ok,bad status,\n", ""))
    imported = import_file(csv, name="Amy", dob="2013-03-14")
    case, report = imported.case, imported.report
    assert report is not None
    assert len(case.events) == 6 and [u.label for u in case.undated] == ["no such day", "no date"]
    assert case.undated[0].after == 5 and "Date as written: 31/02/2016" in (case.undated[0].note or "")
    warnings = [p.format() for p in imported.warnings]
    assert any("row 7" in w and "column 'type'" in w and "'Fostr care' is not a known type" in w for w in warnings)
    assert any("row 8, column 'date': '31/02/2016': day 31 does not exist in Feb 2016" in w for w in warnings)
    assert report.counts["undated"] == 2 and report.counts["rows"] == 8


def test_every_bad_row_is_reported_with_row_and_column(tmp_path: Path) -> None:
    text = "Date,Type,Details,Status\n20/01/2016,,ok,\n21/01/2016,,ok,bad status\n22/01/2016,,ok,maybe\n"
    with pytest.raises(CaseError) as err:
        import_file(write(tmp_path, text), name="Amy", dob="2013-03-14")
    lines = [p.path for p in err.value.problems]
    assert lines == ["row 3, column 'status'", "row 4, column 'status'"]


def test_cli_bad_row_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    csv = write(tmp_path, "Date,Details,Status\n20/01/2016,ok,\n21/01/2016,ok,bad status\n")
    out = tmp_path / "case.yaml"
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["import", str(csv), "--name", "Amy", "--dob", "14/03/2013", "-o", str(out),
                                       "--report", str(report)])
    assert result.exit_code == 1
    assert "row 3, column 'status': 'bad status' is not a status" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["problems"][0]["row"] == 3 and data["counts"]["problems"] == 1


def test_cli_import_writes_a_case_file_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "case.yaml"
    result = CliRunner().invoke(main, ["import", str(SAMPLES / "chronology.csv"), "--name", "Maisie", "--dob",
                                       "14/03/2015", "--ref", "C-2093", "--as-of", "30/06/2019", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/case.schema.json\nversion: 1\nchild:\n")
    case = load_case(out).case
    assert len(case.events) == 33  # row 13 says the hearing and the ICSO it made
    assert case.as_of == dt.date(2019, 6, 30)
    kinds = [e.kind for e in case.events]
    assert kinds.count("placement") == 4 and kinds.count("hearing") == 2 and kinds.count("milestone") == 6
    assert [e.type for e in case.events if e.kind == "order"] == ["cp_register", "cpo", "icso", "icso", "cso",
                                                                   "poa", "adoption"]
    assert [(e.type, e.first.isoformat()) for e in case.events if e.kind == "placement"] == [
        ("home", "2015-03-14"), ("foster", "2016-01-20"), ("foster", "2016-07-02"), ("adoptive", "2017-11-15")]
    free = [e for e in case.events if (e.kind, e.type) == ("event", "other")]
    assert [e.first.isoformat() for e in free] == ["2013~", "2015-10~"]  # the rest name what they are
    assert case.events[-1].status == "planned"
    assert validate(out).exit_code == 0


def validate(path: Path) -> object:
    return CliRunner().invoke(main, ["validate", str(path)])


def test_xlsx_sample_gives_the_same_case_as_the_csv_sample() -> None:
    kwargs = {"name": "Maisie", "dob": "14/03/2015", "as_of": "2019-06-30"}
    from_csv = import_file(SAMPLES / "chronology.csv", **kwargs).case  # type: ignore[arg-type]
    from_xlsx = import_file(SAMPLES / "chronology.xlsx", **kwargs).case  # type: ignore[arg-type]
    assert from_xlsx == from_csv


def test_xlsx_sheets_and_excel_dates(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Summary"
    sheet = book.create_sheet("Events")
    sheet.append(["Date", "Type", "Details"])
    sheet.append([dt.datetime(2016, 1, 20), "Foster care", "Placed"])
    sheet.append([dt.datetime(2016, 3, 1), None, "Started nursery"])
    sheet["A3"].number_format = "mmm yyyy"
    sheet.append([2017, "School", None])
    path = tmp_path / "book.xlsx"
    book.save(path)

    case = import_file(path, name="Amy", dob="2013-03-14", sheet="Events").case
    assert [e.first.isoformat() for e in case.events] == ["2016-01-20", "2016-03", "2017"]
    with pytest.raises(CaseError) as err:
        import_file(path, name="Amy", dob="2013-03-14", sheet="Event")
    assert err.value.problems[0].message == "has no sheet 'Event'; did you mean 'Events'? (sheets: Summary, Events)"
    with pytest.raises(CaseError, match=r"sheet 'Summary' holds no rows.*\(sheets: Summary, Events\)"):
        import_file(path, name="Amy", dob="2013-03-14")  # the first sheet is empty


def test_table_rows_keep_spreadsheet_numbers(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "Date,Type\n\n20/01/2016,CSO\n"))
    assert [n for n, _ in table.rows] == [1, 3]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("Date,Type\n20/01/2016,Siobhán\n".encode("cp1252"), "is not UTF-8 text; in Excel use Save As"),
        (b"", "is empty; a chronology needs a header row"),
        (b"PK\x03\x04rest", "is an Excel workbook, not CSV text"),
        (b"Who,What\nAmy,Foster\n", "no 'date' column found in the first 2 rows (the fullest, row 1, has 'Who', "
                                     "'What')"),
    ],
)
def test_unreadable_tables_give_clean_errors(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "chronology.csv"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["import", str(path), "--name", "A", "--dob", "2013-03-14", "-o",
                                       str(tmp_path / "x.yaml")])
    assert result.exit_code == 1
    assert fragment in result.stderr and "Traceback" not in result.output


def test_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    with pytest.raises(CaseError, match=r"not an Excel \.xlsx workbook \(an old \.xls file"):
        read_table(path)


def test_load_any_needs_name_and_dob_for_tables() -> None:
    with pytest.raises(CaseError) as err:
        load_any(SAMPLES / "chronology.csv", name="Maisie")
    assert "give --dob" in err.value.problems[0].message
    loaded = load_any(SAMPLES / "chronology.csv", name="Maisie", dob="2015-03-14", as_of=dt.date(2019, 6, 30))
    assert loaded.case.as_of == dt.date(2019, 6, 30) and len(loaded.case.events) == 33
    assert load_any(SAMPLES / "home.yaml").case.child.name == "Ruairí"


def test_bad_options_are_named(tmp_path: Path) -> None:
    csv = write(tmp_path, "Date\n2016\n")
    with pytest.raises(CaseError) as err:
        import_file(csv, name="Amy", dob="2015", as_of="31/13/2019")
    assert [p.path for p in err.value.problems] == ["--dob", "--as-of"]


@pytest.mark.parametrize("sample", ["chronology.csv", "chronology.xlsx"])
def test_samples_render_directly(tmp_path: Path, sample: str) -> None:
    out = tmp_path / "chart.svg"
    result = CliRunner().invoke(main, ["render", str(SAMPLES / sample), "--name", "Maisie", "--dob", "14/03/2015",
                                       "--as-of", "2019-06-30", "-o", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert "<title>" in svg and "Maisie" in svg
    assert svg.count('class="event ') >= 32 or svg.count("kind-placement") >= 4


def test_validate_and_summary_read_a_chronology_as_render_does() -> None:
    """A social worker checks the spreadsheet before rendering it: `validate` and `summary` take it with
    --name and --dob, and without them say what is missing instead of calling it bad YAML."""
    runner = CliRunner()
    table = str(SAMPLES / "chronology.csv")
    bare = runner.invoke(main, ["validate", table])
    assert bare.exit_code == 1
    assert "does not hold the child's name and date of birth; give --name and --dob" in bare.output
    assert "YAML" not in bare.output
    ok = runner.invoke(main, ["validate", table, "--name", "Maisie", "--dob", "14/03/2015", "--as-of", "2019-06-01"])
    assert ok.exit_code == 0, ok.output
    assert f"{table}: ok (33 events" in ok.output
    summary = runner.invoke(main, ["summary", str(SAMPLES / "chronology.xlsx"), "--name", "Maisie", "--dob",
                                   "14/03/2015", "--as-of", "2019-06-01"])
    assert summary.exit_code == 0, summary.output
    assert summary.output.startswith("Summary for Maisie\nBorn 14 Mar 2015; as at 1 Jun 2019")


@pytest.mark.parametrize("args", [
    ["validate", str(SAMPLES / "adoption.yaml"), "--name", "Amy"],
    ["summary", str(SAMPLES / "adoption.yaml"), "--dob", "14/03/2015"],
    ["render", str(SAMPLES / "adoption.yaml"), "--sheet", "Sheet1", "-o", "x.svg"],
    ["validate", str(SAMPLES / "chronology.csv"), str(SAMPLES / "chronology.xlsx"), "--name", "A", "--dob", "1/1/2015"],
])
def test_chronology_options_are_refused_where_they_would_be_ignored(args: list[str]) -> None:
    """--name/--dob/--ref/--sheet describe one spreadsheet: given for a case file (which holds the child's
    details) or for several files they would be silently ignored, so they are a usage error (exit 2)."""
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "--name, --dob, --ref and --sheet apply to" in result.output


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("30.05.11", "2011-05-30"),
        ("4/3/16", "2016-03-04"),
        ("w/c 18/07/11", "2011-07-18/2011-07-24"),
        ("w/b 07/11/2016", "2016-11-07/2016-11-13"),
        ("early March 2016", "2016-03-01/2016-03-10"),
        ("mid-2016", "2016-05/2016-08"),
        ("late 2015", "2015-09/2015-12"),
        ("end of June 2016", "2016-06-21/2016-06-30"),
        ("beginning of 2015", "2015-01/2015-04"),
        ("spring 2016", "2016-03/2016-05"),
        ("winter 2016/17", "2016-12/2017-02"),
        ("Jan-Mar 2016", "2016-01/2016-03"),
        ("March/April 2016", "2016-03/2016-04"),
        ("Mar-16", "2016-03"),
        ("14 Mar 16", "2016-03-14"),
        ("?/03/2016", "2016-03"),
        ("14/03/2016 14:30", "2016-03-14"),
        ("14-16/03/2016", "2016-03-14/2016-03-16"),
        ("14 to 16 March 2016", "2016-03-14/2016-03-16"),
        ("2015-2016", "2015/2016"),
        ("2016/17", "2016/2017"),
        ("40742", "2011-07-18"),
        ("2016-03-14/2016-03-16", "2016-03-14/2016-03-16"),
        ("early 2016?", "2016-01?/2016-04?"),
        ("Aug '15", "2015-08"),
        ("Sept. 2014", "2014-09"),
        ("March 1st, 2015", "2015-03-01"),
        ("2015 (approx)", "2015~"),
        ("Around March 2015", "2015-03~"),
        ("Dec 15 - Jan 16", "2015-12/2016-01"),
        ("01/03/2015 - ongoing", "2015-03-01"),
        ("Mar 2015 to date", "2015-03"),
    ],
)
def test_every_date_form_practitioners_write(text: str, edtf: str) -> None:
    assert chronology_date(text, pivot_year=2026) == edtf


def test_two_digit_years_are_read_in_the_hundred_years_to_the_as_at_year() -> None:
    read = read_date("30.05.11", pivot_year=2010)
    assert read.start == "1911-05-30" and "two-digit year '11' read as 1911" in read.warnings[0]
    assert read_date("30.05.11", pivot_year=2011).start == "2011-05-30"


@pytest.mark.parametrize("text", ["Unknown", "TBC", "n/k", "", "  ", "?", "Not known", "date unknown"])
def test_unknown_dates_are_undated_not_invented(text: str) -> None:
    assert read_date(text, pivot_year=2026).undated


def test_a_huge_date_cell_is_refused_by_its_length() -> None:
    """Every pattern sees at most MAX_DATE_CELL characters: a 1 MB cell is refused before any pattern runs."""
    for cell in (" " * 1_000_000, "1" + " " * 1_000_000 + "2016", "- " * 500_000):
        with pytest.raises(DateFormatError, match="characters long; a date cell holds at most 100"):
            read_date(cell, pivot_year=2026)


def test_a_huge_date_cell_in_a_table_is_a_located_problem() -> None:
    from timeline.io.chronology import import_table
    from timeline.io.read import Table

    table = Table("c.csv", ((1, ("Date", "Event")), (2, ("1" + " " * 1_000_000 + "2016", "x"))))
    with pytest.raises(CaseError) as err:
        import_table(table, name="A", dob="2013-03-14")
    assert err.value.problems[0].path == "row 2, column 'date'"


def test_header_only_gives_a_warning(tmp_path: Path) -> None:
    imported = import_file(write(tmp_path, "Date,Event,Details\n"), name="Amy", dob="2013-03-14")
    assert not imported.case.events
    assert any("no rows under it" in w.message for w in imported.warnings)


COUNCIL = ("CHRONOLOGY OF SIGNIFICANT EVENTS,,,\n"
           "Child's name:,A,Date of birth:,14/03/2009\n"
           "Completed by:,SW,,\n"
           ",,,\n"
           "Key: F/C foster carers,,,\n"
           "Date or Period of Event,Significant Event,Impact on the child,Action taken\n"
           "PRE-BIRTH,,,\n"
           "w/c 18/07/11,Placed with F/C,Upset,Contact arranged\n"
           "Unknown,Mum moved to Dundee,,\n"
           "14/03/2016,LAAC review,,Plan agreed\n")


def test_council_template_header_on_row_6_and_notes_kept(tmp_path: Path) -> None:
    imported = import_file(write(tmp_path, COUNCIL), name="Amy", dob="2009-03-14", as_of="2016-06-01")
    report = imported.report
    assert report is not None and report.header_row == 6
    assert report.columns["date"] == "Date or Period of Event" and report.columns["text"] == ["Significant Event"]
    assert report.columns["note"] == ["Impact on the child", "Action taken"]
    placed = imported.case.events[0]
    assert placed.first.isoformat() == "2011-07-18/2011-07-24" and placed.label == "Placed with F/C"
    assert placed.note == "Impact on the child: Upset\n\nAction taken: Contact arranged"
    assert [r.status for r in report.rows] == ["skipped", "event", "undated", "event"]
    assert imported.case.undated[0].label == "Mum moved to Dundee" and imported.case.undated[0].after == 0
    data = report.to_json()
    assert set(data) >= {"file", "sheet", "header_row", "columns", "jurisdiction", "counts", "rows", "problems"}
    assert data["counts"]["rows"] == 4 and data["counts"]["skipped"] == 1 and data["counts"]["undated"] == 1
    assert data["rows"][1]["read"] == {"date": "w/c 18/07/11", "text": "Placed with F/C"}
    assert "'w/c' date: the week 18 Jul 2011 to 24 Jul 2011" in data["rows"][1]["why"]


def test_the_first_header_error_points_at_the_header_row(tmp_path: Path) -> None:
    text = COUNCIL.replace("Date or Period of Event", "Occurred")  # the header names no date column
    with pytest.raises(CaseError) as err:
        import_file(write(tmp_path, text), name="Amy", dob="2009-03-14")
    problem = err.value.problems[0]
    assert problem.path == "row 6"
    assert "looks like the header" in problem.message and "names no date column" in problem.message


def test_columns_override(tmp_path: Path) -> None:
    csv = write(tmp_path, "Occurred,What,Why\n14/03/2016,Started school,New area\n")
    imported = import_file(csv, name="Amy", dob="2009-03-14", columns={"date": "Occurred", "text": "What",
                                                                         "note": ["Why"]})
    event = imported.case.events[0]
    assert (event.first.isoformat(), event.label, event.note) == ("2016-03-14", "Started school", "Why: New area")


def test_another_jurisdiction_is_selected_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An English chronology is read as England and Wales (no longer refused); --jurisdiction scotland forces
    the Scottish reading and says which foreign words it saw."""
    import timeline.io.classify as classify

    real = classify.detect_jurisdiction
    monkeypatch.setattr(classify, "detect_jurisdiction",
                        lambda texts, expected="scotland": classify.Detection("england-wales", ("ICO", "care order"))
                        if expected == "scotland" else real(texts, expected=expected))
    ok = write(tmp_path, "Date,Event\n12/09/2016,ICO granted\n16/03/2017,Care order made\n", "ok.csv")
    chosen = import_file(ok, name="Ruby", dob="2015-04-09")
    assert chosen.case.jurisdiction == "england-wales"
    assert [(e.kind, e.type) for e in chosen.case.events] == [("order", "ico"), ("order", "care_order")]
    assert chosen.report is not None and chosen.report.jurisdiction["words"] == ["ICO", "care order"]
    forced = import_file(ok, name="Ruby", dob="2015-04-09", jurisdiction="scotland")
    assert forced.case.jurisdiction == "scotland"
    assert forced.report is not None and forced.report.jurisdiction["detected"] == "england-wales"
    assert any("England or Wales" in n for n in forced.report.notes)
    out = tmp_path / "ruby.yaml"
    result = CliRunner().invoke(main, ["import", str(ok), "--name", "R", "--dob", "2015-04-09", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "jurisdiction: \"england-wales\"" in out.read_text()


@pytest.mark.parametrize("command", ["render", "summary", "validate"])
def test_as_of_and_dob_take_the_same_forms_everywhere(tmp_path: Path, command: str) -> None:
    args = [command, str(SAMPLES / "chronology.csv"), "--name", "Maisie", "--dob", "14 Mar 2015",
            "--as-of", "15/03/2019"]
    if command == "render":
        args += ["-o", str(tmp_path / "c.svg")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output


def test_lint_warnings_about_a_spreadsheet_name_its_rows(tmp_path: Path) -> None:
    csv = write(tmp_path, "Date,Date to,Type,Event\n01/01/2016,01/06/2016,Foster care,A\n"
                "01/03/2016,,Kinship care,B\n")
    loaded = load_any(csv, name="Amy", dob="2013-03-14", as_of=dt.date(2017, 1, 1))
    texts = [p.format() for p in loaded.warnings]
    overlap = [t for t in texts if "starts before the placement" in t]
    assert overlap and "row 3" in overlap[0] and "row 2" in overlap[0] and "events[" not in overlap[0]


def test_cli_prints_the_report_and_writes_json(tmp_path: Path) -> None:
    out, rep = tmp_path / "case.yaml", tmp_path / "report.json"
    result = CliRunner().invoke(main, ["import", str(write(tmp_path, COUNCIL)), "--name", "Amy", "--dob",
                                       "14/03/2009", "-o", str(out), "--report", str(rep)])
    assert result.exit_code == 0, result.output
    assert "header on row 6" in result.output and "- row 7" in result.output and "u row 9" in result.output
    assert "1 undated row kept" in result.output
    data = json.loads(rep.read_text(encoding="utf-8"))
    assert data["header_row"] == 6 and len(data["rows"]) == 4
    assert load_case(out).case.undated[0].label == "Mum moved to Dundee"


def test_no_cell_is_dropped_and_open_ends_are_understood(tmp_path: Path) -> None:
    """A column nobody named goes to the note; 'ongoing' as an end leaves it open; an end that cannot be
    read leaves it open with a warning and the end as written in the note; a date alone is a skipped row."""
    csv = write(tmp_path, "Date,Date to,Type,Event,Siblings\n"
                "01/02/2016,ongoing,Foster care,Placed with Mr and Mrs B,Placed apart from brother\n"
                "01/03/2016,sometime,CSO,CSO made,\n"
                "2011 - 2012,,,,\n")
    imported = import_file(csv, name="Amy", dob="2013-03-14")
    placed, order = imported.case.events
    assert placed.last is None and placed.note == "Siblings: Placed apart from brother"
    assert order.last is None and "End as written: sometime" in (order.note or "")
    report = imported.report
    assert report is not None and [r.status for r in report.rows] == ["event", "event", "skipped"]
    assert any("'Siblings' is not a known column; its cells are kept in the note" in n for n in report.notes)
    assert any("column 'Date to'" in w and "the end is left open" in w for w in report.rows[1].warnings)


def test_a_value_the_case_format_refuses_is_located_by_row_and_column(tmp_path: Path) -> None:
    csv = write(tmp_path, "Date,Event\n14/03/2016,ok\n14/03/1850,too early\n15/03/2016,bell \x07 here\n")
    with pytest.raises(CaseError) as err:
        import_file(csv, name="Amy", dob="2013-03-14")
    where = [p.path for p in err.value.problems]
    assert where == ["row 3, column 'date'", "row 4, column 'Event'"]
    assert "1850" in err.value.problems[0].message


def test_a_category_is_never_a_kind_hint_for_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """'Legal' groups petitions, hearings and orders: it must not push "POA petition lodged" towards an order.
    The Kind column is a hint; a Category is used only when the text names nothing."""
    import timeline.io.classify as classify

    seen: list[str | None] = []
    real = classify.classify_text

    def spy(text: str, **kwargs: object) -> classify.Classified:
        seen.append(kwargs.get("kind_hint"))  # type: ignore[arg-type]
        return real(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(classify, "classify_text", spy)
    csv = write(tmp_path, "Date,Category,Kind,Event\n19/12/2016,Legal,,Petition for POA lodged\n"
                "20/12/2016,,Meeting,Talked to gran\n")
    case = import_file(csv, name="Amy", dob="2013-03-14").case
    assert seen == [None, "meeting"]
    assert (case.events[0].kind, case.events[0].type) == ("milestone", "application_lodged")  # not an order
    assert (case.events[1].kind, case.events[1].type) == ("meeting", "other")


def test_a_heading_merged_across_the_row_is_skipped_and_said() -> None:
    """A reader that fills merged cells repeats a heading's text in every cell of its row: still a heading."""
    from timeline.io.chronology import import_table
    from timeline.io.read import Table

    table = Table("c.xlsx", ((6, ("Date or Period of Event", "Significant Event", "Action taken")),
                             (7, ("Looked after away from home",) * 3),
                             (8, ("14/03/2016", "Placed with foster carers", ""))), sheet="Chronology")
    report = import_table(table, name="A", dob="2013-03-14").report
    assert report is not None and [r.status for r in report.rows] == ["skipped", "event"]
    assert "section heading" in report.rows[0].why[0]
    assert report.to_json()["sheet"] == "Chronology"


def test_intervals_and_undated_rows_reach_the_report_as_written(tmp_path: Path) -> None:
    case_file = tmp_path / "case.yaml"
    case_file.write_text(
        "version: 1\nchild: {name: Amy, date_of_birth: 2013-03-14}\nas_of: 2017-01-01\nevents:\n"
        "  - {kind: hearing, type: proof, date: 2016-03-14/2016-03-16, label: Proof}\n"
        "  - {kind: event, type: other, date: '2015', label: Moved to Dundee}\n"
        "undated:\n  - {label: Dad left home, after: 0}\n", encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["render", str(case_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "14–16 Mar 2016" in html and "Date not known" in html and "Dad left home" in html
    assert html.index("Proof") < html.index("Dad left home")
    assert "2 Jul 2015" not in html


def test_a_case_file_is_loaded_without_the_chronology_importer() -> None:
    """`load_any` on a case file (what `timeline render case.yaml` runs) does not import `io.chronology` (its
    date forms and column words cost a cold render about 25 ms); a table, or an as-at date given as text,
    does."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    probe = ("import sys; from timeline.io.read import load_any; load_any(sys.argv[1]{as_of}); "
             "print('timeline.io.chronology' in sys.modules)")
    def imported(path: Path, as_of: str = "") -> str:
        return subprocess.run([sys.executable, "-c", probe.format(as_of=as_of), str(path)], check=True,
                              capture_output=True, text=True, cwd=root).stdout.strip()

    assert imported(root / "samples" / "adoption.yaml") == "False"
    assert imported(root / "samples" / "adoption.yaml", as_of=", as_of='14/03/2021'") == "True"
    table = root / "tests" / "data" / "chronologies" / "start-end-reviews.csv"
    assert load_any(table, name="Amy", dob="2014-01-01", as_of="2021-01-01").case.events  # re-exported here


def test_a_misspelt_type_reads_the_words_the_label_came_from(tmp_path: Path) -> None:
    """With no Event column the label comes from Details; a Type naming no code ('Fostr') said "the row is
    read from its text" but read only 'Fostr', so a placement the row states was dropped to a life event."""
    csv = write(tmp_path, "Date,Type,Details\n"
                "20/01/2016,Fostr,Placed with foster carer Ms A\n")
    imported = import_file(csv, name="Amy", dob="14/03/2013")
    assert [(e.kind, e.type) for e in imported.case.events] == [("placement", "foster")]


def test_a_bare_event_heading_is_read_with_its_details(tmp_path: Path) -> None:
    """An Event column holding only a heading ('Kinship', 'CP reg') and Details saying what happened: the
    details name the move (as a guess to check, not silently), and a de-registration is never a new
    registration."""
    csv = write(tmp_path, "Date,Event,Details\n"
                "Oct 2019,Kinship,Moved to her aunt's under s25\n"
                "2021,CP reg,Removed from CP register\n"
                "Mar 2019,CP reg,Registered under neglect\n")
    imported = import_file(csv, name="Amy", dob="14/03/2013")
    got = [(e.kind, e.type, e.first.isoformat()) for e in imported.case.events]
    assert got == [("placement", "kinship", "2019-10"), ("order", "s25", "2019-10"), ("event", "other", "2021"),
                   ("order", "cp_register", "2019-03")]
    rows = {r.row: r for r in imported.report.rows}
    assert rows[2].guessed and "from the column 'Details'" in " ".join(rows[2].why)
    assert not rows[3].guessed and any("Removed from CP register" in n for n in rows[3].notes)


def test_headings_whose_details_say_what_happened(tmp_path: Path) -> None:
    """A Word-style chronology: 'Significant Event' holds a heading, 'Details / Impact on child' what happened.
    A hearing's Details say what it decided (the ICSO and the move to foster carers, the CSO): read too, as
    guesses to check, labelled by the Details (the order's bar does not say "Children's Hearing"); a review
    the Details call cancelled is a life event that says so, never a review held; "Voluntary support" (a
    family helped at home) is not voluntary accommodation, which made the child looked after from Mar 2017."""
    csv = write(tmp_path, "Date,Significant Event,Details / Impact on child\n"
                "03/2017 - 05/2017,Voluntary support,Family support worker 2x weekly\n"
                "04/09/2017,Children's Hearing,ICSO granted with condition of residence at foster carers\n"
                "30/10/2017,Children's Hearing,CSO made - residence with foster carers\n"
                "Nov 2017,LAAC review,Review was cancelled - IRO sick\n"
                "01/02/2018,LAAC review,Plan: permanence away from home\n")
    imported = import_file(csv, name="Ava", dob="14/03/2015", as_of="2018-09-01")
    got = [(e.kind, e.type, e.first.isoformat()) for e in imported.case.events]
    assert got == [("event", "other", "2017-03/2017-05"), ("hearing", "childrens_hearing", "2017-09-04"),
                   ("order", "icso", "2017-09-04"), ("placement", "foster", "2017-09-04"),
                   ("hearing", "childrens_hearing", "2017-10-30"), ("order", "cso", "2017-10-30"),
                   ("event", "other", "2017-11"), ("meeting", "laac_review", "2018-02-01")]
    labels = [e.label for e in imported.case.events]
    assert labels[2] == labels[3] == "ICSO granted with condition of residence at foster carers"
    assert labels[5] == "CSO made - residence with foster carers"
    assert labels[6] == "LAAC review: Review was cancelled - IRO sick"
    rows = {r.row: r for r in imported.report.rows}  # type: ignore[union-attr]
    assert rows[3].guessed and "beside the heading \"Children's Hearing\"" in " ".join(rows[3].why)
    assert "no longer say a meeting took place" in " ".join(rows[5].notes)
    facts = compute_facts(imported.case)
    assert facts.looked_after_start == dt.date(2017, 9, 4)  # not Mar 2017, from "Voluntary support"
    assert facts.reviews_recorded == 1  # the cancelled review is not counted


def test_the_written_case_file_says_what_was_guessed(tmp_path: Path) -> None:
    """The import report is printed once; the case file the worker opens and edits keeps, above the events
    of each guessed row, the row and why it was a guess (as YAML comments, which load as nothing)."""
    csv = write(tmp_path, "Date,Significant Event,Details\n"
                "04/09/2017,Children's Hearing,ICSO granted with condition of residence at foster carers\n"
                "01/02/2018,LAAC review,Plan: permanence away from home\n")
    out = tmp_path / "ava.yaml"
    result = CliRunner().invoke(main, ["import", str(csv), "--name", "Ava", "--dob", "14/03/2015", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    at = lines.index("  # row 2: a guess, check it (the next 3 events)")
    assert lines[at + 1].startswith('  # read "Children\'s Hearing"')
    assert any('"ICSO granted" as Interim Compulsory Supervision Order' in line for line in lines[at:at + 4])
    assert not any(line.startswith("  # row 3") for line in lines)  # the review row was read, not guessed
    assert [e.type for e in load_case(out).case.events] == ["childrens_hearing", "icso", "foster", "laac_review"]


def test_a_comment_in_a_case_file_stays_one_comment() -> None:
    """A comment holds user words; a line break in them must not start a YAML line of its own."""
    from timeline.io.casefile import dump_case
    from timeline.model.case import Case

    case = Case.model_validate({"child": {"name": "Io", "date_of_birth": "2014-05-01"}, "events": [
        {"kind": "event", "type": "other", "date": "2016-01-02", "label": "x"}]})
    text = dump_case(case, comments={0: ["row 2: read \"x\nkind: order\" as nothing"]})
    assert '  # row 2: read "x kind: order" as nothing' in text.splitlines()
    assert dump_case(Case.model_validate(yaml.safe_load(text))) == dump_case(case)


def test_a_review_the_details_call_cancelled_is_not_a_review(tmp_path: Path) -> None:
    """The heading 'CLA review' with Details 'Second CLA review - cancelled ...': the cancellation is too far
    from the heading's words for the two read together to say so, but the Details alone say that review did
    not sit; it was counted as a review held."""
    csv = write(tmp_path, "Date,Event,Details\n"
                "10/03/2019,Accommodated under s20,Placed with foster carers\n"
                "June 2019,CLA review,Second CLA review - cancelled due to IRO illness\n")
    imported = import_file(csv, name="Jo", dob="01/01/2018", jurisdiction="england-wales")
    assert [(e.kind, e.type) for e in imported.case.events][-1] == ("event", "other")
    assert imported.case.events[-1].label == "CLA review: Second CLA review - cancelled due to IRO illness"


def test_an_order_type_beside_details_of_an_application_is_an_application(tmp_path: Path) -> None:
    """A Type 'Adoption order' with Details 'Application made' (or 'petition', 'application lodged') asks the
    court for the order; it made a granted adoption order. An application is a step, never the order; the
    Type read with Details that say it was granted stays the order."""
    csv = write(tmp_path, "Date,Type,Details\n"
                "02/05/2017,Adoption order,Application made\n"
                "03/09/2017,Adoption order,application lodged at Glasgow Sheriff Court\n"
                "04/11/2017,Adoption Order,Petition\n"
                "07/02/2018,PO,Application made by LA\n"
                "06/01/2019,Adoption order,Granted\n")
    imported = import_file(csv, name="Amy", dob="14/03/2015")
    got = [(e.kind, e.type, e.first.isoformat()) for e in imported.case.events]
    assert got == [("milestone", "application_lodged", "2017-05-02"),
                   ("milestone", "application_lodged", "2017-09-03"),
                   ("milestone", "application_lodged", "2017-11-04"),
                   ("milestone", "application_lodged", "2018-02-07"),
                   ("order", "adoption", "2019-01-06")]
    assert imported.report is not None
    rows = {r.row: r for r in imported.report.rows}
    said = " ".join(rows[2].notes)
    assert "an application to the court, not the order itself" in said and "'Details'" in said
    assert rows[4].guessed  # "Petition" alone does not say it was lodged


def test_an_order_or_registration_said_to_end_ends_the_open_one(tmp_path: Path) -> None:
    """'CSO terminated', 'CSO discharged', 'Deregistered', 'Removed from the child protection register' ended
    nothing (a life event, or with a Type column a new order). They end the open order or registration they
    name on the row's date, and every row is kept; one that is not open is never ended: the row is kept and
    a warning says so."""
    csv = write(tmp_path, "Date,Type,Details\n"
                "20/03/2016,CSO,CSO made at hearing\n"
                "21/04/2016,,Name placed on the child protection register\n"
                "10/01/2017,,CSO terminated at review hearing\n"
                "13/04/2017,,Deregistered\n"
                "01/06/2017,,ICSO discharged\n"
                "02/07/2017,CP register,Removed from the child protection register\n"
                "03/08/2018,CSO,CSO made\n"
                "04/09/2018,CSO,Discharged\n")
    imported = import_file(csv, name="Amy", dob="14/03/2015", as_of="2019-01-01")
    got = [(e.kind, e.type, e.first.isoformat(), e.last.isoformat() if e.last else None)
           for e in imported.case.events]
    assert got == [("order", "cso", "2016-03-20", "2017-01-10"),
                   ("order", "cp_register", "2016-04-21", "2017-04-13"),
                   ("hearing", "review_hearing", "2017-01-10", "2017-01-10"),
                   ("event", "other", "2017-04-13", "2017-04-13"),
                   ("event", "other", "2017-06-01", "2017-06-01"),
                   ("event", "other", "2017-07-02", "2017-07-02"),
                   ("order", "cso", "2018-08-03", "2018-09-04"),
                   ("event", "other", "2018-09-04", "2018-09-04")]
    assert imported.report is not None
    rows = {r.row: r for r in imported.report.rows}
    assert len(rows) == 8 and all(r.status == "event" for r in rows.values())
    assert any("ends the Compulsory Supervision Order of row 2 on this date" in n for n in rows[4].notes)
    assert any('ended on 10 Jan 2017 (row 4 says "CSO terminated at review hearing")' in n for n in rows[2].notes)
    assert any("ends the child protection registration of row 3" in n for n in rows[5].notes)
    for n in (6, 7):  # no ICSO was ever open; the registration had already ended
        assert any("so nothing was ended: check the dates" in w for w in rows[n].warnings), rows[n].warnings


def test_discharged_from_hospital_to_a_home_starts_the_placement(tmp_path: Path) -> None:
    """'Discharged from hospital to foster carers' names where the baby went: it was read as the end of
    something and the carers as the home left ("from"), so the placement was lost to a health event.
    'Discharged from hospital' alone stays a health event."""
    csv = write(tmp_path, "Date,Details\n"
                "20/03/2015,Discharged from hospital to foster carers\n"
                "01/05/2015,discharged from the hospital into the care of her gran\n"
                "02/06/2015,Discharged from hospital\n")
    imported = import_file(csv, name="Amy", dob="14/03/2015", as_of="2019-01-01")
    got = [(e.kind, e.type, e.first.isoformat()) for e in imported.case.events]
    assert got == [("placement", "foster", "2015-03-20"), ("placement", "kinship", "2015-05-01"),
                   ("event", "health", "2015-06-02")]
    assert imported.report is not None and not imported.report.rows[0].guessed


def test_the_same_review_written_twice_is_kept_twice_and_counted_once(tmp_path: Path) -> None:
    """Two rows 'LAAC review' on one day are one review written twice: both rows are kept (and drawn), the
    review figures count one, and the import report says they look like one review. Reviews dated only by
    month may be two and are both counted."""
    from timeline.facts.compute import compute_facts

    csv = write(tmp_path, "Date,Type,Details\n"
                "14/03/2016,Foster care,Placed with F/C Mr & Mrs B\n"
                "20/04/2016,LAAC review,First review\n"
                "20/04/2016,LAAC review,LAAC review - minutes from chair\n"
                "Jul 2016,,LAC review held\n"
                "Jul 2016,,LAAC Review\n"
                "10/01/2017,LAAC review,\n")
    imported = import_file(csv, name="Amy", dob="14/03/2015", as_of="2017-06-01")
    reviews = [e for e in imported.case.events if e.kind == "meeting" and e.type == "laac_review"]
    assert len(reviews) == 5  # every row kept
    facts = compute_facts(imported.case)
    assert facts.reviews_recorded == 4
    assert imported.report is not None
    rows = {r.row: r for r in imported.report.rows}
    assert any("looks like the same review as row 3 (both on 20 Apr 2016)" in n and "counted once" in n
               for n in rows[4].notes), rows[4].notes
    assert not any("same review" in n for r in (rows[3], rows[5], rows[6]) for n in r.notes)
    complete = compute_facts(imported.case.model_copy(update={"records": imported.case.records.model_copy(
        update={"reviews": "complete"})}))
    assert [r.held for r in complete.reviews if r.held is not None] == [
        dt.date(2016, 4, 20), dt.date(2016, 7, 16), dt.date(2016, 7, 16), dt.date(2017, 1, 10)]


def test_a_range_whose_two_ends_are_the_same_day_is_that_day(tmp_path: Path) -> None:
    """A Date and a Date-to cell holding the same day (merged cells repeat it), or "15/06/2016 - 15/06/2016",
    made the span "15–15 Jun 2016" and said the row gives a span: it is that one day."""
    csv = write(tmp_path, "Date,Date to,Type,Details\n"
                "15/06/2016,15/06/2016,LAAC review,Review\n"
                "15/06/2016 - 15/06/2016,,,Contact with mum\n")
    imported = import_file(csv, name="Amy", dob="14/03/2015", as_of="2017-06-01")
    assert [e.first.isoformat() for e in imported.case.events] == ["2016-06-15", "2016-06-15"]
    assert imported.report is not None
    assert not any("span" in w for r in imported.report.rows for w in r.why)


def test_an_english_order_said_to_end_ends_the_open_one(tmp_path: Path) -> None:
    """The same in the words of England and Wales: 'Care order discharged' ends the care order."""
    csv = write(tmp_path, "Date,Event\n12/09/2016,ICO granted\n16/03/2017,Care order made\n"
                "01/02/2019,Care order discharged\n")
    imported = import_file(csv, name="Ruby", dob="14/03/2015", as_of="2019-06-01")
    assert imported.case.jurisdiction == "england-wales"
    care = [e for e in imported.case.events if e.kind == "order" and e.type == "care_order"]
    assert [(e.first.isoformat(), e.last.isoformat() if e.last else None) for e in care] == [
        ("2017-03-16", "2019-02-01")]
    assert len(imported.report.rows) == 3 if imported.report else False


def test_details_that_end_an_order_end_it_whatever_the_heading(tmp_path: Path) -> None:
    """'Children's Hearing' with Details 'CSO terminated', and 'Kinship' with 'CSO terminated, child moved
    to kinship carers': the CSO ends there (the end the Details said was dropped, and the CSO ran on)."""
    for heading, details, also in (("Children's Hearing", "CSO terminated", ("hearing", "childrens_hearing")),
                                   ("Kinship", "CSO terminated, child moved to kinship carers",
                                    ("placement", "kinship"))):
        csv = write(tmp_path, f"Date,Event,Details\n01/02/2012,CSO made,\n01/03/2014,{heading},\"{details}\"\n")
        events = import_file(csv, name="Amy", dob="14/03/2010").case.events
        cso = next(e for e in events if e.type == "cso")
        assert cso.last is not None and cso.last.isoformat() == "2014-03-01", heading
        assert also in [(e.kind, e.type) for e in events]


def test_a_comment_never_carries_a_control_character(tmp_path: Path) -> None:
    """A column heading with a control character is quoted in the guess comments: the written case file
    must still load (YAML refuses a C1 control character; a text-direction one would reorder the words)."""
    csv = write(tmp_path, "Date,Event,Details\x80\u202e\n01/03/2014,Kinship,moved to kinship carers\n")
    out = tmp_path / "amy.yaml"
    result = CliRunner().invoke(main, ["import", str(csv), "--name", "Amy", "--dob", "14/03/2010", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "# row 2: a guess" in text and "\x80" not in text and "\u202e" not in text


def test_details_that_narrow_a_heading_keep_it(tmp_path: Path) -> None:
    """'Children's hearing' with Details 'Grounds put to parents - not accepted': a grounds hearing, which
    sat. Read together they name the narrower hearing, not the heading's, and the row was called a hearing
    that did not take place (a life event): a hearing lost."""
    csv = write(tmp_path, "Date,What happened,Details of event\n"
                "10/04/2019,Children's hearing,Grounds put to parents - not accepted; referred to sheriff\n")
    events = import_file(csv, name="Lily", dob="02/02/2017").case.events
    assert [e.kind for e in events] == ["hearing"]
