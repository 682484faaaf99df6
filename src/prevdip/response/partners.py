"""Partners and the Programme of Action: who the centre works with, and the lines of work it committed to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from prevdip.geo import find_country
from prevdip.response.ledger import Ledger
from prevdip.response.vocabulary import GROUP_NAMES, PARTNER_KINDS, PROGRAMME_STATUSES, choice, refuse, text, year
from prevdip.store.models import Partner, ProgrammeItem


def add_partner(ledger: Ledger, name: Any, kind: Any, country: Any = None) -> Partner:
    """Record a partner; the name is its key (a second partner of the same name is refused)."""
    said = text("name", name, limit=200)
    taken = refuse("name", f"a partner named {said!r} exists already", "list them with `prevdip response partner list`")
    if ledger.session.scalar(select(Partner).where(Partner.name == said)) is not None:
        raise taken
    iso3 = None
    if country not in (None, ""):
        found = find_country(str(country))
        if found is None:
            raise refuse("country", f"unknown country {country!r}", "give an ISO3 code such as KGZ, or leave it out")
        iso3 = found.iso3
    partner = Partner(name=said, kind=choice("kind", kind, PARTNER_KINDS), country_iso3=iso3)
    return ledger.add("partner", partner, taken=taken)


def find_partner(ledger: Ledger, field: str, ref: Any) -> Partner:
    """A partner by id or exact name; anything else is a dangling reference named by ``field``."""
    hint = "add it with `prevdip response partner add` first"
    return ledger.find(Partner, field, ref, key=Partner.name, named="partner named", hint=hint)


def list_partners(ledger: Ledger, *, kind: str | None = None) -> list[Partner]:
    query = select(Partner).order_by(Partner.name)
    if kind is not None:
        query = query.where(Partner.kind == choice("kind", kind, PARTNER_KINDS))
    return list(ledger.session.scalars(query))


def add_programme_item(
    ledger: Ledger, priority_group: Any, title: Any, start: Any, end: Any, status: Any = "planned"
) -> ProgrammeItem:
    """Record a line of the Programme of Action under one of the centre's priority groups."""
    said = text("title", title, limit=300)
    first, last = year("start", start), year("end", end)
    if last < first:
        raise refuse("end", f"ends in {last}, before it starts in {first}", "give an end year on or after the start")
    hint = "list it with `prevdip response programme list`"
    taken = refuse("title", f"the programme already has an item {said!r}", hint)
    if ledger.session.scalar(select(ProgrammeItem).where(ProgrammeItem.title == said)) is not None:
        raise taken
    item = ProgrammeItem(
        priority_group=choice("priority_group", priority_group, GROUP_NAMES),
        title=said,
        start_year=first,
        end_year=last,
        status=choice("status", status, PROGRAMME_STATUSES),
    )
    return ledger.add("programme_item", item, taken=taken)


def find_programme_item(ledger: Ledger, field: str, ref: Any) -> ProgrammeItem:
    """A programme item by id or exact title."""
    hint = "add it with `prevdip response programme add` first"
    return ledger.find(ProgrammeItem, field, ref, key=ProgrammeItem.title, named="programme item titled", hint=hint)


def list_programme(ledger: Ledger, *, priority_group: str | None = None) -> list[ProgrammeItem]:
    query = select(ProgrammeItem).order_by(ProgrammeItem.priority_group, ProgrammeItem.start_year, ProgrammeItem.id)
    if priority_group is not None:
        query = query.where(ProgrammeItem.priority_group == choice("priority_group", priority_group, GROUP_NAMES))
    return list(ledger.session.scalars(query))


def update_programme_item(
    ledger: Ledger, item_id: Any, *, status: Any = None, end: Any = None, expected_version: Any = None
) -> ProgrammeItem:
    """Move a programme item on (planned → ongoing → completed, or dropped), or extend its end year; refused when
    it changed since it was read."""
    item = ledger.get(ProgrammeItem, "programme_item", item_id)
    ledger.expect("programme_item", item, expected_version)
    if status in (None, "") and end in (None, ""):
        raise refuse("status", "nothing to change", "give --status or --end")
    before = item.as_dict()
    if status not in (None, ""):
        item.status = choice("status", status, PROGRAMME_STATUSES)
    if end not in (None, ""):
        last = year("end", end)
        if last < item.start_year:
            raise refuse("end", f"ends in {last}, before it starts in {item.start_year}", "give a later end year")
        item.end_year = last
    ledger.written("programme_item", item, before)
    return item
