"""A small iCalendar (RFC 5545) writer: the meetings and commitment due dates to come, for a calendar program.

Only what the file needs: all-day events (``DTSTART;VALUE=DATE``), text escaped (backslash, semicolon, comma, new
line — §3.3.11), lines folded at 75 octets without splitting a UTF-8 character (§3.1), CRLF line ends, a stable
``UID`` per record so a calendar that subscribes updates entries instead of doubling them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

LINE_OCTETS = 75


@dataclass(frozen=True)
class Entry:
    """One all-day entry: a stable uid, the day, a summary and a description."""

    uid: str
    day: date
    summary: str
    description: str = ""


def escape(text: str) -> str:
    """TEXT as RFC 5545 writes it."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line cut into lines of at most 75 octets, each continuation starting with one space."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not out else LINE_OCTETS - 1  # a continuation's leading space counts
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def calendar(entries: Iterable[Entry], *, name: str, stamp: datetime) -> bytes:
    """The VCALENDAR holding ``entries`` (``stamp``: when it was made, in UTC)."""
    made = f"{stamp:%Y%m%dT%H%M%SZ}"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//prevdip//response ledger//EN", "CALSCALE:GREGORIAN"]
    lines.append(f"X-WR-CALNAME:{escape(name)}")
    for entry in entries:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{entry.uid}",
            f"DTSTAMP:{made}",
            f"DTSTART;VALUE=DATE:{entry.day:%Y%m%d}",
            f"SUMMARY:{escape(entry.summary)}",
        ]
        if entry.description:
            lines.append(f"DESCRIPTION:{escape(entry.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
