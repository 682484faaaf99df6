"""``prevdip init``, ``settings``, ``backup``, ``restore`` and ``db``: the workspace and its system of record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report

db_app = typer.Typer(help="The system of record's schema: where it stands and migrating it.", no_args_is_help=True)

FORCE_BACKUP = typer.Option(False, "--force", help="Replace FILE if it exists.")
FORCE_RESTORE = typer.Option(False, "--force", help="Replace a workspace or database that already holds data.")


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return ", ".join(f"{key} {_plain(item)}" for key, item in value.items()) or "none"
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value) or "none"
    return str(value)


def _pairs(title: str, *, footer: str | None = None) -> Callable[[Console, Mapping[str, Any]], None]:
    """A renderer printing a flat report as a two-column table."""

    def render(console: Console, data: Mapping[str, Any]) -> None:
        table = Table("", "", title=title, show_header=False)
        for key, value in data.items():
            table.add_row(key, _plain(value))
        console.print(table)
        if footer:
            console.print(footer)

    return render


def init(
    workspace: Path | None = typer.Option(None, "--workspace", "-w", help="Folder to make (default: the setting)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create the workspace (lake/, vintages/, briefs/) and migrate its database; safe to run again."""
    from prevdip.settings import get_settings
    from prevdip.store import init_workspace

    settings = get_settings()
    footer = None
    if workspace is not None and workspace.resolve() != settings.workspace.resolve():
        settings = settings.model_copy(update={"workspace": workspace})
        footer = f"to work in it: export PREVDIP_WORKSPACE={workspace.resolve()}"
    done = init_workspace(settings)
    report(done.as_dict(), as_json=as_json, render=_pairs("workspace ready", footer=footer))


def settings(as_json: bool = JSON_OPTION) -> None:
    """Show the effective settings, passwords and tokens masked."""
    from prevdip.settings import get_settings

    report(get_settings().masked(), as_json=as_json, render=_pairs("settings"))


def backup(
    file: Path = typer.Argument(..., help="The archive to write (.tar.gz)."),
    force: bool = FORCE_BACKUP,
    as_json: bool = JSON_OPTION,
) -> None:
    """Save the workspace and its database in one archive (lake byte for byte, database record for record)."""
    from prevdip.store.backup import backup_workspace

    report(backup_workspace(file, force=force).as_dict(), as_json=as_json, render=_pairs("backup written"))


def restore(
    file: Path = typer.Argument(..., help="An archive written by `prevdip backup`."),
    force: bool = FORCE_RESTORE,
    as_json: bool = JSON_OPTION,
) -> None:
    """Restore a backup into an empty workspace and database (or replace them with --force), all or nothing."""
    from prevdip.store.restore import restore_workspace

    report(restore_workspace(file, force=force).as_dict(), as_json=as_json, render=_pairs("workspace restored"))


@db_app.command("current")
def db_current(as_json: bool = JSON_OPTION) -> None:
    """Show the database's schema revision and this prevdip's head."""
    from prevdip.store.database import database_status

    report(database_status(), as_json=as_json, render=_pairs("database"))


@db_app.command("upgrade")
def db_upgrade(
    revision: str = typer.Argument("head", help="Revision to reach (default: head)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Migrate the database up to REVISION."""
    from prevdip.store.database import upgrade_database

    report(upgrade_database(revision), as_json=as_json, render=_pairs("database upgraded"))


@db_app.command("downgrade")
def db_downgrade(
    revision: str = typer.Argument("-1", help="Revision to reach: an id, -1 for one step back, base for none."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Migrate the database down to REVISION (drops what later migrations added)."""
    from prevdip.store.database import downgrade_database

    report(downgrade_database(revision), as_json=as_json, render=_pairs("database downgraded"))


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("settings")(settings)
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.add_typer(db_app, name="db")
