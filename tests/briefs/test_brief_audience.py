"""The brief leaves the centre: a field report its audience may not see is absent from every part of it (quoted
text, reporter, counts), in HTML and in PDF, while the centre's own brief carries it."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from test_brief_render import POPPLER
from typer.testing import CliRunner

from prevdip.briefs import render_html
from prevdip.cli.app import app
from prevdip.events import ingest
from prevdip.events.sharing import Audience
from prevdip.months import Month
from prevdip.situation import monthly_brief

MONTH = "2022-09"
SECRET = "Quillfeather saw sappers at the Vorukh canal intake"
SECRET_REPORTER = "monitor Corvina"
SHARED = "Talks resumed at the Isfara post"
PUBLIC = "A convoy crossed near Batken"


def _report(report_id: str, day: int, country: str, text: str, reporter: str, sharing: str) -> dict[str, Any]:
    return {
        "report_id": report_id,
        "date": f"{MONTH}-{day:02d}",
        "place": text.split()[-1],
        "country": country,
        "what_happened": text,
        "category": "border_incident",
        "reporter": reporter,
        "confidence": "medium",
        "sharing": sharing,
    }


REPORTS = [
    _report("FR-INT-1", 16, "TJK", SECRET, SECRET_REPORTER, "centre-internal"),
    _report("FR-GOV-1", 15, "TJK", SHARED, "monitor Birch", "governments"),
    _report("FR-PUB-1", 14, "KGZ", PUBLIC, "monitor Amber", "public"),
]


@pytest.fixture(scope="module")
def tiered(
    tmp_path_factory: pytest.TempPathFactory,
    bundle: Path,
    series_lake: Path,
    pointing_at: Callable[[Path, Path], AbstractContextManager[Any]],
) -> Iterator[Path]:
    """A workspace whose lake holds three field reports of September 2022, one per tier, ingested for real beside
    the bundle's series."""
    folder = tmp_path_factory.mktemp("tiers")
    shutil.copytree(series_lake, folder / "workspace")
    reports = folder / "reports.json"
    reports.write_text(json.dumps({"reports": REPORTS}), encoding="utf-8")
    with pointing_at(folder / "workspace", bundle):
        assert ingest("field", [reports]).accepted == 3
        yield folder / "workspace"


@pytest.fixture(scope="module")
def briefs(tiered: Path, bundle: Path) -> dict[Audience, tuple[dict[str, Any], str]]:
    """Each audience's brief: its content and its HTML."""
    out = {}
    for reader in Audience:
        content = monthly_brief(Month.parse(MONTH), workspace=tiered, audience=reader)
        out[reader] = (content.as_json(), render_html(content, bundle=bundle))
    return out


def _border_events(content: dict[str, Any], iso3: str) -> int:
    return int(content["priority_groups"]["groups"]["border_disputes"]["countries"].get(iso3, 0))


@pytest.mark.slow
def test_each_audience_reads_only_its_reports(briefs: dict[Audience, tuple[dict[str, Any], str]]) -> None:
    centre, governments, public = (briefs[a] for a in (Audience.centre, Audience.governments, Audience.public))
    for content, html in (governments, public):
        document = json.dumps(content) + html
        assert SECRET not in document and SECRET_REPORTER not in document and "FR-INT-1" not in document
        assert "monitor Birch" not in document  # monitors are named only inside the centre
    assert SHARED in governments[1] and SHARED not in public[1]
    assert PUBLIC in public[1] and PUBLIC in governments[1]
    assert SECRET in centre[1] and SECRET_REPORTER in centre[1]
    # the counts change with what is seen: no figure betrays a hidden report
    assert (_border_events(centre[0], "TJK"), _border_events(governments[0], "TJK")) == (2, 1)
    assert _border_events(public[0], "TJK") == 0 and _border_events(public[0], "KGZ") == 1
    assert governments[0]["field_reports"]["count"] == 2 and public[0]["field_reports"]["count"] == 1
    # a server path stays inside the centre
    assert str(centre[0]["workspace"]) in centre[1]
    assert governments[0]["workspace"] is None and "from workspace" not in governments[1]
    # every brief says who it is for
    assert "Audience: governments." in governments[1] and "centre-internal are left out" in governments[1]
    assert "Do not pass it outside the centre." in centre[1]


@pytest.mark.slow
@POPPLER
def test_pdf_text_of_the_governments_and_centre_briefs(tiered: Path) -> None:
    def pdf_text(*extra: str) -> tuple[dict[str, Any], str]:
        result = CliRunner().invoke(app, ["brief", "--month", MONTH, "--format", "pdf", "--json", *extra])
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        text = subprocess.run(["pdftotext", summary["path"], "-"], capture_output=True, text=True, check=True).stdout
        return summary, " ".join(text.split())  # lines joined: table cells wrap

    summary, governments = pdf_text()
    assert summary["audience"] == "governments" and summary["path"].endswith(f"brief-{MONTH}.pdf")
    assert "Quillfeather" not in governments and "Corvina" not in governments and "Talks resumed" in governments
    summary, centre = pdf_text("--audience", "centre")
    assert summary["path"].endswith(f"brief-{MONTH}-centre.pdf")
    assert "Quillfeather" in centre and "Corvina" in centre


def test_unknown_audience_is_refused_before_anything_is_written(workspace: Path) -> None:
    result = CliRunner().invoke(app, ["brief", "--month", MONTH, "--audience", "ministers"])
    assert result.exit_code == 2
    assert "unknown audience 'ministers'" in result.output and "centre, governments, partners, public" in result.output
    assert list((workspace / "briefs").iterdir()) == []  # nothing written


@pytest.mark.slow
def test_the_cycle_never_reuses_a_brief_written_before_briefs_had_audiences(tiered: Path) -> None:
    from datetime import date

    from prevdip.cycle import CycleReport, write_current_brief

    folder = tiered / "briefs"
    folder.mkdir(exist_ok=True)
    for fmt in ("html", "pdf"):  # what an earlier prevdip left under this name: a brief staged on the full lake
        (folder / f"brief-{MONTH}.{fmt}").write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    first = CycleReport(month=Month.of(date(2022, 9, 1)))
    write_current_brief(first)
    assert [b["reused"] for b in first.steps[0]["briefs"]] == [False] * 4  # English and Russian, HTML and PDF
    html = (folder / f"brief-{MONTH}.html").read_text(encoding="utf-8")
    assert SECRET not in html and "Audience: governments." in html
    assert SECRET.encode() not in (folder / f"brief-{MONTH}.pdf").read_bytes()
    again = CycleReport(month=Month.of(date(2022, 9, 1)))
    write_current_brief(again)
    assert [b["reused"] for b in again.steps[0]["briefs"]] == [True] * 4  # its own briefs stand while unchanged


@pytest.mark.slow
def test_the_crisis_forecast_is_withheld_where_reports_are_hidden(
    briefs: dict[Audience, tuple[dict[str, Any], str]],
) -> None:
    """P(crisis) learns from stages that count every report: a brief for an audience the lake hides reports from
    carries none, raises no warning on it, and says why; the centre's brief keeps it."""
    for reader, withheld in ((Audience.centre, False), (Audience.governments, True), (Audience.public, True)):
        content, html = briefs[reader]
        assert content["crisis_withheld"] is withheld
        assert ("is left out of this brief, and raises no warning" in html) is withheld
        if withheld:
            assert all(row["p_crisis"] is None for row in content["forecast"].get("units", []))
            reasons = [r for w in content["warnings"].get("warnings", []) for r in w["reasons"]]
            assert not any("forecast P(crisis" in r for r in reasons)
