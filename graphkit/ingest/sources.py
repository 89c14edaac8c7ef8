"""Files → :class:`~graphkit.models.Article`: all input parsing lives here.

Each source argument is a file, a folder (read recursively, in sorted order)
or ``-`` for standard input (JSON Lines). Supported files: ``.txt`` and ``.md``
(first line is the title), ``.jsonl`` and ``.csv`` (fields ``id``, ``title``,
``text``, ``date``, ``url``). Files that are not articles are skipped and
reported once, together, through :class:`ReadReport`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.dates import parse_record_date
from graphkit.errors import SourceError
from graphkit.ingest.web import is_web_file, read_web_file
from graphkit.models import Article

TEXT_SUFFIXES = {".txt", ".md"}
RECORD_SUFFIXES = {".jsonl", ".csv"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | RECORD_SUFFIXES

_DATE_LINE = re.compile(r"^\s*date\s*[:=]?\s*(\d{4}-\d{2}-\d{2})\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# CSV fields may hold whole articles (the csv module's default limit is 128 KiB).
_CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


@dataclass
class ReadReport:
    """What reading the sources skipped or repaired, for one summary line."""

    skipped: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    decode_errors: int = 0
    empty_records: int = 0
    bad_dates: dict[str, list[str]] = field(default_factory=dict)

    def bad_date(self, value, problem: str) -> None:
        """Count a record date that was not stored, keeping a few values to name."""
        self.bad_dates.setdefault(problem, []).append(str(value))

    duplicates: int = 0  # records a web archive holds more than once, read once (not a problem)

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append(path)
        self.reasons[path] = reason

    def summary(self) -> str | None:
        """One human sentence about what was skipped, or ``None`` when nothing was."""
        parts = []
        if self.skipped:
            names = ", ".join(f"{p} ({self.reasons[p]})" for p in self.skipped[:5])
            more = f" and {len(self.skipped) - 5} more" if len(self.skipped) > 5 else ""
            parts.append(
                f"skipped {len(self.skipped)} file(s) that are not articles: {names}{more}"
            )
        if self.decode_errors:
            parts.append(
                f"{self.decode_errors} file(s) had invalid UTF-8 (decoded with replacements)"
            )
        if self.empty_records:
            parts.append(f"{self.empty_records} record(s) with no text were ignored")
        for problem, values in sorted(self.bad_dates.items()):
            shown = ", ".join(repr(v) for v in dict.fromkeys(values[:3]))
            parts.append(
                f"{len(values)} article date(s) {problem}, stored as undated (e.g. {shown})"
            )
        return "; ".join(parts) or None


def read_articles(
    sources: Iterable[str | Path],
    *,
    text_field: str = "text",
    report: ReadReport | None = None,
    stdin: io.TextIOBase | None = None,
) -> Iterator[Article]:
    """Yield the articles found in ``sources``, lazily, in a stable order.

    Parameters
    ----------
    sources : iterable of str or Path
        Files, folders (recursive) or ``"-"`` for JSON Lines on standard input.
    text_field : str
        The JSONL/CSV field holding the article body.
    report : ReadReport, optional
        Filled with skipped files and decoding problems as reading goes.
    stdin : text stream, optional
        Read instead of ``sys.stdin`` for ``"-"`` (for tests and notebooks).

    Raises
    ------
    SourceError
        A path does not exist, or a folder holds no file at all.
    """
    report = report if report is not None else ReadReport()
    sources = list(sources)
    for source in sources:  # every path is checked before any article is read
        path = Path(source)
        if str(source) != "-" and not path.exists():
            raise SourceError(f"{path}: no such file or folder; check the path")
        if path.is_dir() and not any(p.is_file() for p in _files(path)):
            raise SourceError(f"{path}: the folder is empty; point at a folder of articles")
    for source in sources:
        if str(source) == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield from _records_from_jsonl(stream.read(), "<stdin>", text_field, report)
        elif Path(source).is_dir():
            for file in sorted(_files(Path(source))):
                yield from _read_file(file, text_field, report)
        else:
            yield from _read_file(Path(source), text_field, report)


def _files(folder: Path) -> Iterator[Path]:
    """Files under ``folder``, recursively, leaving out hidden files and folders."""
    for path in folder.rglob("*"):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
            yield path


def _read_file(path: Path, text_field: str, report: ReadReport) -> Iterator[Article]:
    suffix = path.suffix.lower()
    if is_web_file(path, known_suffixes=SUPPORTED_SUFFIXES):  # pages, feeds, web archives
        yield from read_web_file(path, report)
        return
    if suffix not in SUPPORTED_SUFFIXES:
        report.skip(str(path), f"unsupported type {suffix or 'without extension'}")
        return
    try:
        data = path.read_bytes()
    except OSError as err:
        report.skip(str(path), f"unreadable: {err.strerror or err}")
        return
    if b"\x00" in data[:8192]:
        report.skip(str(path), "binary")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        report.decode_errors += 1
    if suffix in TEXT_SUFFIXES:
        article = _article_from_text(text, str(path), report)
        if article is None:
            report.empty_records += 1
        else:
            yield article
    elif suffix == ".jsonl":
        yield from _records_from_jsonl(text, str(path), text_field, report)
    else:
        yield from _records_from_csv(text, str(path), text_field, report)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_FRONT_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def _front_matter(text: str) -> tuple[dict, str]:
    """``key: value`` lines of a Markdown front matter block (``---`` … ``---``), and the rest."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields = {}
    for line in match.group(1).splitlines():
        if found := _FRONT_LINE.match(line):
            fields[found.group(1)] = found.group(2).strip("\"'")
    return fields, text[match.end() :]


