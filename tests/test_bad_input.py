"""Bad input files (issue 11, items 4-10 and 22): nothing lost, nothing wrong in silence.

Each test is one case of the README's "What graphkit does with bad input".
"""

from __future__ import annotations

import io
import json

import pytest

from graphkit.errors import SourceError
from graphkit.ingest.sources import ReadReport, read_articles

LONG_LINE = (
    "Alice Moreau, governor of the Bank of Lorraine, met Tomas Berg of Nordpay in Paris on "
    "Monday to discuss the payment pilot that both institutions announced last spring."
)


def _read(paths, **kwargs):
    report = ReadReport()
    return list(read_articles(paths, report=report, **kwargs)), report


# -- item 4: ids scoped by source, collisions reported ---------------------------
def test_two_csv_exports_numbering_rows_alike_do_not_collide(tmp_path):
    (tmp_path / "a.csv").write_text("id,text\n1,First export row.\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("id,text\n1,Second export row.\n", encoding="utf-8")
    articles, _ = _read([tmp_path])
    assert len({a.id for a in articles}) == 2


def test_same_id_twice_with_different_texts_keeps_both_and_says_so(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "7", "text": "One text."})
        + "\n"
        + json.dumps({"id": "7", "text": "Another text."})
        + "\n",
        encoding="utf-8",
    )
    articles, report = _read([tmp_path / "a.jsonl"])
    assert [a.text for a in articles] == ["One text.", "Another text."]
    assert len({a.id for a in articles}) == 2
    assert "id '7' on lines 1 and 2 with different texts" in report.summary()


# -- item 5: records without ids keyed by content --------------------------------
def test_records_without_ids_keep_their_id_when_a_line_is_removed(tmp_path):
    rows = [{"text": f"Article number {i}."} for i in range(3)]
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    before = {a.text: a.id for a in _read([path])[0]}
    path.write_text("".join(json.dumps(r) + "\n" for r in rows[1:]), encoding="utf-8")
    after = {a.text: a.id for a in _read([path])[0]}
    assert all(after[text] == before[text] for text in after)


# -- item 6: bad records and files are counted skips -----------------------------
def test_non_article_csv_in_a_folder_is_skipped_not_fatal(tmp_path):
    (tmp_path / "a.csv").write_text("id,text\n1,An article.\n", encoding="utf-8")
    (tmp_path / "prices.csv").write_text("sku,price\nx,1\n", encoding="utf-8")
    articles, report = _read([tmp_path])
    assert [a.text for a in articles] == ["An article."]
    assert "prices.csv (no 'text' column" in report.summary()


# -- item 7: text vs binary by share, not by one byte ----------------------------
def test_one_nul_byte_does_not_make_an_article_binary(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Title\n\nAlice Moreau met\x00 Tomas Berg.\n")
    articles, report = _read([tmp_path])
    assert [a.text for a in articles] == ["Title\n\nAlice Moreau met Tomas Berg."]
    assert not report.skipped


def test_binary_without_nul_bytes_is_skipped(tmp_path):
    import random

    rng = random.Random(1)
    noise = bytes(rng.randrange(1, 256) for _ in range(4000))
    (tmp_path / "blob.txt").write_bytes(noise)
    articles, report = _read([tmp_path])
    assert articles == []
    assert report.reasons == {str(tmp_path / "blob.txt"): "binary"}


# -- item 8: one long line is text ------------------------------------------------
def test_one_line_txt_without_newline_is_text(tmp_path):
    (tmp_path / "a.txt").write_text(LONG_LINE, encoding="utf-8")
    (article,), report = _read([tmp_path])
    assert article.text == LONG_LINE
    assert len(article.title) <= 81
    assert report.empty_records == 0


def test_short_title_alone_is_still_no_article(tmp_path):
    (tmp_path / "a.txt").write_text("Just a headline", encoding="utf-8")
    articles, report = _read([tmp_path])
    assert articles == [] and report.empty_records == 1


# -- item 9: encodings, surrogates, stdin ----------------------------------------
@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_latin1_and_cp1252_are_detected_and_named(tmp_path, encoding):
    text = "Title\n\nEl presidente de España, José María Aznar, habló con la señora Muñoz.\n"
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    (article,), report = _read([tmp_path])
    assert "José María Aznar" in article.text and "España" in article.text
    assert "\ufffd" not in article.text
    assert str(tmp_path / "a.txt") in report.summary() and "not UTF-8" in report.summary()


def test_utf16_with_bom_is_text_not_binary(tmp_path):
    (tmp_path / "a.txt").write_bytes("Title\n\nJosé Moreau met Nordpay.\n".encode("utf-16"))
    (article,), report = _read([tmp_path])
    assert article.text == "Title\n\nJosé Moreau met Nordpay."
    assert not report.skipped


def test_lone_surrogate_in_json_is_replaced_not_a_crash(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "1", "text": "Bad \\ud800 char."}\n', "utf-8")
    (article,), _ = _read([tmp_path / "a.jsonl"])
    assert article.text == "Bad \ufffd char."
    article.text.encode("utf-8")


class _BinaryStdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)
        self.closed = False


