"""NUL characters and the system of record: decided once, held on both backends.

PostgreSQL cannot store U+0000 in text; SQLite can. So that a record means the same on both and a backup moves
between them, the rule is one for both:

* text people write (the ledger, the audit's ``who``) holding a NUL is refused, naming the field;
* text prevdip keeps verbatim from a source — a quarantined row's raw line, its file and reason — shows each NUL as
  the four characters ``\\x00``, the way undecodable bytes are shown (``\\xff``), and its reason says so;
* records restored from a backup made before this rule get the same treatment (:func:`records_without_nul`).
"""

from __future__ import annotations

from typing import Any

NUL = "\x00"
SHOWN = "\\x00"
FLAG = " (NUL bytes shown as \\x00)"


def shown(text: str) -> str:
    """``text`` with every NUL written as ``\\x00``."""
    return text.replace(NUL, SHOWN)


def quarantined_row(run_id: str, file: str, row_number: int | None, raw: str, reason: str) -> dict[str, Any]:
    """A quarantined row as both backends store it: NULs shown, and the reason saying they were."""
    if not all(isinstance(text, str) for text in (file, raw, reason)):  # the database refuses what is missing
        return {"run_id": run_id, "file": file, "row_number": row_number, "raw": raw, "reason": reason}
    flagged = NUL in raw or NUL in file or NUL in reason
    return {
        "run_id": run_id,
        "file": shown(file),
        "row_number": row_number,
        "raw": shown(raw),
        "reason": shown(reason) + (FLAG if flagged else ""),
    }


def records_without_nul(value: Any) -> Any:
    """A dumped record (or any JSON value) with NULs shown in every string, keys included."""
    if isinstance(value, str):
        return shown(value) if NUL in value else value
    if isinstance(value, list):
        return [records_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {records_without_nul(k): records_without_nul(v) for k, v in value.items()}
    return value
