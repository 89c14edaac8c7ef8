"""Live pages: an open page reloads itself when ``graphkit watch`` writes it again.

A page opened from a file cannot read its own file (browsers refuse
``fetch`` on ``file://``, and the page's Content-Security-Policy refuses it
anyway), and a ``<meta http-equiv="refresh">`` would reload it every few
seconds whether anything changed or not, losing the reader's selection each
time. Instead, after each live page, graphkit writes a sibling script,
``PAGE.live.js``, holding only the generation (random hex) of the page just
written. The page (``live.js`` beside this module, inlined) loads that file
every few seconds as a ``<script>`` carrying the page's own nonce, the one
kind of script its policy allows, and reloads when the generation changes.
Nothing outside the page's folder is ever asked for, and the policy is the
same as every page's.

The page is written first and the marker second, both atomically, so a
reload always finds the new page whole.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphkit.errors import GraphkitError
from graphkit.writing import write_output

CHECK_SECONDS = 2
MARKER_SUFFIX = ".live.js"


def marker_path(page: str | Path) -> Path:
    """The generation file written beside a live page: ``graph.html`` → ``graph.html.live.js``."""
    page = Path(page)
    return page.with_name(page.name + MARKER_SUFFIX)


def live_meta(page: str | Path, generation: str) -> dict:
    """What the page's script needs: the marker's file name, this generation, the interval."""
    return {"src": marker_path(page).name, "generation": generation, "every": CHECK_SECONDS}


def write_live_marker(page: str | Path, generation: str) -> Path:
    """Write (atomically) the marker saying ``page`` is now at ``generation``.

    Raises
    ------
    GraphkitError
        ``generation`` is not hex, or the file cannot be written.
    """
    if not re.fullmatch(r"[0-9a-f]{1,64}", generation):
        raise GraphkitError(f"a page generation is hex digits, not {generation!r}")
    path = marker_path(page)
    write_output(path, f'window.graphkitLive && window.graphkitLive("{generation}");\n')
    return path
