"""``prevdip runs`` and ``prevdip quarantine``: what each ingest read, and the rows it set aside with their reasons.

A quarantined row is never dropped silently: these commands are how an analyst finds it again (file, line, raw
text, reason) to correct the source or report it to its publisher.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report


def runs(
    source: str | None = typer.Option(None, "--source", help="Only the runs of this source (e.g. gdelt)."),
    limit: int = typer.Option(20, "--limit", min=1, help="How many runs, newest first."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List ingest runs, newest first: source, counts, quarantine reasons and status."""
    from prevdip.store import open_store, require_workspace

    require_workspace()
    with open_store() as store:
        found = [run.as_dict() for run in store.ingest_runs.recent(source=source, limit=limit)]

    def render(console: Console, d: Mapping[str, Any]) -> None:
        table = Table("run", "source", "started", "rows", "accepted", "duplicates", "quarantined", "status")
        for r in d["runs"]:
            counts = [str(r[k]) for k in ("rows", "accepted", "duplicates", "quarantined")]
            table.add_row(r["id"][:12], r["source"], r["started"][:19], *counts, r["status"])
        console.print(table)

    report({"count": len(found), "runs": found}, as_json=as_json, render=render)


def quarantine(
    run_id: str = typer.Argument(..., help="The run's id (or the first characters `prevdip runs` shows)."),
    limit: int = typer.Option(50, "--limit", min=1, help="How many rows."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many rows first."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show the rows a run quarantined: file, line, raw text and the reason."""
    from prevdip.errors import NotFound
    from prevdip.store import open_store, require_workspace

    require_workspace()
    with open_store() as store:
        matches = [r.id for r in store.ingest_runs.recent() if r.id.startswith(run_id)]
        if len(matches) != 1:
            what = "no ingest run" if not matches else f"{len(matches)} ingest runs"
            raise NotFound(f"{what} with an id starting {run_id!r}", hint="list them with `prevdip runs`")
        rows = [row.as_dict() for row in store.quarantine.of_run(matches[0], limit=limit, offset=offset)]
        total = store.quarantine.count(matches[0])

    def render(console: Console, d: Mapping[str, Any]) -> None:
        table = Table("file", "line", "reason", "raw", title=f"run {d['run_id']}: {d['total']} quarantined")
        for r in d["rows"]:
            table.add_row(
                r["file"].rsplit("/", 1)[-1], str(r["row_number"]), escape(r["reason"]), escape(r["raw"][:80])
            )
        console.print(table)

    report({"run_id": matches[0], "total": total, "rows": rows}, as_json=as_json, render=render)


def register(app: typer.Typer) -> None:
    app.command("runs")(runs)
    app.command("quarantine")(quarantine)
