"""Signing in to the dashboard in tests: the test accounts (one per role) and the sign-in a browser does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

#: Every test account's password (long enough, not a common one, not containing any account's name).
PASSWORD = "Vorukh intake at dawn, 2022"
#: The test accounts: each is named after its role; the government liaison speaks for Kyrgyzstan.
ACCOUNTS: dict[str, list[str]] = {"admin": [], "officer": [], "government": ["KGZ"], "partner": [], "monitor": []}


def make_accounts(url: str) -> None:
    """Migrate the database at ``url`` and add the test accounts."""
    from prevdip.accounts import add_user, open_accounts
    from prevdip.store import create_store_engine, upgrade

    engine = create_store_engine(url, must_exist=False)
    upgrade(engine)
    engine.dispose()
    with open_accounts("tests", url=url) as accounts:
        for name, countries in ACCOUNTS.items():
            add_user(accounts, name, name, password=PASSWORD, countries=countries)


def copy_accounts(template: Path, folder: Path) -> str:
    """The URL of a fresh copy of the accounts template in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, folder / "accounts.sqlite")
    return f"sqlite:///{folder / 'accounts.sqlite'}"


def csrf_of(html: str) -> str:
    """The CSRF token a page carries (a form's hidden field)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, html[:500]
    return found.group(1)


def sign_in(client: Any, name: str | None, password: str = PASSWORD) -> Any:
    """Sign ``client`` (a TestClient) in as ``name`` through the form, and send its CSRF token with every later
    request (as HTMX does); ``None`` leaves it a visitor. Returns the client."""
    if name is None:
        return client
    client.headers.pop("X-CSRF-Token", None)  # an earlier session's token would override the form's
    token = csrf_of(client.get("/login").text)
    done = client.post(
        "/login", data={"username": name, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303, done.text[:500]
    page = client.get("/login", follow_redirects=True)  # any page: it carries the session's CSRF token
    client.headers["X-CSRF-Token"] = csrf_of(page.text)
    return client


def sign_in_browser(page: Any, base: str, name: str, password: str = PASSWORD) -> None:
    """Sign a Playwright page in through the form, as a person would."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    assert page.locator(".who strong").inner_text() == name
