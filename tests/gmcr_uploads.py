"""A GMCR model uploaded on the dashboard, as the dispute tests need one: an officer's copy of the shipped Elmira
model under a name of its own, in the JSON format the ``/gmcr`` upload takes, kept in a workspace exactly as that
upload keeps it (:func:`prevdip.gmcr.keep_upload`)."""

from __future__ import annotations

import json
from pathlib import Path

from prevdip.gmcr import case_path, keep_upload

#: The copy's own name: the title its pages must show.
TITLE = "Elmira, the centre's copy"


def officer_copy() -> bytes:
    """The upload's bytes: the shipped Elmira model renamed (so its content hash is its own)."""
    document = json.loads(case_path("elmira").read_text(encoding="utf-8")) | {"name": TITLE}
    return json.dumps(document).encode()


def uploaded(workspace: Path) -> str:
    """Keep the officer's copy in ``workspace`` as the upload does; its model id."""
    return keep_upload(officer_copy(), workspace)
