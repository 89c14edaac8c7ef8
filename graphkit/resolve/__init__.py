"""Mentions → entities: which surface forms name the same person or organisation.

Pure functions over :class:`~graphkit.models.Mention` records: no spaCy, no
store. The modules, in the order a mention meets them:

- :mod:`~graphkit.resolve.names`: surface forms → comparison keys, and the noise test;
- :mod:`~graphkit.resolve.acronyms`: acronyms introduced in an article, and span repair;
- :mod:`~graphkit.resolve.linking`: the rules that join short names to full ones;
- :mod:`~graphkit.resolve.overrides`: the user's decisions (merge, rename, drop) and aliases files;
- :mod:`~graphkit.resolve.resolver`: puts them together into entities;
- :mod:`~graphkit.resolve.kept`: the rules' result as text a store keeps, for user decisions.
"""

from graphkit.resolve.acronyms import find_abbreviations, repair_mentions
from graphkit.resolve.overrides import (
    Override,
    overrides_from_rows,
    read_aliases_file,
    write_aliases_file,
)
from graphkit.resolve.resolver import (
    Explanation,
    Resolution,
    RuleGroups,
    apply_decisions,
    entity_key,
    resolve_entities,
    rule_groups,
)

__all__ = [
    "Explanation",
    "Override",
    "Resolution",
    "RuleGroups",
    "apply_decisions",
    "entity_key",
    "find_abbreviations",
    "overrides_from_rows",
    "read_aliases_file",
    "repair_mentions",
    "resolve_entities",
    "rule_groups",
    "write_aliases_file",
]
