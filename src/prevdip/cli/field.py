"""``prevdip field``: the field report form for the tools monitors use offline, and the verified reports' way into
the lake.

``prevdip ingest kobo FILE`` (in ``cli/ingest.py``) reads those tools' exports into the queue; the web verifies.
"""

from __future__ import annotations

from pathlib import Path

import typer

from prevdip.cli.output import JSON_OPTION, report

field_app = typer.Typer(help="Field reports: the XLSForm for KoboToolbox and ODK Collect; publishing verified reports.")
field_app.info.no_args_is_help = True


@field_app.command("xlsform")
def xlsform(
    out: Path = typer.Argument(Path("docs/field-report.xlsx"), help="Where to write the XLSForm workbook."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the field report form as an XLSForm (survey, choices, settings), from the web form's own questions."""
    from prevdip.fieldwork.xlsform import settings, write_xlsform

    written = write_xlsform(out)
    data = {"file": str(written), **settings()}
    report(data, as_json=as_json, render=lambda console, d: console.print(f"{d['file']}: form {d['version']}"))


@field_app.command("publish")
def publish(as_json: bool = JSON_OPTION) -> None:
    """Put verified reports the lake has not taken yet into it (a verification that found another ingest running
    leaves them for the next one, or for this command)."""
    from prevdip.fieldwork import publish_verified
    from prevdip.settings import get_settings
    from prevdip.store import open_store, require_workspace

    workspace = require_workspace(get_settings().workspace)
    with open_store() as store:
        run = publish_verified(store, workspace)
    data = {"run_id": run}
    report(data, as_json=as_json, render=lambda console, d: console.print(f"published: run {d['run_id'] or 'none'}"))


def register(app: typer.Typer) -> None:
    app.add_typer(field_app, name="field")
