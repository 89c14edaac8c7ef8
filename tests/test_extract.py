import pytest
import spacy
from spacy.tokens import Doc, Span

from graphkit.errors import ModelError
from graphkit.ingest.extract import (
    DEFAULT_MODEL,
    doc_to_extraction,
    extract_mentions,
    load_pipeline,
    pipeline_meta,
    sentence_breaks,
)
from graphkit.models import Article


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_doc_to_extraction_keeps_offsets_sentences_and_paragraphs():
    vocab = spacy.blank("en").vocab
    words = ["Ann", "Lee", "met", "Acme", ".", "Then", "Lee", "left", "Paris", "."]
    spaces = [True, True, True, False, True, True, True, True, False, False]
    starts = [True, False, False, False, False, True, False, False, False, False]
    doc = Doc(vocab, words=words, spaces=spaces, sent_starts=starts)
    doc.ents = [
        Span(doc, 0, 2, "PERSON"),
        Span(doc, 3, 4, "ORG"),
        Span(doc, 6, 7, "PERSON"),
        Span(doc, 8, 9, "GPE"),
    ]
    article = Article(id="a1", title="t", text=doc.text, source="s")
    result = doc_to_extraction(doc, article, {"PERSON", "ORG"})
    assert [(m.text, m.label, m.sentence) for m in result.mentions] == [
        ("Ann Lee", "PERSON", 0),
        ("Acme", "ORG", 0),
        ("Lee", "PERSON", 1),
    ]
    assert all(doc.text[m.start : m.end] == m.text for m in result.mentions)
    assert [(s.index, s.paragraph) for s in result.sentences] == [(0, 0), (1, 0)]


def test_pipeline_runs_only_what_ner_needs(nlp):
    assert nlp.pipe_names == ["senter", "graphkit_sentence_breaks", "ner"]


def test_real_model_finds_people_and_organisations(nlp):
    text = (
        "Pan Gongsheng, governor of the People's Bank of China, spoke in Beijing.\n\n"
        "Tencent said it would join the pilot."
    )
    article = Article(id="a", title="t", text=text, source="s")
    (result,) = extract_mentions(nlp, [article])
    found = {(m.text, m.label) for m in result.mentions}
    assert ("Pan Gongsheng", "PERSON") in found
    assert ("the People's Bank of China", "ORG") in found
    assert [s.paragraph for s in result.sentences] == [0, 1]


def test_unknown_model_lists_installed_pipelines():
    message = rf"no spaCy pipeline 'en_core_web_xl' is installed; installed: .*{DEFAULT_MODEL}"
    with pytest.raises(ModelError, match=message):
        pipeline_meta("en_core_web_xl")
    with pytest.raises(ModelError, match=message):
        load_pipeline("en_core_web_xl")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acme wins\n\nThe board met Ann Lee.", ["Acme wins", "The board met Ann Lee."]),
        ("It rose, he said. Acme fell.", ["It rose, he said.", "Acme fell."]),
        ("He said “it is key.” Acme agreed.", ["He said “it is key.”", "Acme agreed."]),
        ("Mr. Lee met Acme Inc. in May.", ["Mr. Lee met Acme Inc. in May."]),
        ("Prices rose 3.5 percent. then fell", ["Prices rose 3.5 percent. then fell"]),
        ("One line\nwrapped here.", ["One line\nwrapped here."]),
        ("Acme wins\n  \n  The board met.", ["Acme wins", "The board met."]),
        ("Sales fell (by a lot.) Acme cut jobs.", ["Sales fell (by a lot.)", "Acme cut jobs."]),
        ("It rose. 3 firms fell.", ["It rose.", "3 firms fell."]),
        ("It rose.Acme fell.", ["It rose.Acme fell."]),
        ("It rose.\nAcme fell.", ["It rose.", "Acme fell."]),
        ("Acme.\n\n", ["Acme."]),
    ],
)
def test_sentence_breaks_only_add_clear_boundaries(text, expected):
    nlp = spacy.blank("en")
    doc = nlp.make_doc(text)
    doc[0].is_sent_start = True
    for token in doc[1:]:
        token.is_sent_start = False
    assert [s.text.strip() for s in sentence_breaks(doc).sents] == expected
