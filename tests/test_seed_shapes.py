"""An article written here with the shapes of the seed article, built end to end."""

from __future__ import annotations

import json

import pytest

import graphkit
from graphkit import curation
from graphkit.resolve.evidence import EVIDENCE_RULE

TEXT = (
    "China Opens New Ledger Center\n\n"
    "China’s Ministry of Science and Technology has approved a research hub called the "
    "National Ledger Technology Innovation Center, state-run Beijing Daily reported on Monday.\n\n"
    "The new Blockchain Center will be based in Beijing and led by the Beijing Blockchain and "
    "Edge Computing Academy (BABEC), which is backed by the city government.\n\n"
    "In 2019, Chinese President Xi Jinping said that ledgers would play a key role in "
    "industry. With Xi’s backing, many firms registered with China’s Cyberspace "
    "Administration (CAC).\n\n"
    "Hong Kong-based Red Date Technology, a founding member of China’s blockchain-based "
    "service network (BSN), launched a payments project. BSN is supported by the National "
    "Information Center (SIC) under China’s National Development and Reform Commission "
    "(NDRC).\n\n"
    "A former adviser to China’s central bank, the People’s Bank of China (PBOC), asked "
    "the PBOC to think again."
)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed")
    corpus = folder / "a.jsonl"
    corpus.write_text(json.dumps({"id": "s1", "title": "t", "text": TEXT}) + "\n", "utf-8")
    db = folder / "s.db"
    graphkit.build([corpus], db=db)
    return db


def test_the_seed_shapes_resolve_fully(seed_db):
    rows = {r["name"]: r for r in curation.list_entities(seed_db)}
    by_alias = {a: r["name"] for r in rows.values() for a in [r["name"], *r["aliases"]]}
    for acronym in ("BABEC", "PBOC", "SIC", "CAC", "NDRC", "BSN"):
        assert acronym in by_alias, acronym
    assert by_alias["BABEC"] == "Beijing Blockchain and Edge Computing Academy"
    assert by_alias["PBOC"] == "People's Bank of China"
    assert by_alias["NDRC"] == "National Development and Reform Commission"
    assert rows["Xi Jinping"]["type"] == "PERSON" and "Xi" in rows["Xi Jinping"]["aliases"]
    assert rows["Red Date Technology"]["type"] == "ORG"


def test_a_center_is_never_a_person(seed_db):
    people = [r["name"] for r in curation.list_entities(seed_db, types=["PERSON"])]
    assert not [name for name in people if "Center" in name]


def test_explain_shows_why_a_contested_type_was_chosen(tmp_path):
    corpus = tmp_path / "c.jsonl"
    records = [
        {"id": f"a{i}", "title": "t", "text": text}
        for i, text in enumerate(
            [
                "Manchester United beat Everton on Saturday, and Manchester United fans sang.",
                "Manchester United signed a striker from Lyon on Monday, the club said.",
                "Fans of Manchester United protested outside Old Trafford on Sunday.",
            ]
        )
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "s.db"
    graphkit.build([corpus], db=db)
    explained = curation.explain_entity(db, "Manchester United")
    assert explained["type"] == "ORG"
    reasons = [x["rule"] for x in explained["explanations"] if x["rule"].startswith(EVIDENCE_RULE)]
    assert reasons and "organisation word" in reasons[0]
