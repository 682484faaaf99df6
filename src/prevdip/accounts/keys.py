"""The dashboard's signing key, and the few keyed digests built on it.

The key signs session cookies and derives CSRF tokens. It is ``PREVDIP_SECRET_KEY`` when set, or else one key
generated once into the workspace (``secret.key``, mode 0600), so every ``prevdip serve --workers N`` process signs
alike. Session ids and API tokens are stored as plain SHA-256 digests of 256-bit random values: the key is not
needed to check them, and neither the key nor a backup of the database lets anyone sign in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import tempfile

from prevdip.settings import Settings

KEY_FILE = "secret.key"


def secret_key(settings: Settings) -> bytes:
    """The configured key, or the workspace's own (made on first use, atomically: two workers agree)."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode("utf-8")
    path = settings.workspace / KEY_FILE
    if not path.is_file():
        settings.workspace.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=settings.workspace, prefix=".secret-", suffix=".part")
        try:
            os.write(handle, secrets.token_hex(32).encode("ascii"))
            os.close(handle)
            os.link(temporary, path)  # fails if another process was first: its key is then the one
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_bytes().strip()


def new_secret() -> str:
    """A fresh random value for a session id or an API token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    """The SHA-256 (hex) under which a session id or token is stored."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def keyed(key: bytes, purpose: str, value: str) -> str:
    """HMAC-SHA-256 of ``value`` for one ``purpose`` (URL-safe): a CSRF token, a cookie signature."""
    mac = hmac.new(key, f"{purpose}\x1f{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def sign(key: bytes, value: str) -> str:
    """``value`` with its signature, for a cookie."""
    return f"{value}.{keyed(key, 'cookie', value)}"


def unsign(key: bytes, signed: str | None) -> str | None:
    """The value of a signed cookie, or None when it is missing or its signature does not match."""
    value, _, signature = (signed or "").rpartition(".")
    if not value or not same(keyed(key, "cookie", value), signature):  # bytes: a non-ASCII cookie is just wrong
        return None
    return value


def same(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a token with what the client sent."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
