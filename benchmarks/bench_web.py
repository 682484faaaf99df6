"""Dashboard latency under load: 20 concurrent clients for 30 s against the overview and country pages (HTML and
JSON twin), with a static file from the same server as the baseline in the same run; then the same pages read by
20 signed-in officers (each with a session cookie of their own) against the anonymous figures of that run.

    .venv/bin/python benchmarks/bench_web.py [--clients 20] [--seconds 30] [--workspace DIR]

The server is ``prevdip serve``'s app in its own uvicorn process on 127.0.0.1, with the public board open to
visitors. It uses the workspace given (or PREVDIP_WORKSPACE); with none, a temporary one, into which the reference
bundle is ingested when the events capability is installed ("with the whole bundle ingested"), with one
centre-internal field report beside it, so that every page an officer reads is a read of centre-internal material
and is audited (the audit entries are written off the request path). Targets: HTML p95 < 150 ms, JSON p95 < 50 ms,
signed-in p95 within 1.2× of the anonymous one, no errors. Prints p50/p95, error counts, each page's p95 as a
multiple of the static file's, and the signed-in p95s beside the anonymous ones with their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

COUNTRIES = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "AFG")
TARGETS = {  # name: (paths, p95 target in ms)
    "static file (baseline)": (["/static/css/prevdip.css"], None),
    "overview HTML": (["/"], 150.0),
    "overview JSON": (["/index.json"], 50.0),
    "country HTML": ([f"/countries/{c}" for c in COUNTRIES], 150.0),
    "country JSON": ([f"/countries/{c}.json" for c in COUNTRIES], 50.0),
}
SIGNED_IN_RATIO = 1.2  # a signed-in page's p95 within this multiple of the anonymous one
OFFICER, PASSWORD = "bench-officer", "Benchmark officer passphrase, 2026"
INTERNAL_REPORT = (
    "report_id,date,place,country,what_happened,category,reporter,confidence,sharing\n"
    "FR-BENCH-1,2022-09-16,Vorukh,TJK,Sappers at the intake,border_incident,monitor 7,low,centre-internal\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prevdip(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from prevdip.cli.app import main; main()", *args]
    return subprocess.run(command, env=env, input=stdin, capture_output=True, text=True)


def _prepare(workspace: Path, env: dict[str, str]) -> str:
    """Ingest the bundle (and one centre-internal report) into an empty workspace when the events capability is
    there, and give it an officer account for the signed-in clients; say what was done."""
    _prevdip(env, "init")
    added = _prevdip(env, "users", "add", OFFICER, "--role", "officer", "--password-stdin", stdin=PASSWORD)
    if added.returncode != 0 and "already exists" not in added.stderr + added.stdout:
        raise SystemExit(f"could not add the benchmark's officer: {added.stderr.strip()}")
    if (workspace / "lake" / "events").is_dir():
        return f"workspace {workspace} (lake present)"
    code = "from prevdip.events import ingest_bundle; r = ingest_bundle(); print(r['accepted'])"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return f"workspace {workspace}: no lake, and the bundle could not be ingested ({done.stderr.strip()[-160:]})"
    (workspace / "internal.csv").write_text(INTERNAL_REPORT, encoding="utf-8")
    _prevdip(env, "ingest", "field", str(workspace / "internal.csv"))
    return f"workspace {workspace}: bundle ingested ({done.stdout.strip()} events accepted), one internal report"


def _start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "prevdip.web:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env={**env, "PREVDIP_PUBLIC_ACCESS": "public"})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/css/prevdip.css", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the dashboard did not start within 30 s")


async def _sign_in(client: httpx.AsyncClient) -> None:
    """Sign in through the form, as a browser does: the session cookie stays in the client."""
    form = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None, "no sign-in form"
    done = await client.post("/login", data={"username": OFFICER, "password": PASSWORD, "csrf_token": token.group(1)})
    if done.status_code != 303:
        raise SystemExit(f"the benchmark's officer could not sign in ({done.status_code})")


async def _client(
    client: httpx.AsyncClient,
    stop: float,
    plan: itertools.cycle,
    record: dict[str, list[float]],
    errors: dict[str, int],
) -> None:
    try:
        while time.perf_counter() < stop:
            name, path = next(plan)
            started = time.perf_counter()
            try:
                answer = await client.get(path)
                ok = answer.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                record[name].append((time.perf_counter() - started) * 1000)
            else:
                errors[name] += 1
    finally:
        await client.aclose()


async def _load(
    base: str, clients: int, seconds: float, *, signed_in: bool = False
) -> tuple[dict[str, list[float]], dict[str, int]]:
    record: dict[str, list[float]] = {name: [] for name in TARGETS}
    errors = dict.fromkeys(TARGETS, 0)
    requests = [(name, path) for name, (paths, _) in TARGETS.items() for path in paths]
    async with httpx.AsyncClient(base_url=base, timeout=120) as warm:  # build every page once (caches)
        if signed_in:
            await _sign_in(warm)
        for _, path in requests:
            await warm.get(path)
    plans = [itertools.cycle(requests[i % len(requests) :] + requests[: i % len(requests)]) for i in range(clients)]
    readers = [httpx.AsyncClient(base_url=base, timeout=30) for _ in range(clients)]
    if signed_in:  # every client signs in before the clock starts: a sign-in is meant to be slow
        for reader in readers:
            await _sign_in(reader)
    stop = time.perf_counter() + seconds
    await asyncio.gather(*(_client(readers[i], stop, plans[i], record, errors) for i in range(clients)))
    return record, errors


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values, default=float("nan"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workspace", type=Path, default=os.environ.get("PREVDIP_WORKSPACE"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="prevdip-bench-web-") as scratch:
        workspace = (args.workspace or Path(scratch) / "workspace").resolve()
        env = {**os.environ, "PREVDIP_WORKSPACE": str(workspace)}
        print(_prepare(workspace, env))
        port = _free_port()
        server = _start_server(env, port)
        try:
            base = f"http://127.0.0.1:{port}"
            sections = httpx.get(f"{base}/index.json", timeout=300).json()
            there = [s for s in ("stages", "forecast", "warnings", "priority_groups") if sections[s]["available"]]
            print(f"overview sections available: {', '.join(there) or 'none'}")
            record, errors = asyncio.run(_load(base, args.clients, args.seconds))
            signed, signed_errors = asyncio.run(_load(base, args.clients, args.seconds, signed_in=True))
        finally:
            server.terminate()  # it writes the audit entries still queued, then stops
            server.wait(timeout=120)
    baseline = _p95(record["static file (baseline)"])
    print(f"\n{args.clients} clients, {args.seconds:.0f} s, one uvicorn process on 127.0.0.1")
    print(f"{'target':<24}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'× static':>10}{'goal p95':>10}  ok")
    failed = False
    for name, (_, goal) in TARGETS.items():
        times = record[name]
        p50, p95 = (statistics.median(times) if times else float("nan")), _p95(times)
        ok = errors[name] == 0 and (goal is None or p95 < goal)
        failed |= not ok
        shown = "—" if goal is None else f"< {goal:.0f}"
        print(
            f"{name:<24}{len(times):>9}{errors[name]:>8}{p50:>9.1f}{p95:>9.1f}{p95 / baseline:>10.2f}{shown:>10}  "
            f"{'yes' if ok else 'NO'}"
        )
    print("\nsigned in (an officer's session cookie each; every page read audited) against anonymous, same run")
    print(f"{'page':<24}{'requests':>9}{'errors':>8}{'anon p95':>10}{'signed p95':>12}{'ratio':>8}{'goal':>8}  ok")
    for name in [n for n in TARGETS if n != "static file (baseline)"]:
        anonymous, mine = _p95(record[name]), _p95(signed[name])
        ok = signed_errors[name] == 0 and mine <= SIGNED_IN_RATIO * anonymous
        failed |= not ok
        print(
            f"{name:<24}{len(signed[name]):>9}{signed_errors[name]:>8}{anonymous:>10.1f}{mine:>12.1f}"
            f"{mine / anonymous:>8.2f}{'≤ ' + str(SIGNED_IN_RATIO):>8}  {'yes' if ok else 'NO'}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
