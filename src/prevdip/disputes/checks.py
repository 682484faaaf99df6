"""Checks at the register's boundary that need another domain: provinces and basins exist, linked models exist,
cited events are in the lake and cited meetings, commitments and actions are in the ledger.

The GMCR casebook (with the workspace's uploaded models) and the basin model are reached only here, lazily and only
to confirm an id when an officer writes one: the register links them by id and neither domain imports the register.
The shipped file is held to the same checks by its tests, so seeding (which runs on every first use) does not pay for
them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from prevdip.disputes.records import EventRef, Units
from prevdip.errors import RefusedInput
from prevdip.store.models import Action, Commitment, Meeting

SCENARIO = re.compile(r"(?P<basin>[a-z-]+)/(?P<scenario>[a-z]+)(?P<planned>(\+[a-z0-9_]+)*)")


def check_units(units: Units, bundle: Path | None) -> None:
    """Refuse a province the signals' admin1 panel does not know, or a basin the basin model does not."""
    if units.provinces:
        from prevdip.signals import admin1_units

        known = set(admin1_units(bundle))
        for code in units.provinces:
            if code not in known:
                country = [u for u in sorted(known) if u.startswith(code[:4])]
                raise RefusedInput(
                    f"units.provinces: unknown province {code!r}",
                    hint=f"the signals spell {code[:3]}'s provinces {', '.join(country) or 'nowhere'}",
                )
    if units.basins:
        from prevdip.water import BASINS

        for basin in units.basins:
            if basin not in BASINS:
                raise RefusedInput(f"units.basins: unknown basin {basin!r}", hint=f"basins: {', '.join(BASINS)}")


def check_links(gmcr_cases: Iterable[str], basin_scenarios: Iterable[str], *, workspace: Path | None = None) -> None:
    """Refuse a GMCR case the casebook does not ship, an uploaded model (``upload:<model id>``) the workspace does
    not hold, or a scenario id the basin model cannot run.

    A scenario id is ``BASIN/SCENARIO`` with ``+facility`` for each planned facility built, as
    ``prevdip water basin BASIN --scenario SCENARIO --with FACILITY`` runs it (``amu-darya/energy+rogun``)."""
    for case in gmcr_cases:
        check_gmcr(case, workspace)
    for scenario_id in basin_scenarios:
        check_scenario(scenario_id)


def check_gmcr(reference: str, workspace: Path | None) -> None:
    """Refuse a GMCR reference that names no shipped case and no model kept in ``workspace`` (the settings' one
    when ``None``), saying which."""
    from prevdip.gmcr import case_path, read_upload, uploaded_id
    from prevdip.settings import resolve_workspace

    model_id = uploaded_id(reference)
    try:
        if model_id is None:
            case_path(reference)
        else:
            read_upload(model_id, resolve_workspace(workspace))
    except RefusedInput as problem:
        raise RefusedInput(f"gmcr_cases: {problem.message}", hint=problem.hint) from None


def check_scenario(scenario_id: str) -> None:
    """Refuse a basin scenario id the water domain cannot run."""
    from prevdip.water import BASINS, SCENARIOS, load_basin

    form = "BASIN/SCENARIO[+FACILITY...], e.g. amu-darya/energy+rogun"
    found = SCENARIO.fullmatch(scenario_id)
    if found is None:
        raise RefusedInput(f"basin_scenarios: bad scenario id {scenario_id!r}", hint=f"write {form}")
    if found["basin"] not in BASINS or found["scenario"] not in SCENARIOS:
        raise RefusedInput(
            f"basin_scenarios: {scenario_id!r} names an unknown basin or scenario",
            hint=f"basins: {', '.join(BASINS)}; scenarios: {', '.join(SCENARIOS)}",
        )
    planned = {n.id for n in load_basin(found["basin"]).nodes if n.planned}
    for facility in filter(None, found["planned"].split("+")):
        if facility not in planned:
            raise RefusedInput(
                f"basin_scenarios: {scenario_id!r}: {found['basin']} has no planned facility {facility!r}",
                hint=f"planned facilities: {', '.join(sorted(planned)) or 'none'}",
            )


def resolve_events(uids: Sequence[str], workspace: Path) -> list[EventRef]:
    """The lake's events with these uids, with their source, date and sharing tier; an unknown uid is refused."""
    if not uids:
        return []
    import duckdb

    from prevdip.events import events_relation

    con = duckdb.connect()
    try:
        con.register("lake_events", events_relation(con, workspace=workspace))
        rows = con.execute(
            "SELECT event_uid, source, strftime(date_start, '%Y-%m-%d'), sharing FROM lake_events "
            "WHERE event_uid IN (SELECT unnest(?))",
            [list(uids)],
        ).fetchall()
    finally:
        con.close()
    found = {uid: EventRef(uid=uid, source=source, date=day, sharing=sharing) for uid, source, day, sharing in rows}
    for uid in uids:
        if uid not in found:
            raise RefusedInput(f"evidence: no event {uid!r} in the lake", hint="find it with `prevdip events --json`")
    return [found[uid] for uid in uids]


def check_ledger(session: Session, meetings: Iterable[int], commitments: Iterable[int], actions: Iterable[int]) -> None:
    """Refuse a meeting, commitment or action id the ledger does not hold."""
    kinds = (("meeting", Meeting, meetings), ("commitment", Commitment, commitments), ("action", Action, actions))
    for field, model, ids in kinds:
        for key in ids:
            if session.get(model, key) is None:
                raise RefusedInput(
                    f"evidence: no {field} {key} in the ledger", hint=f"list them with `prevdip response {field} list`"
                )
