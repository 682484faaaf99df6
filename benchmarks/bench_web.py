"""Dashboard latency under load: 20 concurrent clients for 30 s against the overview and country pages (HTML and
JSON twin), with a static file from the same server as the baseline in the same run.

    .venv/bin/python benchmarks/bench_web.py [--clients 20] [--seconds 30] [--workspace DIR]

The server is ``prevdip serve``'s app in its own uvicorn process on 127.0.0.1. It uses the workspace given (or
PREVDIP_WORKSPACE); with none, a temporary one, into which the reference bundle is ingested when the events
capability is installed ("with the whole bundle ingested"). Targets: HTML p95 < 150 ms, JSON p95 < 50 ms, no errors.
Prints p50/p95, error counts and each page's p95 as a multiple of the static file's.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(workspace: Path, env: dict[str, str]) -> str:
    """Ingest the bundle into an empty workspace when the events capability is there; say what was done."""
    if (workspace / "lake" / "events").is_dir():
        return f"workspace {workspace} (lake present)"
    code = "from prevdip.events import ingest_bundle; r = ingest_bundle(); print(r['accepted'])"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return f"workspace {workspace}: no lake, and the bundle could not be ingested ({done.stderr.strip()[-160:]})"
    return f"workspace {workspace}: bundle ingested ({done.stdout.strip()} events accepted)"


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
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/css/prevdip.css", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the dashboard did not start within 30 s")


async def _client(
    base: str, stop: float, plan: itertools.cycle, record: dict[str, list[float]], errors: dict[str, int]
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
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


async def _load(base: str, clients: int, seconds: float) -> tuple[dict[str, list[float]], dict[str, int]]:
    record: dict[str, list[float]] = {name: [] for name in TARGETS}
    errors = dict.fromkeys(TARGETS, 0)
    requests = [(name, path) for name, (paths, _) in TARGETS.items() for path in paths]
    async with httpx.AsyncClient(base_url=base, timeout=120) as warm:  # build every page once (caches)
        for _, path in requests:
            await warm.get(path)
    stop = time.perf_counter() + seconds
    plans = [itertools.cycle(requests[i % len(requests) :] + requests[: i % len(requests)]) for i in range(clients)]
    await asyncio.gather(*(_client(base, stop, plans[i], record, errors) for i in range(clients)))
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
        finally:
            server.terminate()
            server.wait(timeout=10)
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
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
