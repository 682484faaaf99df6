"""``prevdip response``: the ledger of what the centre did about its warnings, and whether it worked.

Thin: each command parses its options, calls :mod:`prevdip.response` in one unit of work (written together with
its audit entries, or not at all) and prints the records it gets back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report

response_app = typer.Typer(help="The response ledger: actions, meetings, commitments, programme, partners.")
partner_app = typer.Typer(help="Partners: governments, UN agencies, regional organisations, NGOs, donors.")
programme_app = typer.Typer(help="The Programme of Action, by priority group.")
action_app = typer.Typer(help="Actions answering warnings.")
meeting_app = typer.Typer(help="Meetings and their agenda blocks.")
commitment_app = typer.Typer(help="Commitments: who promised what, by when, and whether it was kept.")
for _app in (partner_app, programme_app, action_app, meeting_app, commitment_app):
    _app.info.no_args_is_help = True
response_app.info.no_args_is_help = True

WHO = typer.Option(None, "--who", help="Who records this (default: the account running prevdip).")
EXPECT = typer.Option(
    None,
    "--expect-version",
    help="The version you read (shown by list and --json): refused, nothing written, if someone changed it since.",
)


def _in_ledger(who: str | None, work: Callable[[Any], Mapping[str, Any]]) -> Mapping[str, Any]:
    """Run ``work(ledger)`` in one unit of work and return its JSON-ready answer."""
    from prevdip.response import open_ledger

    with open_ledger(who) as ledger:
        return work(ledger)


def _records(console: Console, rows: list[Mapping[str, Any]], columns: tuple[str, ...], title: str) -> None:
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*(escape(_cell(row.get(c))) for c in columns))
    console.print(table)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "—" if value is None else str(value)


def _one(name: str, columns: tuple[str, ...]) -> Callable[[Console, Mapping[str, Any]], None]:
    return lambda console, d: _records(console, [d[name]], columns, f"{name} recorded")


def _many(name: str, columns: tuple[str, ...]) -> Callable[[Console, Mapping[str, Any]], None]:
    return lambda console, d: _records(console, d[name], columns, f"{d['count']} {name}")


PARTNER_COLUMNS = ("id", "name", "kind", "country_iso3")
PROGRAMME_COLUMNS = ("id", "priority_group", "title", "start_year", "end_year", "status")
ACTION_COLUMNS = ("id", "unit", "month", "instrument", "kind", "date", "partners", "description")
COMMITMENT_COLUMNS = ("id", "partner", "what", "due", "status", "action_id", "meeting_id")


@partner_app.command("add")
def partner_add(
    name: str = typer.Argument(..., help="The partner's name, e.g. 'Government of Kyrgyzstan'."),
    kind: str = typer.Option(..., "--kind", help="government, un_agency, regional_organisation, ngo or donor."),
    country: str | None = typer.Option(None, "--country", help="ISO3 code of its country, if it has one."),
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a partner."""
    from prevdip.response import add_partner

    data = _in_ledger(who, lambda ledger: {"partner": add_partner(ledger, name, kind, country).as_dict()})
    report(data, as_json=as_json, render=_one("partner", PARTNER_COLUMNS))


@partner_app.command("list")
def partner_list(
    kind: str | None = typer.Option(None, "--kind", help="Only partners of this kind."), as_json: bool = JSON_OPTION
) -> None:
    """List partners by name."""
    from prevdip.response import list_partners

    def work(ledger: Any) -> dict[str, Any]:
        found = [p.as_dict() for p in list_partners(ledger, kind=kind)]
        return {"count": len(found), "partners": found}

    report(_in_ledger(None, work), as_json=as_json, render=_many("partners", PARTNER_COLUMNS))


