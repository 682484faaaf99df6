"""The events page's listing answers exactly what the lake itself answers: counts, pages, versions, audiences.

``query_events`` reads the listing of the committed state when there is one, and the lake itself (every version,
the latest chosen) otherwise; ``_scan`` is that second path. Both are compared on the real bundle's lake over a grid
of filters, offsets and limits, and on field reports whose latest revision narrows who may see them.
"""

from __future__ import annotations

import itertools
import json
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from field_files import field_report, ingest_reports
from prevdip.catalogue import Workspace
from prevdip.events import ingest
from prevdip.events.licences import attributions
from prevdip.events.listing import LAKES_KEPT, Listing, Selection, _current, current_listing, on_listing_threads
from prevdip.events.manifest import lake_state
from prevdip.events.query import EventFilter, _jsonable, _scan, _without_reporter, query_events
from prevdip.events.sharing import Audience


def _the_lake_says(filters: EventFilter, workspace: Path, *, limit: int | None, offset: int = 0) -> dict[str, Any]:
    found = _scan(filters, None, limit, offset, workspace)
    rows = found.rows
    if filters.audience not in (None, Audience.centre):
        rows = [_without_reporter(row) for row in rows]
    return {
        "count": found.count,
        "events": [_jsonable(row) for row in rows],
        "withheld": found.withheld,
        "attributions": attributions(found.sources),
    }


FILTERS = [
    EventFilter(),
    EventFilter(country="TJK"),
    EventFilter(country="KGZ", since=date(2010, 1, 1)),
    EventFilter(dyad="kgz-tjk"),
    EventFilter(dyad="TJK-AFG", until=date(2020, 12, 31)),
    EventFilter(source="ucdp-ged", category="battle"),
    EventFilter(source="gdelt"),
    EventFilter(source="tfdd-bar", since=date(1990, 1, 1), until=date(1999, 12, 31)),
    EventFilter(category="water_conflict", audience=Audience.public),
    EventFilter(country="AFG", since=date(2021, 8, 15), audience=Audience.governments),
    EventFilter(since=date(2030, 1, 1)),
    EventFilter(until=date(1900, 1, 1)),
    EventFilter(country="FRA"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in vars(f).items() if v))
def test_the_listing_answers_as_the_lake_on_the_bundle(filters: EventFilter, bundle_lake: dict[str, Any]) -> None:
    workspace = bundle_lake["workspace"]
    assert current_listing(workspace) is not None  # answered from the listing, not the lake
    for offset, limit in [(0, 50), (50, 50), (10_000, 50), (0, 0), (3, 7), (0, None)]:
        answer = query_events(filters, limit=limit, offset=offset, workspace=workspace)
        assert answer == _the_lake_says(filters, workspace, limit=limit, offset=offset), (offset, limit)


