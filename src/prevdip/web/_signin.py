"""``/login`` and ``/logout``: signing in with a name and password, and out.

The sign-in form carries a CSRF token bound to a pre-session cookie (there is no session yet); a successful sign-in
always opens a *new* session (its id never comes from the request), sets it in a signed HttpOnly cookie
(SameSite=Lax, Secure over https) and drops the pre-session cookie. A failed sign-in is answered after a pause
(``asyncio.sleep``: the server keeps serving others) and the account is locked after repeated failures, which the
form says plainly. Passwords are checked a few at a time (:data:`CHECKED_AT_ONCE`): each Argon2 check takes 64 MiB,
and forty sign-ins sent at once took 1.3 GB.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TypeVar

from fastapi import Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from prevdip.accounts.keys import new_secret, sign
from prevdip.web._negotiation import respond
from prevdip.web._routes import guarded_router, route
from prevdip.web.access import OPEN, PRE_SESSION_COOKIE, SESSION_COOKIE, Reader, csrf_token, local_path, reader_of

FAILED_PAUSE_SECONDS = 1.0
CHECKED_AT_ONCE = 2  # password checks running at once in one process (the rest wait their turn)
_checking = threading.BoundedSemaphore(CHECKED_AT_ONCE)
router = guarded_router()
T = TypeVar("T")


async def _in_turn(work: Callable[..., T], *args: str) -> T:
    """Run a password check in the thread pool once one of the :data:`CHECKED_AT_ONCE` places is free. Waiting
    happens in the event loop (a thread lock, polled): a sign-in waiting its turn holds neither a thread nor the
    memory of a hash, and the lock belongs to no event loop."""
    while not _checking.acquire(blocking=False):
        await asyncio.sleep(0.01)
    try:
        return await run_in_threadpool(work, *args)
    finally:
        _checking.release()


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _form(request: Request, reader: Reader, status: int = 200, **shown: object) -> Response:
    """The sign-in form, with a pre-session value (set as a cookie) its CSRF token is bound to."""
    binding = reader.binding or new_secret()
    bound = Reader(None, reader.audience, "anonymous", binding)
    identity = request.app.state.identity
    identity.store()  # so that a missing database is named on the form
    data = {
        "csrf": csrf_token(request, bound),
        "next": local_path(request.query_params.get("next") or str(shown.pop("next", "") or "")),
        "no_accounts": identity.missing,
        **shown,
    }
    answer = respond(request, "login.html", data, status_code=status, cache=False)
    if reader.binding != binding:
        answer.set_cookie(PRE_SESSION_COOKIE, binding, httponly=True, samesite="lax", secure=_secure(request))
    return answer


@route(router, "GET", "/login", OPEN, include_in_schema=False)
def login_form(request: Request) -> Response:
    reader = reader_of(request)
    if reader.holder is not None:
        return RedirectResponse(local_path(request.query_params.get("next")), status_code=303)
    return _form(request, reader)


@route(router, "POST", "/login", OPEN, include_in_schema=False)
async def login(
    request: Request,
    username: str = Form("", max_length=200),
    password: str = Form("", max_length=1024),
    next: str = Form("/"),
) -> Response:
    identity = request.app.state.identity
    outcome, raw = await _in_turn(identity.sign_in, username, password)
    if raw is None:
        await asyncio.sleep(FAILED_PAUSE_SECONDS)
        until = f"{outcome.locked_until:%Y-%m-%d %H:%M}" if outcome.locked_until else None
        status = 423 if outcome.refusal == "locked" else 401
        shown = {"problem": outcome.refusal, "locked_until": until, "username": username, "next": next}
        return _form(request, reader_of(request), status, **shown)
    answer = RedirectResponse(local_path(next), status_code=303)
    answer.set_cookie(SESSION_COOKIE, sign(identity.key, raw), httponly=True, samesite="lax", secure=_secure(request))
    answer.delete_cookie(PRE_SESSION_COOKIE)
    return answer


@route(router, "POST", "/logout", OPEN, include_in_schema=False)
def logout(request: Request) -> Response:
    reader = reader_of(request)
    if reader.holder is not None and reader.via == "session" and reader.binding:
        request.app.state.identity.sign_out(reader.binding, reader.holder.name)
    answer = RedirectResponse("/", status_code=303)
    answer.delete_cookie(SESSION_COOKIE)
    return answer
