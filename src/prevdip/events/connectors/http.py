"""The HTTP side of the API connectors: one httpx client with retries (tenacity) for transient failures.

Timeouts, connection errors, 429 and 5xx answers are retried with exponential back-off; any other error status is
refused with the URL and status, because retrying a 401 or 404 cannot help.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

from prevdip.errors import RefusedInput


def _transient(error: BaseException) -> bool:
    if isinstance(error, httpx.TransportError):
        return True
    return isinstance(error, httpx.HTTPStatusError) and (
        error.response.status_code == 429 or error.response.status_code >= 500
    )


class ApiSession:
    """GET/POST JSON with retries; ``transport`` lets tests replay recorded responses."""

    def __init__(
        self,
        *,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        attempts: int = 4,
    ) -> None:
        self.client = httpx.Client(headers=dict(headers or {}), transport=transport, timeout=60, follow_redirects=True)
        self.attempts = attempts

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._call("GET", url, params=params)

    def post_json(self, url: str, data: Mapping[str, Any]) -> Any:
        return self._call("POST", url, data=data)

    def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        @retry(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=0.5, max=20),
            reraise=True,
        )
        def once() -> Any:
            response = self.client.request(method, url, **kwargs)
            response.raise_for_status()
            return response.json()

        try:
            return once()
        except httpx.HTTPStatusError as error:
            status = error.response.status_code
            hint = "check the access token or key" if status in (401, 403) else "check the request"
            raise RefusedInput(f"{method} {error.request.url} answered {status}", hint=hint) from error
        except httpx.TransportError as error:
            raise RefusedInput(f"{method} {url} failed: {error}", hint="check the network") from error

    def close(self) -> None:
        self.client.close()


def write_csv(path: Path, columns: Sequence[str], records: Iterable[Mapping[str, Any]]) -> int:
    """Records as a CSV in the source's own column layout (what the file connectors read); returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for record in records:
            writer.writerow(["" if record.get(c) is None else record.get(c) for c in columns])
            count += 1
    return count
