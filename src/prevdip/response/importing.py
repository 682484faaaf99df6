"""Loading the centre's record in bulk from a TOML or JSON file, all of it or none of it.

Sections are read in the order records depend on each other — partners, programme, actions, meetings,
commitments — and a record may point at an earlier one of the same file by its ``ref`` (actions and meetings) or
by name (partners) or title (programme items). The first bad record is refused as ``actions[2].date: ...`` and
the whole file is rolled back, so a corrected file can simply be loaded again.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from prevdip.errors import RefusedInput
from prevdip.response.actions import add_action
from prevdip.response.commitments import add_commitment
from prevdip.response.ledger import Ledger
from prevdip.response.meetings import add_meeting
from prevdip.response.partners import add_partner, add_programme_item

FIELDS: dict[str, tuple[str, ...]] = {
    "partners": ("name", "kind", "country"),
    "programme": ("priority_group", "title", "start", "end", "status"),
    "actions": (
        "ref",
        "unit",
        "month",
        "instrument",
        "kind",
        "date",
        "description",
        "programme_item",
        "partners",
    ),
    "meetings": ("ref", "title", "date", "place", "agenda_blocks"),
    "commitments": ("partner", "what", "due", "status", "action", "meeting"),
}


def read_record_file(path: Path) -> dict[str, Any]:
    """The file's sections; refused when it is missing, not TOML/JSON, or names an unknown section."""
    if not path.is_file():
        raise RefusedInput(f"no file {path}", hint="give the path of a .toml or .json file")
    try:
        if path.suffix.lower() == ".toml":
            data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix.lower() == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
        else:
            raise RefusedInput(f"{path}: not a .toml or .json file", hint="write the record as TOML or JSON")
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as problem:
        raise RefusedInput(f"{path}: cannot be read: {problem}", hint="fix the syntax and load it again") from None
    if not isinstance(data, dict):
        raise RefusedInput(f"{path}: the top level is not a table", hint=f"use sections {', '.join(FIELDS)}")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise RefusedInput(f"{path}: unknown section {unknown[0]!r}", hint=f"sections are {', '.join(FIELDS)}")
    return data


def _records(path: Path, data: Mapping[str, Any], section: str) -> list[Mapping[str, Any]]:
    records = data.get(section, [])
    if not isinstance(records, list) or not all(isinstance(r, Mapping) for r in records):
        raise RefusedInput(f"{path}: {section} is not a list of records", hint=f"write [[{section}]] tables")
    for n, record in enumerate(records):
        unknown = sorted(set(record) - set(FIELDS[section]))
        if unknown:
            raise RefusedInput(
                f"{path}: {section}[{n}].{unknown[0]}: unknown field", hint=f"fields are {', '.join(FIELDS[section])}"
            )
    return records


def _ref(refs: Mapping[str, int], value: Any) -> Any:
    """The id of the file's record named ``value`` (refs are kept as text, so ``ref = 1`` and ``action = 1`` meet),
    else ``value`` itself: the id of a record already in the ledger."""
    known = isinstance(value, str | int) and not isinstance(value, bool)
    return refs.get(str(value), value) if known else value


def import_records(ledger: Ledger, path: Path) -> dict[str, int]:
    """Write every record of the file in the ledger's unit of work; returns how many of each were written."""
    data = read_record_file(path)
    refs: dict[str, dict[str, int]] = {"actions": {}, "meetings": {}}
    writers: dict[str, Callable[[Mapping[str, Any]], Any]] = {
        "partners": lambda r: add_partner(ledger, r.get("name"), r.get("kind"), r.get("country")),
        "programme": lambda r: add_programme_item(
            ledger, r.get("priority_group"), r.get("title"), r.get("start"), r.get("end"), r.get("status", "planned")
        ),
        "actions": lambda r: add_action(
            ledger,
            unit_code=r.get("unit"),
            warning_month=r.get("month"),
            instrument=r.get("instrument"),
            kind=r.get("kind"),
            when=r.get("date"),
            description=r.get("description"),
            programme_item=r.get("programme_item"),
            partners=r.get("partners", []),
        ),
        "meetings": lambda r: add_meeting(
            ledger, r.get("title"), r.get("date"), place=r.get("place"), blocks=r.get("agenda_blocks", [])
        ),
        "commitments": lambda r: add_commitment(
            ledger,
            partner=r.get("partner"),
            what=r.get("what"),
            due=r.get("due"),
            status=r.get("status", "open"),
            action=_ref(refs["actions"], r.get("action")),
            meeting=_ref(refs["meetings"], r.get("meeting")),
        ),
    }
    counts = {}
    for section, write in writers.items():
        records = _records(path, data, section)
        for n, record in enumerate(records):
            ref = str(record["ref"]) if "ref" in record else None
            try:
                if ref is not None and ref in refs[section]:
                    raise RefusedInput(f"ref: {ref!r} is used twice", hint="give each record its own ref")
                written = write(record)
            except RefusedInput as problem:
                raise RefusedInput(f"{path}: {section}[{n}].{problem.message}", hint=problem.hint) from None
            if ref is not None:
                refs[section][ref] = written.id
        counts[section] = len(records)
    return counts
