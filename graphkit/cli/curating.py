"""Curating the entity list: ``entities``, ``merge``, ``unmerge``, ``rename``, ``drop``,
``retype``, ``decisions``, ``undo`` and ``aliases``. Every decision is stored, undoable, and
applied again on every rebuild.
"""

from __future__ import annotations

import json

import click

from graphkit import curation
from graphkit.cli.options import check_types, count_option, format_option, fresh, parse_types
from graphkit.outputs.tables import format_rows
from graphkit.writing import is_stdout


@click.command()
@click.option("--type", "types", metavar="TYPES", help="Only entities of these types, e.g. PERSON.")
@click.option(
    "--search", metavar="TEXT", help="Only entities whose name or an alias contains TEXT."
)
@count_option("--limit", help="At most this many rows.")
@click.option(
    "--explain", metavar="NAME", help="Show which rule joined which name into entity NAME."
)
@format_option
@click.pass_obj
def entities(obj, types, search, limit, explain, fmt):
    """The entity list: type, counts and every name each entity goes by.

    Most mentioned first. "other types" are labels a minority of mentions
    carried; "ambiguous" lists the entities a short name (a lone surname or
    acronym) could also mean, which is why it was kept apart.

    Example:

    \b
        graphkit entities --type PERSON --search wang
        graphkit entities --explain "Xi Jinping"
    """
    if explain:
        found = curation.explain_entity(obj["db"], explain)
        note = found.pop("note")
        if note:
            click.echo(f"Note: {note}", err=True)
        if fmt == "json":
            click.echo(json.dumps(found, indent=2, ensure_ascii=False))
            return
        click.echo(
            f"{found['name']} ({found['type']}, {found['mentions']} mentions"
            f" in {found['articles']} articles)"
        )
        if found["ambiguous"]:
            click.echo("kept apart from: " + "; ".join(found["ambiguous"]))
        click.echo(
            format_rows(
                found["explanations"], ["surface", "rule", "target", "count"], fmt, width=80
            )
        )
        return
    fresh(obj["db"])
    rows = curation.list_entities(obj["db"], types=parse_types(types), search=search, limit=limit)
    if types and not rows:  # a mistyped --type is an error, not an empty list
        check_types(parse_types(types), {r["type"] for r in curation.list_entities(obj["db"])})
    columns = ["name", "type", "mentions", "articles", "aliases", "other_types", "ambiguous"]
    click.echo(format_rows(rows, columns if fmt != "json" else ["key", *columns], fmt, width=70))


def _decision_command(action: str, names_metavar: str, doc: str):
    @click.argument("names", nargs=-1, required=True, metavar=names_metavar)
    @click.pass_obj
    def command(obj, names):
        done = curation.record_decision(obj["db"], action, names)
        for note in done.notes:
            click.echo(f"Note: {note}", err=True)
        for warning in done.warnings:
            click.echo(f"Warning: {warning}", err=True)
        for change in done.changes:
            click.echo(change)
        click.echo(f"decision {done.id} recorded; undo it with 'graphkit undo {done.id}'")

    command.__doc__ = doc
    return click.command(name=action)(command)


merge = _decision_command(
    "merge",
    "A B...",
    """Merge entities B... into entity A (A keeps its name and key).

    Names may be display names, aliases or keys (see 'graphkit entities
    --format json'); a name several entities go by is an error listing them,
    so pick one by its full name or key. Decisions are applied after the
    automatic rules on every rebuild; one that changes nothing is refused.

    Example:

    \b
        graphkit merge "Tony Blair" Blair
    """,
)

unmerge = _decision_command(
    "unmerge",
    "NAME",
    """Take the name NAME out of the entity it was merged into.

    Example:

    \b
        graphkit unmerge Wang
    """,
)

rename = _decision_command(
    "rename",
    "NAME NEW",
    """Show the entity NAME as NEW in every output (kept on every rebuild).

    Example:

    \b
        graphkit rename PBOC "People's Bank of China"
    """,
)

drop = _decision_command(
    "drop",
    "NAME",
    """Leave the entity NAME out of the graph (its mentions are counted as dropped).

    Example:

    \b
        graphkit drop Reuters
    """,
)

retype = _decision_command(
    "retype",
    "NAME TYPE",
    """Give the entity NAME the type TYPE (PERSON, ORG, GPE, ...).

    The type holds on every later rebuild, whatever the model's labels say.

    Example:

        graphkit retype "Manchester United" ORG
    """,
)


@click.command()
@click.option("--all", "include_undone", is_flag=True, help="Include undone decisions.")
@format_option
@click.pass_obj
def decisions(obj, include_undone, fmt):
    """Your merge / unmerge / rename / drop / retype decisions, in the order they apply.

    Each has an ID for 'graphkit undo'; --all also lists the undone ones.

    Example:

        graphkit decisions --all --format json
    """
    rows = [
        {
            "id": d.id,
            "action": d.action,
            "names": list(d.names),
            "active": d.active,
            "keys": list(d.keys),
        }
        for d in curation.list_decisions(obj["db"], include_undone=include_undone)
    ]
    columns = ["id", "action", "names", "active"]
    click.echo(format_rows(rows, columns + (["keys"] if fmt == "json" else []), fmt, width=100))


@click.command()
@click.argument("decision_id", type=click.IntRange(1, 2**63 - 1), metavar="ID")
@click.option("--redo", is_flag=True, help="Put an undone decision back in force.")
@click.pass_obj
def undo(obj, decision_id, redo):
    """Undo decision ID (see 'graphkit decisions'); --redo puts it back.

    The entities are linked again at once; the decision stays listed.

    Example:

        graphkit undo 3
    """
    for warning in curation.undo_decision(obj["db"], decision_id, redo=redo):
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"{'redone' if redo else 'undone'}: decision {decision_id}")


@click.group()
def aliases():
    """Move your decisions in and out as an aliases file (CSV).

    One decision per row: the action, then the names, e.g.
    "merge,Xi Jinping,President Xi" or "rename,PBOC,People's Bank of China".
    Lines starting with # are comments.

    Example:

        graphkit aliases export aliases.csv
    """


@aliases.command(name="export")
@click.argument("path", type=click.Path(dir_okay=False))
@click.pass_obj
def aliases_export(obj, path):
    """Write the decisions in force to PATH (- for standard output).

    The file can be edited and imported into another store.

    Example:

        graphkit aliases export aliases.csv
    """
    count = curation.export_aliases(obj["db"], path)
    click.echo(f"wrote {count} decision(s) to {path}", err=is_stdout(path))


@aliases.command(name="import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.pass_obj
def aliases_import(obj, path):
    """Add the decisions in PATH after the stored ones (the whole file is checked first).

    Example:

        graphkit --db other.db aliases import aliases.csv
    """
    count, warnings = curation.import_aliases(obj["db"], path)
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"imported {count} decision(s) from {path}")
