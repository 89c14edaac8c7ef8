"""Articles → sentences and mentions, with spaCy. The only module importing spaCy.

Only what named-entity recognition needs runs: the tagger, parser, lemmatizer
and attribute ruler are excluded, a shared ``tok2vec`` is dropped when no kept
component listens to it, and sentence boundaries come from ``senter``. Texts
stream through ``nlp.pipe`` in batches, so memory stays flat however many
articles there are. Nothing is ever downloaded.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.strings import hash_string

from graphkit.errors import ModelError
from graphkit.ingest.settings import DEFAULT_MODEL, DEFAULT_TYPES
from graphkit.models import Article, Mention, Sentence

_UNNEEDED = (
    "tagger",
    "parser",
    "lemmatizer",
    "attribute_ruler",
    "morphologizer",
    "trainable_lemmatizer",
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Extraction:
    """What extraction found in one article."""

    article: Article
    sentences: list[Sentence]
    mentions: list[Mention]


def installed_pipelines() -> list[str]:
    """Names of the spaCy pipeline packages installed in this environment."""
    import spacy.util

    return sorted(spacy.util.get_installed_models())


def _unknown_model(model: str) -> ModelError:
    installed = ", ".join(installed_pipelines()) or "none"
    return ModelError(
        f"no spaCy pipeline {model!r} is installed; installed: {installed}. "
        "Install the pipeline's package with pip, or pass --model with one of these"
    )


def pipeline_meta(model: str = DEFAULT_MODEL) -> dict:
    """The ``meta.json`` of an installed pipeline, read without loading its weights.

    Raises
    ------
    ModelError
        The pipeline is not installed.
    """
    import spacy.util

    try:
        path = Path(model) if Path(model).exists() else spacy.util.get_package_path(model)
        return spacy.util.load_meta(path / "meta.json")
    except (OSError, ModuleNotFoundError, ValueError) as err:
        raise _unknown_model(model) from err


def model_version(meta: dict) -> str:
    """``lang_name-version`` of a pipeline, recorded in the store's settings."""
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"


def load_pipeline(model: str = DEFAULT_MODEL):
    """Load ``model`` (an installed package name or a path) trimmed to NER.

    Raises
    ------
    ModelError
        The pipeline is not installed, or it has no ``ner`` component.
    """
    import spacy

    try:
        exclude = [n for n in _UNNEEDED if n != "parser" or _has_senter(model)]
        nlp = spacy.load(model, exclude=exclude)
    except OSError as err:
        raise _unknown_model(model) from err
    if "ner" not in nlp.pipe_names:
        raise ModelError(f"spaCy pipeline {model!r} has no 'ner' component; choose another --model")
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    if not nlp.has_pipe("senter") and not nlp.has_pipe("parser"):
        nlp.add_pipe("sentencizer", first=True)
    if not nlp.has_pipe("parser"):
        after = "senter" if nlp.has_pipe("senter") else "sentencizer"
        nlp.add_pipe("graphkit_sentence_breaks", after=after)
    _drop_unused_embeddings(nlp)
    return nlp


# The ORTH ids Doc.to_array gives final marks and closing quotes or brackets.
_FINAL_PUNCT = np.array([hash_string(s) for s in (".", "!", "?", "…")], dtype=np.uint64)
_CLOSERS = np.array([hash_string(s) for s in ('"', "'", "”", "’", ")", "]", "»")], dtype=np.uint64)
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


@Language.component("graphkit_sentence_breaks")
def sentence_breaks(doc):
    """Add the sentence boundaries a statistical splitter misses, and only add.

    ``senter`` often runs a headline into the first paragraph, or two short
    sentences into one ("..., he said. Hong Kong-based ..."), which would link
    entities that were never mentioned together. A blank line, or
    sentence-final punctuation (possibly followed by a closing quote or
    bracket) then a capitalised word, always starts a sentence.

    Reads the tokens as arrays and looks at a token's text only where a
    boundary can be (after whitespace holding a line break, or after a final
    mark): a Python object per token cost as much as a tenth of extraction.
    """
    table = doc.to_array([IS_SPACE, SPACY, ORTH])
    words = np.flatnonzero(table[:, 0] == 0)  # tokens that are not whitespace
    if len(words) < 2:
        return doc
    previous, current = words[:-1], words[1:]
    spaced = current - previous > 1  # whitespace tokens between: perhaps a blank line
    gapped = spaced | (table[previous, 1] == 1)
    final = np.isin(table[:, 2], _FINAL_PUNCT)
    closing = np.isin(table[:, 2], _CLOSERS)
    starts = set()
    for before, token in zip(previous[spaced].tolist(), current[spaced].tolist(), strict=True):
        gap = doc[before].whitespace_ + "".join(t.text_with_ws for t in doc[before + 1 : token])
        if _BLANK_LINE.search(gap):
            starts.add(token)
    marked = gapped & (final | closing)[previous]
    for before, token in zip(previous[marked].tolist(), current[marked].tolist(), strict=True):
        if token not in starts and _ends_sentence(final, closing, before) and _opens(doc[token]):
            starts.add(token)
    if starts:  # in one pass: setting Token.is_sent_start scans the whole Doc each time
        boundaries = doc.to_array([SENT_START])
        boundaries[sorted(starts)] = 1
        doc.from_array([SENT_START], boundaries.reshape(-1, 1))
    return doc


