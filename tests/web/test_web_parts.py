"""The small parts under the pages: content negotiation, the page cache, readings, figures and evidence."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from prevdip.briefs.locale import evidence_line, number
from prevdip.web import _cache
from prevdip.web._accept import _accepts_json
from prevdip.web._negotiation import _chart_json, encode_json
from prevdip.web._reading import reading_html


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/json", True),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),
        ("text/html;q=0.5, application/json", True),
        ("application/json;q=0, text/html", False),
        ("application/json;q=oops", False),
        ("", False),
        ("*/*", False),
    ],
)
def test_json_is_chosen_only_when_preferred(accept: str, expected: bool) -> None:
    assert _accepts_json(accept) is expected


def test_page_cache_follows_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, initialised: Callable[[Path], Path]
) -> None:
    initialised(tmp_path)  # a workspace as `prevdip init` makes it: the lake's readers refuse any other folder
    monkeypatch.setattr(_cache, "RESTAMP_SECONDS", 0.0)
    calls: list[str] = []

    @_cache.while_workspace_unchanged(maxsize=2)
    def page(unit: str, *, workspace: Path) -> dict[str, str]:
        calls.append(unit)
        return {"unit": unit}

    first = page("KGZ", workspace=tmp_path)
    assert page("KGZ", workspace=tmp_path) is first and calls == ["KGZ"]
    lake = tmp_path / "lake" / "events" / "source=field" / "year=2022"  # the lake's layout (docs/events.md)
    lake.mkdir(parents=True)
    (lake / "run-1.parquet").write_bytes(b"x")
    time.sleep(0.01)
    assert page("KGZ", workspace=tmp_path) is not first and calls == ["KGZ", "KGZ"]
    (tmp_path / "gmcr").mkdir()
    (tmp_path / "gmcr" / "upload.json").write_text("{}")  # the dashboard's own writes change nothing
    page("KGZ", workspace=tmp_path)
    assert calls == ["KGZ", "KGZ"]
    page("TJK", workspace=tmp_path), page("UZB", workspace=tmp_path), page("KGZ", workspace=tmp_path)
    assert calls[-1] == "KGZ"  # evicted: at most two answers kept


def test_readings_render_their_markdown_safely() -> None:
    html = str(reading_html("# Elmira *case*\n\n**The dispute.** MoE <script>\n- one\n  more\n- two\n\nEnd."))
    assert html.startswith("<h3>Elmira <em>case</em></h3>")
    assert "<strong>The dispute.</strong> MoE &lt;script&gt;" in html
    assert "<ul><li>one more</li><li>two</li></ul>" in html
    assert html.endswith("<p>End.</p>")


@pytest.mark.parametrize(
    ("value", "shown"),
    [(4163.58, "4,164"), (712.87, "712.9"), (0.9353, "0.935"), (2022, "2022"), (176579, "176,579"), (None, "—")],
)
def test_figures_read_naturally(value: float | None, shown: str) -> None:
    assert number(value) == shown


def test_evidence_reads_as_a_sentence() -> None:
    item = {
        "kind": "rule",
        "rule": "W1",
        "reason": "at least 25 deaths in the month",
        "condition": "deaths >= 25",
        "values": {"deaths": 150, "event_deaths": None},
    }
    assert evidence_line(item) == "rule W1: at least 25 deaths in the month (values deaths 150)"


def test_json_twins_carry_numpy_dates_and_no_nan() -> None:

    body = encode_json(
        {"n": np.int64(3), "x": np.float64(0.5), "month": date(2022, 9, 1), "gap": math.nan, "name": "Тоҷикистон"}
    )
    assert json.loads(body) == {"n": 3, "x": 0.5, "month": "2022-09-01", "gap": None, "name": "Тоҷикистон"}


def test_chart_specs_cannot_break_out_of_their_script_block() -> None:

    text = str(_chart_json({"title": "</script><script>alert(1)</script><!--"}))
    assert "<" not in text

    assert json.loads(text)["title"] == "</script><script>alert(1)</script><!--"


def test_the_page_cache_outlives_writes_to_the_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, initialised: Callable[[Path], Path]
) -> None:
    """Sessions and audited reads write to the SQLite database in the workspace all the time; pages never read it."""
    initialised(tmp_path)
    monkeypatch.setattr(_cache, "RESTAMP_SECONDS", 0.0)
    before = _cache.workspace_stamp(tmp_path)
    for name in ("prevdip.sqlite", "prevdip.sqlite-wal", "prevdip.sqlite-shm", "secret.key"):
        (tmp_path / name).write_bytes(b"records")
    assert _cache.workspace_stamp(tmp_path) == before
    (tmp_path / "vintages" / "v.json").write_text("{}")
    assert _cache.workspace_stamp(tmp_path) != before
