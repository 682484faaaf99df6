"""What every response carries, what no request may weigh, which hosts are served, and what the live server does
not say about itself."""

from __future__ import annotations

import socket
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from prevdip.settings import Settings
from prevdip.web import create_app
from prevdip.web.security import inline_style_policy

URLS = [
    "/",
    "/index.json",
    "/login",
    "/static/css/prevdip.css",
    "/static/vendor/htmx-2.0.11.min.js",
    "/api/docs",
    "/openapi.json",
    "/no/such/page",
    "/response",
    "/admin/audit.json",
    "/events.json?category=picnic",
]


def _secure(headers: httpx.Headers) -> None:
    policy = headers["content-security-policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("url", URLS)
def test_every_response_carries_the_security_headers(client: TestClient, url: str) -> None:
    answer = client.get(url, follow_redirects=False)
    _secure(answer.headers)
    assert (answer.headers.get("cache-control") == "no-store") is not url.startswith("/static/")


def test_even_refusals_before_the_app_carry_them(client: TestClient) -> None:
    _secure(client.get("/", headers={"host": "attacker.example"}).headers)
    _secure(client.post("/gmcr", content=b"x" * 10, headers={"content-length": str(50_000_000)}).headers)


def test_the_brief_allows_only_its_own_stylesheet(client: TestClient) -> None:
    answer = client.get("/briefs/2022-09")
    policy = answer.headers["content-security-policy"]
    assert "style-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy
    assert policy == inline_style_policy(answer.text)
    assert "script-src 'self'" in policy and "<script" not in answer.text


def test_a_foreign_host_is_refused(client: TestClient) -> None:
    for host in ("attacker.example", "127.0.0.1.nip.io", "localhost.evil"):
        answer = client.get("/index.json", headers={"host": host})
        assert answer.status_code == 400 and "Invalid host header" in answer.text
    assert client.get("/index.json", headers={"host": "localhost:8000"}).status_code == 200


class Counting:
    """Counts what the upload handler was handed (it must never be reached for an oversized body)."""

    calls = 0


@pytest.fixture
def small(tmp_path: Path, bundle: Path, accounts_url: str, initialised: Callable[[Path], Path]) -> Iterator[TestClient]:
    from signing import sign_in

    workspace = initialised(tmp_path / "ws")
    settings = Settings(workspace=workspace, bundle=bundle, database_url=accounts_url, max_upload_bytes=1_500_000)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        yield sign_in(client, "officer")


def test_a_50_mb_upload_is_refused_before_it_is_read(small: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from prevdip.web.services import gmcr

    def never(raw: bytes, *, workspace: Path) -> tuple[str | None, list[str]]:
        Counting.calls += 1
        raise AssertionError("the upload handler was reached")

    monkeypatch.setattr(gmcr, "accept_upload", never)
    sent = 0

    def body() -> Iterator[bytes]:  # streamed, declared: 50 MB of it, counted as it is taken
        nonlocal sent
        for _ in range(50):
            sent += 1
            yield b"x" * 1_000_000

    tracemalloc.start()
    answer = small.post(
        "/gmcr", content=body(), headers={"content-length": str(50_000_000), "content-type": "multipart/form-data"}
    )
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert answer.status_code == 413 and "larger than this address accepts" in answer.json()["error"]["message"]
    assert Counting.calls == 0 and sent <= 1  # refused on its declared length: the body was never read
    assert peak < 20_000_000


def test_a_chunked_body_is_cut_off_at_the_limit(small: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from prevdip.web.services import gmcr

    monkeypatch.setattr(gmcr, "accept_upload", lambda raw, *, workspace: pytest.fail("the handler was reached"))

    def body() -> Iterator[bytes]:  # no declared length: refused once the bytes received pass the limit
        for _ in range(50):
            yield b"x" * 1_000_000

    multipart = {"content-type": "multipart/form-data; boundary=prevdip"}
    answer = small.post("/gmcr", content=body(), headers=multipart)
    assert answer.status_code == 413
    assert small.post("/login", content=b"x" * 2_100_000).status_code == 413  # the default limit elsewhere


def test_a_body_within_the_limit_still_reaches_the_form(small: TestClient) -> None:
    answer = small.post("/gmcr", files={"model": ("m.json", b"{}", "application/json")})
    assert answer.status_code == 422  # read and judged by the GMCR domain


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_live_server_names_no_server_and_sets_secure_cookies_behind_a_proxy(
    tmp_path: Path, bundle: Path, accounts_url: str, initialised: Callable[[Path], Path]
) -> None:
    """``prevdip serve``'s uvicorn options: no ``server`` header; ``X-Forwarded-Proto`` believed only from the
    configured proxy, which makes the sign-in cookie ``Secure``."""
    import threading

    import uvicorn

    from prevdip.cli.web import server_options

    settings = Settings(
        workspace=initialised(tmp_path / "ws"),
        bundle=bundle,
        database_url=accounts_url,
        forwarded_allow_ips=["127.0.0.1"],
    )  # type: ignore[arg-type]
    port = _free_port()
    options = server_options("127.0.0.1", port) | {"factory": False, "workers": None}
    server = uvicorn.Server(uvicorn.Config(create_app(settings), **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        plain = httpx.get(f"{base}/login")
        assert "server" not in plain.headers and plain.status_code == 200
        _secure(plain.headers)
        assert "Secure" not in plain.headers["set-cookie"]
        proxied = httpx.get(f"{base}/login", headers={"X-Forwarded-Proto": "https"})
        assert "Secure" in proxied.headers["set-cookie"]
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_forwarded_headers_from_anyone_else_are_ignored(client: TestClient) -> None:
    answer = client.get("/login", headers={"X-Forwarded-Proto": "https"}, follow_redirects=False)
    assert "Secure" not in answer.headers.get("set-cookie", "")
