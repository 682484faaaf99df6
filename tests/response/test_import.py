"""Bulk import: a whole record in one transaction, references by ref/name/title, bad records named by index."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from prevdip.errors import RefusedInput
from prevdip.response import Ledger, import_records, list_commitments, show_meeting
from prevdip.store.models import AuditEntry, Partner

Opener = Callable[[], AbstractContextManager[Ledger]]

RECORD = """
[[partners]]
name = "Government of Tajikistan"
kind = "government"
country = "TJK"

[[partners]]
name = "UNDP"
kind = "un_agency"

[[programme]]
priority_group = "environment_water_energy"
title = "Water diplomacy on the Syr Darya"
start = 2021
end = 2023
status = "ongoing"

[[actions]]
ref = "isfara"
unit = "KGZ-TJK"
month = "2021-04"
instrument = "crisis_diplomacy"
kind = "consultation"
date = "2021-05-03"
description = "Consultations after the Golovnoi water-intake clashes"
programme_item = "Water diplomacy on the Syr Darya"
partners = ["Government of Tajikistan", "UNDP"]

[[meetings]]
ref = "dfm"
title = "Deputy foreign ministers"
date = "2021-06-10"
place = "Tashkent"

[[meetings.agenda_blocks]]
priority_group = "environment_water_energy"
title = "Water of the Syr Darya"
warnings = [{ unit = "KGZ-TJK", month = "2021-04" }]

[[commitments]]
partner = "Government of Tajikistan"
what = "Joint commission on the Golovnoi intake"
due = "2021-09-01"
status = "kept"
action = "isfara"
meeting = "dfm"
"""


def test_a_whole_record_loads_with_its_references(ledger: Opener, tmp_path: Path) -> None:
    path = tmp_path / "record.toml"
    path.write_text(RECORD, encoding="utf-8")
    with ledger() as open_:
        counts = import_records(open_, path)
    assert counts == {"partners": 2, "programme": 1, "actions": 1, "meetings": 1, "commitments": 1}
    with ledger() as open_:
        (commitment,) = list_commitments(open_)
        assert commitment["status"] == "kept" and commitment["action_id"] == 1 and commitment["meeting_id"] == 1
        assert show_meeting(open_, 1)["agenda_blocks"][0]["warnings"] == [{"unit": "KGZ-TJK", "month": "2021-04"}]


@pytest.mark.parametrize(
    ("broken", "named"),
    [
        (RECORD.replace('date = "2021-05-03"', 'date = "2021-05-33"'), r"actions\[0\]\.date: bad date"),
        (RECORD.replace('meeting = "dfm"', 'meeting = "agm"'), r"commitments\[0\]\.meeting: 'agm' is not a record id"),
        (
            RECORD.replace('month = "2021-04" }', 'month = "April" }'),
            r"meetings\[0\]\.agenda_blocks\[0\]\.warnings\[0\]\.month",
        ),
        (
            RECORD.replace('kind = "un_agency"', 'kind = "un_agency"\nwebsite = "x"'),
            r"partners\[1\]\.website: unknown field",
        ),
        (RECORD + "\n[[actions]]\nref = 'isfara'\n", r"actions\[1\]\.ref: 'isfara' is used twice"),
        (RECORD.replace('meeting = "dfm"', "meeting = 1.9"), r"commitments\[0\]\.meeting: 1\.9 is not a record id"),
        (RECORD.replace('meeting = "dfm"', "meeting = true"), r"commitments\[0\]\.meeting: True is not a record id"),
    ],
)
def test_a_bad_record_is_named_and_nothing_is_written(ledger: Opener, tmp_path: Path, broken: str, named: str) -> None:
    path = tmp_path / "record.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RefusedInput, match=named), ledger() as open_:
        import_records(open_, path)
    with ledger() as open_:
        assert open_.session.scalar(select(func.count()).select_from(Partner)) == 0
        assert open_.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_json_files_load_and_other_files_are_refused(ledger: Opener, tmp_path: Path) -> None:
    path = tmp_path / "partners.json"
    path.write_text(json.dumps({"partners": [{"name": "EU", "kind": "donor"}]}), encoding="utf-8")
    with ledger() as open_:
        assert import_records(open_, path) == {name: int(name == "partners") for name in (
            "partners", "programme", "actions", "meetings", "commitments")}  # fmt: skip
    for name, text, problem in (
        ("record.csv", "a,b", "not a .toml or .json file"),
        ("record.toml", "[[partners]\n", "cannot be read"),
        ("record.json", '{"donors": []}', "unknown section 'donors'"),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(RefusedInput, match=problem), ledger() as open_:
            import_records(open_, tmp_path / name)


def test_a_numeric_ref_points_at_the_record_of_the_file(ledger: Opener, tmp_path: Path) -> None:
    first = tmp_path / "record.toml"
    first.write_text(RECORD, encoding="utf-8")
    with ledger() as open_:
        import_records(open_, first)  # action 1 and meeting 1 exist now
    later = tmp_path / "later.toml"
    later.write_text(
        """
[[actions]]
ref = 1
unit = "KGZ-TJK"
month = "2022-09"
instrument = "crisis_diplomacy"
kind = "good_offices"
date = "2022-09-17"
description = "Contacts with both deputy ministers after the clashes"

[[commitments]]
partner = "UNDP"
what = "Support to the border commission"
due = "2022-12-01"
action = 1
""",
        encoding="utf-8",
    )
    with ledger() as open_:
        import_records(open_, later)
    with ledger() as open_:
        latest = max(list_commitments(open_), key=lambda c: c["id"])
    assert latest["action_id"] == 2  # the file's own action (ref 1), not the older record whose id happens to be 1