def test_stdin_is_decoded_like_a_file():
    line = json.dumps({"text": "Jos\u00e9 met Nordpay."}, ensure_ascii=False) + "\n"
    (a,), _ = _read(["-"], stdin=_BinaryStdin(b"\xef\xbb\xbf" + line.encode("utf-8")))
    assert a.text == "José met Nordpay."
    (b,), report = _read(["-"], stdin=_BinaryStdin(b"\xef\xbb\xbf" + line.encode() + b"\xff\n"))
    assert b.text == "José met Nordpay."
    assert "<stdin>" in report.summary()


def test_closed_and_empty_stdin_are_clear():
    closed = io.StringIO()
    closed.close()
    with pytest.raises(SourceError, match="standard input is closed"):
        _read(["-"], stdin=closed)
    articles, report = _read(["-"], stdin=_BinaryStdin(b""))
    assert articles == [] and "<stdin> (empty" in report.summary()


# -- item 10: JSONL split on \n only; unterminated quotes --------------------------
@pytest.mark.parametrize("char", ["\u2028", "\u0085"])
def test_jsonl_with_raw_line_separator_inside_a_string(tmp_path, char):
    line = '{"id": "1", "text": "Alice' + char + 'Moreau met Nordpay."}\n'
    (tmp_path / "a.jsonl").write_text(line, encoding="utf-8")
    (article,), report = _read([tmp_path / "a.jsonl"])
    assert article.text.startswith("Alice") and article.text.endswith("Nordpay.")
    assert not report.bad_records


def test_csv_unterminated_quote_is_named_and_later_rows_kept(tmp_path):
    (tmp_path / "a.csv").write_text(
        'id,text\n1,"Broken quote starts here\n2,Second article.\n3,Third article.\n',
        encoding="utf-8",
    )
    articles, report = _read([tmp_path])
    assert [a.text for a in articles] == ["Second article.", "Third article."]
    assert "a.csv line 2 (malformed CSV" in report.summary()


# -- item 22 (input messages) ----------------------------------------------------
def test_semicolon_csv_is_read(tmp_path):
    (tmp_path / "a.csv").write_text("id;title;text\n1;T;Alice met Nordpay.\n", encoding="utf-8")
    (article,), _ = _read([tmp_path])
    assert (article.title, article.text) == ("T", "Alice met Nordpay.")


def test_header_only_csv_is_named(tmp_path):
    (tmp_path / "a.csv").write_text("id,text\n", encoding="utf-8")
    articles, report = _read([tmp_path])
    assert articles == [] and "a.csv (header only, no rows)" in report.summary()


def test_jsonl_without_the_text_field_names_it_and_suggests_the_option(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "1", "body": "Text."}\n', encoding="utf-8")
    articles, report = _read([tmp_path / "a.jsonl"])
    assert articles == []
    assert "no record has a 'text' field (fields: body, id); use --text-field" in report.summary()


# -- item 6: over-long articles are split on paragraph boundaries, not lost ----------
def test_over_long_article_is_read_whole_in_parts():
    from graphkit.ingest.extract import extract_mentions, load_pipeline, split_long_text
    from graphkit.models import Article

    paragraphs = [
        f"Alice Moreau met Tomas Berg{i} of Nordpay in Paris on Monday {i}." for i in range(8)
    ]
    text = "\n\n".join(paragraphs)
    nlp = load_pipeline()
    whole = next(extract_mentions(nlp, [Article("a", "t", text, "s")]))
    nlp.max_length = 150  # spaCy refuses longer texts (1,000,000 characters by default)
    (parted,) = extract_mentions(nlp, [Article("a", "t", text, "s")])
    assert len(list(split_long_text(text, 150))) > 1
    assert [m.text for m in parted.mentions] == [m.text for m in whole.mentions]
    assert all(text[m.start : m.end] == m.text for m in parted.mentions)
    assert [s.index for s in parted.sentences] == list(range(len(parted.sentences)))
    assert parted.sentences[-1].paragraph == 7
    assert any(m.start > text.rindex("\n\n") for m in parted.mentions)  # the last part too


def test_aliases_file_with_an_unterminated_quote_names_the_line(tmp_path):
    from graphkit.errors import OverrideError
    from graphkit.resolve.overrides import read_aliases_file

    path = tmp_path / "aliases.csv"
    path.write_text(
        'merge,Xi Jinping,President Xi\nrename,"PBOC,Central bank\ndrop,Reuters\n', "utf-8"
    )
    with pytest.raises(OverrideError, match=r"aliases\.csv, line 2: malformed CSV"):
        read_aliases_file(path)
