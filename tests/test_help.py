"""Every command's help keeps its examples one per line (click's ``\\b`` blocks)."""

import click
import pytest
from click.testing import CliRunner

from graphkit.cli import cli


def _commands(group, prefix=()):
    yield prefix, group
    if isinstance(group, click.Group):
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            yield from _commands(group.get_command(ctx, name), (*prefix, name))


def _examples(command) -> list[str]:
    """The lines of the docstring's Example section, as written."""
    _, found, rest = (command.help or "").partition("Example:")
    return (
        [line.strip() for line in rest.splitlines() if line.strip() not in ("", "\b")]
        if found
        else []
    )


COMMANDS = [(path, command) for path, command in _commands(cli) if _examples(command)]


def test_most_commands_have_examples():
    assert len(COMMANDS) >= 15


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_help_examples_keep_their_line_breaks(path, command):
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    for example in _examples(command):
        assert example in lines, f"{' '.join(path)} --help re-wrapped {example!r}"
