"""``/disputes`` and ``/disputes/{id}``: the register mediators work from, each dispute with its timeline and the
models a mediator runs on it; the officers' forms write through the register's own rules.

Read fresh on every request (an officer's write changes the register without a file of the workspace changing);
the heavy parts — the GMCR analyses and the basin solves — are the GMCR and water pages' own, kept once computed.
What a reader sees follows their audience: the register's phases and public sources for everyone, a cited field
report only for an audience that may see it, and the ledger, the signals' proposals and the forms for the
centre's staff only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from pydantic import Field

from prevdip.briefs.locale import say
from prevdip.disputes import (
    DisputeView,
    Proposal,
    disputes_on,
    list_disputes,
    open_register,
    proposals,
    register_mark,
    show_dispute,
)
from prevdip.errors import NotFound, RefusedInput
from prevdip.events import EventFilter
from prevdip.events.sharing import Audience
from prevdip.months import Month
from prevdip.situation import Section, asked, default_month, latest_month, section, warnings_section
from prevdip.situation.disputes import ledger_on, register_views, visible
from prevdip.situation.models import DisputeName, LedgerSection, ReadModel, WarningsSection
from prevdip.web._schemas import DisputeLinkForm, EventsSection, FormErrors
from prevdip.web.services.country import notable_events


class TransitionForm(ReadModel):
    """What an officer typed (or the proposal prefilled) for a transition, kept whole when it is refused."""

    phase: str = ""
    date: str = ""
    evidence: str = Field("", description="one KIND:VALUE a line (event:UID, meeting:ID, agreement:TITLE, ...)")
    sources: str = Field("", description="one URL or citation a line")
    note: str = ""


class PendingProposal(ReadModel):
    """A move the signals propose that the register does not hold yet, with the form that confirms it."""

    proposal: Proposal
    confirm: TransitionForm


class ProposalsSection(Section):
    pending: list[PendingProposal] | None = Field(None, description="moves proposed after the last recorded one")


class LatestMove(ReadModel):
    phase: str
    date: str
    came_from: str | None


class DisputeRow(ReadModel):
    """A dispute on the list: its names, parties, phase with its date, and the latest transition."""

    id: str
    name: str
    name_ru: str
    parties: list[str]
    phase: str
    since: str
    latest: LatestMove
    proposals: int | None = Field(None, description="moves the signals propose (the centre's staff only)")


class DisputesPage(ReadModel):
    """``/disputes``: the register."""

    disputes: list[DisputeRow]
    proposals: ProposalsSection | None = Field(None, description="the centre's staff only")
    form: dict[str, str] | None = Field(None, description="the new-dispute form as typed (staff)")
    errors: FormErrors | None = Field(None, description="why the last form was refused")


class LinkedCase(Section):
    """A linked GMCR case, run: its equilibria under each concept and its coalitional equilibria."""

    case: str
    url: str
    title: str | None = None
    equilibria: dict[str, list[str]] | None = None
    coalition_equilibria: dict[str, list[str]] | None = None


class LinkedScenario(Section):
    """A linked basin scenario, solved in a normal year: its total benefit and each country's."""

    scenario: str
    url: str
    total_benefit: float | None = None
    benefit_by_country: dict[str, float] | None = None


class DisputePage(ReadModel):
    """``/disputes/{id}``: a dispute's timeline and the models a mediator runs on it."""

    dispute: DisputeView = Field(description="as `prevdip disputes show --json` (cited field reports as you may see)")
    phase: str
    since: str
    month: str = Field(description="YYYY-MM of the warnings shown")
    events: dict[str, EventsSection] = Field(description="dyad → its latest events in the lake (as /events)")
    warnings: WarningsSection = Field(description="the month's warnings raised on the dispute's units")
    gmcr: list[LinkedCase]
    basins: list[LinkedScenario]
    ledger: LedgerSection | None = Field(None, description="the centre's staff only")
    proposals: ProposalsSection | None = Field(None, description="the centre's staff only")
    form: TransitionForm | None = Field(None, description="the transition form as typed (staff)")
    milestone: dict[str, str] | None = Field(None, description="the milestone form as typed (staff)")
    errors: FormErrors | None = Field(None, description="why the last form was refused")


def _row(dispute: DisputeView, pending: int | None) -> DisputeRow:
    last = dispute.history[-1]
    before = dispute.history[-2].phase if len(dispute.history) > 1 else None
    return DisputeRow(
        id=dispute.id, name=dispute.name.en, name_ru=dispute.name.ru, parties=dispute.parties, phase=dispute.phase,
        since=last.date, latest=LatestMove(phase=last.phase, date=last.date, came_from=before),
        **({} if pending is None else {"proposals": pending}),
    )  # fmt: skip


