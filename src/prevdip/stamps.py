"""Stamps: short fingerprints of a set of files, for what must be redone when they change and kept while they do not.

A cache of pages, a published backtest, a frozen vintage and a written brief all depend on files of the workspace.
Each asks for the stamp of the files it depends on — the lake's (:func:`prevdip.events.lake_stamp`), the published
forecasts' (:func:`prevdip.forecast.published_stamp`) — instead of walking folders its own way. A stamp is computed
from names, sizes and (for the few small files that are rewritten in place) content, never from a full read of the
lake.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Stamp:
    """The fingerprint of a set of files: ``digest`` changes whenever one is added, removed or changed."""

    digest: str
    files: int
    changed: float  # the newest modification time (seconds since the epoch), 0.0 for no file

    @property
    def empty(self) -> bool:
        return self.files == 0


def stamp(entries: Iterable[tuple[str, str]], changed: float = 0.0) -> Stamp:
    """The stamp of ``(name, identity)`` entries — a file's name with what identifies its content (size for a file
    that is never rewritten, :func:`content_digest` for one that is)."""
    digest = hashlib.sha256()
    count = 0
    for name, identity in sorted(entries):
        digest.update(f"{name}\0{identity}\n".encode())
        count += 1
    return Stamp(digest.hexdigest(), count, changed)


_digests: dict[Path, tuple[int, int, str]] = {}
_lock = threading.Lock()


def content_digest(path: Path) -> str:
    """SHA-256 of a small file's content, remembered while its size and modification time stay the same."""
    info = path.stat()
    with _lock:
        known = _digests.get(path)
    if known is not None and known[:2] == (info.st_size, info.st_mtime_ns):
        return known[2]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with _lock:
        _digests[path] = (info.st_size, info.st_mtime_ns, digest)
    return digest
