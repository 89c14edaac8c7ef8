"""The interactive graph page: ``render.py`` builds it from ``G``; ``page.html``,
``page.css`` and ``page.js`` beside it are its template, style and script;
``layout.py`` places the entities; ``pyvis_network.py`` gives notebook users the
same picture as a ``pyvis.network.Network`` (:func:`to_pyvis`, imported on first
use: pyvis pulls in IPython, which the command line does not need).
"""

from graphkit.outputs.page.render import (
    COLOUR_BY,
    DEFAULT_TOP,
    EVIDENCE_BUDGET,
    PAGE_EVIDENCE,
    SIZE_MEASURES,
    PageSummary,
    command_options,
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
    "command_options",
    "page_data",
    "render_page",
    "script_json",
    "to_pyvis",
    "write_page",
]


def __getattr__(name):
    if name == "to_pyvis":
        from graphkit.outputs.page.pyvis_network import to_pyvis

        return to_pyvis
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
