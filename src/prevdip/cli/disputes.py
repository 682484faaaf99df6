"""``prevdip disputes``: the register mediators work from — each dispute's phase on Zartman's line, its dated record
with evidence and sources, and the transitions the signals propose.

Thin: each command parses its options, calls :mod:`prevdip.disputes` in one unit of work (written together with its
audit entries, or not at all) and prints what it gets back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report

disputes_app = typer.Typer(
    help="The dispute register: phases (latent, escalating, violent, managed, resolved), evidence, proposals.",
    no_args_is_help=True,
)

WHO = typer.Option(None, "--who", help="Who records this (default: the account running prevdip).")
DATE = typer.Option(..., "--date", help="When it happened: YYYY-MM-DD, or YYYY-MM where only the month is known.")
EVIDENCE = typer.Option(
    [],
    "--evidence",
    help="event:UID, meeting:ID, commitment:ID, action:ID or agreement:TITLE (repeat for several).",
)
SOURCES = typer.Option([], "--source", help="Where it was reported: a URL or a citation (repeat for several).")
NOTE = typer.Option(None, "--note", help="What happened, in a sentence.")
UNCONFIRMED = typer.Option(None, "--unconfirmed", help="Mark the date unconfirmed, saying why (e.g. one source only).")


def _in_register(who: str | None, work: Callable[[Any], Mapping[str, Any]]) -> Mapping[str, Any]:
    """Run ``work(register)`` in one unit of work and return its JSON-ready answer."""
    from prevdip.disputes import open_register

    with open_register(who) as register:
        return work(register)


def _render_list(console: Console, d: Mapping[str, Any]) -> None:
    table = Table("id", "phase", "since", "parties", "name", title=f"{d['count']} disputes")
    for row in d["disputes"]:
        table.add_row(row["id"], row["phase"], row["since"], ", ".join(row["parties"]), escape(row["name"]))
    console.print(table)


def _render_dispute(console: Console, d: Mapping[str, Any]) -> None:
    row = d["dispute"]
    console.print(f"[bold]{escape(row['name'])}[/bold] ({row['id']}) — {row['phase']} since {row['since']}")
    console.print(escape(row["summary"]))
    history = Table("date", "phase", "evidence", "sources", "who", title="history")
    for entry in row["history"]:
        history.add_row(entry["date"], entry["phase"], _evidence(entry), str(len(entry["sources"])), entry["who"])
    console.print(history)
    if row["milestones"]:
        milestones = Table("date", "what", "sources", title="milestones")
        for entry in row["milestones"]:
            milestones.add_row(entry["date"], escape(entry["what"]), str(len(entry["sources"])))
        console.print(milestones)
    if row.get("watch"):
        console.print(f"[italic]watch: {escape(row['watch'])}[/italic]")
    models = [*row.get("gmcr_cases", []), *row.get("basin_scenarios", [])]
    console.print(f"linked models: {escape(', '.join(models) or 'none')}")


def _evidence(entry: Mapping[str, Any]) -> str:
    counts = {kind: len(entry[kind]) for kind in ("agreements", "figures", "events", "meetings", "commitments")}
    return ", ".join(f"{kind}: {n}" for kind, n in counts.items() if n) or "—"


@disputes_app.command("list")
def list_command(
    phase: str | None = typer.Option(None, "--phase", help="Only the disputes now in this phase."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The register: every dispute with its phase, since when, and its history."""
    from prevdip.disputes import list_disputes

    def work(register: Any) -> dict[str, Any]:
        found = [d.as_dict() for d in list_disputes(register, phase=phase)]
        return {"count": len(found), "disputes": found}

    report(_in_register(None, work), as_json=as_json, render=_render_list)


@disputes_app.command("show")
def show(
    dispute_id: str = typer.Argument(..., help="The dispute's id, e.g. kgz-tjk-border."), as_json: bool = JSON_OPTION
) -> None:
    """One dispute: its record, milestones and the ledger's actions on its dyads."""
    from prevdip.disputes import actions_on, show_dispute

    def work(register: Any) -> dict[str, Any]:
        found = show_dispute(register, dispute_id)
        return {"dispute": found.as_dict(), "actions": actions_on(register, found)}

    report(_in_register(None, work), as_json=as_json, render=_render_dispute)


