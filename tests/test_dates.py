"""Dates: partial dates as whole periods, impossible dates and inverted ranges refused by value."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import graphkit
from graphkit.cli import cli
from graphkit.dates import parse_period, parse_record_date, period_bounds
from graphkit.errors import GraphkitError


@pytest.mark.parametrize(
    ("value", "bounds"),
    [
        ("2021", ("2021-01-01", "2021-12-31")),
        ("2021-2", ("2021-02-01", "2021-02-28")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2024-1-5", ("2024-01-05", "2024-01-05")),
        (" 2024-01-05 ", ("2024-01-05", "2024-01-05")),
    ],
)
def test_partial_dates_are_whole_periods(value, bounds):
    assert period_bounds(value) == bounds


def test_until_a_month_runs_through_its_last_day():
    assert parse_period("2021-1", "2021-2") == ("2021-01-01", "2021-02-28")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-13-45", "--since '2024-13-45' is not a real date"),
        ("2023-02-29", "--since '2023-02-29' is not a real date"),
        ("２０２４", "--since '２０２４' is not a date"),
        ("May", "--since 'May' is not a date"),
        ("2024/01/05", "--since '2024/01/05' is not a date"),
        ("2024-", "--since '2024-' is not a date"),
    ],
)
def test_impossible_dates_are_refused_by_value(value, message):
    with pytest.raises(GraphkitError, match=message.replace("(", r"\(")):
        parse_period(value, None)


def test_an_inverted_range_is_an_error():
    with pytest.raises(GraphkitError, match="--since 2024-03 is after --until 2024-02"):
        parse_period("2024-03", "2024-02")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-05", ("2024-01-05", None)),
        ("2024-01-05T10:30:00Z", ("2024-01-05", None)),
        ("2024-01-05 10:30:00+02:00", ("2024-01-05", None)),
        ("2024-01", ("2024-01", None)),
        ("20240105", ("2024-01-05", None)),
        (2024, ("2024", None)),
        ("Fri, 05 Jan 2024 10:00:00 GMT", ("2024-01-05", None)),
        ("2024/01/05", ("2024-01-05", None)),
        ("13/01/2024", ("2024-01-13", None)),  # only day-first is possible
        ("05/01/2024", (None, "ambiguous day/month")),
        ("05/05/2024", ("2024-05-05", None)),  # both orders give the same day
        ("2024-13-45", (None, "impossible")),
        ("20241345", (None, "impossible")),
        ("２０２４-01-05", (None, "not a date")),
        ("last Tuesday", (None, "not a date")),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_record_dates(value, expected):
    assert parse_record_date(value) == expected


def test_filters_on_a_store_without_dates_say_so(tmp_path):
    source = tmp_path / "undated.jsonl"
    source.write_text(
        '{"id": "u1", "title": "T", "text": "Alice Moreau met Tomas Berg in Paris."}\n',
        encoding="utf-8",
    )
    db = tmp_path / "undated.db"
    graphkit.build([source], db=db)
    result = CliRunner().invoke(cli, ["--db", str(db), "centrality", "--since", "2005-01"])
    assert result.exit_code == 1
    assert "no article in the store has a date" in result.output
    # and a graph without a period is the whole store
    assert graphkit.load_graph(db).number_of_nodes() >= 2


def test_command_line_date_errors(sample_db):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, ["--db", str(sample_db), *args])

    bad = run("centrality", "--since", "2024-13")
    assert bad.exit_code == 1 and "'2024-13' is not a real date" in bad.output
    inverted = run("neighbours", "Xi", "--since", "2024", "--until", "2023")
    assert inverted.exit_code == 1 and "is after --until 2023" in inverted.output
    empty = run("centrality", "--since", "2031")
    assert empty.exit_code == 1 and "no dated article in this period" in empty.output
    # 2024-1-5 means 2024-01-05: the same as the padded form
    short = run("centrality", "--since", "2024-1-5", "--format", "csv")
    padded = run("centrality", "--since", "2024-01-05", "--format", "csv")
    assert short.exit_code == 0 and short.output == padded.output


def test_a_text_file_with_an_impossible_date_line(tmp_path):
    from graphkit.ingest.sources import ReadReport, read_articles

    (tmp_path / "a.txt").write_text(
        "date 2024-13-45\nHeadline\n\nAlice Moreau met Tomas Berg.\n", encoding="utf-8"
    )
    report = ReadReport()
    (article,) = read_articles([tmp_path], report=report)
    assert article.date is None and article.title == "Headline"
    assert "impossible, stored as undated (e.g. '2024-13-45')" in report.summary()
