"""The layout of a prevdip backup archive, shared by backup and restore.

A gzip-compressed tar, in this order, so a restore reads it in one streaming pass and refuses a stranger at once:

1. ``prevdip-backup.json`` — what this is: format, prevdip version, the database's dialect, revision and
   record counts, and which member holds it;
2. ``database/prevdip.sqlite`` (a SQLite online-backup copy) or ``database/records.json`` (every record of a
   PostgreSQL database, see :mod:`prevdip.store._records`);
3. ``workspace/...`` — the workspace's folders and files byte for byte (lake, vintages, briefs);
4. ``workspace.sha256`` — ``sha256sum`` lines for every workspace file, checked on restore.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import time
from pathlib import Path, PurePosixPath
from typing import IO, Any

from prevdip.catalogue import Workspace

MANIFEST = "prevdip-backup.json"
FORMAT = "prevdip-backup"
FORMAT_VERSION = 1
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


def add_json(tar: tarfile.TarFile, name: str, data: Any) -> None:
    add_bytes(tar, name, json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"))


def add_file(tar: tarfile.TarFile, path: Path, name: str) -> str:
    """Add a file, hashing it on the way in; returns its sha256."""
    info = tar.gettarinfo(str(path), arcname=name)
    digest = hashlib.sha256()
    with path.open("rb") as source:
        tar.addfile(info, _Hashing(source, digest))
    return digest.hexdigest()


def copy_out(source: IO[bytes], destination: Path) -> str:
    """Write a member to ``destination``; returns its sha256."""
    digest = hashlib.sha256()
    destination.parent.mkdir(parents=True, exist_ok=True)
    with destination.open("wb") as out:
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
