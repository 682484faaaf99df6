"""What the dashboard's browser tests share: a page's JavaScript errors, watched as a person's console would show
them (a broken chart or script fails the test, not only a missing element)."""

from __future__ import annotations

from playwright.sync_api import Page


def watch_console(page: Page) -> list[str]:
    """The errors ``page`` logs from now on, console errors and uncaught exceptions alike (filled as it runs)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda problem: errors.append(str(problem)))
    return errors
