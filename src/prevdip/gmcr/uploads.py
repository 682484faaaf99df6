"""Models uploaded on the dashboard: where they live in a workspace, how they are kept and read, and how anything
else (a dispute of the register) refers to one.

One place for this, because three readers need it — the ``/gmcr`` page that keeps and reopens an upload, the
register that accepts a link to one only when it is there, and the dispute page that runs it. An upload is kept as
it was sent, under the first 16 hex digits of its SHA-256 (the same upload twice is one file), in the workspace's
``gmcr/models`` folder; it is checked before it is kept, so reading one back does not check it again. A reference
to it is ``upload:<model id>``, beside a shipped case's plain name (``rogun-vakhsh``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from prevdip.catalogue import Workspace
from prevdip.errors import NotFound

#: How a reference names an uploaded model rather than a shipped case.
UPLOAD = "upload:"
MODEL_ID = re.compile(r"[0-9a-f]{16}")
HINT = "upload it on the GMCR page (/gmcr), which gives its id"


def upload_reference(model_id: str) -> str:
    """The reference a dispute keeps for an uploaded model: ``upload:<model id>``."""
    return f"{UPLOAD}{model_id}"


def uploaded_id(reference: str) -> str | None:
    """The model id in ``upload:<model id>``; ``None`` for anything else (a shipped case's name)."""
    return reference[len(UPLOAD) :] if reference.startswith(UPLOAD) else None


def keep_upload(raw: bytes, workspace: Path) -> str:
    """Write a checked model atomically under its content hash; its id."""
    model_id = hashlib.sha256(raw).hexdigest()[:16]
    folder = Workspace(workspace).gmcr_models
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(raw)
    os.replace(temporary, folder / f"{model_id}.json")
    return model_id


def read_upload(model_id: str, workspace: Path) -> dict[str, Any]:
    """The uploaded model's own JSON; :class:`NotFound` when the workspace does not hold it (an id that is not 16
    hex digits never reaches the file system)."""
    path = Workspace(workspace).gmcr_models / f"{model_id}.json"
    if not MODEL_ID.fullmatch(model_id) or not path.is_file():
        raise NotFound(f"no uploaded GMCR model {model_id!r} in the workspace", hint=HINT)
    return dict(json.loads(path.read_text(encoding="utf-8")))
