"""Red-team findings at the sign-in form: forty sign-ins sent at once took forty Argon2 hashes at once (64 MiB each,
1.3 GB in all) — now a few at a time, the rest waiting in the event loop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from pathlib import Path

import httpx
import pytest

from prevdip.accounts import passwords
from prevdip.settings import Settings
from prevdip.web import _signin, create_app
from signing import csrf_of

AT_ONCE = 8


def test_passwords_are_checked_a_few_at_a_time(
    tmp_path: Path, bundle: Path, accounts_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, most = 0, 0
    lock = threading.Lock()
    real_verify = passwords.verify

    def watched(stored: str | None, password: str) -> bool:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            time.sleep(0.1)  # long enough for every sign-in sent at once to have started its check
            return real_verify(stored, password)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(passwords, "verify", watched)
    monkeypatch.setattr(_signin, "FAILED_PAUSE_SECONDS", 0.0)
    settings = Settings(workspace=tmp_path / "ws", bundle=bundle, database_url=accounts_url)  # type: ignore[arg-type]
    app = create_app(settings)

    async def attempt(number: int) -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            form = csrf_of((await client.get("/login")).text)
            names = ("officer", "government", "nobody-at-all", "partner")  # known and unknown names alike
            sent = {"username": names[number % 4], "password": f"guess {number}", "csrf_token": form}
            return (await client.post("/login", data=sent)).status_code

    async def burst() -> list[int]:
        return await asyncio.gather(*(attempt(n) for n in range(AT_ONCE)))

    # a loop of its own in a thread of its own: a browser test earlier in this worker may leave Playwright's loop
    # running in the main thread, where asyncio.run refuses to start another
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as own:
        answers = own.submit(asyncio.run, burst()).result()
    assert answers == [401] * AT_ONCE
    assert 1 <= most <= _signin.CHECKED_AT_ONCE, f"{most} passwords checked at once"
