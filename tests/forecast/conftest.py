"""The forecast target panel, loaded once per session from the reference bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from prevdip.forecast import TargetPanel, load_ucdp_best


@pytest.fixture(scope="session")
def panel(bundle: Path) -> TargetPanel:
    return load_ucdp_best(bundle)
