"""Files → :class:`~graphkit.models.Article`: all input parsing lives here.

Each source argument is a file, a folder (read recursively, in sorted order)
or ``-`` for standard input (JSON Lines). Supported files: ``.txt`` and ``.md``
(first line is the title), ``.jsonl`` and ``.csv`` (fields ``id``, ``title``,
``text``, ``date``, ``url``). Files that are not articles are skipped and
reported once, together, through :class:`ReadReport`.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
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
# CSV fields may hold whole articles (the csv module's default limit is 128 KiB).
_CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


@dataclass
class ReadReport:
    """What reading the sources skipped or repaired, for one summary line.

    Nothing is dropped in silence: skipped files and records are named (file
    and line), files decoded from another encoding are listed with it, and
    records sharing an id with different texts are reported by id.
    """

    skipped: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    decode_errors: int = 0
    decode_error_files: list[str] = field(default_factory=list)
    redecoded: dict[str, str] = field(default_factory=dict)
    empty_records: int = 0
    bad_dates: dict[str, list[str]] = field(default_factory=dict)

    def bad_date(self, value, problem: str) -> None:
        """Count a record date that was not stored, keeping a few values to name."""
        self.bad_dates.setdefault(problem, []).append(str(value))

    duplicates: int = 0  # records a web archive holds more than once, read once (not a problem)
    bad_records: list[tuple[str, int, str]] = field(default_factory=list)
    collisions: list[str] = field(default_factory=list)

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append(path)
        self.reasons[path] = reason

    def read_bytes(self, path: Path) -> bytes | None:
        """The file's bytes, or ``None`` with the file listed as unreadable and why."""
        try:
            return path.read_bytes()
        except OSError as err:
            self.skip(str(path), f"unreadable: {err.strerror or err}")
            return None

    def bad_record(self, source: str, line: int, reason: str) -> None:
        self.bad_records.append((source, line, reason))

    def summary(self) -> str | None:
        """One human sentence about what was skipped, or ``None`` when nothing was."""
        parts = []
        if self.skipped:
            parts.append(
                f"skipped {len(self.skipped)} file(s) that are not articles: "
                + _first(f"{p} ({self.reasons[p]})" for p in self.skipped)
            )
        if self.bad_records:
            parts.append(
                f"skipped {len(self.bad_records)} bad record(s): "
                + _first(f"{s} line {n} ({why})" for s, n, why in self.bad_records)
            )
        if self.decode_errors:
            parts.append(
                f"{self.decode_errors} file(s) had invalid UTF-8 (decoded with replacements): "
                + _first(self.decode_error_files)
            )
        if self.redecoded:
            parts.append(
                f"{len(self.redecoded)} file(s) were not UTF-8 and were decoded as: "
                + _first(f"{p} ({enc})" for p, enc in self.redecoded.items())
            )
        if self.collisions:
            parts.append(f"{len(self.collisions)} id collision(s): " + _first(self.collisions))
        if self.empty_records:
            parts.append(f"{self.empty_records} record(s) with no text were ignored")
        for problem, values in sorted(self.bad_dates.items()):
            shown = ", ".join(repr(v) for v in dict.fromkeys(values[:3]))
            parts.append(
                f"{len(values)} article date(s) {problem}, stored as undated (e.g. {shown})"
            )
        return "; ".join(parts) or None


def _first(items: Iterable[str], n: int = 5) -> str:
    items = list(items)
    more = f" and {len(items) - n} more" if len(items) > n else ""
    return ", ".join(items[:n]) + more


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
        if path.is_dir() and not any(p.is_file() for p in article_files(path)):
            raise SourceError(f"{path}: the folder is empty; point at a folder of articles")
    for source in sources:
        if str(source) == "-":
            text = _read_stdin(stdin if stdin is not None else sys.stdin, report)
            if text is not None:
                yield from _records_from_jsonl(text, "<stdin>", text_field, report)
        elif Path(source).is_dir():
            for file in sorted(article_files(Path(source))):
                yield from _read_file(file, text_field, report)
        else:
            yield from _read_file(Path(source), text_field, report)


def article_files(folder: Path) -> Iterator[Path]:
    """Files under ``folder``, recursively, leaving out hidden files and folders."""
    for path in folder.rglob("*"):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
            yield path


def _read_stdin(stream, report: ReadReport) -> str | None:
    """Standard input as text, decoded like a file; ``None`` (and a skip) when empty."""
    if stream is None or getattr(stream, "closed", False):
        raise SourceError("standard input is closed; pipe JSON Lines into 'graphkit build -'")
    try:
        raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
    except (OSError, ValueError) as err:
        raise SourceError(f"standard input cannot be read ({err})") from err
    if isinstance(raw, bytes):
        raw = decode_bytes(raw, "<stdin>", report)
        if raw is None:
            report.skip("<stdin>", "binary")
            return None
    if not raw.strip():
        report.skip("<stdin>", "empty; pipe JSON Lines into 'graphkit build -'")
        return None
    return raw


# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BINARY_SHARE = 0.05  # above this share of control/undecodable characters a file is binary
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bytes(data: bytes, name: str, report: ReadReport) -> str | None:
    """Bytes of a source → text, or ``None`` when they are binary, not text.

    A byte-order mark decides the codec; else UTF-8; else, when the bytes hold
    no valid multi-byte UTF-8 at all, ``charset-normalizer`` detects the
    encoding (Latin-1, cp1252, UTF-16 without BOM...) and ``report`` names the
    file; else UTF-8 with replacement characters, also named. Text vs binary
    is decided by the share of control and undecodable characters, not by
    one byte: a stray NUL in an article is dropped, random bytes are binary.
    Control characters (other than tab and line breaks) never reach an
    article.
    """
    text = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            with contextlib.suppress(UnicodeDecodeError):  # random bytes can look like a BOM
                text = data.decode(codec)
            break
    if text is None and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 BOM before invalid UTF-8: the BOM still goes
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_other(data, name, report)
    if text is None:
        return None
    sample = text[:65536]
    noise = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    if sample and noise / len(sample) > _BINARY_SHARE:
        report.redecoded.pop(name, None)
        if name in report.decode_error_files:
            report.decode_error_files.remove(name)
            report.decode_errors -= 1
        return None
    return _CONTROL.sub("", text)


_DETECT_BYTES = 64 * 1024
_DECODED_NON_ASCII = re.compile("[\u0080-\ufffc\ufffe-\U0010ffff]")  # but U+FFFD


def _decode_other(data: bytes, name: str, report: ReadReport) -> str | None:
    lenient = data.decode("utf-8", errors="replace")
    valid_multibyte = _DECODED_NON_ASCII.search(lenient) is not None
    if not valid_multibyte:
        from charset_normalizer import from_bytes  # imported only for non-UTF-8 input

        # Detection reads a sample (it takes seconds on megabytes); the whole is decoded.
        matches = list(from_bytes(data[:_DETECT_BYTES]))
        # charset-normalizer ties Western European encodings on short texts and
        # may pick cp1250 for Spanish; cp1252 (a superset of Latin-1's printable
        # characters) wins a tie, as the commonest legacy encoding of news text.
        least = min((m.chaos for m in matches), default=None)
        tied = [m for m in matches if m.chaos == least]
        best = next((m for m in tied if m.encoding == "cp1252"), tied[0] if tied else None)
        if best is not None:
            report.redecoded[name] = best.encoding
            return data.decode(best.encoding, errors="replace")
    report.decode_errors += 1
    report.decode_error_files.append(name)
    return lenient


def _read_file(path: Path, text_field: str, report: ReadReport) -> Iterator[Article]:
    suffix = path.suffix.lower()
    if is_web_file(path, known_suffixes=SUPPORTED_SUFFIXES):  # pages, feeds, web archives
        yield from read_web_file(path, report)
        return
    if suffix not in SUPPORTED_SUFFIXES:
        report.skip(str(path), f"unsupported type {suffix or 'without extension'}")
        return
    data = report.read_bytes(path)
    if data is None:
        return
    text = decode_bytes(data, str(path), report)
    if text is None:
        report.skip(str(path), "binary")
        return
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
        if len(title) < _HEADLINE_LIMIT:
            return None
        # One long line is a paragraph of text, not a headline with its body missing.
        return Article(id=source, title=_short_title(title), text=title, source=source, date=date)
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


_HEADLINE_LIMIT = 150  # a first line this long is text, not a title


