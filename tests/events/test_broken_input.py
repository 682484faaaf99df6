"""Files that crashed the connectors or changed values silently (issue 18, defects 6 and 9): each is quarantined with
its reason, or refused in one line with exit 2. Every file is a real bundle file (or ACLED's export layout, see
``conftest.py``) broken the way files break in transit: cut off, a quote lost, bytes of another encoding, binary.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.errors import RefusedInput
from prevdip.events import ingest
from prevdip.events.lake import event_files

runner = CliRunner()


def _quarantined(run_id: str) -> list[tuple[int, str]]:
    from prevdip.store import open_store

    with open_store() as store:
        return sorted((q.row_number, q.reason) for q in store.quarantine.of_run(run_id))


def _gdelt_lines(bundle: Path, n: int) -> list[bytes]:
    return (bundle / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv").read_bytes().split(b"\n")[:n]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- truncated files and lost quotes ------------------------------------------------------------------------------


def test_a_file_cut_inside_a_quoted_field(workspace: Path, acled_file: Callable[..., Path]) -> None:
    whole = acled_file({}, {"event_id_cnty": "KGZ3002"}).read_text(encoding="utf-8")
    cut = whole[: whole.rindex("Kok-Tash, Batken.")]  # the download stopped inside the second row's notes
    path = acled_file(name="cut.csv")
    path.write_text(cut, encoding="utf-8")
    report = ingest("acled", [path])
    assert (report.rows, report.accepted, report.quarantined) == (2, 1, 1)
    assert _quarantined(report.run_id) == [(3, "truncated: file ends inside a quoted field (opened on line 3)")]
    assert report.warnings == [f"{path}: the file looks truncated (it ends inside a quoted field opened on line 3)"]
    shown = runner.invoke(app, ["ingest", "acled", str(path)])
    assert shown.exit_code == 0 and "looks truncated" in shown.stdout


def test_a_lost_closing_quote_swallows_the_next_row(workspace: Path, acled_file: Callable[..., Path]) -> None:
    rows = [{}, {"event_id_cnty": "KGZ3002"}, {"event_id_cnty": "KGZ3003"}, {"event_id_cnty": "KGZ3004"}]
    text = acled_file(*rows).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[2] = lines[2].replace('Batken.",', "Batken.,", 1)  # row 2 (line 3) lost the quote closing its notes
    path = acled_file(name="lost-quote.csv")
    path.write_text("".join(lines), encoding="utf-8")
    report = ingest("acled", [path])
    # Four lines of rows: the good first and last rows, and the two lines the lost quote ran together.
    assert (report.rows, report.accepted, report.quarantined) == (4, 2, 2)
    assert _quarantined(report.run_id) == [
        (3, "broken record: unbalanced quote swallowed line 4"),
        (4, "broken record: swallowed by the unbalanced quote on line 3"),
    ]


def test_a_real_multi_line_record_is_still_one_row(workspace: Path, bundle: Path) -> None:
    """TFDD's summaries span lines inside quotes: that is not a swallowed row."""
    report = ingest("tfdd-bar", [bundle / "tfdd" / "bar_events_CA_AFG_or_ARAL.csv"])
    assert (report.rows, report.quarantined, report.warnings) == (344, report.reasons.get("bad date", 0), [])


