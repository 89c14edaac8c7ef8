"""The one exception family graphkit raises for problems a user can fix.

The CLI turns any :class:`GraphkitError` into a one-line ``Error: ...`` and
exit status 1; anything else escaping the library is a bug.
"""


class GraphkitError(Exception):
    """Base of every error graphkit raises on purpose."""


class SourceError(GraphkitError):
    """A path given as input is missing, empty or holds no readable article."""


class ModelError(GraphkitError):
    """The spaCy pipeline asked for is not installed or cannot run NER."""


class StoreError(GraphkitError):
    """The store file is not a graphkit store, is newer than this version, or is damaged."""


class UnknownEntityError(GraphkitError):
    """A name given by the user matches no entity; the message suggests near names."""

    def __init__(
        self, name: str, suggestions: list[str] | tuple[str, ...] = (), *, outside: str = ""
    ):
        self.name = name
        self.suggestions = list(suggestions)
        self.outside = outside
        if outside:  # the entity exists, but a filter or an exclusion hides it
            super().__init__(f"no entity named {name!r} in the graph as filtered: {outside}")
            return
        hint = (
            "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
            if self.suggestions
            else "; run 'graphkit entities' to list entity names"
        )
        super().__init__(f"no entity named {name!r}{hint}")


class AmbiguousEntityError(GraphkitError):
    """A name given by the user fits several entities equally well; the message lists them.

    ``candidates`` holds ``(key, name, type, mentions)`` for each entity the
    name may mean, most mentioned first, so a caller can ask the user to pick
    one by its full name or key.
    """

    def __init__(self, name: str, candidates):
        self.name = name
        self.candidates = list(candidates)
        listed = "; ".join(
            f"{display} ({type_ or 'no type'}, {mentions} mentions, key {key})"
            for key, display, type_, mentions in self.candidates
        )
        super().__init__(
            f"{name!r} may mean {len(self.candidates)} entities: {listed};"
            " name one by its full name or its key"
        )


class NotConnectedError(GraphkitError):
    """Two entities have no chain of co-mentions between them (in the graph as filtered)."""


class OverrideError(GraphkitError):
    """A user decision or aliases file is malformed: unknown action, wrong number of names."""
