"""``prevdip audit``: the audit log — sign-ins, account changes, token use, reads of centre-internal material,
exports, and every change to the response ledger."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, printable, report
from prevdip.errors import RefusedInput


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RefusedInput(f"--since: {text!r} is not a date", hint="write YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _render(console: Console, data: Mapping[str, Any]) -> None:
    table = Table("when", "who", "what", "after", title=f"{data['count']} audit entries")
    for entry in data["entries"]:
        cells = (entry["who"], entry["what"], str(entry["after"] or ""))
        table.add_row(entry["when"], *(escape(printable(cell)) for cell in cells))
    console.print(table)


def audit(
    since: str | None = typer.Option(None, "--since", help="Only entries from this day (YYYY-MM-DD) on."),
    user: str | None = typer.Option(None, "--user", help="Only entries by this person."),
    limit: int = typer.Option(200, "--limit", min=1, help="At most this many, newest first."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show the audit log, newest first."""
    from prevdip.store import open_store

    with open_store() as store:
        found = [e.as_dict() for e in store.audit.recent(since=_since(since), who=user, limit=limit)]
    report({"count": len(found), "entries": found}, as_json=as_json, render=_render)


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)
