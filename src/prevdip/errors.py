"""The one exception a user sees without a traceback.

Every refusal of input — an unknown country, a file of the wrong kind, an unreachable database — is raised as
:class:`RefusedInput` with a sentence naming the problem and what to do. The CLI prints that sentence and exits
with status 2; the web layer turns it into a 404, 409 or 422 with a JSON error body.
"""

from __future__ import annotations


class RefusedInput(Exception):
    """Input prevdip will not act on; the message names what is wrong and what to do."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message} — {hint}")

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message} — {self.hint}"


class NotFound(RefusedInput):
    """A unit, month or record that does not exist (404 on the web)."""


class Conflict(RefusedInput):
    """A record someone else changed since it was read: nothing was written (409 on the web)."""


class NotAllowed(RefusedInput):
    """A record the reader's role or account may not read or change (403 on the web)."""