@disputes_app.command("add")
def add(
    dispute_id: str = typer.Argument(..., help="A short id: lower-case words joined by dashes."),
    name: str = typer.Option(..., "--name", help="Its name in English."),
    name_ru: str = typer.Option(..., "--name-ru", help="Its name in Russian."),
    parties: list[str] = typer.Option(..., "--party", help="A state party, ISO3 (repeat for each)."),
    actors: list[str] = typer.Option([], "--actor", help="A non-state actor (repeat for each)."),
    issues: list[str] = typer.Option(..., "--issue", help="border_enclaves, water_allocation, dam, canal, ..."),
    group: str = typer.Option(..., "--group", help="Priority group, e.g. border_disputes."),
    dyads: list[str] = typer.Option([], "--dyad", help="A border dyad it lives on, e.g. KGZ-TJK."),
    provinces: list[str] = typer.Option([], "--province", help="A province, as the signals spell it: KGZ:Batken."),
    basins: list[str] = typer.Option([], "--basin", help="A basin: syr-darya or amu-darya."),
    gmcr: list[str] = typer.Option([], "--gmcr", help="A GMCR model it links to: rogun-vakhsh, or upload:MODEL_ID."),
    scenarios: list[str] = typer.Option([], "--scenario", help="A basin scenario: BASIN/SCENARIO[+FACILITY]."),
    summary: str = typer.Option(..., "--summary", help="What the dispute is about, in a few sentences."),
    watch: str | None = typer.Option(None, "--watch", help="What to watch."),
    phase: str = typer.Option("latent", "--phase", help="Its phase now: latent, escalating, violent, ..."),
    date: str = DATE,
    evidence: list[str] = EVIDENCE,
    sources: list[str] = SOURCES,
    note: str | None = NOTE,
    unconfirmed: str | None = UNCONFIRMED,
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Put a new dispute on the register, with the phase it is in and since when."""
    from prevdip.disputes import add_dispute, entry_data

    def work(register: Any) -> dict[str, Any]:
        first = entry_data(date, evidence, sources, note=note, unconfirmed=unconfirmed) | {"phase": phase}
        data = {
            "id": dispute_id, "name": {"en": name, "ru": name_ru}, "parties": [p.upper() for p in parties],
            "actors": actors, "issues": issues, "priority_group": group,
            "units": {"dyads": dyads, "provinces": provinces, "basins": basins}, "gmcr_cases": gmcr,
            "basin_scenarios": scenarios, "summary": summary, "watch": watch, "history": [first],
        }  # fmt: skip
        return {"dispute": add_dispute(register, data).as_dict()}

    report(_in_register(who, work), as_json=as_json, render=_render_dispute)


@disputes_app.command("transition")
def transition(
    dispute_id: str = typer.Argument(..., help="The dispute's id."),
    phase: str = typer.Argument(..., help="latent, escalating, violent, managed or resolved."),
    date: str = DATE,
    evidence: list[str] = EVIDENCE,
    sources: list[str] = SOURCES,
    note: str | None = NOTE,
    disagreement: str | None = typer.Option(None, "--disagreement", help="Where the sources disagree."),
    unconfirmed: str | None = UNCONFIRMED,
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Move a dispute into PHASE; resolving needs an agreement (--evidence 'agreement:TITLE' --source URL)."""
    from prevdip.disputes import record_transition

    def work(register: Any) -> dict[str, Any]:
        moved = record_transition(
            register, dispute_id, phase, when=date, evidence=evidence, sources=sources, note=note,
            disagreement=disagreement, unconfirmed=unconfirmed,
        )  # fmt: skip
        return {"dispute": moved.as_dict()}

    report(_in_register(who, work), as_json=as_json, render=_render_dispute)


@disputes_app.command("milestone")
def milestone(
    dispute_id: str = typer.Argument(..., help="The dispute's id."),
    what: str = typer.Option(..., "--what", help="What happened: a ratification, a summit, a step of implementation."),
    date: str = DATE,
    evidence: list[str] = EVIDENCE,
    sources: list[str] = SOURCES,
    note: str | None = NOTE,
    unconfirmed: str | None = UNCONFIRMED,
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a dated fact that does not change the phase (what keeps a resolved dispute watched)."""
    from prevdip.disputes import record_milestone

    def work(register: Any) -> dict[str, Any]:
        done = record_milestone(
            register, dispute_id, what, when=date, evidence=evidence, sources=sources, note=note,
            unconfirmed=unconfirmed,
        )  # fmt: skip
        return {"dispute": done.as_dict()}

    report(_in_register(who, work), as_json=as_json, render=_render_dispute)


GMCR_MODEL = typer.Option(
    ..., "--gmcr", help="A shipped GMCR case (rogun-vakhsh) or an uploaded model: upload:MODEL_ID (as /gmcr gives it)."
)


def _relink(change: Callable[..., Any], dispute_id: str, gmcr: str, *, who: str | None, as_json: bool) -> None:
    """Link or unlink (``change``) a GMCR model in one transaction of the register, and say the dispute after it."""
    report(
        _in_register(who, lambda register: {"dispute": change(register, dispute_id, gmcr).as_dict()}),
        as_json=as_json,
        render=_render_dispute,
    )


@disputes_app.command("link")
def link(
    dispute_id: str = typer.Argument(..., help="The dispute's id."),
    gmcr: str = GMCR_MODEL,
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Link a GMCR model to a dispute, so its page runs it (an uploaded model must be in the workspace)."""
    from prevdip.disputes import link_gmcr

    _relink(link_gmcr, dispute_id, gmcr, who=who, as_json=as_json)


@disputes_app.command("unlink")
def unlink(
    dispute_id: str = typer.Argument(..., help="The dispute's id."),
    gmcr: str = GMCR_MODEL,
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Unlink a GMCR model from a dispute (a model gone from the workspace too)."""
    from prevdip.disputes import unlink_gmcr

    _relink(unlink_gmcr, dispute_id, gmcr, who=who, as_json=as_json)


def _render_proposals(console: Console, d: Mapping[str, Any]) -> None:
    table = Table("months", "dispute", "from", "proposed", "units (deaths)", "recorded", title="proposed transitions")
    for p in d["proposals"]:
        months = p["month"] if p["month"] == p["through"] else f"{p['month']} – {p['through']}"
        units = ", ".join(f"{u['unit']} ({u['deaths']})" for u in p["units"])
        table.add_row(months, p["dispute"], p["from_phase"], p["phase"], units, "yes" if p["recorded"] else "no")
    console.print(table)
    console.print("Confirm one with `prevdip disputes transition ID PHASE --date D --evidence ... --source ...`.")


@disputes_app.command("propose")
def propose(
    month: str | None = typer.Option(None, "--month", help="YYYY-MM (default: the last month the signals cover)."),
    since: str | None = typer.Option(None, "--since", help="YYYY-MM: every month from then on."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The transitions the signals propose: a death on a dispute's units → violent; quiet months after → managed."""
    from prevdip.disputes import QUIET_MONTHS, list_disputes, proposals
    from prevdip.errors import RefusedInput
    from prevdip.months import Month

    if month is not None and since is not None:
        raise RefusedInput("give --month or --since, not both", hint="--since reads every month from then on")
    disputes = _in_register(None, lambda register: {"disputes": list_disputes(register)})["disputes"]
    found = proposals(
        disputes,
        month=None if month is None else Month.parse(month).first_day,
        since=None if since is None else Month.parse(since).first_day,
    )
    data = {"quiet_months": QUIET_MONTHS, "count": len(found), "proposals": [p.model_dump(mode="json") for p in found]}
    report(data, as_json=as_json, render=_render_proposals)


def register(app: typer.Typer) -> None:
    app.add_typer(disputes_app, name="disputes")
