"""One download: raw files in ``<workspace>/downloads/<source>/<timestamp>/`` with a ``manifest.json``, all or nothing.

Files are written to a hidden ``.partial-<pid>-<id>`` folder beside the final one and renamed into place only when
every response has arrived and the manifest is written, so a failed or interrupted fetch leaves no half-written
download behind (a partial folder whose process is gone is removed by the next fetch of the same source). The
manifest says, for every file, where it came from (URL without credentials), when, the HTTP status, its size and
SHA-256 — enough to check a file later or cite the exact request.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from prevdip.catalogue import Workspace
from prevdip.errors import RefusedInput
from prevdip.events.connectors.http import public_url

MANIFEST = "manifest.json"
Progress = Callable[[str, int], None]
"""Told the name and size of every file as it arrives (the CLI shows a spinner on long fetches)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _remove_abandoned(folder: Path) -> None:
    """Partial folders of fetches whose process died (``kill -9``, power cut)."""
    for partial in folder.glob(".partial-*"):
        pid = partial.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(partial, ignore_errors=True)


@dataclass
class Download:
    """A download being written; use as a context manager: the folder appears only if the block succeeds."""

    workspace: Path
    source: str
    request: dict[str, Any]
    started_at: str = field(default_factory=_now)
    files: list[dict[str, Any]] = field(default_factory=list)
    progress: Progress | None = None
    folder: Path | None = None  # the final folder, once committed

    def __post_init__(self) -> None:
        self.root = Workspace(self.workspace).downloads / self.source
        self.root.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(self.root)
        self.partial = self.root / f".partial-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.partial.mkdir()

    def __enter__(self) -> Download:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self._commit()
        else:
            shutil.rmtree(self.partial, ignore_errors=True)

    def path(self, name: str) -> Path:
        """Where to write file ``name`` now (inside the partial folder)."""
        return self.partial / name

    def save_response(self, name: str, response: httpx.Response) -> Path:
        """Keep a response's body exactly as received, with its provenance."""
        path = self.path(name)
        path.write_bytes(response.content)
        self._add(path, url=public_url(response.request.url), status=response.status_code)
        if self.progress is not None:
            self.progress(name, len(response.content))
        return path

    def add_derived(self, path: Path, derived_from: str, **extra: Any) -> None:
        """Record a file prevdip wrote from the raw ones (the CSV that ingest reads)."""
        self._add(path, derived_from=derived_from, **extra)

    def _add(self, path: Path, **extra: Any) -> None:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        self.files.append({"file": path.name, "fetched_at": _now(), "bytes": len(data), "sha256": digest} | extra)

    def manifest(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "request": self.request,
            "started_at": self.started_at,
            "finished_at": _now(),
            "files": self.files,
        }

    def _commit(self) -> None:
        (self.partial / MANIFEST).write_text(json.dumps(self.manifest(), indent=1) + "\n", encoding="utf-8")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        for n in range(1000):
            final = self.root / (stamp if n == 0 else f"{stamp}-{n}")
            try:
                self.partial.rename(final)  # atomic; refuses an existing non-empty folder
            except OSError:
                if final.exists():
                    continue
                raise
            self.folder = final
            return
        raise RuntimeError(f"no free download folder name under {self.root}")

    def final_path(self, name: str) -> Path:
        """Where file ``name`` lives after the commit."""
        if self.folder is None:
            raise RuntimeError("the download is not committed yet")
        return self.folder / name


def ingest_download(connector: str, files: list[Path], *, region: str | None = None) -> dict[str, Any]:
    """Ingest committed download files; a refusal says where the (complete) download is, to fix and re-ingest."""
    from prevdip.events.ingestion import ingest

    try:
        return ingest(connector, files, region=region).as_dict()
    except RefusedInput as refusal:
        raise type(refusal)(
            f"downloaded to {files[0].parent}, but ingest refused it: {refusal.message}", hint=refusal.hint
        ) from refusal
