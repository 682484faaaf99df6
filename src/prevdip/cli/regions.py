"""``prevdip regions``: the named regions, their countries with every code, and their border dyads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report
from prevdip.geo import REGIONS

regions_app = typer.Typer(help="Named regions, their countries' codes and border dyads.", no_args_is_help=True)


@regions_app.command("list")
def list_regions(as_json: bool = JSON_OPTION) -> None:
    """List the named regions."""
    data = {
        "regions": [
            {"region": r.name, "description": r.description, "countries": list(r.iso3s)} for r in REGIONS.values()
        ]
    }

    def render(console: Console, d: Mapping[str, Any]) -> None:
        table = Table("region", "countries", "description")
        for r in d["regions"]:
            table.add_row(r["region"], " ".join(r["countries"]), r["description"])
        console.print(table)

    report(data, as_json=as_json, render=render)


@regions_app.command("show")
def show(
    name: str = typer.Argument(..., help=" or ".join(", ".join(REGIONS).rsplit(", ", 1))),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a region's countries with their codes in every source, and its border dyads."""
    from prevdip.geo import region

    def render(console: Console, d: Mapping[str, Any]) -> None:
        table = Table("ISO3", "ISO2", "ISO num", "GW", "FIPS", "CAMEO", "name", title=d["region"])
        for c in d["countries"]:
            table.add_row(c["iso3"], c["iso2"], str(c["isonum"]), str(c["gw"]), c["fips"], c["cameo"], c["name"])
        console.print(table)
        console.print("border dyads: " + ", ".join("-".join(p) for p in d["dyads"]))

    report(region(name).as_dict(), as_json=as_json, render=render)


def register(app: typer.Typer) -> None:
    app.add_typer(regions_app, name="regions")
