"""What every response carries and what every request may weigh: two small ASGI middlewares.

* :class:`SecurityHeaders` — a Content-Security-Policy that lets a page load and run only what this server sends
  (no inline script, no ``eval``: the charts compile with Vega's CSP-safe interpreter), forbids framing, and keeps
  the referrer on this site; ``nosniff``. A route that must allow a little more (the brief, one self-contained
  document with its own inline stylesheet) sets its own policy, which is then kept. Pages are ``Cache-Control:
  no-store`` (what one reader saw must not be served from a cache to the next); the static assets are not. A failure
  of the application itself is answered outside every middleware, by Starlette's outermost one, so its 500 gets the
  same headers from :func:`secure`, called by its handler (``web/_errors.py``).
* :class:`BodyLimit` — a request body larger than its route allows is refused with 413 *before* it is read: at once
  when its declared length says so, and as soon as the bytes received pass the limit otherwise (chunked bodies).

Host names are checked by Starlette's ``TrustedHostMiddleware`` (DNS rebinding), and ``X-Forwarded-Proto`` is
believed only from the configured proxies (uvicorn's ``ProxyHeadersMiddleware``); both are installed by the app
factory.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def content_security_policy(**more: str) -> str:
    """The policy, with some directives widened (``style_src="'self' 'sha256-…'"``)."""
    policy = POLICY | {name.replace("_", "-"): value for name, value in more.items()}
    return "; ".join(f"{name} {value}" for name, value in policy.items())


DEFAULT_POLICY = content_security_policy()
_STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.S)


def inline_style_policy(html: str) -> str:
    """The policy of a self-contained document: its own ``<style>`` blocks allowed by their hashes, nothing else."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode("ascii") + "'"
        for block in _STYLE_BLOCK.findall(html)
    )
    return content_security_policy(style_src=f"'self' {hashes}".strip())


def secure(headers: MutableHeaders, path: str) -> None:
    """Add the security headers a response lacks (a route's own policy is kept); pages are not to be cached."""
    headers.setdefault("Content-Security-Policy", DEFAULT_POLICY)
    for name, value in HEADERS.items():
        headers.setdefault(name, value)
    if not path.startswith("/static/"):
        headers.setdefault("Cache-Control", "no-store")


class SecurityHeaders:
    """Adds the security headers to every response (keeping a route's own Content-Security-Policy)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                secure(MutableHeaders(scope=message), scope["path"])
            await send(message)

        await self.app(scope, receive, with_headers)


def _too_large(limit: int) -> JSONResponse:
    message = f"the request body is larger than this address accepts ({limit:,} bytes)"
    hint = "send a smaller file; an administrator can raise PREVDIP_MAX_UPLOAD_BYTES / PREVDIP_MAX_BODY_BYTES"
    return JSONResponse({"error": {"status": 413, "message": message, "hint": hint}}, status_code=413)


class BodyLimit:
    """Refuses a request body over ``limit`` bytes (``upload_limit`` on the ``uploads`` paths, ``limits[path]`` on
    the paths given their own) with 413."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        upload_limit: int,
        uploads: Iterable[str],
        limits: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.limits = dict.fromkeys(uploads, upload_limit) | (limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.limit)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(limit)(scope, receive, send)  # refused before a byte of the body is read
            return
        seen = 0
        exceeded = False
        started = False

        async def counted() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    return {"type": "http.disconnect"}  # stop the reader: nothing more is taken in
            return message

        async def answer(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                started = True
                await _too_large(limit)(scope, receive, send)
                return
            if not exceeded:
                started = started or message["type"] == "http.response.start"
                await send(message)

        await self.app(scope, counted, answer)
        if exceeded and not started:
            await _too_large(limit)(scope, receive, send)
