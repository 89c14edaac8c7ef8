"""The entity a command's ENTITY argument names, with a note when it was not its display name.

Shared by every command that looks an entity up by name (``neighbours``,
``path``, ``page --focus``): the library finds it (or stops with the
candidates of an ambiguous name); this prints which entity was chosen on
standard error, so piped output stays clean.
"""

from __future__ import annotations

import click

from graphkit.graph import lookup_node


def chosen_node(G, name: str):
    """The node ``name`` means in ``G``; says "'Xi' is Xi Jinping" on stderr when not exact."""
    match = lookup_node(G, name)
    if match.note:
        click.echo(f"Note: {match.note}", err=True)
    return match.node
