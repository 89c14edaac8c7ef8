"""Write a graph for other tools: Gephi (GraphML, GEXF), node-link JSON, CSV and Neo4j.

Every attribute on ``G`` travels: names, types, counts, aliases, dates,
evidence and, when the graph went through :func:`graphkit.graph.annotate`,
the centrality measures and ``community`` ids. Formats that hold only
scalars get lists as text: aliases joined with ``"; "``, evidence (a list of
records) as JSON text. Node-link JSON keeps them as they are. Files are
written by :mod:`graphkit.writing` (atomic, folders created, ``-`` is standard
output); the two files of a CSV or Neo4j export are written all or nothing.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from graphkit.errors import GraphkitError
from graphkit.graph.settings import MEASURES
from graphkit.outputs.tables import cell_text, csv_safe
from graphkit.writing import is_stdout, open_output, open_output_folder

FORMATS = ("graphml", "gexf", "json", "csv", "neo4j")
GEXF_VERSION = "1.2draft"
NEO4J_RELATIONSHIP = "MENTIONED_WITH"
NODE_COLUMNS = ("name", "type", "mentions", "articles", "aliases", "first_date", "last_date")
EDGE_COLUMNS = ("weight", "articles")
EVIDENCE_COLUMNS = ("sentence", "title", "date", "url")
# Characters XML 1.0 cannot carry at all (even escaped); article text sometimes has them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def export_graph(G: nx.Graph, path, *, format: str = "graphml") -> list[Path]:
    """Write ``G`` to ``path`` in one of :data:`FORMATS`; returns the files written.

    Parameters
    ----------
    G : networkx.Graph
        A graphkit graph, optionally annotated with measures and communities.
    path : str or Path
        The file for ``graphml``, ``gexf`` and ``json``; a folder (created if
        needed) for ``csv`` (``nodes.csv``, ``edges.csv``) and ``neo4j``
        (``nodes.csv``, ``relationships.csv`` with ``neo4j-admin`` headers).
    format : str
        ``graphml`` or ``gexf`` (Gephi), ``json`` (node-link, ``edges="edges"``),
        ``csv`` or ``neo4j``.

    Returns
    -------
    list of Path
    """
    if format not in FORMATS:
        raise GraphkitError(f"unknown export format {format!r}; choose from {', '.join(FORMATS)}")
    if format in ("csv", "neo4j"):
        if is_stdout(path):
            raise GraphkitError(f"{format} export writes a folder of CSV files; give a folder")
        with open_output_folder(path) as open_file:
            names = _write_csv(G, open_file) if format == "csv" else _write_neo4j(G, open_file)
        return [Path(path) / name for name in names]
    if format == "json":
        data = nx.node_link_data(G, edges="edges")
        with open_output(path, "w") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1, default=str)
    elif format == "graphml":
        flat = _flat_graph(G)
        flat.graph.update(_flat(G.graph))
        with open_output(path, "wb") as fh:
            nx.write_graphml(flat, fh)
    else:
        writer = GEXFWriter(version=GEXF_VERSION)
        writer.add_graph(_flat_graph(G))
        writer.graph_element.attrib.pop("name", None)  # 1.2draft allows no name on <graph>
        with open_output(path, "wb") as fh:
            writer.write(fh)
    return [Path(path)]


def flat_value(value):
    """A scalar version of an attribute value: lists of text joined by ``"; "``, records as JSON."""
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _flat(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        value = flat_value(value)
        if value is None:
            continue
        if hasattr(value, "item"):  # numpy scalars
            value = value.item()
        if isinstance(value, str):
            value = _NOT_XML.sub(" ", value)
        out[key] = value
    return out


def _flat_graph(G: nx.Graph) -> nx.Graph:
    """A copy with scalar attributes only, node ``label`` = name (what Gephi shows)."""
    F = nx.Graph()
    for node, data in G.nodes(data=True):
        attrs = _flat(data)
        attrs.setdefault("label", attrs.get("name", str(node)))
        F.add_node(_NOT_XML.sub(" ", str(node)), **attrs)
    F.add_edges_from(
        (_NOT_XML.sub(" ", str(u)), _NOT_XML.sub(" ", str(v)), _flat(data))
        for u, v, data in G.edges(data=True)
    )
    return F


def _extra(items, known) -> list[str]:
    """Attribute names beyond ``known``: the measures in their usual order, then the rest sorted."""
    seen = {key for data in items for key in data} - set(known) - {"evidence", "label"}
    ordered = [m for m in (*MEASURES, "community") if m in seen]
    return ordered + sorted(seen - set(ordered))


def _write_csv(G: nx.Graph, open_file) -> list[str]:
    node_extra = _extra((d for _, d in G.nodes(data=True)), NODE_COLUMNS)
    node_header = ["id", *NODE_COLUMNS, *node_extra]
    node_rows = (
        [node, *(_cell(data.get(c)) for c in (*NODE_COLUMNS, *node_extra))]
        for node, data in G.nodes(data=True)
    )
    edge_extra = _extra((d for _, _, d in G.edges(data=True)), EDGE_COLUMNS)
    edge_header = [
        "source",
        "target",
        "source_name",
        "target_name",
        *EDGE_COLUMNS,
        *edge_extra,
        *EVIDENCE_COLUMNS,
        "evidence",
    ]
    edge_rows = (
        [
            u,
            v,
            G.nodes[u].get("name", u),
            G.nodes[v].get("name", v),
            *(_cell(data.get(c)) for c in (*EDGE_COLUMNS, *edge_extra)),
            *_first_evidence(data),
            _cell(data.get("evidence", [])),
        ]
        for u, v, data in G.edges(data=True)
    )
    return [
        _write_rows(open_file, "nodes.csv", node_header, node_rows),
        _write_rows(open_file, "edges.csv", edge_header, edge_rows),
    ]


def _write_neo4j(G: nx.Graph, open_file) -> list[str]:
    """Files for ``neo4j-admin database import full --nodes=nodes.csv --relationships=...``.

    Values are put on one line (neo4j-admin rejects line breaks in fields
    unless ``--multiline-fields`` is given) and ``;`` inside an alias becomes
    ``,`` because ``;`` separates array elements.
    """
    nodes = list(G.nodes(data=True))
    extra = _extra((d for _, d in nodes), NODE_COLUMNS)
    columns = [c for c in NODE_COLUMNS if c not in ("name", "type")] + extra
    kinds = {c: _neo4j_type([d.get(c) for _, d in nodes]) for c in columns}
    header = ["id:ID", "name", "type", ":LABEL"] + [f"{c}:{kinds[c]}" for c in columns]
    rows = (
        [
            _one_line(node),
            _one_line(data.get("name", node)),
            _one_line(data.get("type")),
            ";".join(["Entity", *_label(data.get("type"))]),
            *(_neo4j_cell(data.get(c)) for c in columns),
        ]
        for node, data in nodes
    )
    edges = list(G.edges(data=True))
    edge_extra = _extra((d for _, _, d in edges), EDGE_COLUMNS)
    edge_columns = [*EDGE_COLUMNS, *edge_extra]
    edge_kinds = {c: _neo4j_type([d.get(c) for _, _, d in edges]) for c in edge_columns}
    edge_header = [":START_ID", ":END_ID", ":TYPE"]
    edge_header += [f"{c}:{edge_kinds[c]}" for c in edge_columns] + [*EVIDENCE_COLUMNS, "evidence"]
    edge_rows = (
        [
            _one_line(u),
            _one_line(v),
            NEO4J_RELATIONSHIP,
            *(_neo4j_cell(data.get(c)) for c in edge_columns),
            *(_one_line(x) for x in _first_evidence(data)),
            _one_line(_cell(data.get("evidence", []))),
        ]
        for u, v, data in edges
    )
    return [
        _write_rows(open_file, "nodes.csv", header, rows),
        _write_rows(open_file, "relationships.csv", edge_header, edge_rows),
    ]


def _neo4j_type(values) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "float"
    if present and all(isinstance(v, list | tuple) for v in present):
        return "string[]"
    return "string"


def _neo4j_cell(value) -> str:
    if isinstance(value, list | tuple):
        return ";".join(_one_line(v).replace(";", ",") for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return _one_line(_cell(value))


def _label(kind) -> list[str]:
    label = re.sub(r"\W", "_", str(kind or ""))
    return [label] if label.strip("_") else []


def _first_evidence(data: dict) -> list[str]:
    records = data.get("evidence") or [{}]
    return [_cell(records[0].get(c)) for c in EVIDENCE_COLUMNS]


def _cell(value) -> str:
    return cell_text(value, exact=True)


def _one_line(value) -> str:
    return " ".join(_cell(value).split()) if isinstance(value, str) else _cell(value)


def _write_rows(open_file, name: str, header, rows) -> str:
    writer = csv.writer(open_file(name, "w"), lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)  # OWASP: no formulas
    return name