def _ends_sentence(final, closing, i: int) -> bool:
    """Whether token ``i`` is a final mark, or closes a quote or bracket right after one."""
    while i > 0 and closing[i]:
        i -= 1
    return bool(final[i])


def _opens(token) -> bool:
    first = token.text[0]
    return first.isupper() or first.isdigit() or first in '"“‘('


def _has_senter(model: str) -> bool:
    """Whether the pipeline can find sentences without its parser."""
    import spacy.util

    try:
        path = Path(model) if Path(model).exists() else spacy.util.get_package_path(model)
        config = spacy.util.load_config(path / "config.cfg")
    except Exception:  # an uninstalled model: spacy.load reports it
        return True
    return "senter" in config["nlp"]["pipeline"]


def _drop_unused_embeddings(nlp) -> None:
    for name in ("tok2vec", "transformer"):
        if name in nlp.pipe_names:
            listeners = getattr(nlp.get_pipe(name), "listening_components", [])
            if not [c for c in listeners if c in nlp.pipe_names and c not in nlp.disabled]:
                nlp.remove_pipe(name)


def extract_mentions(
    nlp,
    articles: Iterable[Article],
    *,
    types: Sequence[str] = DEFAULT_TYPES,
    batch_size: int = 64,
) -> Iterator[Extraction]:
    """Stream the sentences and entity mentions of each article, in input order.

    Parameters
    ----------
    nlp : spacy.Language
        A pipeline from :func:`load_pipeline`.
    articles : iterable of Article
        Read lazily; only ``batch_size`` documents are held at a time.
    types : sequence of str
        Entity labels to keep (spaCy's labels, e.g. ``PERSON``, ``ORG``, ``GPE``).

    Extraction in several processes is :mod:`graphkit.ingest.parallel`'s job.
    """
    wanted = set(types)
    limit = getattr(nlp, "max_length", 1_000_000)
    pairs = (
        (chunk, (article, offset, last, chunk))
        for article in articles
        for offset, chunk, last in split_long_text(article.text, limit)
    )
    parts: list[Extraction] = []
    for doc, (article, offset, last, text) in nlp.pipe(
        pairs, as_tuples=True, batch_size=batch_size
    ):
        parts.append(doc_to_extraction(doc, article, wanted, offset=offset, text=text))
        if last:
            yield parts[0] if len(parts) == 1 else _joined(article, parts)
            parts = []


def split_long_text(text: str, limit: int) -> Iterator[tuple[int, str, bool]]:
    """``(offset, chunk, is_last)``: ``text`` cut into pieces spaCy accepts (``nlp.max_length``).

    Cuts fall on paragraph breaks, else line breaks, else spaces, so no
    sentence is split unless a single paragraph is longer than the limit;
    an over-long article is read whole, in parts, never lost (item 6).
    """
    if len(text) <= limit:
        yield 0, text, True
        return
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            window = text[start:end]
            for separator in ("\n\n", "\n", " "):
                cut = window.rfind(separator)
                if cut > 0:
                    end = start + cut + len(separator)
                    break
        yield start, text[start:end], end >= len(text)
        start = end


def _joined(article: Article, parts: list[Extraction]) -> Extraction:
    """One extraction from the parts of a split article: sentence and paragraph numbers run on."""
    sentences, mentions = [], []
    for part in parts:
        shift = len(sentences)
        paragraph = sentences[-1].paragraph + 1 if sentences else 0
        sentences += [
            Sentence(s.article_id, s.index + shift, s.start, s.end, s.paragraph + paragraph)
            for s in part.sentences
        ]
        mentions += [
            Mention(m.article_id, m.sentence + shift, m.start, m.end, m.text, m.label)
            for m in part.mentions
        ]
    return Extraction(article=article, sentences=sentences, mentions=mentions)


def doc_to_extraction(
    doc, article: Article, types: set[str], *, offset: int = 0, text: str | None = None
) -> Extraction:
    """Turn a processed ``Doc`` into plain records (kept apart so tests can build Docs by hand).

    ``offset`` is where the Doc's text starts in the article (a part of a long one);
    ``text``: the Doc's text, when the caller has it (``Doc.text`` joins every token).
    """
    text = doc.text if text is None else text
    breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    sentences = []
    first_tokens = []
    for index, sent in enumerate(doc.sents):
        paragraph = bisect_right(breaks, sent.start_char)
        sentences.append(
            Sentence(article.id, index, sent.start_char + offset, sent.end_char + offset, paragraph)
        )
        first_tokens.append(sent.start)
    mentions = [
        Mention(
            article_id=article.id,
            sentence=bisect_right(first_tokens, ent.start) - 1,
            start=ent.start_char + offset,
            end=ent.end_char + offset,
            text=ent.text,
            label=ent.label_,
        )
        for ent in doc.ents
        if ent.label_ in types
    ]
    return Extraction(article=article, sentences=sentences, mentions=mentions)
