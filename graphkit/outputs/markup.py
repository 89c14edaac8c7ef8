"""Render report blocks as Markdown or a standalone HTML page, escaping all corpus text.

A block is a tuple: ``("h1"|"h2"|"h3"|"p", parts)``, ``("ul"|"ol", [parts, ...])``
or ``("table", header, rows)``. ``parts`` is a list of plain strings,
:class:`Strong` and :class:`Link` pieces. Text comes from untrusted articles,
so HTML is escaped with :func:`html.escape`, Markdown with backslash escapes
(so a name cannot open a link, a tag or a table cell), and only ``http(s)``
URLs become links.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """Text that links to ``url`` when the URL is http(s); otherwise just text."""

    text: str
    url: str | None


@dataclass(frozen=True)
class Strong:
    text: str


# The one rule for links to articles, in reports and pages alike: http(s) only
# (any case), nothing that could end the attribute or the link (spaces, control
# characters, quotes, angle brackets, backticks).
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f<>\"'`]+", re.IGNORECASE)


def safe_url(url) -> str | None:
    """``url`` (trimmed) when it may become a link, else None."""
    url = url.strip() if isinstance(url, str) else ""
    return url if _SAFE_URL.fullmatch(url) else None


def _parts(parts, *, escape, strong, link) -> str:
    """Inline ``parts`` in one markup: every text escaped, links only to safe URLs."""
    out = []
    for part in parts:
        if isinstance(part, Strong):
            out.append(strong(escape(part.text)))
        elif isinstance(part, Link):
            url = safe_url(part.url)
            out.append(link(escape(part.text), url) if url else escape(part.text))
        else:
            out.append(escape(part))
    return "".join(out)


# -- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#])")


def _md(text) -> str:
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(text)))


def _md_link(text, url) -> str:
    # Parentheses would end a Markdown link target: percent-encode them.
    return f"[{text}]({url.replace('(', '%28').replace(')', '%29')})"


_md_parts = functools.partial(_parts, escape=_md, strong="**{}**".format, link=_md_link)


def to_markdown(blocks) -> str:
    lines = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + _md_parts(block[1]), ""]
        elif kind == "p":
            lines += [_md_parts(block[1]), ""]
        elif kind in ("ul", "ol"):
            marks = (f"{i}." if kind == "ol" else "-" for i in range(1, len(block[1]) + 1))
            items = [
                f"{mark} {_md_parts(item)}" for mark, item in zip(marks, block[1], strict=True)
            ]
            lines += [*(items or ["(none)"]), ""]
        elif kind == "table":
            header, rows = block[1], block[2]
            if not rows:
                lines += ["(none)", ""]
                continue
            lines.append("| " + " | ".join(_md(h) for h in header) + " |")
            lines.append("|" + "|".join("---" for _ in header) + "|")
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- HTML -------------------------------------------------------------------------------------

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.45}table{border-collapse:collapse;margin:.5rem 0 1rem}"
    "th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}"
)


def _html_link(text, url) -> str:
    return f'<a href="{html.escape(url)}" rel="noopener noreferrer">{text}</a>'


_html_parts = functools.partial(
    _parts,
    escape=lambda text: html.escape(str(text)),
    strong="<strong>{}</strong>".format,
    link=_html_link,
)


def to_html(blocks) -> str:
    body = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2", "h3", "p"):
            body.append(f"<{kind}>{_html_parts(block[1])}</{kind}>")
        elif kind in ("ul", "ol"):
            items = "".join(f"<li>{_html_parts(item)}</li>" for item in block[1])
            body.append(f"<{kind}>{items}</{kind}>" if items else "<p>(none)</p>")
        elif kind == "table":
            if not block[2]:
                body.append("<p>(none)</p>")
                continue
            head = "".join(f"<th>{html.escape(str(h))}</th>" for h in block[1])
            rows = "".join(
                "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                for row in block[2]
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>graphkit report</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
