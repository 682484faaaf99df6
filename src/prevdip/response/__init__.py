"""Response: warnings drawn from the signals, and the agenda blocks they suggest for the next meeting.

Later releases add the response ledger (actions, meetings, commitments, the Programme of Action, partners and
whether it worked) on the system of record; warnings and agenda blocks come first because the monthly brief and
the dashboard need them.
"""

from prevdip.response.agenda import PRIORITY_ORDER, AgendaBlock, agenda_blocks
from prevdip.response.warnings import EarlyWarning, open_warnings

__all__ = ["PRIORITY_ORDER", "AgendaBlock", "EarlyWarning", "agenda_blocks", "open_warnings"]
