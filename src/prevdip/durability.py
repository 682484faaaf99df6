"""What makes a write survive a crash or a power cut, and the named moments at which the tests kill prevdip.

The rule everywhere: a file is flushed to the disk (``fsync``) before anything that makes it visible — the database
commit of an ingest run, the rename that puts a file in place, the manifest that lists it — and the folder holding a
rename is flushed after it, because on Linux a rename lives in its folder, not in the file. So after a crash, what a
reader can see was on the disk, whole.

Crash points: ``PREVDIP_CRASH_AT=<name>`` makes prevdip kill itself (SIGKILL, as a power cut or ``kill -9`` would)
when it reaches that moment. The tests start prevdip in a subprocess with it to prove that a crash exactly there loses
nothing and is finished or undone by the next command. Names: ``lake-after-commit``, ``lake-mid-publish``,
``lake-before-manifest`` (ingest); ``restore-unpacked``, ``restore-before-database`` (PostgreSQL: the journal
written, the transaction not committed), ``restore-between-renames`` (restore); ``backup-mid-archive`` (backup).
"""

from __future__ import annotations

import contextlib
import os
import signal
import uuid
from pathlib import Path

CRASH_VARIABLE = "PREVDIP_CRASH_AT"

#: Temporary copies and backups hold the system of record: readable by their owner only.
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def crash_point(name: str) -> None:
    """Die here, as ``kill -9`` would, when the tests ask for it (``PREVDIP_CRASH_AT=name``)."""
    if os.environ.get(CRASH_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def fsync_file(path: Path) -> None:
    """Flush a file's bytes to the disk (a read-only descriptor flushes the file all the same on Linux)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_folder(path: Path) -> None:
    """Flush a folder's entries (the renames and new files in it) to the disk."""
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_tree(root: Path) -> None:
    """Flush every file and folder under ``root`` (a staged run, an unpacked backup) before it is made visible."""
    for folder, _, names in os.walk(root):
        for name in names:
            fsync_file(Path(folder) / name)
        fsync_folder(Path(folder))


def private_folder(path: Path) -> Path:
    """Create ``path`` (not there before) readable by its owner only."""
    path.mkdir(mode=PRIVATE_FOLDER)
    path.chmod(PRIVATE_FOLDER)  # mkdir's mode is masked by the umask
    return path


def write_atomically(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` in one step: written beside it, flushed, renamed over it, folder flushed.

    A reader sees the old content or the new, never a part; a crash leaves at worst a hidden ``.tmp`` file, which
    the next writer of the same folder may delete.
    """
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    fsync_folder(path.parent)
