"""``prevdip demo``: the main job — the monthly cycle on the reference bundle, then the dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, errors, report


def render_cycle(console: Console, data: Mapping[str, Any]) -> None:
    summary = data["summary"]
    table = Table("country", "stage", "trend", "instrument", title=f"Situation in {summary.get('month', '?')}")
    for iso3, row in summary.get("countries", {}).items():
        table.add_row(iso3, row["stage"], row["trend"], row["instrument"])
    console.print(table)
    warnings = summary.get("open_warnings", [])
    console.print(f"open warnings: {len(warnings)}")
    for w in warnings:
        line = f"  [{w['level']}] {w['unit']}: {w['stage']}, {w['trend']} — {'; '.join(w['reasons'])}"
        console.print(escape(line))
    for title in summary.get("agenda_blocks", []):
        console.print(f"  agenda block: {title}")
    for step in data["steps"]:
        for brief in step.get("briefs", []):
            what = f"{brief['format']}, {brief.get('lang', 'en')}"
            console.print(f"brief ({what}): {brief['path']}" + (" (reused)" if brief["reused"] else ""))


DEMO_ACCOUNT = "demo"


def _demo_account() -> str:
    """Create the demo officer (or give it a new password on a later run); the password is returned to be printed
    once, and is nowhere on disk in clear."""
    import secrets

    from prevdip.accounts import add_user, open_accounts, reset_password
    from prevdip.accounts.directory import find_user
    from prevdip.errors import NotFound

    password = secrets.token_urlsafe(12)
    with open_accounts() as accounts:
        try:
            find_user(accounts, DEMO_ACCOUNT)
        except NotFound:
            add_user(accounts, DEMO_ACCOUNT, "officer", password=password)
        else:
            from prevdip.accounts import set_role

            set_role(accounts, DEMO_ACCOUNT, "officer")
            reset_password(accounts, DEMO_ACCOUNT, password)
    return password


def demo(
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the dashboard after the cycle."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address of the dashboard."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port of the dashboard."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The main job: the monthly cycle on the reference bundle, a situation summary, then the dashboard.

    Before serving, the officer account ``demo`` is created (or given a new password) and its password printed once;
    the dashboard then shows the public board to visitors and the rest after sign-in. ``--no-serve`` stops after
    the summary.
    """
    from prevdip.cycle import run_cycle

    def announce(title: str) -> Any:
        errors.print(f"• {title}")
        return errors.status(title + " …")

    result = run_cycle(announce=announce)
    report(result.as_dict(), as_json=as_json, render=render_cycle)
    if serve:
        import os

        from prevdip.cli.web import serve as serve_dashboard
        from prevdip.settings import get_settings

        password = _demo_account()
        errors.print(f"• sign in as [bold]{DEMO_ACCOUNT}[/] (officer) with the password [bold]{password}[/]")
        errors.print("  (shown this once; `prevdip users reset-password demo` sets another)")
        os.environ["PREVDIP_PUBLIC_ACCESS"] = "public"  # the demo shows the public board to visitors too
        get_settings.cache_clear()
        serve_dashboard(host=host, port=port, workers=1)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