@programme_app.command("add")
def programme_add(
    group: str = typer.Option(..., "--group", help="Priority group, e.g. environment_water_energy."),
    title: str = typer.Option(..., "--title", help="What the line of work is."),
    start: int = typer.Option(..., "--start", help="First year."),
    end: int = typer.Option(..., "--end", help="Last year."),
    status: str = typer.Option("planned", "--status", help="planned, ongoing, completed or dropped."),
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a line to the Programme of Action."""
    from prevdip.response import add_programme_item

    data = _in_ledger(
        who, lambda ledger: {"programme_item": add_programme_item(ledger, group, title, start, end, status).as_dict()}
    )
    report(data, as_json=as_json, render=_one("programme_item", PROGRAMME_COLUMNS))


@programme_app.command("update")
def programme_update(
    item_id: int = typer.Argument(..., help="The programme item's id."),
    status: str | None = typer.Option(None, "--status", help="planned, ongoing, completed or dropped."),
    end: int | None = typer.Option(None, "--end", help="A new last year."),
    expect_version: int | None = EXPECT,
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Move a programme item on, or extend it."""
    from prevdip.response import update_programme_item

    def work(ledger: Any) -> dict[str, Any]:
        changed = update_programme_item(ledger, item_id, status=status, end=end, expected_version=expect_version)
        return {"programme_item": changed.as_dict()}

    report(_in_ledger(who, work), as_json=as_json, render=_one("programme_item", PROGRAMME_COLUMNS))


@programme_app.command("list")
def programme_list(
    group: str | None = typer.Option(None, "--group", help="Only this priority group."), as_json: bool = JSON_OPTION
) -> None:
    """List the Programme of Action by priority group."""
    from prevdip.response import list_programme

    def work(ledger: Any) -> dict[str, Any]:
        found = [p.as_dict() for p in list_programme(ledger, priority_group=group)]
        return {"count": len(found), "programme": found}

    report(_in_ledger(None, work), as_json=as_json, render=_many("programme", PROGRAMME_COLUMNS))


@action_app.command("add")
def action_add(
    month: str = typer.Option(..., "--month", help="The warning's month, YYYY-MM."),
    kind: str = typer.Option(..., "--kind", help="visit, statement, consultation, meeting, training, good_offices..."),
    date: str = typer.Option(..., "--date", help="When it was done, YYYY-MM-DD."),
    description: str = typer.Option(..., "--description", help="What was done, in a sentence."),
    from_warning: str | None = typer.Option(
        None, "--from-warning", help="The unit of an open warning (its instrument is taken from the warning)."
    ),
    unit: str | None = typer.Option(None, "--unit", help="The unit, when not from an open warning."),
    instrument: str | None = typer.Option(None, "--instrument", help="preventive_diplomacy, crisis_diplomacy..."),
    programme: str | None = typer.Option(None, "--programme", help="Programme item id or title."),
    partners: list[str] = typer.Option([], "--partner", help="Partner id or name (repeat for several)."),
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Record an action; with --from-warning UNIT --month M the open warning gives its unit, month and instrument."""
    from prevdip.errors import RefusedInput
    from prevdip.response import action_from_warning, add_action

    if (from_warning is None) == (unit is None):
        raise RefusedInput("give exactly one of --from-warning and --unit", hint="e.g. --from-warning KGZ-TJK")

    def work(ledger: Any) -> dict[str, Any]:
        if from_warning is not None:
            made = action_from_warning(
                ledger, from_warning, month, kind=kind, when=date, description=description,
                instrument=instrument, programme_item=programme, partners=partners,
            )  # fmt: skip
        else:
            made = add_action(
                ledger, unit_code=unit, warning_month=month, instrument=instrument, kind=kind, when=date,
                description=description, programme_item=programme, partners=partners,
            )  # fmt: skip
        return {"action": made.as_dict()}

    report(_in_ledger(who, work), as_json=as_json, render=_one("action", ACTION_COLUMNS))


@action_app.command("update")
def action_update(
    action_id: int = typer.Argument(..., help="The action's id."),
    description: str | None = typer.Option(None, "--description", help="What was done."),
    date: str | None = typer.Option(None, "--date", help="When it was done, YYYY-MM-DD."),
    kind: str | None = typer.Option(None, "--kind", help="visit, statement, consultation..."),
    partners: list[str] = typer.Option([], "--partner", help="Add a partner (id or name; repeat for several)."),
    expect_version: int | None = EXPECT,
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Correct an action (the unit, month and instrument of the warning it answered stay)."""
    from prevdip.response import update_action

    def work(ledger: Any) -> dict[str, Any]:
        changed = update_action(
            ledger,
            action_id,
            description=description,
            when=date,
            kind=kind,
            partners=partners,
            expected_version=expect_version,
        )
        return {"action": changed.as_dict()}

    report(_in_ledger(who, work), as_json=as_json, render=_one("action", ACTION_COLUMNS))


@action_app.command("list")
def action_list(
    unit: str | None = typer.Option(None, "--unit", help="Only this unit."), as_json: bool = JSON_OPTION
) -> None:
    """List actions, newest first."""
    from prevdip.response import list_actions

    def work(ledger: Any) -> dict[str, Any]:
        found = [a.as_dict() for a in list_actions(ledger, unit_code=unit)]
        return {"count": len(found), "actions": found}

    report(_in_ledger(None, work), as_json=as_json, render=_many("actions", ACTION_COLUMNS))


def _render_meeting(console: Console, d: Mapping[str, Any]) -> None:
    m = d["meeting"]
    console.print(f"[bold]{escape(m['title'])}[/bold] {m['date']} {escape(m['place'] or '')} (meeting {m['id']})")
    for block in m["agenda_blocks"]:
        units = ", ".join(f"{w['unit']} {w['month']}" for w in block["warnings"]) or "—"
        console.print(f"{block['position']}. {escape(block['title'])} [{block['priority_group']}]: {units}")
    if m.get("commitments"):
        _records(console, m["commitments"], COMMITMENT_COLUMNS, "commitments made")


@meeting_app.command("add")
def meeting_add(
    title: str = typer.Option(..., "--title", help="e.g. 'Meeting of deputy foreign ministers'."),
    date: str = typer.Option(..., "--date", help="YYYY-MM-DD."),
    place: str | None = typer.Option(None, "--place", help="Where."),
    agenda_from: str | None = typer.Option(
        None, "--agenda-from", help="YYYY-MM: take the agenda blocks the month's open warnings suggest."
    ),
    participants: list[str] = typer.Option([], "--participant", help="A partner taking part (id or name; repeat)."),
    outcome: str | None = typer.Option(None, "--outcome", help="What the meeting concluded (once it was held)."),
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a meeting, with the agenda the warnings of a month suggest."""
    from prevdip.response import add_meeting, proposed_blocks

    def work(ledger: Any) -> dict[str, Any]:
        blocks = [] if agenda_from is None else proposed_blocks(agenda_from)
        made = add_meeting(ledger, title, date, place=place, blocks=blocks, participants=participants, outcome=outcome)
        return {"meeting": made.as_dict()}

    report(_in_ledger(who, work), as_json=as_json, render=_render_meeting)


@meeting_app.command("update")
def meeting_update(
    meeting_id: int = typer.Argument(..., help="The meeting's id."),
    outcome: str | None = typer.Option(None, "--outcome", help="What the meeting concluded."),
    participants: list[str] = typer.Option([], "--participant", help="Add a partner who took part (repeat)."),
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a meeting's outcome and who took part (the audit log keeps the before and after)."""
    from prevdip.response import record_outcome

    def work(ledger: Any) -> dict[str, Any]:
        return {"meeting": record_outcome(ledger, meeting_id, outcome=outcome, participants=participants).as_dict()}

    report(_in_ledger(who, work), as_json=as_json, render=_render_meeting)


@meeting_app.command("show")
def meeting_show(meeting_id: int = typer.Argument(..., help="The meeting's id."), as_json: bool = JSON_OPTION) -> None:
    """A meeting with its agenda blocks and the commitments made there."""
    from prevdip.response import show_meeting

    data = _in_ledger(None, lambda ledger: {"meeting": show_meeting(ledger, meeting_id)})
    report(data, as_json=as_json, render=_render_meeting)


@meeting_app.command("list")
def meeting_list(
    since: str | None = typer.Option(None, "--since", help="Only meetings on or after this date, YYYY-MM-DD."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List meetings in date order with their agenda blocks."""
    from prevdip.response import list_meetings
    from prevdip.response.vocabulary import day

    def work(ledger: Any) -> dict[str, Any]:
        found = [m.as_dict() for m in list_meetings(ledger, since=None if since is None else day("since", since))]
        return {"count": len(found), "meetings": found}

    report(_in_ledger(None, work), as_json=as_json, render=_many("meetings", ("id", "date", "title", "place")))


@commitment_app.command("add")
def commitment_add(
    partner: str = typer.Option(..., "--partner", help="Who commits: partner id or name."),
    what: str = typer.Option(..., "--what", help="What is promised."),
    due: str = typer.Option(..., "--due", help="By when, YYYY-MM-DD."),
    action: int | None = typer.Option(None, "--action", help="The action it came from."),
    meeting: int | None = typer.Option(None, "--meeting", help="The meeting it came from."),
    status: str = typer.Option("open", "--status", help="open, kept, late or dropped."),
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a commitment made at a meeting or during an action."""
    from prevdip.response import add_commitment, commitment_dict

    def work(ledger: Any) -> dict[str, Any]:
        made = add_commitment(
            ledger, partner=partner, what=what, due=due, status=status, action=action, meeting=meeting
        )
        return {"commitment": commitment_dict(made)}

    report(_in_ledger(who, work), as_json=as_json, render=_one("commitment", COMMITMENT_COLUMNS))


@commitment_app.command("update")
def commitment_update(
    commitment_id: int = typer.Argument(..., help="The commitment's id."),
    status: str | None = typer.Option(None, "--status", help="open, kept, late or dropped."),
    due: str | None = typer.Option(None, "--due", help="A new due date, YYYY-MM-DD."),
    expect_version: int | None = EXPECT,
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Change a commitment's status or due date (the audit log keeps the before and after)."""
    from prevdip.response import commitment_dict, update_commitment

    def work(ledger: Any) -> dict[str, Any]:
        changed = update_commitment(ledger, commitment_id, status=status, due=due, expected_version=expect_version)
        return {"commitment": commitment_dict(changed)}

    report(_in_ledger(who, work), as_json=as_json, render=_one("commitment", COMMITMENT_COLUMNS))


@commitment_app.command("list")
def commitment_list(
    status: str | None = typer.Option(None, "--status", help="Only open, kept, late or dropped (as reported today)."),
    partner: str | None = typer.Option(None, "--partner", help="Only this partner (id or name)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List commitments by due date; open ones past due report as late."""
    from prevdip.response import list_commitments

    def work(ledger: Any) -> dict[str, Any]:
        found = list_commitments(ledger, status=status, partner=partner)
        return {"count": len(found), "commitments": found}

    report(_in_ledger(None, work), as_json=as_json, render=_many("commitments", COMMITMENT_COLUMNS))


def _render_review(console: Console, d: Mapping[str, Any]) -> None:
    table = Table("action", "unit", "month", "stage", *[f"+{h} months" for h in d["horizons"]], title="did it work?")
    for a in d["actions"]:
        after = [f"{r['stage'] or '—'} ({r['outcome'] or 'not yet'})" for r in a["after"]]
        table.add_row(str(a["id"]), a["unit"], a["month"], a["stage"] or "—", *after)
    console.print(table)
    for s in d["summary"]:
        share = "—" if s["improved_share"] is None else f"{s['improved_share']:.0%}"
        base = "—" if s["baseline_improved_share"] is None else f"{s['baseline_improved_share']:.0%}"
        console.print(
            f"+{s['months_after']} months: {s['improved']} improved, {s['held']} held, {s['deteriorated']} "
            f"deteriorated of {s['actions']} actions ({share}; any unit-month at the same stage: {base})"
        )
    console.print(f"[italic]{escape(d['caveat'])}[/italic]")
    _records(
        console, d["commitments_by_partner"], ("partner", "total", "kept", "late", "open", "dropped"), "commitments"
    )


@response_app.command("review")
def review(
    unit: str | None = typer.Option(None, "--unit", help="Only the actions on this unit."), as_json: bool = JSON_OPTION
) -> None:
    """Did it work? Each action's unit 1, 3 and 6 months on — an association, with the baseline beside it."""
    from prevdip import response

    data = _in_ledger(None, lambda ledger: response.review(ledger, unit_code=unit))
    report(data, as_json=as_json, render=_render_review)


@response_app.command("import")
def import_file(
    file: Path = typer.Argument(..., help="A .toml or .json file with partners, programme, actions, meetings..."),
    who: str | None = WHO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Load the centre's record in bulk: everything in the file, or nothing if a record is refused."""
    from prevdip.response import import_records

    data = _in_ledger(who, lambda ledger: {"file": str(file), "written": import_records(ledger, file)})
    report(data, as_json=as_json, render=lambda console, d: console.print(f"{d['file']}: {d['written']}"))


for _name, _sub in (
    ("partner", partner_app),
    ("programme", programme_app),
    ("action", action_app),
    ("meeting", meeting_app),
    ("commitment", commitment_app),
):
    response_app.add_typer(_sub, name=_name)


def register(app: typer.Typer) -> None:
    app.add_typer(response_app, name="response")
