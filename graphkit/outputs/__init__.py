"""What graphkit writes: pages, exports, reports, and tables for the terminal.

- :mod:`~graphkit.outputs.page`: the interactive HTML page (template, style and script beside it);
- :mod:`~graphkit.outputs.export`: GraphML, GEXF, node-link JSON, CSV and Neo4j import files;
- :mod:`~graphkit.outputs.report`: a Markdown or HTML report;
- :mod:`~graphkit.outputs.markup`: the small document model reports are written in;
- :mod:`~graphkit.outputs.tables`: rows → aligned table, JSON or CSV.
"""
