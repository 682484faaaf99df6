"""``prevdip ingest SOURCE FILE...`` and ``prevdip ingest bundle``: load real event data into the lake."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from prevdip.cli.output import JSON_OPTION, report

SOURCES_HELP = (
    "ucdp-ged, ucdp-acd, ucdp-brd, ucdp-cm, acled, acled-deleted, gdelt, tfdd-bar, field, auto — or 'bundle'; "
    "'kobo' reads KoboToolbox/ODK Central exports of the field report form into the verification queue"
)


class RowsProgress:
    """A rows/s progress bar on stderr, shown only once an ingest has taken more than a second."""

    def __init__(self) -> None:
        self._started = time.monotonic()
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._rows: dict[str, int] = {}

    def for_source(self, source: str) -> Any:
        def advance(rows: int) -> None:
            self._rows[source] = self._rows.get(source, 0) + rows
            elapsed = time.monotonic() - self._started
            if self._progress is None and elapsed > 1:
                self._progress = Progress(
                    SpinnerColumn(),
                    TextColumn("{task.description}"),
                    TextColumn("{task.completed:>12,.0f} rows"),
                    TextColumn("{task.fields[rate]:>10,.0f} rows/s"),
                    TimeElapsedColumn(),
                    console=Console(stderr=True),
                    transient=True,
                )
                self._progress.start()
            if self._progress is not None:
                if source not in self._tasks:
                    self._tasks[source] = self._progress.add_task(source, total=None, rate=0.0)
                rate = self._rows[source] / max(elapsed, 1e-9)
                self._progress.update(self._tasks[source], completed=self._rows[source], rate=rate)

        return advance

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _render_run(console: Console, d: Mapping[str, Any]) -> None:
    reasons = ", ".join(f"{k} {v}" for k, v in d["reasons"].items()) or "none"
    console.print(
        f"[bold]{d['source']}[/]: {d['rows']:,} rows — {d['accepted']:,} accepted, {d['duplicates']:,} duplicates, "
        f"{d['quarantined']:,} quarantined (reasons: {reasons}); run {d['run_id']}"
    )
    if d.get("retracted"):
        console.print(f"{d['retracted']:,} events of older releases retracted (not in this complete release)")
    for warning in d.get("warnings", []):
        console.print(f"[bold yellow]warning[/]: {warning}")


def _render_bundle(console: Console, d: Mapping[str, Any]) -> None:
    for run in d["runs"]:
        _render_run(console, run)
    console.print(
        f"bundle: {d['rows']:,} rows — {d['accepted']:,} accepted, {d['duplicates']:,} duplicates, "
        f"{d['quarantined']:,} quarantined"
    )


def _collected(files: list[Path]) -> dict[str, Any]:
    """KoboToolbox / ODK Central exports into the queue of submitted reports (not the lake: an officer verifies
    them first). The command line acts as the workspace's owner."""
    from prevdip.errors import RefusedInput
    from prevdip.fieldwork.collected import import_export
    from prevdip.response.ledger import default_who
    from prevdip.settings import get_settings
    from prevdip.store import open_store, require_workspace

    if len(files) != 1:
        raise RefusedInput("'ingest kobo' takes one export file", hint="ingest each export on its own")
    settings = get_settings()
    workspace = require_workspace(settings.workspace)
    with open_store() as store:
        done = import_export(
            store, files[0], who=default_who(), workspace=workspace, attachment_limit=settings.max_attachment_bytes
        )
    return done.as_dict() | {"files": [str(files[0])]}


def ingest_command(
    source: str = typer.Argument(..., help=SOURCES_HELP),
    files: list[Path] = typer.Argument(None, help="Files to ingest (none for 'bundle')."),
    region: str = typer.Option(None, "--region", help="Keep only events of a region, e.g. central-asia."),
    retract_missing: bool = typer.Option(
        False,
        "--retract-missing",
        help="The files are a complete UCDP GED release: retract older events it no longer holds.",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Ingest files of one source into the event lake; bad rows are quarantined with a reason."""
    from prevdip.errors import RefusedInput

    progress = RowsProgress()
    try:
        if source == "bundle":
            if files:
                raise RefusedInput("'ingest bundle' takes no files", hint="it reads the reference bundle")
            from prevdip.events.bundle import ingest_bundle

            data = ingest_bundle(progress=progress.for_source)
            progress.stop()
            report(data, as_json=as_json, render=_render_bundle)
            return
        if source == "kobo":
            report(_collected(files or []), as_json=as_json, render=_render_run)
            return
        from prevdip.events.ingestion import ingest

        run = ingest(
            source, files or [], region=region, progress=progress.for_source(source), retract_missing=retract_missing
        )
    finally:
        progress.stop()
    report(run.as_dict(), as_json=as_json, render=_render_run)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