def _prefilled(proposal: Proposal) -> TransitionForm:
    """The form that confirms ``proposal``: its phase and month, the fatal events it rests on, and the signals'
    reading as the source (an officer may add to it before confirming)."""
    readings = "; ".join(f"{u.unit} {proposal.month}: {u.deaths} deaths" for u in proposal.units)
    uids = [f"event:{e['event_uid']}" for e in proposal.events if e.get("event_uid")]
    return TransitionForm(
        phase=proposal.phase,
        date=proposal.month,
        evidence="\n".join(dict.fromkeys(uids)),
        sources=f"prevdip signals: {proposal.rule} ({readings})",
    )


def pending_proposals(disputes: list[DisputeView], *, workspace: Path) -> ProposalsSection:
    """For each dispute, the moves the signals propose from the month of its last transition on that the register
    does not hold: the ones an officer can still confirm."""

    def gather() -> dict[str, object]:
        last = latest_month(workspace=workspace).first_day
        found = []
        for dispute in disputes:
            since = dispute.history[-1].day.replace(day=1)
            if since > last:  # recorded after the signals end: nothing to propose
                continue
            moves = proposals([dispute], since=since, workspace=workspace)
            found += [PendingProposal(proposal=p, confirm=_prefilled(p)) for p in moves if not p.recorded]
        return {"pending": sorted(found, key=lambda p: (p.proposal.month, p.proposal.dispute))}

    return section(ProposalsSection, gather)


def disputes_page(
    *,
    url: str,
    audience: Audience,
    staff: bool,
    workspace: Path,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
) -> DisputesPage:
    """The register as ``audience`` may read it; the pending proposals and the new-dispute form (as typed, with
    why it was refused) for the centre's staff."""
    disputes = register_views(url=url, audience=audience)
    if not staff:
        return DisputesPage(disputes=[_row(d, None) for d in disputes])
    pending = pending_proposals(disputes, workspace=workspace)
    count = {d.id: 0 for d in disputes}
    for p in pending.pending or []:
        count[p.proposal.dispute] += 1
    rows = [_row(d, count[d.id] if pending.available else None) for d in disputes]
    more = {"errors": errors} if errors is not None else {}
    return DisputesPage(disputes=rows, proposals=pending, form=form or {}, **more)


def _linked_case(reference: str, workspace: Path) -> LinkedCase:
    """A linked GMCR model — a shipped case, or ``upload:<model id>`` — run as its ``/gmcr`` page runs it (in the
    same time-limited worker, the analysis kept once finished), titled by the model's own name. An uploaded model
    gone from the workspace is said in a sentence."""
    from prevdip.gmcr import uploaded_id
    from prevdip.web.services.gmcr import gmcr_page

    model_id = uploaded_id(reference)
    link = f"/gmcr?{urlencode({'example': reference} if model_id is None else {'model': model_id})}"
    try:
        model = gmcr_page(None if model_id else reference, model_id, None, workspace=workspace).model
    except NotFound:
        if model_id is None:
            raise
        return LinkedCase(available=False, reason=say("disputes.model_missing", id=model_id), case=reference, url=link)
    if model is None or model.analysis is None:
        reason = model.reason if model is not None else "the GMCR engine is not available"
        return LinkedCase(available=False, reason=reason, case=reference, url=link)
    found = model.analysis
    coalitions = found.coalitions.equilibria if found.coalitions is not None else None
    return LinkedCase(
        available=True, case=reference, url=link, title=model.name, equilibria=found.equilibria,
        coalition_equilibria=coalitions,
    )  # fmt: skip


def _linked_scenario(scenario: str) -> LinkedScenario:
    """``BASIN/SCENARIO[+FACILITY...]`` solved in a normal year (the water page's own cached runs)."""
    from prevdip.web.services.water import water_page

    basin, _, rest = scenario.partition("/")
    regime, *planned = rest.split("+")
    link = f"/water?{urlencode([('basin', basin), *(('with', p) for p in planned)])}"

    def gather() -> dict[str, object]:
        runs = water_page(basin, "normal", tuple(sorted(planned))).scenarios
        if not runs.available:
            raise RefusedInput(runs.reason or "the basin model is not available")
        run = (runs.runs or {})[regime]
        return {"total_benefit": run.get("total_benefit"), "benefit_by_country": run.get("benefit_by_country")}

    try:
        return LinkedScenario.model_validate(
            {"available": True, "reason": None, "scenario": scenario, "url": link, **asked(gather)}
        )
    except RefusedInput as missing:
        return LinkedScenario(available=False, reason=str(missing), scenario=scenario, url=link)