def test_gdelt_last_line_without_a_line_end_is_a_cut_download(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    lines = _gdelt_lines(bundle, 3)
    path = _write(tmp_path, "events.export.CSV", b"\n".join(lines[:2]) + b"\n" + lines[2][:-12])  # URL cut short
    report = ingest("gdelt", [path])
    assert (report.rows, report.accepted, report.reasons) == (3, 2, {"truncated": 1})
    assert report.warnings and "looks truncated" in report.warnings[0]
    short = _write(tmp_path, "short.export.CSV", b"\n".join(lines[:2]) + b"\n" + lines[2][:60])  # cut mid-line
    cut = ingest("gdelt", [short])
    assert cut.reasons == {"wrong field count": 1} and "looks truncated" in cut.warnings[0]


# --- GDELT: bytes, binary, long fields, carriage returns, UTF-16 --------------------------------------------------


def test_gdelt_short_row_with_a_non_utf8_byte(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    lines = _gdelt_lines(bundle, 3)
    path = _write(tmp_path, "events.export.CSV", b"\n".join([*lines, b"123\t\xff\xfe"]) + b"\n")
    report = ingest("gdelt", [path])
    assert (report.rows, report.accepted, report.reasons) == (4, 3, {"wrong field count": 1})
    assert _quarantined(report.run_id)[0][0] == 4


def test_gdelt_random_binary_after_good_rows(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    rng = random.Random(18)
    junk = bytes(rng.randrange(1, 256) for _ in range(70_000)).replace(b"\x00", b"")  # past the 64 KB head
    path = _write(tmp_path, "events.export.CSV", b"\n".join(_gdelt_lines(bundle, 3)) + b"\n" + junk + b"\n")
    report = ingest("gdelt", [path])
    assert report.accepted == 3
    assert report.rows == report.accepted + report.quarantined and report.quarantined == junk.count(b"\n") + 1


def test_gdelt_binary_file_is_refused_in_one_line(workspace: Path, tmp_path: Path) -> None:
    path = _write(tmp_path, "events.export.CSV", os.urandom(4096) + b"\x00")
    result = runner.invoke(app, ["ingest", "gdelt", str(path)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "binary data" in result.stderr
    assert event_files(workspace) == []


def test_gdelt_field_of_4_mb(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    rows = [line.split(b"\t") for line in _gdelt_lines(bundle, 3)]
    rows[1][60] = b"https://example.org/" + b"x" * (4 << 20)  # pyarrow: "straddling object straddles two blocks"
    path = _write(tmp_path, "events.export.CSV", b"\n".join(b"\t".join(r) for r in rows) + b"\n")
    report = ingest("gdelt", [path])
    assert (report.rows, report.accepted, report.quarantined) == (3, 3, 0)


@pytest.mark.parametrize("more_trouble", [False, True])
def test_gdelt_carriage_return_inside_a_field(
    workspace: Path, tmp_path: Path, bundle: Path, more_trouble: bool
) -> None:
    rows = [line.split(b"\t") for line in _gdelt_lines(bundle, 3)]
    rows[1][6] = b"UNITED\rSTATES"  # Actor1Name: pyarrow ends a line at a bare CR
    lines = [b"\t".join(r) for r in rows] + ([b"123\tshort"] if more_trouble else [])
    path = _write(tmp_path, "events.export.CSV", b"\n".join(lines) + b"\n")
    report = ingest("gdelt", [path])
    assert report.rows == len(lines) and report.accepted == 2
    assert _quarantined(report.run_id)[0] == (2, "broken record: carriage return inside a field")


def test_a_utf16_file_is_refused_whole(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    text = b"\n".join(_gdelt_lines(bundle, 100)).decode("utf-8")
    path = _write(tmp_path, "events.export.CSV", text.encode("utf-16"))
    result = runner.invoke(app, ["ingest", "gdelt", str(path)])
    assert result.exit_code == 2 and "UTF-16" in result.stderr and result.stderr.count("\n") == 1
    for source, name in (("acled", "acled.csv"), ("ucdp-cm", "cm.csv"), ("ucdp-acd", "acd.csv")):
        with pytest.raises(RefusedInput, match="UTF-16"):
            ingest(source, [_write(tmp_path, name, "a,b\n1,2\n".encode("utf-16"))])


# --- UCDP country-month, BRD, field reports, TFDD -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "1e400", "nan", "2.5"])
def test_country_month_counts_that_are_not_whole_numbers(workspace: Path, tmp_path: Path, value: str) -> None:
    path = _write(tmp_path, "cm.csv", f",Kyrgyzstan,Tajikistan\n2022-09-30,40,{value}\n".encode())
    report = ingest("ucdp-cm", [path])
    assert (report.accepted, report.reasons) == (1, {"bad number": 1})


def test_country_month_in_latin1(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    text = (bundle / "ucdp" / "country_month_best_deaths_ucdpnames.csv").read_text(encoding="utf-8")
    head = "\n".join(text.splitlines()[:4]).replace("Kyrgyzstan", "Kyrgyzstán") + "\n"
    report = ingest("ucdp-cm", [_write(tmp_path, "cm-latin1.csv", head.encode("latin-1"))])
    assert report.rows == report.accepted + report.duplicates + report.quarantined
    (problem,) = [q for q in _quarantined(report.run_id) if "Kyrgyz" in q[1]]
    assert "\\xe1" in problem[1]  # the Latin-1 byte is shown, escaped: nothing crashes on it


def test_field_reports_with_a_huge_number_or_deep_nesting(workspace: Path, tmp_path: Path) -> None:
    report = {
        "report_id": "FR-9",
        "date": "2024-03-02",
        "place": "Vorukh",
        "country": "TJK",
        "what_happened": "Road blocked.",
        "category": "border_incident",
        "reporter": "monitor 7",
        "confidence": "medium",
        "sharing": "public",
    }
    path = _write(
        tmp_path, "reports.json", json.dumps([report, report | {"report_id": "FR-10", "fatalities": 5e9}]).encode()
    )
    done = ingest("field", [path])
    assert (done.accepted, done.reasons) == (1, {"invalid": 1})
    nested = _write(tmp_path, "nested.json", b"[" * 100_000 + b"]" * 100_000)
    result = runner.invoke(app, ["ingest", "field", str(nested)])
    assert result.exit_code == 2 and "nested too deeply" in result.stderr


def test_tfdd_binary_file_is_refused_without_garbage(workspace: Path, tmp_path: Path) -> None:
    rng = random.Random(9)
    garbage = bytes(rng.randrange(0, 256) for _ in range(3000))
    result = runner.invoke(app, ["ingest", "tfdd-bar", str(_write(tmp_path, "bar.csv", garbage))])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.isprintable() or result.stderr[:-1].isprintable()
