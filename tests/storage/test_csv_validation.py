"""Every validation rule of docs/data.md, on files validated without a store (a dry run)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from storage.csv_import import ERROR_CAP, ImportFileError, ImportReport, validate_csv
from tests.storage.csvs import HEADER, write_csv

GOOD = "2026-03-01,2026-03-31,organic,smb,1000,20,8,3,120.50"


def validate(tmp_path: Path, *lines: str, header: str = HEADER) -> ImportReport:
    return validate_csv(write_csv(tmp_path / "snapshots.csv", *lines, header=header))


def only_error(report: ImportReport) -> str:
    assert report.error_count == 1, [str(error) for error in report.errors]
    assert not report.written
    return str(report.errors[0])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2026-3-01x,,organic,smb,1,1,1,1,1", "line 3, column period_start: not a date"),
        ("2026-02-30,,organic,smb,1,1,1,1,1", "line 3, column period_start: not a date"),
        (",,organic,smb,1,1,1,1,1", "line 3, column period_start: missing value"),
        ("2026-03-01,31/03/2026,organic,smb,1,1,1,1,1", "line 3, column period_end: not a date"),
        (
            "2026-03-05,2026-03-04,organic,smb,1,1,1,1,1",
            "line 3, column period_end: 2026-03-04 is before",
        ),
        ("2026-03-05,,organic,smb,abc,1,1,1,1", "line 3, column visitors: not a number: 'abc'"),
        (
            "2026-03-05,,organic,smb,1,1,1,1,$120",
            "line 3, column marketing_spend: not a number: '$120'",
        ),
        (
            '2026-03-05,,organic,smb,1,1,1,1,"1,200"',
            "column marketing_spend: not a number: '1,200'",
        ),
        ("2026-03-05,,organic,smb,1,1,1,1,1 200", "column marketing_spend: not a number"),
        ("2026-03-05,,organic,smb,1,1,1,1,inf", "column marketing_spend: not a number: 'inf'"),
        ("2026-03-05,,organic,smb,NaN,1,1,1,1", "line 3, column visitors: not a number: 'NaN'"),
        ("2026-03-05,,organic,smb,NULL,1,1,1,1", "line 3, column visitors: not a number: 'NULL'"),
        ("2026-03-05,,organic,smb,1,1,-2,1,1", "line 3, column mqls: negative value -2"),
        ("2026-03-05,,organic,smb,1,1,1,1,-0.5", "line 3, column marketing_spend: negative value"),
        ("2026-03-05,,organic,smb,1,2.5,1,1,1", "line 3, column leads: a count must be a whole"),
        ("2026-03-05,,organic,smb,1e18,1,1,1,1", "line 3, column visitors: 1e+18 is too large"),
        ("2026-03-05,," + "x" * 101 + ",smb,1,1,1,1,1", "line 3, column channel: longer than 100"),
        ("2026-03-05,,organic,smb,1,1,1,1,1,200", "line 3: more fields than the 9 columns"),
    ],
)
def test_each_rule_names_the_line_and_the_column(tmp_path: Path, line: str, expected: str) -> None:
    assert expected in only_error(validate(tmp_path, GOOD, line))


def test_thousands_separator_in_an_amount_is_explained(tmp_path: Path) -> None:
    message = only_error(validate(tmp_path, '2026-03-05,,organic,smb,1,1,1,1,"1,200.50"'))
    assert "without currency symbols or thousands separators" in message


@pytest.mark.parametrize(
    ("header", "line", "expected"),
    [
        (
            "period_start,emails_sent,emails_opened",
            "2026-03-01,10,11",
            "line 2, column emails_opened: emails_opened (11) is more than emails_sent (10)",
        ),
        (
            "period_start,emails_sent,emails_clicked",
            "2026-03-01,10,12",
            "line 2, column emails_clicked: emails_clicked (12) is more than emails_sent (10)",
        ),
        (
            "period_start,trials_started,trials_converted",
            "2026-03-01,3,4",
            "line 2, column trials_converted: trials_converted (4) is more than trials_started",
        ),
    ],
)
def test_a_part_larger_than_its_whole_is_an_error(
    tmp_path: Path, header: str, line: str, expected: str
) -> None:
    assert expected in only_error(validate(tmp_path, line, header=header))


def test_a_part_with_an_unknown_whole_is_fine(tmp_path: Path) -> None:
    report = validate(tmp_path, "2026-03-01,,11", header="period_start,emails_sent,emails_opened")
    assert report.ok


def test_unknown_and_repeated_columns_are_header_errors(tmp_path: Path) -> None:
    report = validate(tmp_path, "2026-03-01,1,2,3", header="period_start,visitors,revenue,visitors")
    assert [str(error) for error in report.errors] == [
        "line 1, column revenue: unknown column",
        "line 1, column visitors: the column appears more than once",
    ]


def test_period_start_is_the_one_required_column(tmp_path: Path) -> None:
    report = validate(tmp_path, "organic,10", header="channel,visitors")
    assert "line 1, column period_start: missing required key column" in only_error(report)


def test_duplicate_keys_after_normalisation_are_errors(tmp_path: Path) -> None:
    report = validate(
        tmp_path,
        "2026-03-01,,Paid Search,SMB,1,1,1,1,1",
        "2026-03-02,,organic,smb,1,1,1,1,1",
        "2026-03-01,2026-03-01,paid-search, smb ,1,1,1,1,1",
    )
    assert only_error(report) == (
        "line 4: duplicate key (2026-03-01, 2026-03-01, paid_search, smb), first on line 2"
    )


def test_every_error_of_the_file_is_counted_and_the_listing_capped(tmp_path: Path) -> None:
    lines = [f"2026-03-01,,c{number},smb,-1,x,1,1,1" for number in range(ERROR_CAP)]
    report = validate(tmp_path, GOOD, *lines)
    assert report.error_count == 2 * ERROR_CAP
    assert len(report.errors) == ERROR_CAP
    assert report.errors_not_shown == ERROR_CAP
    assert [error.line for error in report.errors] == sorted(error.line for error in report.errors)
    assert report.errors[0].line == 3


def test_warnings_are_reported_and_do_not_block(tmp_path: Path) -> None:
    header = (
        "period_start,visitors,leads,mqls,sqls,opportunities,customers_start,new_customers,"
        "customers_churned,customers_end,mrr_start,mrr_new,mrr_expansion,mrr_reactivation,"
        "mrr_contraction,mrr_churned,mrr_end"
    )
    report = validate(
        tmp_path,
        "2026-03-01,100,10,5,6,2,10,2,1,11,1000,100,10,5,20,30,1065",
        "2026-03-02,100,10,5,4,2,10,2,1,12,1000,100,10,5,20,30,1065.02",
        "2026-03-03,100,10,5,4,2,10,2,1,11,1000,100,10,5,20,30,1065.01",
        header=header,
    )
    assert report.ok
    assert [(group.kind, group.count) for group in report.warnings] == [
        ("customers_end differs from customers_start + new_customers - customers_churned", 1),
        ("mrr_end differs from the MRR movements", 1),
        ("sqls larger than mqls", 1),
    ]
    assert str(report.warnings[2].first[0]) == (
        "line 2, column sqls: sqls (6) is larger than mqls (5)"
    )


def test_impossible_funnels_are_one_warning_per_kind_with_a_count_and_first_lines(
    tmp_path: Path,
) -> None:
    # 60 rows with more leads than visitors, then one with more SQLs than MQLs: the last
    # kind is reported although the first has more rows than any listing shows
    lines = [f"2026-03-01,c{number},100,200,30,10" for number in range(60)]
    lines.append("2026-03-01,last,100,50,30,40")
    report = validate(tmp_path, *lines, header="period_start,channel,visitors,leads,mqls,sqls")
    assert report.ok and report.error_count == 0
    assert report.warning_count == 61
    leads, sqls = report.warnings
    assert (leads.kind, leads.count) == ("leads larger than visitors", 60)
    assert [finding.line for finding in leads.first] == [2, 3, 4, 5, 6]
    assert leads.summary == "leads larger than visitors: 60 rows, lines 2, 3, 4, 5, 6 and 55 more"
    assert (sqls.kind, sqls.count, sqls.summary) == (
        "sqls larger than mqls",
        1,
        "sqls larger than mqls: 1 row, line 62",
    )
    assert str(sqls.first[0]) == "line 62, column sqls: sqls (40) is larger than mqls (30)"


def test_empty_cells_and_missing_columns_are_unknown_not_zero(tmp_path: Path) -> None:
    report = validate(tmp_path, "2026-03-01,,,,,,,,", "2026-03-02,,,,0,0,0,0,0")
    assert report.ok
    assert report.rows == 2


def test_a_bom_crlf_and_blank_lines_are_accepted(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "excel.csv",
        GOOD,
        "",
        "2026-03-05,,x,y,a,1,1,1,1",
        prefix="\ufeff",
        newline="\r\n",
    )
    report = validate_csv(path)
    assert [str(error) for error in report.errors] == [
        "line 4, column visitors: not a number: 'a' (write plain numbers like 1200, "
        "without currency symbols or thousands separators; leave the cell empty if unknown)"
    ]
    assert report.rows == 2


def test_header_names_are_read_case_and_space_insensitively(tmp_path: Path) -> None:
    assert validate(tmp_path, "2026-03-01,5", header=" Period_Start , Visitors ").ok


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "is empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not a UTF-8 CSV file")],
)
def test_a_file_that_is_not_a_csv_is_refused(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=expected):
        validate_csv(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="cannot read"):
        validate_csv(tmp_path / "nope.csv")


def test_checksum_is_the_sha256_of_the_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", GOOD)
    assert validate_csv(path).checksum == hashlib.sha256(path.read_bytes()).hexdigest()


def test_chunk_boundaries_keep_line_numbers_and_find_duplicates(tmp_path: Path) -> None:
    lines = [f"2026-03-01,,c{number},smb,1,1,1,1,1" for number in range(25)]
    lines[17] = "2026-03-01,,c3,smb,1,1,x,1,1"
    path = write_csv(tmp_path / "s.csv", *lines)
    report = validate_csv(path, chunk_rows=4)
    assert [str(error) for error in report.errors] == [
        "line 19: duplicate key (2026-03-01, 2026-03-01, c3, smb), first on line 5",
        "line 19, column mqls: not a number: 'x' (write plain numbers like 1200, "
        "without currency symbols or thousands separators; leave the cell empty if unknown)",
    ]
    assert report.rows == 25
