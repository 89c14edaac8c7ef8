import io
import json

import pytest

from graphkit.errors import SourceError
from graphkit.ingest.sources import ReadReport, read_articles


def test_text_files_take_title_and_optional_date(articles_dir):
    articles = list(read_articles([articles_dir]))
    assert [a.title for a in articles] == ["Bank governor meets fintech founder", "Nordpay expands"]
    assert articles[0].date == "2024-03-01"
    assert articles[1].date is None
    assert articles[0].text.startswith(
        "Bank governor meets fintech founder\n\nAlice Moreau, governor"
    )


def test_jsonl_and_csv_records(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "x1", "title": "T", "body": "Some text.", "date": "2021-05-06T10:00"})
        + "\n\n",
        encoding="utf-8",
    )
    (tmp_path / "b.csv").write_text(
        'id,title,body,url\ny1,"Quoted, title","Line one\nline two",https://example.org/y1\n',
        encoding="utf-8",
    )
    articles = list(read_articles([tmp_path], text_field="body"))
    assert [(a.id, a.title, a.date) for a in articles] == [
        (f"{tmp_path / 'a.jsonl'}#x1", "T", "2021-05-06"),
        (f"{tmp_path / 'b.csv'}#y1", "Quoted, title", None),
    ]
    assert articles[1].text == "Line one\nline two"
    assert articles[1].url == "https://example.org/y1"


def test_csv_without_text_column_is_a_named_skip(tmp_path):
    (tmp_path / "b.csv").write_text("id,title\n1,x\n", encoding="utf-8")
    report = ReadReport()
    assert list(read_articles([tmp_path / "b.csv"], report=report)) == []
    assert "b.csv (no 'text' column (columns: id, title); use --text-field" in report.summary()


def test_stdin_jsonl():
    stream = io.StringIO(json.dumps({"title": "T", "text": "Hello there."}) + "\n")
    (article,) = read_articles(["-"], stdin=stream)
    assert article.id.startswith("<stdin>#") and article.source == "<stdin>"


def test_binary_and_unsupported_files_are_skipped_and_reported(tmp_path, articles_dir):
    (articles_dir / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (articles_dir / "notes.pdf").write_bytes(b"%PDF-1.4")
    report = ReadReport()
    articles = list(read_articles([articles_dir], report=report))
    assert len(articles) == 2
    assert sorted(report.reasons.values()) == ["binary", "unsupported type .pdf"]
    assert report.summary().startswith("skipped 2 file(s) that are not articles:")


def test_invalid_utf8_is_replaced_and_counted_by_name(tmp_path):
    # Valid multi-byte UTF-8 next to a stray byte: UTF-8 with one replacement, named.
    (tmp_path / "bad.txt").write_bytes(b"Title\nCaf\xc3\xa9 \xff owners met Acme Holdings.\n")
    report = ReadReport()
    (article,) = read_articles([tmp_path], report=report)
    assert article.text == "Title\n\nCaf\u00e9 \ufffd owners met Acme Holdings."
    assert report.decode_errors == 1
    assert "bad.txt" in report.summary()


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(SourceError, match="nowhere: no such file or folder"):
        list(read_articles([tmp_path / "nowhere"]))
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match="empty: the folder is empty"):
        list(read_articles([tmp_path / "empty"]))


def test_bad_jsonl_line_is_a_skip_named_by_file_and_line(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"text": "ok"}\n{not json\n{"text": "also ok"}\n', encoding="utf-8"
    )
    report = ReadReport()
    articles = list(read_articles([tmp_path / "a.jsonl"], report=report))
    assert [a.text for a in articles] == ["ok", "also ok"]
    assert "a.jsonl line 2 (not valid JSON" in report.summary()
