"""Field reports under load: 200 reports submitted at once by 20 monitors' scripts (the JSON API, a bearer token
each), every one stored exactly once (each is then sent a second time: nothing more is stored), with the p95 of a
submission printed beside the p95 of a plain page (the report form, drawn for the same readers) under the same
20 clients, in the same run.

    .venv/bin/python benchmarks/bench_field_reports.py [--clients 20] [--reports 200]

The server is ``prevdip serve``'s app in its own uvicorn process on 127.0.0.1 over a fresh workspace with its
SQLite system of record (a submission is one transaction: the report and its audit entry). Prints p50/p95 of each,
their ratio, and the count of stored revisions against the reports sent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import _free_port, _p95, _prevdip, _start_server  # noqa: E402

PLACES = [("Vorukh", "TJK", 39.85, 70.58), ("Kok-Tash", "KGZ", 39.88, 70.62), ("Golovnoi", "TJK", 39.96, 70.55),
          ("Batken", "KGZ", 40.06, 70.82), ("Isfara", "TJK", 40.13, 70.63)]  # fmt: skip


def _report(n: int, monitor: str) -> dict[str, object]:
    place, country, lat, lon = PLACES[n % len(PLACES)]
    return {
        "report_id": f"FR-BENCH-{n:04d}", "date": f"2022-09-{1 + n % 28:02d}", "place": place, "country": country,
        "latitude": lat, "longitude": lon, "what_happened": f"Report {n}: road to the water intake blocked.",
        "category": "border_incident", "actors": ["residents", "border guards"], "fatalities": 0,
        "reporter": monitor, "confidence": "medium", "sharing": "centre-internal",
    }  # fmt: skip


def _monitors(url: str, count: int) -> list[tuple[str, str]]:
    """``count`` monitor accounts with an API token each (as ``prevdip users add`` / ``users token`` make them)."""
    from prevdip.accounts import add_user, create_token, open_accounts

    made = []
    with open_accounts("benchmark", url=url) as accounts:
        for n in range(count):
            name = f"bench-monitor-{n:02d}"
            add_user(accounts, name, "monitor", password="Benchmark monitor passphrase, 2026")
            made.append((name, create_token(accounts, name)[1]))
    return made


async def _run(base: str, monitors: list[tuple[str, str]], reports: int, how: str) -> tuple[list[float], int]:
    """Each monitor's client sends its share (``how``: ``submit`` posts reports, ``page`` reads the form); returns
    the latencies in ms and the count of answers that were not what they should be."""
    times: list[float] = []
    wrong = 0

    async def one(index: int, name: str, token: str) -> None:
        nonlocal wrong
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers) as client:
            for n in range(index, reports, len(monitors)):
                started = time.perf_counter()
                if how == "page":
                    answer = await client.get("/field-reports/new")
                    ok = answer.status_code == 200
                else:
                    answer = await client.post(
                        "/field-reports", json=_report(n, name), headers={"Accept": "application/json"}
                    )
                    ok = answer.status_code == (201 if how == "submit" else 200)
                times.append((time.perf_counter() - started) * 1000)
                wrong += not ok

    await asyncio.gather(*(one(i, name, token) for i, (name, token) in enumerate(monitors)))
    return times, wrong


def _stored(url: str) -> tuple[int, int]:
    from sqlalchemy import func, select

    from prevdip.store import open_store
    from prevdip.store.models import FieldReportRevision

    with open_store(url) as store, store.session() as session:
        rows = session.scalar(select(func.count()).select_from(FieldReportRevision)) or 0
        distinct = session.scalar(select(func.count(func.distinct(FieldReportRevision.report_id)))) or 0
    return int(rows), int(distinct)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--reports", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="prevdip-bench-field-") as scratch:
        workspace = Path(scratch) / "workspace"
        env = {**os.environ, "PREVDIP_WORKSPACE": str(workspace)}
        env.pop("PREVDIP_DATABASE_URL", None)
        _prevdip(env, "init")
        url = f"sqlite:///{workspace / 'prevdip.sqlite'}"
        monitors = _monitors(url, args.clients)
        port = _free_port()
        server = _start_server(env, port)
        try:
            base = f"http://127.0.0.1:{port}"
            asyncio.run(_run(base, monitors[:1], 5, "page"))  # draw the form once before the clock starts
            page, page_wrong = asyncio.run(_run(base, monitors, args.reports, "page"))
            started = time.perf_counter()
            sent, sent_wrong = asyncio.run(_run(base, monitors, args.reports, "submit"))
            elapsed = time.perf_counter() - started
            again, again_wrong = asyncio.run(_run(base, monitors, args.reports, "resend"))
        finally:
            server.terminate()
            server.wait(timeout=60)
        rows, distinct = _stored(url)
    print(f"{args.reports} reports from {args.clients} concurrent clients, one uvicorn process on 127.0.0.1, SQLite")
    print(f"{'request':<34}{'count':>7}{'wrong':>7}{'p50 ms':>9}{'p95 ms':>9}")
    for name, times, wrong in (
        ("plain page (GET the report form)", page, page_wrong),
        ("submission (POST one report)", sent, sent_wrong),
        ("the same report sent again", again, again_wrong),
    ):
        print(f"{name:<34}{len(times):>7}{wrong:>7}{statistics.median(times):>9.1f}{_p95(times):>9.1f}")
    print(f"p95 submission / p95 plain page: {_p95(sent) / _p95(page):.2f}×; {args.reports / elapsed:.0f} reports/s")
    exactly_once = rows == distinct == args.reports
    print(
        f"stored: {rows} revisions of {distinct} reports for {args.reports} sent twice — exactly once: {exactly_once}"
    )
    if not exactly_once or sent_wrong or again_wrong or page_wrong:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
