"""The `gate` command line: a click group, one module per command."""

from __future__ import annotations

import sys
from typing import Any

import click

from gate import __version__
from gate.cli.list_cmd import list_command
from gate.cli.run_cmd import run_command
from gate.cli.validate_cmd import validate_command
from gate.status import ExitCode


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gate")
def cli() -> None:
    """A release gate whose every check comes from a postmortem action item.

    Exit codes: 0 every blocking check passed; 1 blocked by a failed check;
    2 the gate's own input is wrong; 3 a blocking check could not be judged.
    """


cli.add_command(run_command)
cli.add_command(validate_command)
cli.add_command(list_command)


def main(argv: list[str] | None = None) -> Any:
    """The console script: expected errors become a sentence and an exit code, never a traceback."""
    from gate.errors import GateError

    try:
        code = cli.main(args=argv, prog_name="gate", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("gate: interrupted; nothing was written", err=True)
        sys.exit(ExitCode.UNJUDGED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.INPUT_ERROR)
    except GateError as exc:
        click.echo(f"gate: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("gate: interrupted; nothing was written", err=True)
        sys.exit(ExitCode.UNJUDGED)
    sys.exit(int(code or 0))
