"""The HTTP side of the API connectors: one httpx client with retries (tenacity) for transient failures.

Timeouts, connection errors, 429 and 5xx answers are retried with exponential back-off (a ``Retry-After`` the
server sends is honoured up to a minute), a bounded number of times; any other error status is refused at once
with the URL and status, because retrying a 401 or 404 cannot help. A 401/403 names the credential to set, and a
service that stays down after every attempt raises :class:`SourceUnavailable` (exit 1: the input was fine).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import httpx
from tenacity import RetryCallState, retry, retry_if_exception, stop_after_attempt, wait_exponential
from tenacity.wait import wait_base

from prevdip.errors import RefusedInput

MAX_RETRY_AFTER = 60.0


class RequestRefused(RefusedInput):
    """A request the source answered with a 4xx: the status travels with the refusal (a GDELT slot never published
    answers 404 and is reported as missing), since httpx's own error is not chained — it prints secrets."""

    def __init__(self, message: str, *, hint: str | None = None, status: int) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class SourceUnavailable(RefusedInput):
    """A source that stayed unreachable or kept failing (5xx, 429, timeouts) after every retry.

    Not the user's input, so the CLI exits 1 rather than 2; still one line, because the fix is "try later".
    """

    exit_code = 1


def _transient(error: BaseException) -> bool:
    if isinstance(error, httpx.TransportError):
        return True
    return isinstance(error, httpx.HTTPStatusError) and (
        error.response.status_code == 429 or error.response.status_code >= 500
    )


class _BackOff(wait_base):
    """Exponential back-off, or the server's ``Retry-After`` (seconds) when it asks for longer, capped."""

    def __init__(self, multiplier: float = 0.5, maximum: float = 20) -> None:
        self.exponential = wait_exponential(multiplier=multiplier, max=maximum)

    def __call__(self, retry_state: RetryCallState) -> float:
        wait = float(self.exponential(retry_state))
        error = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(error, httpx.HTTPStatusError):
            after = error.response.headers.get("Retry-After", "").strip()
            if after.isdigit():
                wait = max(wait, min(float(after), MAX_RETRY_AFTER))
        return wait


class ApiSession:
    """GET/POST with retries; ``transport`` lets tests replay recorded responses.

    ``source``, ``credential`` and ``credentials`` make refusals speak the user's language ("UCDP refused the
    token — set PREVDIP_UCDP_TOKEN"). ``record``, when set, sees every successful response (the fetch command
    keeps the raw bytes of each page). ``wait`` is the back-off between attempts; tests replace it with
    ``wait_none()``.
    """

    wait: ClassVar[wait_base] = _BackOff()

    def __init__(
        self,
        *,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        attempts: int = 4,
        source: str = "the API",
        credential: str = "credentials",
        credentials: str = "check the access token or key",
    ) -> None:
        self.client = httpx.Client(
            headers=dict(headers or {}),
            transport=transport,
            timeout=60,
            follow_redirects=True,
            event_hooks={"request": [self._keep_credentials_home]},
        )
        self.credential_headers = frozenset(name.lower() for name in headers or {})
        self.home: str | None = None  # the host each call is made to; its redirects elsewhere lose the headers
        self.attempts = attempts
        self.source = source
        self.credential = credential
        self.credentials = credentials
        self.record: Callable[[httpx.Response], None] | None = None

    def _keep_credentials_home(self, request: httpx.Request) -> None:
        """httpx drops only ``Authorization`` when a redirect leaves the origin; the headers this session was made
        with (UCDP's ``x-ucdp-access-token``) must not reach another host either."""
        if self.home is not None and request.url.host != self.home:
            for name in self.credential_headers:
                request.headers.pop(name, None)

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> httpx.Response:
        """The successful response (2xx) to a GET, after retries."""
        return self._call("GET", url, params=params)

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._json(self.get(url, params))

    def post_json(self, url: str, data: Mapping[str, Any]) -> Any:
        return self._json(self._call("POST", url, data=data))

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as error:  # a maintenance page served with 200
            raise SourceUnavailable(
                f"{self.source} answered {public_url(response.request.url)} with something other than JSON "
                f"({response.headers.get('content-type', 'no content type')})",
                hint="the service may be under maintenance; try again later; nothing was written",
            ) from error

    def _call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        self.home = httpx.URL(url).host

        @retry(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(self.attempts),
            wait=type(self).wait,
            reraise=True,
        )
        def once() -> httpx.Response:
            response = self.client.request(method, url, **kwargs)
            response.raise_for_status()
            return response

        try:
            response = once()
        # ``from None``: httpx's own errors print the full URL, query keys and e-mail included, and ``--debug``
        # shows chained exceptions; the refusal says what happened with the secrets masked.
        except httpx.HTTPStatusError as error:
            raise self._refusal(method, error) from None
        except httpx.TransportError as error:
            raise SourceUnavailable(
                f"could not reach {self.source} ({method} {public_url(url)}) after {self.attempts} "
                f"attempts: {type(error).__name__}",
                hint="check the network or proxy and try again; nothing was written",
            ) from None
        if self.record is not None:
            self.record(response)
        return response

    def _refusal(self, method: str, error: httpx.HTTPStatusError) -> RefusedInput:
        status = error.response.status_code
        where = f"{method} {public_url(error.request.url)} answered {status}"
        if status in (401, 403):
            return RequestRefused(
                f"{self.source} refused the {self.credential}: {where}", hint=self.credentials, status=status
            )
        if status == 429 or status >= 500:
            return SourceUnavailable(
                f"{self.source} kept failing after {self.attempts} attempts: {where}",
                hint="the service is busy or down; try again later; nothing was written",
            )
        detail = error.response.text.strip().replace("\n", " ")[:200]
        return RequestRefused(
            f"{self.source} refused the request: {where}" + (f" ({detail})" if detail else ""),
            hint="check the request (version, dates, countries)",
            status=status,
        )

    def close(self) -> None:
        self.client.close()


SECRET_PARAMS = frozenset({"key", "email", "password", "token", "access_token"})


def public_url(url: httpx.URL | str) -> str:
    """The URL with credentials in its query (ACLED's ``key`` and ``email``) masked, for messages and manifests."""
    url = httpx.URL(url)
    if not any(name in SECRET_PARAMS for name in url.params):
        return str(url)
    params = [(k, "***" if k in SECRET_PARAMS else v) for k, v in url.params.multi_items()]
    return str(url.copy_with(params=params))


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
