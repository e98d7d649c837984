"""``govwatch subscribe`` / ``subscriptions`` / ``unsubscribe``: personal alerts."""

from __future__ import annotations

from typing import Annotated

import typer

from govwatch.cli import Options, emit_json, fail
from govwatch.commands.users import actor


def subscribe(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="Whose subscription.")],
    notify: Annotated[
        list[str], typer.Option("--notify", help="Apprise URL of the user's own (repeatable).")
    ],
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only this source (repeatable).")
    ] = None,
    keyword: Annotated[
        list[str] | None,
        typer.Option("--keyword", help="Any of these words, in either script (repeatable)."),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="new, changed, removed or restored (repeatable)."),
    ] = None,
    issuer: Annotated[
        list[str] | None,
        typer.Option("--issuer", help="Issuing body, or part of its name (repeatable)."),
    ] = None,
    number: Annotated[
        list[str] | None,
        typer.Option("--number", help="文号, in any printed form, or a prefix (repeatable)."),
    ] = None,
    min_significance: Annotated[float, typer.Option("--min-significance", min=0.0, max=1.0)] = 0.0,
    digest: Annotated[
        str | None,
        typer.Option("--digest", help="One message a day at HH:MM in the user's time zone."),
    ] = None,
) -> None:
    """Alert a user about the change events that match all the filters given."""
    from storage.accounts import AccountError, UnknownUser, audit
    from storage.subscriptions import add_subscription

    options: Options = ctx.obj
    config = options.config()
    known = {s.name for s in config.sources}
    for name in source or []:
        if name not in known:
            fail(f"--source {name!r}: no such source in {config.path}", status=2)
    db = options.database(config)
    try:
        with db.transaction() as session:
            subscription = add_subscription(
                session,
                user,
                notify=notify,
                sources=source or [],
                kinds=kind or [],
                keywords=keyword or [],
                issuers=issuer or [],
                numbers=number or [],
                min_significance=min_significance,
                digest_at=digest,
            )
            audit(
                session,
                actor(),
                "cli",
                "subscribe",
                user,
                {"id": subscription.id, "keywords": subscription.keywords, "digest": digest},
            )
            number = subscription.id
    except (AccountError, UnknownUser) as exc:
        fail(str(exc), status=2)
    typer.echo(f"subscription #{number} for {user}")


def subscriptions(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Every user's subscriptions (destinations shown redacted)."""
    from storage.subscriptions import list_subscriptions, subscription_record

    options: Options = ctx.obj
    with options.database().reader() as session:
        rows = [subscription_record(s) for s in list_subscriptions(session)]
    if as_json:
        emit_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("#", "user", "sources", "kinds", "keywords", "min sig.", "notify", "delivery")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["user"],
            ", ".join(row["sources"]) or "all",
            ", ".join(row["kinds"]) or "all",
            ", ".join(row["keywords"]) or "—",
            f"{row['min_significance']:.2f}",
            ", ".join(row["notify"]),
            f"daily {row['digest']} {row['time_zone']}" if row["digest"] else "at once",
        )
    Console().print(table)


def unsubscribe(ctx: typer.Context, subscription_id: Annotated[int, typer.Argument()]) -> None:
    """Remove a subscription by its number."""
    from storage.accounts import audit
    from storage.subscriptions import remove_subscription

    options: Options = ctx.obj
    with options.database().transaction() as session:
        if remove_subscription(session, subscription_id) is None:
            fail(f"no subscription #{subscription_id}")
        audit(session, actor(), "cli", "unsubscribe", f"#{subscription_id}")
    typer.echo(f"removed subscription #{subscription_id}")


def register(app: typer.Typer) -> None:
    app.command("subscribe")(subscribe)
    app.command("subscriptions")(subscriptions)
    app.command("unsubscribe")(unsubscribe)