def _article_from_text(text: str, source: str, report: ReadReport | None = None) -> Article | None:
    """A plain-text article: an optional ``date YYYY-MM-DD`` line, then the title line.

    Markdown may open with a front matter block; its ``title``, ``date`` and
    ``url`` are used, every other key is kept in ``fields``. The text keeps
    the title as its first paragraph, so entities named only in a headline
    are found too.
    """
    front, text = _front_matter(text.replace("\r\n", "\n"))
    lines = text.splitlines()
    date = None
    if front.get("date"):
        date, problem = parse_record_date(front["date"])
        if problem and report is not None:
            report.bad_date(front["date"], problem)
    if front.get("title"):
        lines.insert(0, front["title"])
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and (match := _DATE_LINE.match(lines[0])):
        date, problem = parse_record_date(match.group(1))
        if problem and report is not None:
            report.bad_date(match.group(1), problem)
        lines.pop(0)
        while lines and not lines[0].strip():
            lines.pop(0)
    if not lines:
        return None
    title = lines[0].strip().lstrip("#").strip()
    body = "\n".join(lines[1:]).strip("\n")
    if not body.strip():
        return None
    # The headline is read too (it names people), as a paragraph of its own.
    extra = {k: v for k, v in front.items() if k not in ("title", "date", "url")}
    return Article(
        id=source,
        title=title,
        text=f"{title}\n\n{body}",
        source=source,
        date=date,
        url=front.get("url") or None,
        fields=extra,
    )


def _records_from_jsonl(
    text: str, source: str, text_field: str, report: ReadReport
) -> Iterator[Article]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise SourceError(f"{source}, line {number}: not valid JSON ({err.msg})") from err
        if not isinstance(record, dict):
            raise SourceError(f"{source}, line {number}: expected a JSON object per line")
        article = _article_from_record(record, source, number, text_field, report)
        if article is None:
            report.empty_records += 1
        else:
            yield article


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """The csv module's field limit is process-wide: raise it only while reading, then restore."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _records_from_csv(
    text: str, source: str, text_field: str, report: ReadReport
) -> Iterator[Article]:
    with _csv_field_limit(_CSV_FIELD_LIMIT):
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames or text_field not in reader.fieldnames:
            found = ", ".join(reader.fieldnames or []) or "none"
            raise SourceError(
                f"{source}: no {text_field!r} column (columns: {found});"
                " use --text-field to name it"
            )
        records = list(reader)  # parsed under the raised limit, which is then put back
    for number, record in enumerate(records, start=2):
        article = _article_from_record(record, source, number, text_field, report)
        if article is None:
            report.empty_records += 1
        else:
            yield article


_RECORD_KEYS = ("id", "title", "date", "url")


def _article_from_record(
    record: dict, source: str, number: int, text_field: str, report: ReadReport
) -> Article | None:
    body = record.get(text_field)
    if not isinstance(body, str) or not body.strip():
        return None
    record_id = record.get("id")
    article_id = str(record_id) if record_id not in (None, "") else f"{source}#{number}"
    date, problem = parse_record_date(record.get("date"))
    if problem:
        report.bad_date(record.get("date"), problem)
    fields = {
        str(k): v
        for k, v in record.items()
        if k not in _RECORD_KEYS and k != text_field and k is not None and v not in (None, "")
    }
    return Article(
        id=article_id,
        title=str(record.get("title") or "").strip() or body.strip().splitlines()[0][:80],
        text=body,
        source=source,
        date=date,
        url=str(record["url"]) if record.get("url") else None,
        fields=fields,
    )
