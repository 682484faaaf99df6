"""Response: the warnings the signals raise, the agenda blocks they suggest, and the ledger of what the centre did.

The ledger (on the system of record, every write in the audit log) holds partners, the Programme of Action,
actions answering warnings, meetings with their agenda blocks, and commitments; :func:`review` asks whether the
units acted on improved afterwards — an association, said with the count of actions behind it.

    with open_ledger("a.officer") as ledger:
        action = action_from_warning(ledger, "KGZ-TJK", "2022-09", kind="visit", when="2022-09-20",
                                     description="Special Representative in Bishkek and Dushanbe")
"""

from prevdip.response.actions import (
    ActionRecord,
    action_from_warning,
    action_record,
    add_action,
    list_actions,
    update_action,
)
from prevdip.response.agenda import PRIORITY_ORDER, AgendaBlock, agenda_blocks
from prevdip.response.commitments import (
    CommitmentReport,
    PartnerTally,
    add_commitment,
    commitment_dict,
    effective_status,
    kept_by_partner,
    list_commitments,
    open_commitments,
    update_commitment,
)
from prevdip.response.importing import import_records
from prevdip.response.ledger import Ledger, open_ledger
from prevdip.response.meetings import (
    AgendaBlockRecord,
    BlockDraft,
    BlockWarning,
    MeetingEntry,
    MeetingRecord,
    add_meeting,
    list_meetings,
    meeting_entry,
    meeting_from_agenda,
    proposed_blocks,
    record_outcome,
    show_meeting,
    suggested_blocks,
)
from prevdip.response.partners import (
    add_partner,
    add_programme_item,
    list_partners,
    list_programme,
    update_programme_item,
)
from prevdip.response.raised import crisis_withheld, latest_month, warnings_raised
from prevdip.response.review import ActionReading, HorizonSummary, Review, StageAfter, review
from prevdip.response.track_record import WatchRecord, watch_record
from prevdip.response.warnings import EarlyWarning, ReasonCode, open_warnings

__all__ = [
    "BlockDraft",
    "BlockWarning",
    "PRIORITY_ORDER",
    "ActionReading",
    "ActionRecord",
    "AgendaBlock",
    "AgendaBlockRecord",
    "CommitmentReport",
    "EarlyWarning",
    "HorizonSummary",
    "Ledger",
    "MeetingEntry",
    "MeetingRecord",
    "PartnerTally",
    "ReasonCode",
    "Review",
    "StageAfter",
    "WatchRecord",
    "action_from_warning",
    "action_record",
    "add_action",
    "add_commitment",
    "add_meeting",
    "add_partner",
    "add_programme_item",
    "agenda_blocks",
    "commitment_dict",
    "crisis_withheld",
    "effective_status",
    "import_records",
    "kept_by_partner",
    "latest_month",
    "list_actions",
    "list_commitments",
    "list_meetings",
    "list_partners",
    "list_programme",
    "meeting_entry",
    "meeting_from_agenda",
    "open_commitments",
    "open_ledger",
    "open_warnings",
    "proposed_blocks",
    "record_outcome",
    "review",
    "show_meeting",
    "suggested_blocks",
    "update_action",
    "update_commitment",
    "update_programme_item",
    "warnings_raised",
    "watch_record",
]
