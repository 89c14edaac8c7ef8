"""Rows → text: the table, JSON and CSV forms every report command offers.

Rows are plain dicts; ``columns`` names the keys to show, in order. Lists in
a cell are joined with ``"; "`` in tables and CSV and kept as lists in JSON.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence

FORMATS = ("table", "json", "csv")

# C0 and C1 control characters (but tab, newline and carriage return) and the
# bidirectional overrides: in article text they could clear a screen, set a
# terminal's title or reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# OWASP CSV injection: a cell starting with one of these is run as a formula by
# spreadsheets. Tab and carriage return are on OWASP's list too.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal_safe(text: str) -> str:
    """``text`` with control characters shown as visible escapes (``\\x1b``), never sent raw."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def csv_safe(value):
    """A CSV cell that no spreadsheet runs as a formula: a leading ``= + - @`` gets a ``'``.

    Numbers are left alone (``-0.5`` is a number, not a formula); only text is
    neutralised. Carriage returns become ``\\n``. Used by every CSV graphkit
    writes (tables and exports).
    """
    if not isinstance(value, str):
        return value
    # A bare carriage return is not quoted by Python's csv writer (with "\n"
    # line ends) and would split the row: line breaks are written as "\n".
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def cell_text(value, *, exact: bool = False) -> str:
    """A value as the text of one table cell: the one rule for terminal tables and CSV files.

    For people (``exact=False``: tables and ``--format csv``): numbers to 4
    significant digits, text on one line. For other tools (``exact=True``:
    the CSV and Neo4j exports): numbers in full, text as it is, records
    (dicts, lists of non-text) as JSON. Lists of text are joined with ``"; "``
    either way.
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if exact else f"{value:.4g}"
    records = isinstance(value, dict) or (
        isinstance(value, list | tuple) and not all(isinstance(v, str) for v in value)
    )
    if exact and records:
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v, exact=exact) for v in value)
    return str(value) if exact else " ".join(str(value).split())


def format_rows(rows: Sequence[dict], columns: Sequence[str], fmt: str, *, width: int = 60) -> str:
    """Render ``rows`` as an aligned text table, a JSON array or CSV."""
    if fmt == "json":
        return json.dumps(
            [{c: row.get(c) for c in columns} for row in rows], ensure_ascii=False, indent=2
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_csv_cell(row.get(c)) for c in columns] for row in rows])
        return buffer.getvalue().rstrip("\n")
    cells = [[_clip(cell_text(row.get(c)), width) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def _csv_cell(value) -> str:
    text = cell_text(value)
    return (
        text if isinstance(value, int | float) and not isinstance(value, bool) else csv_safe(text)
    )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
