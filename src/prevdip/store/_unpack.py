"""Reading a backup archive in one streaming pass: refuse a stranger at once, check every file's sha256.

Only regular files and folders under ``workspace/`` are unpacked, each to a path that stays inside the staging
folder; links, devices and anything else mean the archive is not one ``prevdip backup`` wrote.
"""

from __future__ import annotations

import gzip
import json
import os
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from prevdip.errors import RefusedInput
from prevdip.store._archive import (
    CHECKSUMS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    RECORDS_MEMBER,
    SQLITE_MEMBER,
    WORKSPACE_PREFIX,
    copy_out,
    safe_relative,
)
from prevdip.store._schema import is_known


@dataclass(frozen=True)
class Unpacked:
    """A checked archive: the database's revision and copy, and how many workspace files were unpacked."""

    revision: str
    database_member: str
    database: Path
    files: int


def unpack(archive: Path, staging: Path, scratch: Path) -> Unpacked:
    """Stream the archive into ``staging`` (workspace) and ``scratch`` (database), checking every file."""
    try:
        with tarfile.open(archive, "r|*") as tar:
            members = iter(tar)
            first = next(members, None)
            if first is None or first.name != MANIFEST or not first.isfile():
                raise _not_a_backup(archive, f"it does not start with {MANIFEST}")
            manifest = _read_manifest(archive, tar.extractfile(first))
            database_member = manifest["database"]["member"]
            database: Path | None = None
            hashes: dict[str, str] = {}
            listed: dict[str, str] | None = None
            for member in members:
                if member.name == database_member and member.isfile():
                    database = scratch / Path(database_member).name
                    copy_out(_open(tar, member), database)
                elif member.name == CHECKSUMS and member.isfile():
                    listed = _read_checksums(_open(tar, member).read().decode("utf-8"))
                else:
                    _unpack_workspace_member(archive, tar, member, staging, hashes)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError) as problem:
        raise _not_a_backup(archive, f"it cannot be read ({problem})") from None
    if database is None or listed is None:
        raise _not_a_backup(archive, "it is incomplete (truncated?)")
    _check_hashes(archive, hashes, listed)
    return Unpacked(manifest["database"]["revision"], database_member, database, len(hashes))


def _unpack_workspace_member(
    archive: Path, tar: tarfile.TarFile, member: tarfile.TarInfo, staging: Path, hashes: dict[str, str]
) -> None:
    prefix = WORKSPACE_PREFIX + "/"
    relative = safe_relative(member.name[len(prefix) :]) if member.name.startswith(prefix) else None
    if relative is None or not (member.isdir() or member.isfile()):
        raise _not_a_backup(archive, f"it holds an unexpected member {member.name!r}")
    destination = staging.joinpath(*relative.parts)
    if member.isdir():
        destination.mkdir(parents=True, exist_ok=True)
        return
    hashes[relative.as_posix()] = copy_out(_open(tar, member), destination)
    if not member.mode & 0o077:  # kept from others in the workspace (attachments, the key): so it stays
        os.chmod(destination, 0o600)
    os.utime(destination, (member.mtime, member.mtime))


def _open(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = tar.extractfile(member)
    assert handle is not None  # regular files always have content
    return handle


def _read_manifest(archive: Path, handle: IO[bytes] | None) -> dict[str, Any]:
    try:
        manifest = json.loads(handle.read() if handle else b"")
        database = manifest["database"]
        ok = manifest["format"] == FORMAT and database["member"] in (SQLITE_MEMBER, RECORDS_MEMBER)
        version, revision = int(manifest["format_version"]), str(database["revision"])
    except (ValueError, KeyError, TypeError):
        raise _not_a_backup(archive, f"its {MANIFEST} is not a prevdip manifest") from None
    if not ok:
        raise _not_a_backup(archive, f"its {MANIFEST} is not a prevdip manifest")
    if version > FORMAT_VERSION or not is_known(revision):
        raise RefusedInput(
            f"{archive} was made by a newer prevdip (format {version}, database revision {revision!r})",
            hint="upgrade prevdip to restore it",
        )
    return dict(manifest)


def _read_checksums(text: str) -> dict[str, str]:
    listed: dict[str, str] = {}
    for line in text.splitlines():
        sha, _, name = line.partition("  ")
        listed[name] = sha
    return listed


def _check_hashes(archive: Path, hashes: dict[str, str], listed: dict[str, str]) -> None:
    for name in sorted(set(hashes) | set(listed)):
        if hashes.get(name) != listed.get(name):
            raise RefusedInput(
                f"{archive} is damaged: workspace file {name} does not match its sha256",
                hint="take the backup again, or use another copy",
            )


def _not_a_backup(archive: Path, why: str) -> RefusedInput:
    return RefusedInput(f"{archive} is not a prevdip backup: {why}", hint="give a FILE written by `prevdip backup`")
