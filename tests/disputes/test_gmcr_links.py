"""Linking a dispute on the register to its GMCR models: a shipped case by name, or a model uploaded on the
dashboard as ``upload:<model id>`` — accepted only while the workspace holds it, one audit entry per change,
nothing written when refused; unlinking asks nothing of the workspace, so a model gone from it can be unlinked."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from gmcr_uploads import uploaded
from prevdip.catalogue import Workspace
from prevdip.disputes import Register, add_dispute, link_gmcr, show_dispute, unlink_gmcr
from prevdip.errors import RefusedInput
from prevdip.store import open_store

Opener = Callable[..., AbstractContextManager[Register]]


def _links(register: Opener, dispute_id: str) -> list[str]:
    with register() as opened:
        return show_dispute(opened, dispute_id).gmcr_cases


def _audit(url: str) -> list[tuple[str, str, object, object]]:
    with open_store(url) as store:
        return [(e.who, e.what, e.before, e.after) for e in store.audit.recent(limit=1000)]


def test_a_link_to_an_upload_is_accepted_only_while_the_workspace_holds_it(
    register: Opener, records_url: str, workspace: Path
) -> None:
    model_id = uploaded(workspace)
    assert _links(register, "rogun-dam") == ["rogun-vakhsh"]
    before = _audit(records_url)
    for reference, expected in (
        ("upload:deadbeefdeadbeef", r"^gmcr_cases: no uploaded GMCR model 'deadbeefdeadbeef' in the workspace"),
        ("upload:../../etc/passwd", r"^gmcr_cases: String should match pattern"),
        ("sokh", r"^gmcr_cases: no shipped case named 'sokh'"),
        ("rogun-vakhsh", r"^dispute: rogun-dam already links 'rogun-vakhsh'"),
    ):
        with pytest.raises(RefusedInput, match=expected) as refused, register() as opened:
            link_gmcr(opened, "rogun-dam", reference, workspace=workspace)
        if reference.startswith("upload:dead"):
            assert refused.value.hint is not None and "upload it on the GMCR page" in refused.value.hint
    assert _links(register, "rogun-dam") == ["rogun-vakhsh"] and _audit(records_url) == before  # nothing written

    with register("a.officer") as opened:
        linked = link_gmcr(opened, "rogun-dam", f" upload:{model_id} ", workspace=workspace)
    assert linked.gmcr_cases == ["rogun-vakhsh", f"upload:{model_id}"] == _links(register, "rogun-dam")
    assert _audit(records_url)[0] == (
        "a.officer",
        "dispute:rogun-dam",
        {"gmcr_cases": ["rogun-vakhsh"]},
        {"gmcr_cases": ["rogun-vakhsh", f"upload:{model_id}"]},
    )
    with pytest.raises(RefusedInput, match="already links"), register() as opened:
        link_gmcr(opened, "rogun-dam", f"upload:{model_id}", workspace=workspace)


def test_a_new_dispute_may_link_a_stored_upload(register: Opener, workspace: Path) -> None:
    model_id = uploaded(workspace)
    data = {
        "id": "sokh-enclave", "name": {"en": "Sokh enclave", "ru": "Сохский анклав"}, "parties": ["UZB", "KGZ"],
        "issues": ["border_enclaves"], "priority_group": "border_disputes", "summary": "An Uzbek enclave.",
        "history": [{"phase": "latent", "date": "1991-12-26", "sources": [{"outlet": "Archontology.org"}]}],
    }  # fmt: skip
    with pytest.raises(RefusedInput, match="no uploaded GMCR model 'ffffffffffffffff'"), register() as opened:
        add_dispute(opened, data | {"gmcr_cases": ["upload:ffffffffffffffff"]})
    with register() as opened:
        made = add_dispute(opened, data | {"gmcr_cases": [f"upload:{model_id}"]})
    assert made.gmcr_cases == [f"upload:{model_id}"]


def test_an_upload_gone_from_the_workspace_can_still_be_unlinked(
    register: Opener, records_url: str, workspace: Path
) -> None:
    model_id = uploaded(workspace)
    with register() as opened:
        link_gmcr(opened, "kgz-uzb-border", f"upload:{model_id}", workspace=workspace)
    (Workspace(workspace).gmcr_models / f"{model_id}.json").unlink()
    with pytest.raises(RefusedInput, match=r"kgz-uzb-border does not link 'elmira'") as refused, register() as opened:
        unlink_gmcr(opened, "kgz-uzb-border", "elmira")
    assert refused.value.hint == f"it links: upload:{model_id}"
    with register("a.officer") as opened:
        assert unlink_gmcr(opened, "kgz-uzb-border", f"upload:{model_id}").gmcr_cases == []
    assert _links(register, "kgz-uzb-border") == []
    assert _audit(records_url)[0][1:] == (
        "dispute:kgz-uzb-border",
        {"gmcr_cases": [f"upload:{model_id}"]},
        {"gmcr_cases": []},
    )
