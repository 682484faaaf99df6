"""``/events.json`` under load over a big lake, beside a static file, and what durability costs an ingest.

The bundle's real GDELT 2.0 rows are multiplied to ``--rows`` events over ten years (the generator of
``bench_ingest_gdelt.py``) and ingested three times, each in its own process and workspace:

* prevdip as shipped: files flushed before the commit, the manifest swapped after it, event files sorted in page
  order and the events page's listing built at publish time;
* the same with prevdip's fsyncs made no-ops — the price of surviving a power cut;
* the same without the sort and the listing — the price of the page index.

Then the shipped workspace is served by ``prevdip serve``'s app (one uvicorn process on 127.0.0.1) and ``--clients``
clients ask ``/events.json`` for ``--seconds`` with a random ``since``, a random page (1-200) and, at random, a country
present in the lake, a category and an audience; one more client asks for a static file meanwhile. A static file
under the same load alone is the baseline. Prints p50/p95 of both, their ratio, the server's memory (RSS now and
at its peak), and — for scale — what three of those requests cost when answered from the lake itself. The
``audience=governments`` requests are a government liaison's: the account is made in the benchmark's workspace
through the accounts API and signed in once through the form, and its session is reused (a visitor is refused
that audience, and a refusal is counted as an error, not timed).
Targets: ``/events.json`` p95 under 300 ms at 20 clients, no errors.

    .venv/bin/python benchmarks/bench_events_page.py [--rows 2000000] [--clients 20] [--seconds 30] [--port 8131]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from prevdip.catalogue import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ingest_gdelt import generate  # noqa: E402  (a sibling script, not a package)

INGEST = """
import json, sys, time
from pathlib import Path
variant = sys.argv[2]
if variant == "no fsync":
    import os
    os.fsync = lambda descriptor: None
if variant == "no listing":
    from prevdip.events import listing
    listing.prepare_run = lambda workspace, folder, run_id, files: None
from prevdip.events.ingestion import ingest
start = time.perf_counter()
report = ingest("gdelt", [Path(sys.argv[1])])
print(json.dumps({"seconds": time.perf_counter() - start, "accepted": report.accepted}))
"""

SCAN = """
import json, sys, time
from datetime import date
from prevdip.events.query import EventFilter, _scan
from pathlib import Path
times = []
for since in sys.argv[2:]:
    start = time.perf_counter()
    _scan(EventFilter(since=date.fromisoformat(since)), None, 50, 5000, Path(sys.argv[1]))
    times.append(time.perf_counter() - start)
print(json.dumps(times))  # the last line: DuckDB may have printed its progress before
"""

STATIC = "/static/css/prevdip.css"
#: The government liaison the ``audience=governments`` requests sign in as (a password the policy accepts).
READER, PASSWORD = "liaison", "Vorukh intake at dawn, 2022"


def _ingest(path: Path, workspace: Path, variant: str) -> float:
    env = {**os.environ, "PREVDIP_WORKSPACE": str(workspace)}
    done = subprocess.run([sys.executable, "-c", INGEST, str(path), variant], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"ingest ({variant}) failed: {done.stderr[-400:]}")
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def _lake_facts(workspace: Path) -> dict[str, Any]:
    """Countries, categories and the date range of the lake: what the random filters draw from."""
    import duckdb

    from prevdip.events.manifest import lake_state

    listing = lake_state(workspace).listing_file()
    assert listing is not None
    con = duckdb.connect()
    con.read_parquet(str(listing)).create_view("listing")
    [(first, last, events)] = con.execute("select min(date_start), max(date_start), count(*) from listing").fetchall()
    places = con.execute("select distinct country_iso3 from listing where country_iso3 <> ''").fetchall()
    countries = [row[0] for row in places if _known(row[0])]
    categories = [r[0] for r in con.execute("select distinct category from listing").fetchall()]
    return {"first": first, "last": last, "countries": countries, "categories": categories, "events": events}


def _known(iso3: str) -> bool:
    """Whether the dashboard takes this country as a filter (the region and its neighbours)."""
    from prevdip.errors import RefusedInput
    from prevdip.geo import country

    try:
        return country(iso3).iso3 == iso3
    except RefusedInput:
        return False


def _query(facts: dict[str, Any], chooser: random.Random) -> str:
    span = (facts["last"] - facts["first"]).days
    params = {"since": (facts["first"] + timedelta(days=chooser.randrange(span))).isoformat()}
    params["page"] = str(chooser.randint(1, 200))
    if chooser.random() < 0.5:
        params["country"] = chooser.choice(facts["countries"])
    if chooser.random() < 0.3:
        params["category"] = chooser.choice(facts["categories"])
    if chooser.random() < 0.2:
        params["audience"] = chooser.choice(["governments", "public"])
    return "/events.json?" + "&".join(f"{k}={v}" for k, v in params.items())


def _government_reader(workspace: Path, base: str) -> httpx.Cookies:
    """Make a government liaison's account in the workspace's system of record and sign it in through the form,
    as a browser does; the session's cookies."""
    from prevdip.accounts import add_user, open_accounts

    with open_accounts("benchmark", url=f"sqlite:///{Workspace(workspace).database_file}") as accounts:
        add_user(accounts, READER, "government", password=PASSWORD, countries=["KGZ"])
    with httpx.Client(base_url=base, timeout=60) as browser:
        form = browser.get("/login").text
        found = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert found is not None, "the sign-in form carries no CSRF token"
        data = {"username": READER, "password": PASSWORD, "csrf_token": found.group(1)}
        signed = browser.post("/login", data=data, follow_redirects=False)
        if signed.status_code != 303:
            raise SystemExit(f"the government liaison could not sign in: {signed.status_code} {signed.text[:200]}")
        return browser.cookies


