"""The ACLED API: events as JSON pages, authorised by OAuth (e-mail and password → bearer token) or, for older
accounts, by access key and e-mail as query parameters.

Pages are requested until one comes back shorter than the limit. The events are written to a CSV in ACLED's export
layout, which :class:`~prevdip.events.connectors.acled.Acled` then ingests like a downloaded export; the deletions
list (``/api/deleted/read``: ``event_id_cnty``, ``deleted_timestamp``) is written the same way for
:class:`~prevdip.events.connectors.acled_deleted.AcledDeleted`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx

from prevdip.errors import RefusedInput
from prevdip.events.connectors.http import ApiSession, write_csv

BASE_URL = "https://acleddata.com"
ACCOUNT_HINT = "set PREVDIP_ACLED_EMAIL and PREVDIP_ACLED_PASSWORD (OAuth) or PREVDIP_ACLED_KEY (older accounts)"
EXPORT_COLUMNS = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 assoc_actor_1 inter1 "
    "actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country admin1 admin2 admin3 location "
    "latitude longitude geo_precision source source_scale notes fatalities tags timestamp"
).split()


class AcledApi:
    """A client of the ACLED API; give ``password`` for OAuth or ``key`` for key access (both with ``email``)."""

    def __init__(
        self,
        *,
        email: str,
        key: str | None = None,
        password: str | None = None,
        base_url: str = BASE_URL,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not (key or password):
            raise RefusedInput("ACLED needs a password or an access key", hint=ACCOUNT_HINT)
        self.base_url = base_url.rstrip("/")
        self.session = ApiSession(transport=transport, source="ACLED", credential="account", credentials=ACCOUNT_HINT)
        self.auth: dict[str, str] = {}
        if password:
            token = self.session.post_json(
                f"{self.base_url}/oauth/token",
                {"username": email, "password": password, "grant_type": "password", "client_id": "acled"},
            )
            access = token.get("access_token") if isinstance(token, dict) else None
            if not access:
                raise RefusedInput("ACLED answered the login without an access token", hint=ACCOUNT_HINT)
            self.session.client.headers["Authorization"] = f"Bearer {access}"
        else:
            self.auth = {"key": key or "", "email": email}

    @classmethod
    def from_settings(cls, **kwargs: Any) -> AcledApi:
        from prevdip.settings import get_settings

        settings = get_settings()
        password, key = settings.acled_password, settings.acled_key
        if not settings.acled_email or (password is None and key is None):
            raise RefusedInput("no ACLED account configured", hint=ACCOUNT_HINT)
        return cls(
            email=settings.acled_email,
            password=password.get_secret_value() if password else None,
            key=key.get_secret_value() if key and not password else None,
            **kwargs,
        )

    def events(self, params: Mapping[str, Any] | None = None, limit: int = 5000) -> Iterator[dict[str, Any]]:
        """Every event matching ``params`` (e.g. ``{"country": "Kyrgyzstan", "year": 2022}``)."""
        yield from self._read("acled", "events", params, limit)

    def deleted(self, params: Mapping[str, Any] | None = None, limit: int = 5000) -> Iterator[dict[str, Any]]:
        """Every deletion matching ``params`` (e.g. ``{"deleted_timestamp": 1656633600,
        "deleted_timestamp_where": ">="}``): ``{"event_id_cnty", "deleted_timestamp"}`` records."""
        yield from self._read("deleted", "deletions", params, limit)

    def _read(self, endpoint: str, what: str, params: Mapping[str, Any] | None, limit: int) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            query = {"_format": "json", "limit": limit, "page": page, **self.auth, **(params or {})}
            answer = self.session.get_json(f"{self.base_url}/api/{endpoint}/read", query)
            if not isinstance(answer, dict) or "data" not in answer:  # ACLED reports some errors in a 200 answer
                raise RefusedInput(f"ACLED did not answer with {what}", hint=str(answer)[:200])
            yield from answer["data"]
            if len(answer["data"]) < limit:
                return
            page += 1

    def download(
        self, folder: Path, params: Mapping[str, Any] | None = None, name: str = "acled-api.csv", limit: int = 5000
    ) -> Path:
        """Write the events to ``folder/name`` in ACLED's export layout; returns the path."""
        path = folder / name
        write_csv(path, EXPORT_COLUMNS, self.events(params, limit=limit))
        return path
