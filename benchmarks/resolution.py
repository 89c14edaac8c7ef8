"""How well graphkit merges the names of one entity: B-cubed against AIDA-CoNLL.

Usage::

    python benchmarks/resolution.py INPUT.jsonl [--gold-mentions] [--predictions OUT.jsonl]

INPUT is AIDA-style JSONL (one article per line: ``id``, ``text``, ``mentions``
with ``start``/``end``/``label``/``entity``/``cross_sentence``; see the data
README). With ``--gold-mentions`` the gold PER/ORG spans (PER → PERSON) go
through the resolver, abbreviations found in the text included; without it
the whole pipeline runs on the text: spaCy (senter + NER only), acronym
repair, resolver.

Scoring: B-cubed precision/recall/F1 over the gold PER/ORG mentions that have
an entity, ignoring ``cross_sentence`` pieces, with clusters corpus-wide
(across documents). A gold mention is matched to the predicted mention with
exactly its span; an unmatched gold mention (missed, or span cut differently,
or dropped as noise) counts as a singleton cluster, so it costs recall and
never precision; predicted mentions matching no scored gold mention are not
scored. Baselines cluster the same mentions by exact string and by casefolded
string. Timings are printed for information and never asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphkit.models import Article, Mention, Sentence
from graphkit.resolve import resolve_entities
from graphkit.resolve.acronyms import find_abbreviations, repair_mentions
from graphkit.resolve.evidence import generic_words
from graphkit.resolve.recall import confident_names, name_index, recall_mentions
from graphkit.resolve.spans import EVIDENCE_LABELS, clean_mentions

LABELS = {"PER": "PERSON", "ORG": "ORG"}


def read_documents(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def line_sentences(doc_id: str, text: str) -> list[Sentence]:
    """One sentence per line, as the CoNLL text is laid out."""
    sentences, start = [], 0
    for index, line in enumerate(text.split("\n")):
        sentences.append(Sentence(doc_id, index, start, start + len(line), 0))
        start += len(line) + 1
    return sentences


def sentence_of(sentences: list[Sentence], offset: int) -> int:
    return max((s.index for s in sentences if s.start <= offset), default=0)


def gold_mentions(docs: list[dict]) -> tuple[list[Mention], list]:
    mentions, abbreviations = [], []
    for doc in docs:
        sentences = line_sentences(doc["id"], doc["text"])
        for m in doc["mentions"]:
            if m["label"] in LABELS:
                sentence = sentence_of(sentences, m["start"])
                mentions.append(
                    Mention(
                        doc["id"], sentence, m["start"], m["end"], m["text"], LABELS[m["label"]]
                    )
                )
        abbreviations += find_abbreviations(doc["id"], doc["text"])
    return mentions, abbreviations


def model_mentions(docs: list[dict]) -> tuple[list[Mention], list, list[Mention], list]:
    """The build's path: spaCy, span cleaning (unless ``--raw-spans``), acronym repair."""
    from graphkit.ingest.extract import extract_mentions, load_pipeline

    nlp = load_pipeline()
    articles = (Article(d["id"], "", d["text"], "aida") for d in docs)
    mentions, abbreviations, unrepaired, evidence = [], [], [], []
    types = ("PERSON", "ORG")
    labels = (*types, *sorted(EVIDENCE_LABELS))
    for extraction in extract_mentions(nlp, articles, types=labels):
        text = extraction.article.text
        found = find_abbreviations(extraction.article.id, text)
        raw = [m for m in extraction.mentions if m.label in types]
        unrepaired += raw
        if RAW_SPANS:
            wanted, other = raw, []
        else:
            wanted, other = clean_mentions(text, extraction.mentions, types)
        mentions += repair_mentions(text, wanted, extraction.sentences, found)
        abbreviations += found
        evidence += [(m.article_id, m.text, m.label) for m in other]
    return mentions, abbreviations, unrepaired, evidence


RAW_SPANS = False


def recalled(docs, mentions, evidence, generic) -> tuple[list[Mention], int]:
    """``mentions`` plus what the recall pass finds (as ``graphkit build`` does)."""
    index = name_index(confident_names(mentions, evidence, generic))
    by_doc: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_doc.setdefault(mention.article_id, []).append(mention)
    extra = []
    for doc in docs:
        starts = [s.start for s in line_sentences(doc["id"], doc["text"])]
        extra += recall_mentions(doc["id"], doc["text"], starts, by_doc.get(doc["id"], []), index)
    return sorted(mentions + extra, key=lambda m: (m.article_id, m.start)), len(extra)


