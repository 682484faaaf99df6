"""Who may open which route, and as which audience.

Every route declares one :class:`Access` rule where it is declared (``page(path, ..., access=PUBLIC_BOARD)``);
the rules are kept in one table, :data:`ROUTES`, and :func:`guard` — a dependency of every router — enforces them
before a handler runs (and :func:`csrf` checks the token of a state-changing request). A route missing from the
table is refused (fail closed), and a test walks ``app.routes`` so
that a new page cannot be added without its rule.

The reader's audience comes from their role only (:mod:`prevdip.accounts.roles`); ``?audience=`` may narrow it,
never widen it (:func:`audience_for`: 403). A visitor who has not signed in reads as the public when the
``public_access`` setting is ``public``, and is otherwise sent to the sign-in page (HTML) or answered 401 (JSON).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal
from urllib.parse import quote

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Mount, Route

from prevdip.accounts import AUDIENCE, CENTRE_STAFF, FIELD_REPORTERS, Holder, Role
from prevdip.accounts.keys import keyed, same, unsign
from prevdip.events.sharing import Audience, narrows
from prevdip.events.sharing import audience as parse_audience
from prevdip.web._accept import wants_json


class Access(StrEnum):
    """The rule of a route."""

    open = "open"  # anyone, always: sign-in, sign-out, the static assets (code and styles, no data)
    public_board = "public board"  # every signed-in role; visitors too when public access is on
    field_reporters = "field reporters"  # monitors, officers and administrators: filing field reports
    centre_staff = "centre staff"  # officers and administrators
    admin = "admin"  # administrators


OPEN, PUBLIC_BOARD, CENTRE_STAFF_ONLY, ADMIN = Access.open, Access.public_board, Access.centre_staff, Access.admin
FIELD_REPORTERS_ONLY = Access.field_reporters
STAFF_ONLY = frozenset({Access.centre_staff, Access.admin})  # what the centre's staff alone may open: reads audited
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SESSION_COOKIE = "prevdip_session"
PRE_SESSION_COOKIE = "prevdip_pre"  # binds the sign-in form's CSRF token before there is a session
CSRF_FIELD, CSRF_HEADER = "csrf_token", "x-csrf-token"


class RouteTable:
    """The one table of access rules, by method and path (as declared, e.g. ``/countries/{iso3}``)."""

    def __init__(self) -> None:
        self._rules: dict[tuple[str, str], Access] = {}
        self.uploads: set[str] = set()  # paths whose bodies may be as large as an upload
        self.with_attachments: set[str] = set()  # paths that take field reports' photos and PDFs

    def declare(self, method: str, path: str, access: Access) -> None:
        """Record the rule of a route; declaring one route twice with different rules is a mistake."""
        key = (method.upper(), path)
        if self._rules.get(key, access) is not access:
            raise ValueError(f"{method} {path} already has the rule {self._rules[key]}")
        self._rules[key] = access

    def rule(self, method: str, path: str) -> Access | None:
        """The rule of a route (HEAD answers as GET does)."""
        return self._rules.get(("GET" if method.upper() == "HEAD" else method.upper(), path))

    def items(self) -> list[tuple[tuple[str, str], Access]]:
        return sorted(self._rules.items())

    def unruled(self, routes: Iterable[BaseRoute]) -> list[str]:
        """The routes of an application that have no rule (there must be none: the app factory refuses them)."""
        return [f"{method} {path}" for method, path in served(routes) if self.rule(method, path) is None]


def served(routes: Iterable[BaseRoute]) -> list[tuple[str, str]]:
    """Every (method, path) an application serves, walking into included routers; a mount is served at its path
    for GET (and HEAD)."""
    found: list[tuple[str, str]] = []
    for item in routes:
        included = getattr(item, "original_router", None)
        if included is not None:
            found += served(included.routes)
        elif isinstance(item, Mount):
            found += [("GET", item.path), ("HEAD", item.path)]
        elif isinstance(item, Route):
            found += [(method, item.path) for method in sorted(item.methods or ())]
        else:
            found.append(("?", str(getattr(item, "path", item))))
    return found


ROUTES = RouteTable()


@dataclass(frozen=True)
class Reader:
    """Whoever sent a request: their account (if signed in), their audience (None: may read nothing), how they
    proved it, and what their CSRF token is bound to (the session id, or the sign-in form's pre-session value)."""

    holder: Holder | None
    audience: Audience | None
    via: Literal["session", "token", "anonymous", "bad token"]
    binding: str | None = None

    @property
    def name(self) -> str:
        return self.holder.name if self.holder else "anonymous"

    @property
    def role(self) -> Role | None:
        return Role(self.holder.role) if self.holder else None

    @property
    def staff(self) -> bool:
        return self.role in CENTRE_STAFF

    def admitted(self, rule: Access) -> bool:
        """Whether this reader may open a route with ``rule``."""
        if rule is Access.open:
            return True
        if rule is Access.public_board:
            return self.audience is not None
        if rule is Access.centre_staff:
            return self.staff
        if rule is Access.field_reporters:
            return self.role in FIELD_REPORTERS
        return self.role is Role.admin


def reader_of(request: Request) -> Reader:
    """The reader of this request (worked out once per request: a bearer token, else the session cookie)."""
    known = getattr(request.state, "reader", None)
    if isinstance(known, Reader):
        return known
    identity = request.app.state.identity
    public = request.app.state.settings.public_access == "public"
    anonymous = Audience.public if public else None
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    reader: Reader
    if scheme.lower() == "bearer" and credential.strip():
        holder = identity.token_holder(credential.strip())
        reader = Reader(holder, AUDIENCE[Role(holder.role)], "token") if holder else Reader(None, None, "bad token")
    else:
        raw = unsign(identity.key, request.cookies.get(SESSION_COOKIE))
        holder = identity.session_holder(raw) if raw else None
        if holder is not None:
            reader = Reader(holder, AUDIENCE[Role(holder.role)], "session", raw)
        else:
            reader = Reader(None, anonymous, "anonymous", request.cookies.get(PRE_SESSION_COOKIE))
    request.state.reader = reader
    return reader


class SignInNeeded(Exception):
    """A visitor asked for what needs an account: the sign-in page (HTML) or 401 (JSON) answers."""


def refuse(reader: Reader) -> None:
    """Raise the refusal that fits: sign in (nobody signed in), or 403 (signed in, but not allowed)."""
    if reader.via == "bad token":
        raise HTTPException(401, "the API token is not valid (unknown or revoked)", {"WWW-Authenticate": "Bearer"})
    if reader.holder is None:
        raise SignInNeeded()
    raise HTTPException(403, f"the role {reader.role} may not open this page")


def sign_in_url(request: Request) -> str:
    """The sign-in page, coming back here afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(here, safe='/')}"


def local_path(target: str | None) -> str:
    """``target`` when it is a path on this site, else ``/`` (no open redirect through ``?next=``)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return "/"
    return target


def csrf_token(request: Request, reader: Reader) -> str | None:
    """The CSRF token of this reader's forms (None before a sign-in form has bound one)."""
    if reader.binding is None:
        return None
    return keyed(request.app.state.identity.key, "csrf", reader.binding)


def guard(request: Request) -> None:
    """Enforce the route's rule before its handler runs, and note a centre reader's read of centre-internal material.

    A plain function, so FastAPI runs it in the thread pool: working out the reader reads the database, which must
    not hold up the event loop."""
    route = request.scope.get("route")
    rule = ROUTES.rule(request.method, getattr(route, "path", ""))
    reader = reader_of(request)
    if rule is None:
        raise HTTPException(403, "this route has no access rule")
    if not reader.admitted(rule) or reader.via == "bad token":
        refuse(reader)
    if rule is not Access.open and reader.audience is Audience.centre:
        staff_only = rule in STAFF_ONLY and request.method not in STATE_CHANGING  # a read, not an upload
        request.app.state.trail.centre_read(request, reader, staff_only=staff_only)


async def csrf(request: Request) -> None:
    """Refuse a state-changing request without the reader's CSRF token (the ``X-CSRF-Token`` header, or the form's
    ``csrf_token`` field); a request with a bearer token carries no ambient credential and needs none."""
    if request.method not in STATE_CHANGING:
        return
    reader = reader_of(request)  # worked out by the guard, which runs first
    if reader.via == "token":
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and "form" in request.headers.get("content-type", ""):
        field = (await request.form()).get(CSRF_FIELD)
        given = field if isinstance(field, str) else None
    expected = csrf_token(request, reader)
    if expected is None or not same(expected, given):
        raise HTTPException(403, "the form's security token is missing or out of date: reload the page")


def audience_for(reader: Reader, asked: str | None, default: Audience | None = None) -> Audience:
    """The audience to serve: ``asked`` when it narrows the reader's own, else the reader's (or ``default``, when
    that narrows it); asking for more than the role may see is 403."""
    own = reader.audience
    if own is None:
        raise SignInNeeded()
    if asked:
        wanted = parse_audience(asked)
        if not narrows(wanted, own):
            raise HTTPException(403, f"the audience {wanted.value!r} sees more than the role {reader.role} may")
        return wanted
    return default if default is not None and narrows(default, own) else own


def require(request: Request, reader: Reader, rule: Access) -> None:
    """A further check inside a handler whose route serves two kinds of content (the GMCR page's uploads); a read
    of what the centre's staff alone may open is audited, as the guard does for whole routes."""
    if not reader.admitted(rule):
        refuse(reader)
    if rule in STAFF_ONLY:
        request.app.state.trail.centre_read(request, reader, staff_only=True)


def answers_json(request: Request) -> bool:
    """Whether a refusal should be JSON (a program) rather than a redirect to the sign-in page (a person)."""
    return wants_json(request) or "authorization" in request.headers
