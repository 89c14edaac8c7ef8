"""Reading articles and finding the names in them.

- :mod:`~graphkit.ingest.sources`: files, folders, JSONL, CSV and standard
  input → :class:`~graphkit.models.Article` records;
- :mod:`~graphkit.ingest.extract`: spaCy → sentences and mentions. It is the
  only module that imports spaCy, and this face does not import it, so
  commands that never extract never pay for loading it.
"""

from graphkit.ingest.sources import ReadReport, read_articles

__all__ = ["ReadReport", "read_articles"]
