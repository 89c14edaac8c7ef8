"""The interactive graph page: ``render.py`` builds it from ``G``; ``page.html``,
``page.css`` and ``page.js`` beside it are its template, style and script.
"""

from graphkit.outputs.page.render import (
    COLOUR_BY,
    DEFAULT_TOP,
    EVIDENCE_BUDGET,
    PAGE_EVIDENCE,
    SIZE_MEASURES,
    PageSummary,
    page_data,
    render_page,
    script_json,
    write_page,
)

__all__ = [
    "COLOUR_BY",
    "DEFAULT_TOP",
    "EVIDENCE_BUDGET",
    "PAGE_EVIDENCE",
    "SIZE_MEASURES",
    "PageSummary",
    "page_data",
    "render_page",
    "script_json",
    "write_page",
]
