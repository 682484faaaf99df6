"""One typed Settings class, built by :func:`get_settings`, never at import time.

Sources, strongest first: keyword overrides, environment (``PREVDIP_*``), ``prevdip.toml`` in the workspace,
then defaults. The workspace itself is read from the environment first, because the TOML file lives inside it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from prevdip.catalogue import BUNDLE, Workspace


def _default_bundle() -> Path | None:
    """``../shared/data`` beside the checkout (or the current folder) when it exists."""
    candidates = [
        Path.cwd() / ".." / "shared" / "data",
        Path(__file__).resolve().parents[2] / ".." / "shared" / "data",
    ]
    for candidate in candidates:
        if (candidate / BUNDLE.manifest).is_file():
            return candidate.resolve()
    return None


def _workspace_from_env() -> Path:
    return Path(os.environ.get("PREVDIP_WORKSPACE", "workspace"))


#: A list setting written in the environment as comma-separated words (``PREVDIP_ALLOWED_HOSTS=a.org,localhost``).
Words = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    """prevdip's effective settings; ``prevdip settings --json`` prints them with secrets masked."""

    model_config = SettingsConfigDict(env_prefix="PREVDIP_", env_ignore_empty=True, extra="ignore")

    workspace: Path = Field(
        default_factory=_workspace_from_env, description="Folder holding lake, database, vintages, briefs."
    )
    database_url: SecretStr | None = Field(
        default=None, description="SQLAlchemy URL of the system of record; default SQLite in the workspace."
    )
    bundle: Path | None = Field(default_factory=_default_bundle, description="The reference data bundle.")
    log_level: str = Field(default="WARNING", description="Python logging level.")
    acled_key: SecretStr | None = Field(default=None, description="ACLED API key, for the optional download.")
    acled_email: str | None = Field(default=None, description="ACLED account e-mail, for the optional download.")
    acled_password: SecretStr | None = Field(
        default=None, description="ACLED account password (OAuth, ACLED's current API), for the optional download."
    )
    ucdp_token: SecretStr | None = Field(default=None, description="UCDP API access token, when configured.")
    backup_key: SecretStr | None = Field(
        default=None,
        description="Key that signs backups (HMAC-SHA256); when set, restores refuse unsigned or wrongly signed ones.",
    )
    public_access: Literal["public", "none"] = Field(
        default="none",
        description="What a visitor who has not signed in sees on the dashboard: the public board, or nothing.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs session cookies and CSRF tokens; default: one generated into the workspace.",
    )
    allowed_hosts: Words = Field(
        default_factory=lambda: ["127.0.0.1", "localhost"],
        description="Host names the dashboard answers to (others are refused: DNS rebinding).",
    )
    forwarded_allow_ips: Words = Field(
        default_factory=list,
        description="Addresses of the reverse proxy whose X-Forwarded-Proto/-For headers are believed.",
    )
    session_idle_minutes: int = Field(default=30, ge=1, description="A session unused this long ends.")
    session_hours: int = Field(default=12, ge=1, description="A session ends this long after sign-in, used or not.")
    max_body_bytes: int = Field(default=2_000_000, ge=1024, description="Largest request body on most routes.")
    max_upload_bytes: int = Field(default=2_000_000, ge=1024, description="Largest request body of an upload.")
    max_attachment_bytes: int = Field(
        default=10_000_000, ge=1024, description="Largest photo or PDF sent with a field report (each of up to five)."
    )

    @field_validator("allowed_hosts", "forwarded_allow_ips", mode="before")
    @classmethod
    def _words(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [word.strip() for word in value.split(",") if word.strip()]
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"unknown log level {value!r}; use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=Workspace(_workspace_from_env()).settings_file)
        return init_settings, env_settings, toml, file_secret_settings

    @property
    def effective_database_url(self) -> str:
        """The URL in force: the configured one, or SQLite inside the workspace."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{Workspace(self.workspace).database_file.resolve()}"

    def masked(self) -> dict[str, Any]:
        """Settings as JSON-ready values, passwords and tokens replaced by ``***``."""
        from sqlalchemy.engine import make_url

        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = "***"
            out[name] = str(value) if isinstance(value, Path) else value
        # The database URL is useful to see; only its password is a secret.
        out["database_url"] = make_url(self.effective_database_url).render_as_string(hide_password=True)
        return out


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests call ``get_settings.cache_clear()`` after changing the environment."""
    return Settings()


def resolve_workspace(workspace: Path | None = None) -> Path:
    """The workspace a call works in: the one given, else the settings' — as an absolute path, so that caches
    keyed on it do not split between two spellings of one folder."""
    return (workspace if workspace is not None else get_settings().workspace).resolve()
