"""Photos and PDFs sent with a field report: checked by what they contain (never by their names), kept in the
workspace under their sha256 (``attachments/ab/abcd…``, mode 0600, written atomically), served only through the
report's own access rule, and carried by backups with the rest of the workspace.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from prevdip.errors import RefusedInput

FOLDER = "attachments"
IMAGES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PDF = "application/pdf"
MOST = 5  # attachments per revision


@dataclass(frozen=True)
class Attachment:
    """A checked attachment: its name as sent (shown, never trusted), what it is, and its bytes."""

    filename: str
    media_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _image_type(content: bytes) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format
            image.verify()  # the whole structure, not just the first bytes
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return IMAGES.get(kind or "")


def media_type(content: bytes) -> str | None:
    """``image/jpeg``, ``image/png``, ``image/webp`` or ``application/pdf`` by content; None for anything else."""
    if content.startswith(b"%PDF-"):
        return PDF if b"%%EOF" in content[-2048:] else None
    if content[:3] == b"\xff\xd8\xff" or content[:8] == b"\x89PNG\r\n\x1a\n" or content[8:12] == b"WEBP":
        return _image_type(content)
    return None


def safe_name(filename: str) -> str:
    """The file's own name without any folder, at most 120 characters (shown as text, stored as given)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "attachment"
    return name[:120]


def check(filename: str, content: bytes, *, limit: int, field: str = "attachments") -> Attachment:
    """The attachment, refused (naming ``field`` and the file) when it is too large or not a photo or PDF."""
    name = safe_name(filename)
    if len(content) > limit:
        raise RefusedInput(
            f"{field}: {name} is {len(content) / 1e6:.1f} MB; at most {limit / 1e6:.0f} MB each",
            hint="send a smaller photo (most phones can reduce the size) or split the PDF",
        )
    if not content:
        raise RefusedInput(f"{field}: {name} is empty", hint="choose the photo or PDF again")
    found = media_type(content)
    if found is None:
        raise RefusedInput(f"{field}: {name} is not a photo (JPEG, PNG, WebP) or a PDF", hint="attach photos or PDFs")
    return Attachment(name, found, content)


def stored_path(workspace: Path, sha256: str) -> Path:
    """Where the attachment with this sha256 is kept."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise RefusedInput(f"attachment: {sha256!r} is not a sha256", hint="use the link on the report's page")
    return workspace / FOLDER / sha256[:2] / sha256


def keep(workspace: Path, attachment: Attachment) -> str:
    """Store the attachment once under its sha256 (mode 0600), written to a temporary file and renamed; returns
    the sha256."""
    digest = attachment.sha256
    target = stored_path(workspace, digest)
    if target.is_file():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, staged = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(attachment.content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(staged, 0o600)
        os.replace(staged, target)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise
    return digest