def dispute_page(
    dispute_id: str,
    month: Month | None,
    *,
    url: str,
    audience: Audience,
    staff: bool,
    workspace: Path,
    form: TransitionForm | None = None,
    milestone: dict[str, str] | None = None,
    errors: FormErrors | None = None,
) -> DisputePage:
    """One dispute's timeline for ``audience``; an unknown id is a 404 naming the register's disputes."""
    with open_register("dashboard", url=url) as register:
        dispute = visible(show_dispute(register, dispute_id), audience)
    month = month or default_month(workspace=workspace)
    units = {*dispute.units.dyads, *dispute.units.provinces}
    until = month.last_day
    staff_parts: dict[str, Any] = {}
    if staff:
        staff_parts = {
            "ledger": ledger_on(dispute, url=url),
            "proposals": pending_proposals([dispute], workspace=workspace),
            "form": form or TransitionForm(),
            "milestone": milestone or {},
            "errors": errors,
        }
    return DisputePage(
        dispute=dispute,
        phase=dispute.phase,
        since=dispute.history[-1].date,
        month=str(month),
        events={
            d: notable_events(EventFilter(dyad=d, until=until), audience, workspace=workspace)
            for d in dispute.units.dyads
        },
        warnings=warnings_section(month, units, workspace=workspace, audience=audience),
        gmcr=[_linked_case(c, workspace) for c in dispute.gmcr_cases],
        basins=[_linked_scenario(s) for s in dispute.basin_scenarios],
        **{k: v for k, v in staff_parts.items() if v is not None},
    )


# --- links from the unit pages ---------------------------------------------------------------------------------

M = TypeVar("M", bound=ReadModel)
_read: dict[tuple[str, tuple[str, ...] | None], tuple[int, float, list[DisputeView]]] = {}
READ_KEPT_SECONDS = 30.0  # at most this old, whatever the mark says (PostgreSQL may commit ids out of order)


def _disputes_read(url: str, units: list[str] | None) -> list[DisputeView]:
    """The disputes on ``units`` (or every dispute), read again only when the register's mark has moved: every
    page of the dashboard names them, and building them from the records cost the overview 10x its time at 20
    readers (``benchmarks/bench_road.py``)."""
    key = (url, tuple(units) if units is not None else None)
    with open_register("dashboard", url=url) as register:
        mark, now = register_mark(register), time.monotonic()
        with _linked_lock:
            known = _read.get(key)
        if known is not None and known[0] == mark and now - known[1] < READ_KEPT_SECONDS:
            return known[2]
        found = list_disputes(register) if units is None else disputes_on(register, units)
    with _linked_lock:
        if len(_read) > LINKED_KEPT:
            _read.clear()
        _read[key] = (mark, now, found)
    return found


_linked: dict[tuple[int, tuple[tuple[str, str], ...]], tuple[ReadModel, ReadModel]] = {}
_linked_lock = threading.Lock()
LINKED_KEPT = 64


def named(dispute: DisputeView) -> DisputeName:
    """How another page names a dispute: its id, names and phase."""
    return DisputeName(id=dispute.id, name=dispute.name.en, name_ru=dispute.name.ru, phase=dispute.phase)


def with_disputes(data: M, *, url: str, units: list[str] | None = None, party: str | None = None) -> M:
    """``data`` (a unit or the region, kept while the workspace is unchanged) with the disputes living on ``units``
    (every dispute when none are named) or with ``party`` among their parties, read fresh from the register; the
    same answer object is handed out while they are unchanged, so its rendering is kept. No register: no links."""
    try:
        found = _disputes_read(url, units)
    except RefusedInput:
        return data
    links = [named(d) for d in found]
    links = [link for link, d in zip(links, found, strict=True) if party is None or party in d.parties]
    key = (id(data), tuple((link.id, link.phase) for link in links))
    with _linked_lock:
        known = _linked.get(key)
        if known is not None and known[0] is data:
            return known[1]  # type: ignore[return-value]
        answer = data.model_copy(update={"disputes": links})
        if len(_linked) > LINKED_KEPT:
            _linked.clear()
        _linked[key] = (data, answer)
        return answer


# --- the officers' forms ----------------------------------------------------------------------------------------