def test_latest_revisions_and_audiences_as_the_lake(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    """Revisions narrow and widen who may see a report, across runs and dates; the listing follows the latest."""
    ingest("tfdd-bar", [bundle / "tfdd" / "bar_events_CA_AFG_or_ARAL.csv"])
    tiers = ("public", "governments", "centre-internal")
    first = [field_report(f"FR-{n}-{t}", t, date=f"2023-05-{10 + n}") for n in range(3) for t in tiers]
    ingest_reports(tmp_path, "one.json", first)
    ingest_reports(
        tmp_path,
        "two.json",
        [
            field_report("FR-0-public", "centre-internal", revision=2),  # narrowed
            field_report("FR-1-centre-internal", "public", revision=2, date="2019-01-02"),  # widened, and moved in time
            field_report("FR-2-governments", "governments", revision=2, country="TJK"),  # moved to another country
        ],
    )
    assert current_listing(workspace) is not None
    for reader, country, since in itertools.product(
        [None, *Audience], [None, "KGZ", "TJK"], [None, date(2020, 1, 1), date(2023, 5, 11)]
    ):
        filters = EventFilter(country=country, since=since, audience=reader)
        assert query_events(filters, limit=None) == _the_lake_says(filters, workspace, limit=None), filters
    public = query_events(EventFilter(audience=Audience.public), limit=None)["events"]
    shown = {e["source_event_id"]: e for e in public if e["source"] == "field"}
    assert set(shown) == {"FR-1-public", "FR-2-public", "FR-1-centre-internal"}
    assert all("reporter:" not in (e["source_reference"] or "") for e in shown.values())


def test_a_state_without_a_listing_is_read_from_the_lake_and_the_next_ingest_rebuilds_it(
    workspace: Path, tmp_path: Path, bundle: Path
) -> None:
    ingest("tfdd-bar", [bundle / "tfdd" / "bar_events_CA_AFG_or_ARAL.csv"])
    manifest = workspace / "lake" / "manifest.json"
    document = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(document | {"listing": None}))  # as a run staged by an older prevdip leaves it
    assert lake_state(workspace).listing is None and current_listing(workspace) is None
    before = query_events(EventFilter(category="water_conflict"), limit=20)
    assert before["count"] > 20

    ingest_reports(tmp_path, "one.json", [field_report("FR-1", "public")])
    assert current_listing(workspace) is not None
    after = query_events(EventFilter(category="water_conflict"), limit=None)
    assert after["count"] == before["count"] + 1
    assert after == _the_lake_says(EventFilter(category="water_conflict"), workspace, limit=None)


def test_the_listing_is_small(bundle_lake: dict[str, Any]) -> None:
    """What the server holds per event: a few bytes of codes, not the event."""
    listing = current_listing(bundle_lake["workspace"])
    assert listing is not None and len(listing) > 10_000
    held = sum(a.nbytes for a in vars(listing).values() if hasattr(a, "nbytes"))
    assert held / len(listing) < 40


