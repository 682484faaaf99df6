"""The layout of a prevdip backup archive, shared by backup and restore.

A gzip-compressed tar, in this order, so a restore reads it in one streaming pass and refuses a stranger at once:

1. ``prevdip-backup.json`` — what this is: format, prevdip version, the database's dialect, revision, record counts
   and sha256, and which member holds it;
2. ``database/prevdip.sqlite`` (a SQLite online-backup copy) or ``database/records.json`` (every record of a
   PostgreSQL database, see :mod:`prevdip.store._records`);
3. ``workspace/...`` — the workspace's folders and files byte for byte (lake, vintages, briefs);
4. ``workspace.sha256`` — ``sha256sum`` lines for every workspace file, checked on restore;
5. ``prevdip-backup.sig`` — only when the centre set a backup key (``PREVDIP_BACKUP_KEY``): an HMAC-SHA256, under
   that key, of the manifest and the checksum list — which between them name the sha256 of every other member — so a
   restore with the key can tell the centre's own backups from edited or foreign ones.

Format 1 (before the database checksum and the signature) is still restored; its database is checked only by the
backend's own integrity check.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import tarfile
import time
from pathlib import Path, PurePosixPath
from typing import IO, Any

from prevdip.catalogue import Workspace

MANIFEST = "prevdip-backup.json"
FORMAT = "prevdip-backup"
FORMAT_VERSION = 2
SIGNATURE = "prevdip-backup.sig"
SQLITE_MEMBER = "database/prevdip.sqlite"
RECORDS_MEMBER = "database/records.json"
WORKSPACE_PREFIX = "workspace"
CHECKSUMS = "workspace.sha256"

#: Not part of a backup: this machine's settings (they may hold the database password) stay where they are.
LOCAL_SETTINGS = Workspace.SETTINGS_FILE

_CHUNK = 1 << 20


def sqlite_companions(database: Path) -> set[Path]:
    """The database file and the journal files SQLite keeps beside it."""
    return {database, *(database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal"))}


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    """Add an in-memory member."""
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8")


def signature(key: str, manifest: bytes, checksums: bytes) -> str:
    """The HMAC-SHA256 that signs an archive: over its manifest and its checksum list, each length-prefixed."""
    message = b"".join(len(part).to_bytes(8, "big") + part for part in (manifest, checksums))
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_member(key: str, manifest: bytes, checksums: bytes) -> bytes:
    return json_bytes({"algorithm": "hmac-sha256", "signature": signature(key, manifest, checksums)})


def add_file(tar: tarfile.TarFile, path: Path, name: str) -> str:
    """Add a file, hashing it on the way in; returns its sha256."""
    info = tar.gettarinfo(str(path), arcname=name)
    digest = hashlib.sha256()
    with path.open("rb") as source:
        tar.addfile(info, _Hashing(source, digest))
    return digest.hexdigest()


def copy_out(source: IO[bytes], destination: Path, *, private: bool = False) -> str:
    """Write a member to ``destination`` (readable by its owner only when ``private``); returns its sha256."""
    digest = hashlib.sha256()
    destination.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    with os.fdopen(os.open(destination, flags, 0o600 if private else 0o644), "wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def safe_relative(name: str) -> PurePosixPath | None:
    """``name`` as a relative path that stays inside its folder, or ``None``."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Hashing(io.RawIOBase):
    """A reader that feeds what passes through it to a hash."""

    def __init__(self, source: IO[bytes], digest: Any) -> None:
        self._source = source
        self._digest = digest

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(size)
        self._digest.update(chunk)
        return chunk
