"""Sections: a part of a page or brief that is there, or is not and says why — never made up.

A domain that refuses (no lake yet, no frozen vintage, no published backtest) makes its part :class:`Unavailable`
with the domain's own sentence; an unknown unit or month (:class:`~prevdip.errors.NotFound`) stays a 404 for the
whole page; a failure inside a domain is logged with its traceback and shown as that part's reason, so one broken
capability does not take the page down with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from prevdip.errors import NotFound, RefusedInput
from prevdip.situation.models import Section

log = logging.getLogger(__name__)
S = TypeVar("S", bound=Section)
T = TypeVar("T")


class Unavailable(RefusedInput):
    """A part's data are not there yet; the reason is shown to the reader as it is (and, asked for on the command
    line, refused like any other input prevdip cannot act on)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def asked(call: Callable[[], T]) -> T:
    """Run a domain call; its refusals (other than an unknown unit or month, a 404) mean its data are missing."""
    try:
        return call()
    except (NotFound, Unavailable):
        raise
    except RefusedInput as refusal:
        raise Unavailable(str(refusal)) from None
    except Exception as failure:
        log.exception("a domain call failed")
        raise Unavailable(f"this part failed inside prevdip ({type(failure).__name__}: {failure})") from failure


def section(kind: type[S], gather: Callable[[], BaseModel | dict[str, object]]) -> S:
    """The section ``kind`` holding what ``gather`` returns (a model's set fields, or a mapping of fields), or, when
    the data are not there, ``available`` false and the reason."""
    try:
        data = asked(gather)
    except Unavailable as missing:
        return kind(available=False, reason=missing.reason)
    fields = data if isinstance(data, dict) else {name: getattr(data, name) for name in data.model_fields_set}
    return kind.model_validate({"available": True, "reason": None, **fields})