async def _client(
    base: str, stop: float, pick: Any, times: list[float], errors: list[str], reader: httpx.Cookies
) -> None:
    async with (
        httpx.AsyncClient(base_url=base, timeout=60) as visitor,
        httpx.AsyncClient(base_url=base, timeout=60, cookies=reader) as liaison,
    ):
        while time.perf_counter() < stop:
            path = pick()
            client = liaison if "audience=governments" in path else visitor
            started = time.perf_counter()
            try:
                answer = await client.get(path)
                if answer.status_code != 200:
                    errors.append(f"{answer.status_code} {path}")
                    continue
            except httpx.HTTPError as problem:
                errors.append(f"{type(problem).__name__} {path}")
                continue
            times.append((time.perf_counter() - started) * 1000)


async def _load(
    base: str, clients: int, seconds: float, facts: dict[str, Any] | None, reader: httpx.Cookies
) -> dict[str, Any]:
    chooser = random.Random(7)
    stop = time.perf_counter() + seconds
    pages: list[float] = []
    static: list[float] = []
    errors: list[str] = []
    if facts is None:  # the baseline: the static file alone, under the same number of clients
        work = [_client(base, stop, lambda: STATIC, static, errors, reader) for _ in range(clients)]
    else:
        work = [_client(base, stop, lambda: _query(facts, chooser), pages, errors, reader) for _ in range(clients)]
        work.append(_client(base, stop, lambda: STATIC, static, errors, reader))
    await asyncio.gather(*work)
    return {"pages": pages, "static": static, "errors": errors}


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values, default=float("nan"))


def _memory(pid: int) -> tuple[float, float]:
    """The process's resident memory now and at its peak, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _serve(workspace: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PREVDIP_WORKSPACE": str(workspace), "PREVDIP_PUBLIC_ACCESS": "public"}  # the public board
    command = [sys.executable, "-m", "uvicorn", "--factory", "prevdip.web:create_app", "--host", "127.0.0.1"]
    server = subprocess.Popen([*command, "--port", str(port), "--log-level", "warning"], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}{STATIC}", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the dashboard did not start within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=8131)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="prevdip-bench-events-") as scratch:
        source = Path(scratch) / "big.export.CSV"
        rows = generate(source, args.rows)
        print(f"{rows:,} GDELT rows generated from the bundle's real ones")
        ingests = {
            v: _ingest(source, Path(scratch) / v.replace(" ", "-"), v) for v in ("shipped", "no fsync", "no listing")
        }
        workspace = Path(scratch) / "shipped"
        facts = _lake_facts(workspace)
        server = _serve(workspace, args.port)
        try:
            base = f"http://127.0.0.1:{args.port}"
            started_with = _memory(server.pid)[0]
            started = time.perf_counter()
            httpx.get(f"{base}/events.json?page=1", timeout=300).raise_for_status()
            first = time.perf_counter() - started
            listed = _memory(server.pid)[0]
            reader = _government_reader(workspace, base)
            idle = asyncio.run(_load(base, args.clients, args.seconds / 2, None, reader))
            loaded = asyncio.run(_load(base, args.clients, args.seconds, facts, reader))
            rss, peak = _memory(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)
        since = [(facts["first"] + timedelta(days=d)).isoformat() for d in (400, 1800, 3000)]
        env = {**os.environ, "PREVDIP_WORKSPACE": str(workspace)}
        scan = subprocess.run(
            [sys.executable, "-c", SCAN, str(workspace), *since], env=env, capture_output=True, text=True
        )
        scanned = json.loads(scan.stdout.strip().splitlines()[-1]) if scan.returncode == 0 else []

    shipped, unsynced, unlisted = ingests["shipped"], ingests["no fsync"], ingests["no listing"]
    print(f"\ningest of {rows:,} rows (each in its own process)")
    print(f"  prevdip as shipped                 {shipped:8.1f} s")
    print(f"  without prevdip's fsyncs           {unsynced:8.1f} s   durability costs {shipped / unsynced:.2f}x")
    print(f"  without the sort and the listing   {unlisted:8.1f} s   the page index costs {shipped / unlisted:.2f}x")
    print(f"\n/events.json over {facts['events']:,} events, {args.clients} clients, one uvicorn process")
    print(f"  first request (loads the listing)  {first * 1000:8.0f} ms")
    table = [
        ("static file alone (baseline)", idle["static"]),
        ("/events.json, random filters", loaded["pages"]),
        ("static file meanwhile", loaded["static"]),
    ]
    baseline = _p95(idle["static"])
    print(f"  {'':<34}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p95 × baseline':>16}")
    for name, times in table:
        p50 = statistics.median(times) if times else float("nan")
        print(f"  {name:<34}{len(times):>9}{p50:>9.1f}{_p95(times):>9.1f}{_p95(times) / baseline:>16.1f}")
    errors = idle["errors"] + loaded["errors"]
    print(f"  errors: {len(errors)}{' — ' + '; '.join(errors[:3]) if errors else ''}")
    print(
        f"  server memory: {started_with:.0f} MB resident when started, {listed:.0f} MB with the listing loaded, "
        f"{rss:.0f} MB after the run, {peak:.0f} MB at its peak"
    )
    if scanned:
        print(f"  the same page answered from the lake itself (before the listing): {statistics.median(scanned):.1f} s")
    ok = not errors and _p95(loaded["pages"]) < 300
    print(f"\n/events.json p95 {_p95(loaded['pages']):.0f} ms (target < 300 ms): {'met' if ok else 'NOT met'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
