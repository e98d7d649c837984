"""``govwatch users ...``: accounts and roles, passwords and personal API tokens.

Whoever runs these commands on the server is trusted like an admin; every change is
written to the audit log as ``cli:<login name>``.
"""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from govwatch.cli import Options, emit_json, fail

users_app = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)


def actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except OSError:  # no login name (a container without /etc/passwd entry)
        return "cli"


def _read_password(from_stdin: bool, name: str) -> str | None:
    if not from_stdin:
        return None
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        fail(f"--password-stdin: no password given for {name}", status=2)
    return password


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="admin, editor or viewer.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read a password from the first line.")
    ] = False,
    time_zone: Annotated[
        str, typer.Option("--time-zone", help="IANA zone for digest times.")
    ] = "UTC",
) -> None:
    """Add a user (with a password for the web app, or tokens only)."""
    from storage.accounts import AccountError, add_user, audit

    password = _read_password(password_stdin, name)
    db = _database(ctx)
    try:
        with db.transaction() as session:
            add_user(session, name, role, password=password, time_zone=time_zone)
            audit(session, actor(), "cli", "add-user", name, {"role": role})
    except AccountError as exc:
        fail(str(exc), status=2)
    typer.echo(f"added {name} ({role})")


@users_app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """The users, their roles and their tokens (never the tokens themselves)."""
    from storage.accounts import list_users, token_record, tokens_of, user_record

    with _database(ctx).reader() as session:
        users = [
            {
                **user_record(user),
                "tokens": [
                    token_record(t) for t in tokens_of(session, user.name) if not t.revoked_at
                ],
            }
            for user in list_users(session)
        ]
    if as_json:
        emit_json(users)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("name", "role", "time zone", "password", "tokens")
    for user in users:
        tokens = ", ".join(f"{t['id']}:{t['hint']}" for t in user["tokens"])
        table.add_row(
            user["name"],
            user["role"],
            user["time_zone"],
            "yes" if user["has_password"] else "no",
            tokens or "—",
        )
    Console().print(table)


@users_app.command("remove")
def remove(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Remove a user with their tokens, sessions and subscriptions."""
    from storage.accounts import UnknownUser, audit, remove_user

    try:
        with _database(ctx).transaction() as session:
            remove_user(session, name)
            audit(session, actor(), "cli", "remove-user", name)
    except UnknownUser as exc:
        fail(str(exc))
    typer.echo(f"removed {name}")


@users_app.command("token")
def token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
) -> None:
    """Print a new personal API token (shown this once; only its hash is stored)."""
    from storage.accounts import UnknownUser, audit, issue_token

    try:
        with _database(ctx).transaction() as session:
            row, secret = issue_token(session, name, label)
            audit(session, actor(), "cli", "issue-token", f"{name}#{row.id}")
    except UnknownUser as exc:
        fail(str(exc))
    typer.echo(secret)


@users_app.command("revoke")
def revoke(ctx: typer.Context, token_id: Annotated[int, typer.Argument()]) -> None:
    """Revoke a token by its number (see `govwatch users list`)."""
    from storage.accounts import UnknownUser, audit, revoke_token

    try:
        with _database(ctx).transaction() as session:
            row = revoke_token(session, token_id)
            audit(session, actor(), "cli", "revoke-token", f"{row.user.name}#{token_id}")
    except UnknownUser as exc:
        fail(str(exc))
    typer.echo(f"revoked token {token_id}")


@users_app.command("password")
def password(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line.")
    ] = False,
) -> None:
    """Set a user's password; every web login of that user ends."""
    from storage.accounts import AccountError, UnknownUser, audit, set_password

    secret = _read_password(password_stdin, name) or getpass.getpass(f"password for {name}: ")
    try:
        with _database(ctx).transaction() as session:
            set_password(session, name, secret)
            audit(session, actor(), "cli", "password", name)
    except (AccountError, UnknownUser) as exc:
        fail(str(exc), status=2)
    typer.echo(f"password of {name} set; their web logins ended")


@users_app.command("role")
def role(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="admin, editor or viewer.")],
) -> None:
    """Change a user's role."""
    from storage.accounts import AccountError, UnknownUser, audit, set_role

    try:
        with _database(ctx).transaction() as session:
            set_role(session, name, new_role)
            audit(session, actor(), "cli", "role", name, {"role": new_role})
    except (AccountError, UnknownUser) as exc:
        fail(str(exc), status=2)
    typer.echo(f"{name} is now {new_role}")


@users_app.command("audit")
def audit_(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """The audit log: who wrote what, when (newest first)."""
    from storage.accounts import audit_log

    with _database(ctx).reader() as session:
        entries = audit_log(session, limit=limit)
    if as_json:
        emit_json(entries)
        return
    for e in entries:
        typer.echo(f"{e['at']}  {e['actor']:<20} {e['via']:<4} {e['action']:<14} {e['target']}")


def _database(ctx: typer.Context):  # noqa: ANN202 - storage.db.Database, imported lazily
    options: Options = ctx.obj
    return options.database()


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
