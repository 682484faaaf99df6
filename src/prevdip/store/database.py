"""``prevdip db``: where the configured database stands in its migration history, and moving it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from prevdip.settings import Settings, get_settings
from prevdip.store._engine import create_store_engine, masked
from prevdip.store._schema import current_revision, downgrade, head_revision, require_known_revision, upgrade
from prevdip.store.workspace import require_workspace


def configured_engine(settings: Settings | None = None, *, must_exist: bool = True) -> Engine:
    """An engine on the settings' database; the default SQLite one needs the workspace to exist."""
    settings = settings if settings is not None else get_settings()
    if settings.database_url is None:
        require_workspace(settings.workspace)
    return create_store_engine(settings.effective_database_url, must_exist=must_exist)


def database_status(settings: Settings | None = None) -> dict[str, Any]:
    """``{"database", "revision", "head", "at_head"}`` of the configured database."""
    engine = configured_engine(settings)
    try:
        revision = current_revision(engine)
        if revision is not None:
            require_known_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    return {"database": masked(engine.url), "revision": revision, "head": head, "at_head": revision == head}


def upgrade_database(revision: str = "head", settings: Settings | None = None) -> dict[str, Any]:
    """Migrate up; ``{"database", "from", "revision", "head"}``."""
    return _move(lambda engine: upgrade(engine, revision), settings, must_exist=False)


def downgrade_database(revision: str = "-1", settings: Settings | None = None) -> dict[str, Any]:
    """Migrate down (``-1`` one step, ``base`` to an empty schema); ``{"database", "from", "revision", "head"}``."""
    return _move(lambda engine: downgrade(engine, revision), settings, must_exist=True)


def _move(step: Callable[[Engine], str | None], settings: Settings | None, *, must_exist: bool) -> dict[str, Any]:
    engine = configured_engine(settings, must_exist=must_exist)
    try:
        before = current_revision(engine)
        after = step(engine)
    finally:
        engine.dispose()
    return {"database": masked(engine.url), "from": before, "revision": after, "head": head_revision()}