def lines(text: str | None) -> list[str]:
    """A text area's non-empty lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def record_transition_form(dispute_id: str, typed: TransitionForm, *, url: str, who: str, workspace: Path) -> str:
    """Record the transition an officer typed (one unit of work with its audit entry, or nothing); the dispute's
    id."""
    from prevdip.disputes import record_transition

    with open_register(who, url=url) as register:
        return record_transition(
            register, dispute_id, typed.phase.strip(), when=typed.date.strip(), evidence=lines(typed.evidence),
            sources=lines(typed.sources), note=typed.note.strip() or None, workspace=workspace,
        ).id  # fmt: skip


def record_milestone_form(dispute_id: str, typed: Mapping[str, str], *, url: str, who: str, workspace: Path) -> str:
    """Record a milestone an officer typed (``what``, ``date``, ``evidence``, ``sources``, ``note``); the dispute's
    id."""
    from prevdip.disputes import record_milestone

    with open_register(who, url=url) as register:
        return record_milestone(
            register, dispute_id, typed.get("what", "").strip(), when=typed.get("date", "").strip(),
            evidence=lines(typed.get("evidence")), sources=lines(typed.get("sources")),
            note=typed.get("note", "").strip() or None, workspace=workspace,
        ).id  # fmt: skip


def add_dispute_form(typed: Mapping[str, str], *, url: str, who: str, workspace: Path) -> str:
    """Put the dispute an officer described on the register with its first phase; its id."""
    from prevdip.disputes import add_dispute, entry_data

    def listed(name: str) -> list[str]:
        return [part.strip() for part in typed.get(name, "").replace("\n", ",").split(",") if part.strip()]

    first = entry_data(typed.get("date", "").strip(), lines(typed.get("evidence")), lines(typed.get("sources")))
    data = {
        "id": typed.get("id", "").strip(),
        "name": {"en": typed.get("name", "").strip(), "ru": typed.get("name_ru", "").strip()},
        "parties": [p.upper() for p in listed("parties")],
        "issues": listed("issues"),
        "priority_group": typed.get("priority_group", "").strip(),
        "units": {"dyads": listed("dyads"), "provinces": listed("provinces"), "basins": listed("basins")},
        "summary": typed.get("summary", "").strip(),
        "history": [first | {"phase": typed.get("phase", "").strip()}],
    }
    with open_register(who, url=url) as register:
        return add_dispute(register, data, workspace=workspace).id


def link_form(reference: str, *, url: str, dispute: str = "", errors: FormErrors | None = None) -> DisputeLinkForm:
    """The form on a model's page that links it (``upload:<model id>``) to a dispute: the register's disputes that
    do not link it yet to choose from, and those that do."""
    with open_register("dashboard", url=url) as register:
        found = list_disputes(register)
    linked = [named(d) for d in found if reference in d.gmcr_cases]
    others = [named(d) for d in found if reference not in d.gmcr_cases]
    return DisputeLinkForm(gmcr=reference, disputes=others, linked=linked, dispute=dispute, errors=errors)


def link_model_form(typed: Mapping[str, str], *, url: str, who: str, workspace: Path) -> str:
    """Link the model an officer's form names (``gmcr``) to the dispute chosen (``dispute``); the dispute's id."""
    from prevdip.disputes import link_gmcr

    with open_register(who, url=url) as register:
        chosen = typed.get("dispute", "").strip()
        return link_gmcr(register, chosen, typed.get("gmcr", "").strip(), workspace=workspace).id


#: Where a refusal's leading words point on a form (``history.0.date: ...`` is the form's ``date``).
FIELD_OF = {"name.en": "name", "name.ru": "name_ru", "units.dyads": "dyads", "units.provinces": "provinces",
            "units.basins": "basins", "agreements": "evidence", "events": "evidence", "gmcr_cases": "gmcr"}  # fmt: skip


def field_named(message: str, fields: tuple[str, ...]) -> str | None:
    """The form field a refusal names: its leading ``field:`` (``history.0.`` dropped); for the lifecycle's
    refusals, which lead with the dispute's id, the date, the evidence or the phase they are about; ``None`` for
    the form as a whole."""
    lead = message.partition(":")[0].strip()
    lead = lead.split(".", 2)[-1] if lead.startswith("history.") else lead
    lead = FIELD_OF.get(lead, FIELD_OF.get(lead.partition(".")[0], lead.partition(".")[0]))
    if lead in fields:
        return lead
    about = {"before the last recorded": "date", "in the future": "date", "agreement": "evidence"}
    about |= {"cannot become": "phase", "is already": "phase"}
    return next((field for words, field in about.items() if words in message and field in fields), None)
