"""``prevdip fetch ucdp|acled|gdelt``: the only commands that touch the network, and only when run by hand.

Raw responses go to ``<workspace>/downloads/<source>/<timestamp>/`` with a manifest; then, unless ``--no-ingest``,
the files are ingested like any other (``prevdip runs`` lists the run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console

from prevdip.cli.output import JSON_OPTION, report
from prevdip.geo import HOME_REGION

fetch_app = typer.Typer(
    help="Download fresh data from the official sources (optional; needs a network and, for UCDP/ACLED, an account).",
    no_args_is_help=True,
)

COUNTRY = typer.Option(None, "--country", help="ISO3 code (repeat, or comma-separated); default: the region.")
REGION = typer.Option(None, "--region", help=f"A named region (default {HOME_REGION}).")
SINCE = typer.Option(None, "--since", help="First day, YYYY-MM-DD.")
UNTIL = typer.Option(None, "--until", help="Last day, YYYY-MM-DD (default: all the source has).")
INGEST = typer.Option(True, "--ingest/--no-ingest", help="Ingest the downloaded files (default) or only keep them.")


@contextmanager
def _spinner(source: str) -> Iterator[Callable[[str, int], None]]:
    """Files and megabytes so far on stderr, on a terminal only (a long UCDP fetch is dozens of pages)."""
    console = Console(stderr=True)
    status = console.status(f"{source}: asking…")
    totals = [0, 0]

    def advance(name: str, size: int) -> None:
        totals[0] += 1
        totals[1] += size
        status.update(f"{source}: {totals[0]} file(s), {totals[1] / 1e6:.1f} MB — {name}")

    if console.is_terminal:
        status.start()
    try:
        yield advance
    finally:
        status.stop()


def _scope(country: list[str], region: str, since: str, until: str) -> Any:
    """The checked scope of a fetch: refused (exit 2) before any request is sent."""
    from prevdip.events.fetch import scope

    return scope(country, region, since, until)


def _fetch(source: str, call: Callable[[Callable[..., None]], Mapping[str, Any]], as_json: bool) -> None:
    """Run one fetch with its progress on stderr and print what it got."""
    with _spinner(source) as progress:
        data = call(progress)
    report(data, as_json=as_json, render=_render)


def _render(console: Console, d: Mapping[str, Any]) -> None:
    what = " ".join(str(d[k]) for k in ("dataset", "version") if d.get(k))
    got = "" if d["records"] is None else f"{d['records']:,} records in "
    console.print(f"[bold]{d['source']}[/] {what}: {got}{d['requests']} request(s) → {d['folder']}")
    for url in d.get("missing", []):
        console.print(f"missing at the source (404): {url}")
    run = d["ingest"]
    if run is None:
        console.print("not ingested (nothing to ingest, or --no-ingest)")
    else:
        reasons = ", ".join(f"{k} {v}" for k, v in run["reasons"].items()) or "none"
        console.print(
            f"ingested as {run['source']}: {run['rows']:,} rows — {run['accepted']:,} accepted, "
            f"{run['duplicates']:,} duplicates, {run['quarantined']:,} quarantined (reasons: {reasons}); "
            f"run {run['run_id']}"
        )
    if d.get("deletions"):
        _render(console, d["deletions"])


@fetch_app.command("ucdp")
def ucdp(
    dataset: str = typer.Option("gedevents", "--dataset", help="gedevents (final GED, yearly) or candidate (monthly)."),
    version: str = typer.Option(
        None, "--version", help="Release: 25.1 (GED), 25.0.9 or 24.01.24.09 (Candidate); default: the newest expected."
    ),
    country: list[str] = COUNTRY,
    region: str = REGION,
    since: str = SINCE,
    until: str = UNTIL,
    ingest: bool = INGEST,
    as_json: bool = JSON_OPTION,
) -> None:
    """Fetch UCDP GED or Candidate events from the UCDP API (token: PREVDIP_UCDP_TOKEN)."""
    from prevdip.events.fetch import fetch_ucdp

    chosen = _scope(country, region, since, until)
    _fetch("UCDP", lambda p: fetch_ucdp(chosen, dataset=dataset, version=version, ingest=ingest, progress=p), as_json)


@fetch_app.command("acled")
def acled(
    country: list[str] = COUNTRY,
    region: str = REGION,
    since: str = SINCE,
    until: str = UNTIL,
    ingest: bool = INGEST,
    as_json: bool = JSON_OPTION,
) -> None:
    """Fetch ACLED events (account: PREVDIP_ACLED_EMAIL with PREVDIP_ACLED_PASSWORD or PREVDIP_ACLED_KEY)."""
    from prevdip.events.fetch import fetch_acled

    chosen = _scope(country, region, since, until)
    _fetch("ACLED", lambda p: fetch_acled(chosen, ingest=ingest, progress=p), as_json)


@fetch_app.command("gdelt")
def gdelt(
    last: int = typer.Option(1, "--last", help="How many 15-minute event exports, ending with the newest (max 672)."),
    region: str = typer.Option(HOME_REGION, "--region", help="Keep this region's events on ingest."),
    ingest: bool = INGEST,
    as_json: bool = JSON_OPTION,
) -> None:
    """Fetch the newest GDELT 2.0 event exports (no account needed); the zips are kept whole."""
    from prevdip.events.fetch import fetch_gdelt

    _fetch("GDELT", lambda p: fetch_gdelt(last=last, region=region, ingest=ingest, progress=p), as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(fetch_app, name="fetch")