def b_cubed(pairs: list[tuple[str, object]]) -> tuple[float, float, float]:
    """B-cubed (precision, recall, F1) of ``(gold cluster, predicted cluster)`` pairs."""
    both = Counter(pairs)
    gold = Counter(g for g, _ in pairs)
    predicted = Counter(p for _, p in pairs)
    precision = sum(both[(g, p)] / predicted[p] for g, p in pairs) / len(pairs)
    recall = sum(both[(g, p)] / gold[g] for g, p in pairs) / len(pairs)
    return precision, recall, 2 * precision * recall / (precision + recall)


def score(
    docs: list[dict], clusters: dict[tuple, object], *, matched_only: bool = False
) -> tuple[float, float, float]:
    """B³ over scored gold mentions; ``clusters`` maps ``(doc, start, end)`` to a cluster.

    A gold mention without a cluster is a singleton, or left out with ``matched_only``.
    """
    pairs = []
    for doc in docs:
        for m in doc["mentions"]:
            if m["label"] in LABELS and m["entity"] and not m["cross_sentence"]:
                span = (doc["id"], m["start"], m["end"])
                cluster = clusters.get(span)
                if cluster is None and matched_only:
                    continue
                pairs.append((m["entity"], cluster if cluster is not None else ("missed", span)))
    return b_cubed(pairs)


def matched_share(docs: list[dict], mentions: list[Mention]) -> float:
    spans = {(m.article_id, m.start, m.end) for m in mentions}
    scored = [
        (d["id"], m["start"], m["end"])
        for d in docs
        for m in d["mentions"]
        if m["label"] in LABELS and m["entity"] and not m["cross_sentence"]
    ]
    return sum(span in spans for span in scored) / len(scored)


def baseline(mentions: list[Mention], fold) -> dict[tuple, object]:
    return {(m.article_id, m.start, m.end): fold(m.text) for m in mentions}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path)
    parser.add_argument("--gold-mentions", action="store_true")
    parser.add_argument("--predictions", type=Path)
    parser.add_argument("--no-recall", action="store_true", help="skip the recall pass")
    parser.add_argument(
        "--raw-spans", action="store_true", help="the model's spans as they are (no cleaning)"
    )
    args = parser.parse_args(argv)
    global RAW_SPANS
    RAW_SPANS = args.raw_spans

    docs = read_documents(args.input)
    started = time.perf_counter()
    if args.gold_mentions:
        mentions, abbreviations = gold_mentions(docs)
        unrepaired, evidence = mentions, []
    else:
        mentions, abbreviations, unrepaired, evidence = model_mentions(docs)
    generic = generic_words((d["text"] for d in docs), mentions)
    found = 0
    if not args.gold_mentions and not args.no_recall:
        mentions, found = recalled(docs, mentions, evidence, generic)
    prepared = time.perf_counter()
    resolution = resolve_entities(
        mentions, abbreviations=abbreviations, evidence=evidence, generic_words=generic
    )
    resolved = time.perf_counter()

    clusters = {
        (m.article_id, m.start, m.end): key
        for m, key in zip(mentions, resolution.keys, strict=True)
        if key is not None
    }
    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as out:
            for m, key in zip(mentions, resolution.keys, strict=True):
                row = {"doc": m.article_id, "start": m.start, "end": m.end, "cluster": key}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")

    mode = "gold mentions" if args.gold_mentions else "spaCy mentions + acronym repair"
    print(f"{args.input.name}: {len(docs)} documents, {mode}")
    print(
        f"  predicted mentions {len(mentions)} ({found} by the recall pass),"
        f" entities {len(resolution.entities)}"
    )
    print(
        f"  scored gold mentions found with their exact span: {matched_share(docs, mentions):.3f}"
    )
    if not args.gold_mentions:
        print(f"  ... before acronym repair: {matched_share(docs, unrepaired):.3f}")
    print(f"  {'':28} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}")
    rows = [
        ("exact string", baseline(unrepaired, lambda t: t)),
        ("casefolded string", baseline(unrepaired, str.casefold)),
        ("graphkit", clusters),
    ]
    for name, prediction in rows:
        p, r, f = score(docs, prediction)
        print(f"  {name:28} {p:6.3f} {r:6.3f} {f:6.3f}")
    if not args.gold_mentions:
        print("  the same, over the gold mentions found by both the baseline and graphkit:")
        both = {span for span in rows[0][1] if span in clusters}
        for name, prediction in rows:
            kept = {span: cluster for span, cluster in prediction.items() if span in both}
            p, r, f = score(docs, kept, matched_only=True)
            print(f"  {name:28} {p:6.3f} {r:6.3f} {f:6.3f}")
    print(f"  dropped as noise: {dict(resolution.dropped)}")
    print(f"  time: mentions {prepared - started:.1f}s, resolution {resolved - prepared:.1f}s")


if __name__ == "__main__":
    main()
