import pytest

import graphkit
from graphkit.errors import GraphkitError, SourceError
from graphkit.models import Mention
from graphkit.pipeline import build
from graphkit.relink import cooccurrences
from graphkit.store import open_store


def _mention(article, sentence, text):
    return Mention(article, sentence, 0, len(text), text, "ORG")


def test_cooccurrences_by_window():
    mentions = [
        _mention("a", 0, "X"),
        _mention("a", 0, "Y"),
        _mention("a", 0, "X"),
        _mention("a", 1, "Z"),
        _mention("b", 0, "X"),
    ]
    keys = ["x", "y", "x", "z", "x"]
    assert list(cooccurrences(mentions, keys, window="sentence")) == [("x", "y", "a", 0, 0, 1.0)]
    paragraphs = {("a", 0): 0, ("a", 1): 1}
    assert list(cooccurrences(mentions, keys, window="paragraph", paragraphs=paragraphs)) == [
        ("x", "y", "a", 0, 0, 1.0)
    ]
    # three entities in the unit: each pair gets 1/(3-1)
    assert list(cooccurrences(mentions, keys, window="article")) == [
        ("x", "y", "a", 0, 0, 0.5),
        ("x", "z", "a", 0, 1, 0.5),
        ("y", "z", "a", 0, 1, 0.5),
    ]


def test_dropped_mentions_do_not_link():
    mentions = [_mention("a", 0, "X"), _mention("a", 0, "1")]
    assert list(cooccurrences(mentions, ["x", None], window="sentence")) == []


def test_rebuild_extracts_nothing_new(sample_db_copy):
    summary = build([graphkit.SAMPLE_CORPUS], db=sample_db_copy)
    assert (summary.new, summary.changed, summary.extracted) == (0, 0, 0)
    assert summary.unchanged == graphkit.store_info(sample_db_copy)["articles"]
    assert summary.mentions_added == 0


def test_changed_text_is_extracted_again_and_new_files_added(articles_dir, tmp_path):
    db = tmp_path / "g.db"
    first = build([articles_dir], db=db)
    assert (first.new, first.unchanged) == (2, 0)
    (articles_dir / "two.md").write_text("# Nordpay expands\n\nTomas Berg met Acme Holdings.\n")
    (articles_dir / "three.txt").write_text("Third\nAcme Holdings hired Maria Lopez.\n")
    second = build([articles_dir], db=db)
    assert (second.new, second.changed, second.unchanged) == (1, 1, 1)
    with open_store(db) as store:
        texts = [row[0] for row in store.query("SELECT text FROM mentions ORDER BY id")]
    assert "Bank of Lorraine" not in " ".join(texts[-6:])  # old mentions of two.md are gone
    assert len(texts) == len(set(store_rows(db)))


def store_rows(db):
    with open_store(db) as store:
        return list(store.query("SELECT article_id, start, end FROM mentions"))


def test_interrupted_build_resumes_without_loss_or_duplicates(articles_dir, tmp_path):
    (articles_dir / "three.txt").write_text("Third\nAcme Holdings hired Maria Lopez in Oslo.\n")
    clean = tmp_path / "clean.db"
    build([articles_dir], db=clean)

    def interrupt(done):
        raise KeyboardInterrupt

    db = tmp_path / "g.db"
    with pytest.raises(KeyboardInterrupt):
        build([articles_dir], db=db, batch_size=1, progress=interrupt)
    assert graphkit.store_info(db)["articles"] == 1
    resumed = build([articles_dir], db=db, batch_size=1)
    assert (resumed.new, resumed.unchanged) == (2, 1)
    assert sorted(store_rows(db)) == sorted(store_rows(clean))
    assert graphkit.store_info(db)["edges"] == graphkit.store_info(clean)["edges"]


def test_window_change_relinks_without_extracting(articles_dir, tmp_path):
    db = tmp_path / "g.db"
    build([articles_dir], db=db)
    sentence_edges = graphkit.store_info(db)["edges"]
    summary = build([articles_dir], db=db, window="article")
    assert summary.extracted == 0
    assert graphkit.store_info(db)["window"] == "article"
    assert graphkit.store_info(db)["edges"] > sentence_edges


def test_no_articles_is_an_error_and_creates_no_store(tmp_path):
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / "a.bin").write_bytes(b"\x00\x01")
    with pytest.raises(SourceError, match="junk: no articles found"):
        build([folder], db=tmp_path / "g.db")
    assert not (tmp_path / "g.db").exists()


def test_unknown_window(articles_dir, tmp_path):
    with pytest.raises(GraphkitError, match="unknown window 'page'"):
        build([articles_dir], db=tmp_path / "g.db", window="page")


def test_missing_path_fails_before_anything_is_stored(articles_dir, tmp_path):
    db = tmp_path / "g.db"
    build([articles_dir], db=db)
    before = graphkit.store_info(db)
    (articles_dir / "new.txt").write_text("New\nAcme Holdings hired Maria Lopez.\n")
    with pytest.raises(SourceError, match=r"missing\.txt: no such file or folder"):
        build([articles_dir, tmp_path / "missing.txt"], db=db)
    assert graphkit.store_info(db) == before


def test_new_title_or_date_updates_without_extracting(articles_dir, tmp_path):
    db = tmp_path / "g.db"
    build([articles_dir], db=db)
    text = (articles_dir / "one.txt").read_text().replace("date 2024-03-01", "date 2024-03-02")
    (articles_dir / "one.txt").write_text(text)
    summary = build([articles_dir], db=db)
    assert (summary.extracted, summary.unchanged) == (0, 2)
    with open_store(db) as store:
        dates = [row[0] for row in store.query("SELECT date FROM articles ORDER BY id")]
    assert "2024-03-02" in dates
