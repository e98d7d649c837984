"""The command line's error boundary: every failure is one line, with a fitting exit status.

``govwatch: <what> (<where>)`` on stderr; exit status 2 for usage and configuration errors
(a wrong option, field, file or database URL), 1 for failures at run time (a database that
is down or read-only, a file that cannot be written). ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import typer

USAGE = 2
RUNTIME = 1


def one_line(message: str, where: str = "") -> str:
    text = "; ".join(part.strip() for part in message.splitlines() if part.strip())
    return f"govwatch: {text}" + (f" ({where})" if where else "")


def describe(exc: BaseException) -> tuple[str, int]:
    """The line to print for an exception, and the exit status."""
    from config import ConfigError
    from storage.db import DatabaseError, DatabaseUnavailable, database_error

    if isinstance(exc, ConfigError):
        return one_line("; ".join(exc.problems), exc.where), USAGE
    if isinstance(exc, DatabaseError):
        status = RUNTIME if isinstance(exc, DatabaseUnavailable) else USAGE
        return one_line(exc.message, exc.where), status
    if isinstance(exc, typer.TyperException):  # Click's usage errors, as Typer ships them
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "govwatch"
        return one_line(exc.format_message(), where), getattr(exc, "exit_code", USAGE)
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, SQLAlchemyError):
        error = database_error(exc, "")
        status = RUNTIME if isinstance(error, DatabaseUnavailable) else USAGE
        return one_line(error.message, "database"), status
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else ""
        return one_line(exc.strerror or str(exc), str(where)), RUNTIME
    problem = f"unexpected {type(exc).__name__}: {exc}"
    return one_line(problem, "run with --debug to see where"), RUNTIME


def main(argv: Sequence[str] | None = None) -> None:
    """The ``govwatch`` program: the Typer app inside the boundary."""
    from govwatch.cli import app

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        status = app(args=args, prog_name="govwatch", standalone_mode=False)
    except typer.Abort:
        status = 130
    except Exception as exc:  # noqa: BLE001 - the boundary: everything becomes one line
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(exc.format_message())  # type: ignore[attr-defined] - the help text
            sys.exit(USAGE)
        if debug:
            traceback.print_exc()
        line, status = describe(exc)
        typer.echo(line, err=True)
    sys.exit(status if isinstance(status, int) else 0)
