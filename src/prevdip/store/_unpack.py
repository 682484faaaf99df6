"""Reading a backup archive in one streaming pass: refuse a stranger at once, check every member's sha256.

Only regular files and folders under ``workspace/`` are unpacked, each to a path that stays inside the staging
folder; links, devices and anything else mean the archive is not one ``prevdip backup`` wrote — and so does a
settings file (``workspace/prevdip.toml``): a restore never installs settings. gzip's own CRC is checked too (read
as a stream, tarfile would not). Everything is checked — every file and the database against their sha256, the
signature when a backup key is set — before the caller touches the workspace or the database.
"""

from __future__ import annotations

import gzip
import hmac
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
    LOCAL_SETTINGS,
    MANIFEST,
    RECORDS_MEMBER,
    SIGNATURE,
    SQLITE_MEMBER,
    WORKSPACE_PREFIX,
    copy_out,
    safe_relative,
    signature,
)
from prevdip.store._schema import is_known

_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Unpacked:
    """A checked archive: the database's revision, copy and record counts, how many workspace files were unpacked,
    and whether its signature was verified."""

    revision: str
    database_member: str
    database: Path
    files: int
    records: dict[str, int]
    signed: bool


def unpack(archive: Path, staging: Path, scratch: Path, *, key: str | None = None) -> Unpacked:
    """Stream the archive into ``staging`` (workspace) and ``scratch`` (database), checking every member; with a
    backup ``key``, the archive must carry a signature made with it."""
    try:
        with archive.open("rb") as raw:
            compressed = raw.read(2) == _GZIP_MAGIC
            raw.seek(0)
            stream: Any = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                found = _members(archive, tar, staging, scratch)
            while stream.read(1 << 20):  # to the end, so gzip checks its CRC and length
                pass
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError) as problem:
        raise _not_a_backup(archive, f"it cannot be read ({problem})") from None
    return _checked(archive, found, key)


@dataclass
class _Found:
    manifest: dict[str, Any]
    manifest_bytes: bytes
    database: Path | None = None
    database_sha256: str | None = None
    checksums: bytes | None = None
    signature: dict[str, Any] | None = None
    hashes: dict[str, str] | None = None


def _members(archive: Path, tar: tarfile.TarFile, staging: Path, scratch: Path) -> _Found:
    members = iter(tar)
    first = next(members, None)
    if first is None or first.name != MANIFEST or not first.isfile():
        raise _not_a_backup(archive, f"it does not start with {MANIFEST}")
    data = _open(tar, first).read()
    found = _Found(_read_manifest(archive, data), data, hashes={})
    database_member = found.manifest["database"]["member"]
    for member in members:
        if member.name == database_member and member.isfile():
            found.database = scratch / Path(database_member).name
            found.database_sha256 = copy_out(_open(tar, member), found.database, private=True)
        elif member.name == CHECKSUMS and member.isfile():
            found.checksums = _open(tar, member).read()
        elif member.name == SIGNATURE and member.isfile():
            found.signature = _read_signature(archive, _open(tar, member).read())
        else:
            assert found.hashes is not None
            _unpack_workspace_member(archive, tar, member, staging, found.hashes)
    return found


def _checked(archive: Path, found: _Found, key: str | None) -> Unpacked:
    """Every check on what was read, before anything is put in place."""
    if found.database is None or found.checksums is None:
        raise _not_a_backup(archive, "it is incomplete (truncated?)")
    assert found.hashes is not None
    database = found.manifest["database"]
    listed = database.get("sha256")
    if listed is not None and listed != found.database_sha256:
        raise RefusedInput(
            f"{archive} is damaged: its database ({database['member']}) does not match its sha256",
            hint="take the backup again, or use another copy",
        )
    _check_hashes(archive, found.hashes, _read_checksums(found.checksums.decode("utf-8")))
    signed = _check_signature(archive, found, key)
    records = {str(k): int(v) for k, v in dict(database.get("records") or {}).items()}
    return Unpacked(str(database["revision"]), database["member"], found.database, len(found.hashes), records, signed)


def _check_signature(archive: Path, found: _Found, key: str | None) -> bool:
    """With a key: the signature must be there and right. Without one, a signature cannot be checked: not used."""
    if key is None:
        return False
    if found.signature is None:
        raise RefusedInput(
            f"{archive} is not signed, and this centre restores only backups signed with its backup key",
            hint="restore a backup made with PREVDIP_BACKUP_KEY set, or unset the key to restore an unsigned one",
        )
    assert found.checksums is not None
    expected = signature(key, found.manifest_bytes, found.checksums)
    if not hmac.compare_digest(expected, str(found.signature.get("signature", ""))):
        raise RefusedInput(
            f"{archive} is not signed with this centre's backup key: it was changed after the backup, or comes from "
            "elsewhere",
            hint="use a backup the centre made itself (check PREVDIP_BACKUP_KEY)",
        )
    return True


def _read_signature(archive: Path, data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data)
        if document["algorithm"] != "hmac-sha256":
            raise ValueError(document["algorithm"])
        return dict(document)
    except (ValueError, KeyError, TypeError):
        raise _not_a_backup(archive, f"its {SIGNATURE} is not a prevdip signature") from None


def _unpack_workspace_member(
    archive: Path, tar: tarfile.TarFile, member: tarfile.TarInfo, staging: Path, hashes: dict[str, str]
) -> None:
    prefix = WORKSPACE_PREFIX + "/"
    relative = safe_relative(member.name[len(prefix) :]) if member.name.startswith(prefix) else None
    if relative is None or not (member.isdir() or member.isfile()):
        raise _not_a_backup(archive, f"it holds an unexpected member {member.name!r}")
    if relative.as_posix() == LOCAL_SETTINGS:
        raise _not_a_backup(archive, f"it carries settings ({member.name}), which a restore never installs")
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


def _read_manifest(archive: Path, data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
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
