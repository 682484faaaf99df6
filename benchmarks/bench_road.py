"""Issue 11's promise, measured: "one road and one home" changed the code's shape, not its speed. The same three
workloads run on two or more revisions of this repository in one run, each figure printed beside the baseline's with
their ratio:

- ``prevdip demo --no-serve``'s second run (everything already built: what a centre's monthly re-run costs), seconds;
- the full backtest of the country-month target (``prevdip backtest --target ucdp-best``), seconds;
- the overview's p95 (HTML and its JSON twin) at 20 concurrent clients, with a static file as the in-run baseline.

Each revision is exported with ``git archive`` into a temporary folder and run by this interpreter with its ``src/``
first on ``PYTHONPATH``, against its own workspace built by its own first demo run (timed too, for information; with
``--keep``, a later run reuses the folders, and its "first" run completes what an interrupted run left).
Machine load changes during a long run, so the work is interleaved: every round runs each revision once, in turn, and
the figures are the medians (seconds) or pooled p95s (pages) over rounds.

    .venv/bin/python benchmarks/bench_road.py --baseline 920ae21 --candidate be3f710 [--candidate HEAD]
        [--rounds 2] [--seconds 20] [--clients 20] [--skip-backtest] [--keep DIR]

920ae21 is main before the merge of branch ``road``; be3f710 is that merge.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench_web import _client, _free_port, _p95

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = (ROOT / ".." / "shared" / "data").resolve()
PAGES = {"static file": "/static/css/prevdip.css", "overview HTML": "/", "overview JSON": "/index.json"}


@dataclass
class Revision:
    """One revision of the code under test, with its own workspace and the figures measured on it."""

    ref: str
    tree: Path
    workspace: Path
    seconds: dict[str, list[float]] = field(default_factory=dict)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {name: [] for name in PAGES})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PAGES, 0))

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(self.tree / "src"),
            "PREVDIP_WORKSPACE": str(self.workspace),
            "PREVDIP_BUNDLE": str(BUNDLE),
            "PREVDIP_PUBLIC_ACCESS": "public",
        }

    def run(self, label: str, *args: str) -> float:
        """Run ``prevdip ARGS`` from this revision; record and return its wall seconds (a failure stops the run)."""
        command = [sys.executable, "-c", "from prevdip.cli.app import main; main()", *args]
        started = time.perf_counter()
        done = subprocess.run(command, env=self.env, cwd=self.tree, capture_output=True, text=True)
        took = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{self.ref}: prevdip {' '.join(args)} failed ({done.returncode}): {done.stderr[-800:]}")
        self.seconds.setdefault(label, []).append(took)
        print(f"  {self.ref:<10} {label:<22} {took:8.1f} s", flush=True)
        return took


def export(ref: str, into: Path) -> Path:
    """The revision's files (``src/`` and what the demo reads beside it) in a folder of their own."""
    tree = into / ref
    if not tree.is_dir():  # a folder kept by an earlier run (--keep) is used again, with its workspace
        tree.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", ref], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    found = subprocess.run(
        [sys.executable, "-c", "import prevdip; print(prevdip.__file__)"],
        env={**os.environ, "PYTHONPATH": str(tree / "src")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not found.startswith(str(tree)):
        raise SystemExit(f"{ref}: this interpreter imports prevdip from {found}, not from the exported tree")
    return tree


def start_server(revision: Revision) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "prevdip.web:create_app", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, env=revision.env, cwd=revision.tree)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(base + PAGES["static file"], timeout=1)
            for path in PAGES.values():  # build every page once: the figures are of a warm server
                httpx.get(base + path, timeout=600)
            return server, base
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"{revision.ref}: the dashboard did not start within 60 s")


async def load(revision: Revision, base: str, clients: int, seconds: float) -> None:
    """``clients`` concurrent readers cycling over the pages for ``seconds``, into the revision's record."""
    requests = list(PAGES.items())
    plans = [itertools.cycle(requests[i % len(requests) :] + requests[: i % len(requests)]) for i in range(clients)]
    readers = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(clients)]
    stop = time.perf_counter() + seconds
    await asyncio.gather(
        *(_client(readers[i], stop, plans[i], revision.latencies, revision.errors) for i in range(clients))
    )


def print_seconds(revisions: list[Revision]) -> None:
    baseline = revisions[0]
    print(f"\n{'seconds (median of rounds)':<30}" + "".join(f"{r.ref:>12}" for r in revisions) + "   ratio to baseline")
    for label in baseline.seconds:
        figures = [statistics.median(r.seconds[label]) for r in revisions]
        ratios = "  ".join(f"{f / figures[0]:.2f}×" for f in figures[1:])
        print(f"{label:<30}" + "".join(f"{f:>12.1f}" for f in figures) + f"   {ratios}")


def print_pages(revisions: list[Revision], clients: int) -> None:
    print(f"\n{'p95 ms at ' + str(clients) + ' clients':<30}" + "".join(f"{r.ref:>12}" for r in revisions)
          + "   ratio to baseline   requests / errors")  # fmt: skip
    for name in PAGES:
        figures = [_p95(r.latencies[name]) for r in revisions]
        ratios = "  ".join(f"{f / figures[0]:.2f}×" for f in figures[1:])
        counts = "  ".join(f"{len(r.latencies[name])}/{r.errors[name]}" for r in revisions)
        print(f"{name:<30}" + "".join(f"{f:>12.1f}" for f in figures) + f"   {ratios:<18}  {counts}")
    for r in revisions:
        static = _p95(r.latencies["static file"])
        print(f"  {r.ref}: overview HTML p95 = {_p95(r.latencies['overview HTML']) / static:.2f}× its static file's")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the revision before the change (git ref)")
    parser.add_argument("--candidate", action="append", required=True, help="a revision to compare (repeatable)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds of page load per revision and round")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--skip-backtest", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="keep the exported trees and workspaces here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="prevdip-bench-road-") as scratch:
        root = (args.keep or Path(scratch)).resolve()
        refs = [args.baseline, *args.candidate]
        revisions = [Revision(ref, export(ref, root / "trees"), root / "workspaces" / ref) for ref in refs]
        print(f"{len(revisions)} revisions, bundle {BUNDLE}; first demo runs (building each workspace):", flush=True)
        for revision in revisions:
            revision.run("demo, first run", "demo", "--no-serve")
        for round_ in range(args.rounds):
            print(f"round {round_ + 1} of {args.rounds}", flush=True)
            for revision in revisions:
                revision.run("demo, second run", "demo", "--no-serve")
            if not args.skip_backtest and round_ == 0:
                for revision in revisions:
                    revision.run("backtest ucdp-best", "backtest", "--target", "ucdp-best", "--json")
        servers = [start_server(r) for r in revisions]
        try:
            for _ in range(args.rounds):
                for revision, (_, base) in zip(revisions, servers, strict=True):
                    asyncio.run(load(revision, base, args.clients, args.seconds))
        finally:
            for server, _ in servers:
                server.terminate()
                server.wait(timeout=120)
        print_seconds(revisions)
        print_pages(revisions, args.clients)


if __name__ == "__main__":
    main()