def _short_title(text: str, width: int = 80) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    if len(first) <= width:
        return first
    cut = first[:width].rsplit(" ", 1)[0] or first[:width]
    return cut + "…"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_value(value):
    """Lone surrogates (``"\\ud800"`` in JSON) become U+FFFD: they cannot be stored."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")  # fast: surrogates are rare
        except UnicodeEncodeError:
            value = _SURROGATE.sub("\ufffd", value)
        return _CONTROL.sub("", value) if _CONTROL.search(value) else value
    return value


def _records_from_jsonl(
    text: str, source: str, text_field: str, report: ReadReport
) -> Iterator[Article]:
    """One JSON object per line; lines are split on ``\\n`` only (U+2028 may sit in a string)."""
    ids = _IdScope(source, report)
    fields_seen: set[str] = set()
    with_text = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            report.bad_record(source, number, f"not valid JSON: {err.msg}")
            continue
        if not isinstance(record, dict):
            report.bad_record(source, number, "not a JSON object")
            continue
        record = {str(k): _clean_value(v) for k, v in record.items()}
        fields_seen.update(record)
        with_text += text_field in record
        article = _article_from_record(record, source, number, text_field, ids)
        if article is None:
            report.empty_records += 1
        else:
            yield article
    if fields_seen and not with_text:
        report.skip(
            source,
            f"no record has a {text_field!r} field (fields: {', '.join(sorted(fields_seen)[:8])});"
            " use --text-field to name it",
        )


_DELIMITERS = (",", ";", "\t", "|")


def _sniff_delimiter(header: str, text_field: str) -> str:
    """The delimiter of a CSV: the one whose header holds ``text_field``, else the most fields."""
    best, best_count = ",", 0
    for delimiter in _DELIMITERS:
        fields = next(csv.reader([header], delimiter=delimiter), [])
        if text_field in (f.strip() for f in fields):
            return delimiter
        if len(fields) > best_count:
            best, best_count = delimiter, len(fields)
    return best


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
    """CSV rows with a header; the delimiter is sniffed (``, ; tab |``).

    A malformed row (an unterminated quote would swallow every row after it)
    is skipped and named with its line, and reading resumes on the next line.
    """
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].strip():
        report.skip(source, "empty")
        return
    delimiter = _sniff_delimiter(lines[0].rstrip("\r\n"), text_field)
    fieldnames = [f.strip() for f in next(csv.reader([lines[0]], delimiter=delimiter))]
    if text_field not in fieldnames:
        report.skip(
            source,
            f"no {text_field!r} column (columns: {', '.join(fieldnames) or 'none'});"
            " use --text-field to name it",
        )
        return
    if not any(line.strip() for line in lines[1:]):
        report.skip(source, "header only, no rows")
        return
    ids = _IdScope(source, report)
    rows = []
    with _csv_field_limit(_CSV_FIELD_LIMIT):  # parsed under the raised limit, then put back
        start = 1  # index in ``lines`` where the current reader began
        while start < len(lines):
            reader = csv.reader(
                io.StringIO("".join(lines[start:]), newline=""), delimiter=delimiter, strict=True
            )
            row_start = start
            try:
                for row in reader:
                    rows.append((row_start + 1, row))
                    row_start = start + reader.line_num
                break
            except csv.Error as err:
                report.bad_record(source, row_start + 1, f"malformed CSV: {err}; row skipped")
                start = row_start + 1
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        record = {k: _clean_value(v) for k, v in zip(fieldnames, row, strict=False)}
        article = _article_from_record(record, source, number, text_field, ids)
        if article is None:
            report.empty_records += 1
        else:
            yield article


_RECORD_KEYS = ("id", "title", "date", "url")


def _content_key(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


class _IdScope:
    """Article ids of one source file: scoped by the file, collisions reported.

    Two exports that both number their rows 1..N do not overwrite each other
    (ids are ``source#id``); a record without an id is keyed by its text, not
    its line, so removing a line does not renumber every article after it.
    The same id twice with different texts keeps both, the second under
    ``source#id@line``, and the collision is reported by id.
    """

    def __init__(self, source: str, report: ReadReport):
        self.source, self.report = source, report
        self.seen: dict[str, tuple[str, int]] = {}

    def article_id(self, record_id, body: str, number: int) -> str:
        digest = _content_key(body)
        if record_id in (None, ""):
            return f"{self.source}#{digest}"
        scoped = f"{self.source}#{record_id}"
        earlier = self.seen.get(scoped)
        if earlier is None:
            self.seen[scoped] = (digest, number)
            return scoped
        if earlier[0] == digest:
            return scoped  # the same record twice: counted as a duplicate by the build
        renamed = f"{scoped}@{number}"
        self.report.collisions.append(
            f"{self.source}: id {record_id!r} on lines {earlier[1]} and {number} with different"
            f" texts (the second kept as {renamed!r})"
        )
        return renamed


def _article_from_record(
    record: dict, source: str, number: int, text_field: str, ids: _IdScope
) -> Article | None:
    body = record.get(text_field)
    if not isinstance(body, str) or not body.strip():
        return None
    date, problem = parse_record_date(record.get("date"))
    if problem:
        ids.report.bad_date(record.get("date"), problem)
    title = record.get("title")
    fields = {
        str(k): v
        for k, v in record.items()
        if k not in _RECORD_KEYS and k != text_field and k is not None and v not in (None, "")
    }
    return Article(
        id=ids.article_id(record.get("id"), body, number),
        title=str(title).strip() if title not in (None, "") else _short_title(body),
        text=body,
        source=source,
        date=date,
        url=str(record["url"]) if record.get("url") else None,
        fields=fields,
    )
