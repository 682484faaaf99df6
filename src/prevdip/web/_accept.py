"""Does a request ask for JSON? Read from its path (``.json``) and its Accept header, for the pages and for the
access rules alike (a program is refused in JSON, a person is sent to sign in)."""

from __future__ import annotations

from fastapi import Request


def _accepts_json(accept: str) -> bool:
    """True when ``application/json`` is acceptable at least as much as ``text/html``."""
    quality: dict[str, float] = {}
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        quality[media.strip().lower()] = q
    json_q = quality.get("application/json", 0.0)
    return json_q > 0 and json_q >= quality.get("text/html", 0.0)


def wants_json(request: Request) -> bool:
    """Does this request ask for the JSON twin?"""
    return request.url.path.endswith(".json") or _accepts_json(request.headers.get("accept", ""))