def test_pages_are_worked_out_on_the_listings_two_threads(
    bundle_lake: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever thread asks (a server has dozens), a page's masks and row groups are made on the listing's own two
    threads, so the memory allocators keep per thread stays two threads' worth; the pages are the same."""
    listing = current_listing(bundle_lake["workspace"])
    assert listing is not None
    filters = EventFilter(country="TJK")
    expected = [(listing.select(filters, offset=n * 50, limit=50), n) for n in range(6)]
    seen: set[str] = set()
    select = Listing.select

    def watched(self: Listing, *args: Any, **kwargs: Any) -> Selection:
        seen.add(threading.current_thread().name)
        return select(self, *args, **kwargs)

    monkeypatch.setattr(Listing, "select", watched)
    with ThreadPoolExecutor(max_workers=8) as askers:
        answers = list(askers.map(lambda n: listing.page(filters, offset=n * 50, limit=50), range(6)))
    assert seen and len(seen) <= 2 and all(name.startswith("prevdip-listing") for name in seen)
    for answer, (chosen, _) in zip(answers, expected, strict=True):
        assert answer.count == chosen.count and answer.rows == listing.events(chosen.positions) and answer.rows


def test_work_asked_on_a_listing_thread_runs_there(bundle_lake: dict[str, Any]) -> None:
    """The dashboard hands a whole page to the listing's two threads, and the page asks the listing for work again:
    that work runs in place (two pages waiting on their own pool's two threads would wait for ever), and a failure
    reaches whoever waits."""
    listing = current_listing(bundle_lake["workspace"])
    assert listing is not None
    filters = EventFilter(country="TJK")
    pages = [on_listing_threads(lambda n=n: (threading.current_thread().name, listing.page(filters, offset=n)))
             for n in range(4)]  # fmt: skip
    for n, done in enumerate(pages):
        name, page = done.result(timeout=60)
        assert name.startswith("prevdip-listing") and page.rows == listing.events(
            listing.select(filters, offset=n).positions
        )

    def broken() -> None:
        raise ValueError("a page that fails")

    nested = on_listing_threads(lambda: on_listing_threads(broken))
    with pytest.raises(ValueError, match="a page that fails"):
        nested.result(timeout=60).result(timeout=0)


def test_a_file_that_cannot_be_sorted_publishes_nothing_of_its_run(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seal sorts a run's event files two at a time; when one fails (a full disk), the failure is the ingest's,
    no file of the run is published, and the staging folder is gone once the other sort has finished."""
    from prevdip.events import listing

    years = [field_report(f"FR-{year}", "public", date=f"{year}-05-10") for year in range(2015, 2021)]
    sort = listing._sort_for_pages

    def full_disk(con: Any, path: Path) -> None:
        if "year=2017" in path.as_posix():
            raise OSError(28, "No space left on device")
        sort(con, path)

    monkeypatch.setattr(listing, "_sort_for_pages", full_disk)
    with pytest.raises(OSError, match="No space left"):
        ingest_reports(tmp_path, "years.json", years)
    assert lake_state(workspace).event_files() == [] and query_events(workspace=workspace)["count"] == 0
    assert not any(Workspace(workspace).staging.iterdir())
    monkeypatch.setattr(listing, "_sort_for_pages", sort)
    ingest_reports(tmp_path, "years.json", years)  # the same file, once the disk has room
    assert query_events(workspace=workspace)["count"] == len(years)


def test_a_process_keeps_the_listings_of_a_few_lakes(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    """One listing per lake and only the lakes read last: a process that opens many lakes (a test session, a
    centre's several workspaces) does not keep every one of them in memory."""
    ingest("tfdd-bar", [bundle / "tfdd" / "bar_events_CA_AFG_or_ARAL.csv"])
    lakes = [workspace]
    for n in range(LAKES_KEPT + 1):
        copy = tmp_path / f"lake-{n}" / "workspace"
        shutil.copytree(workspace, copy)
        lakes.append(copy)
    first = current_listing(workspace)
    assert first is not None and current_listing(workspace) is first  # loaded once per state
    for lake in lakes[1:]:
        assert current_listing(lake) is not None
        current_listing(workspace)  # the lake read often stays
    assert list(_current)[-1] == workspace / "lake" and current_listing(workspace) is first
    assert len(_current) == LAKES_KEPT
    assert lakes[1] / "lake" not in _current  # the one read longest ago was let go


def test_licences_deletions_and_attributes_as_the_lake(
    workspace: Path, tmp_path: Path, bundle: Path, acled_file: Callable[..., Path]
) -> None:
    """ACLED's rows are listed to the centre only (counted as withheld for others), a deleted event is gone from
    every list — and stays gone when an older export is read again — and each event's attribute map reads as the
    lake gives it; the listing says all of it as the lake does."""
    ingest("acled", [acled_file({}, {"event_id_cnty": "KGZ3002", "notes": "A second clash."})])
    ingest("gdelt", [bundle / "gdelt" / "gdelt2_events_translingual_20150218224500_sample100.tsv"])
    ingest_reports(tmp_path, "one.json", [field_report("FR-1", "governments", country="TJK")])
    deletions = tmp_path / "deleted.csv"
    deletions.write_text("event_id_cnty,deleted_timestamp\nKGZ3002,1675000000\n", encoding="utf-8")
    ingest("acled-deleted", [deletions])
    ingest("acled", [acled_file({"event_id_cnty": "KGZ3002"}, name="old-export.csv")])
    assert current_listing(workspace) is not None
    for reader, source, country in itertools.product([None, *Audience], [None, "acled", "gdelt"], [None, "KGZ"]):
        filters = EventFilter(source=source, country=country, audience=reader)
        for offset, limit in [(0, None), (1, 2)]:
            answer = query_events(filters, limit=limit, offset=offset)
            assert answer == _the_lake_says(filters, workspace, limit=limit, offset=offset), (filters, offset)
    centre = query_events(EventFilter(source="acled"), limit=None)
    assert [e["source_event_id"] for e in centre["events"]] == ["KGZ3001"] and centre["withheld"] == {}
    assert isinstance(centre["events"][0]["attributes"], dict) and centre["events"][0]["attributes"]
    public = query_events(EventFilter(audience=Audience.public), limit=None)
    assert public["withheld"] == {"acled": 1} and all(e["source"] != "acled" for e in public["events"])
    assert any("ACLED" in line for line in public["attributions"])
