"""The /gmcr page against the command line, and a static file while the web analyses (part of ``bench_gmcr.py``).

``prevdip serve --port 8141`` runs over a temporary workspace with an officer's account (uploads are the centre
staff's), signed in through the form as a person would. For two-party option-form models of 1,024 and
4,096 states (the sizes of issue 13: 15 s + 32 s and 466 s before), the upload and the page are timed against the
command line doing the same analysis in fresh processes (``prevdip gmcr analyze FILE --json`` and ``prevdip gmcr
status-quo FILE --from 1 --json``), and their ratio printed. Then a static file's p50/p95 is measured idle and while
4,096-state models are analysed through the web one after another (each with a new status-quo state, so nothing
is served from memory); target: the p95 within 2x of idle.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

PORT = 8141
STATIC = "/static/favicon.svg"
REQUESTS = 200
PREVDIP = str(Path(sys.executable).with_name("prevdip"))
OFFICER, PASSWORD = "bench-officer", "Vorukh intake at dawn, 2022"


def two_party_model(options_each: int) -> dict[str, Any]:
    a = [f"a{k}" for k in range(options_each)]
    b = [f"b{k}" for k in range(options_each)]
    return {
        "name": f"two parties, {2 * options_each} options",
        "form": "option",
        "decision_makers": [{"name": "A", "options": a}, {"name": "B", "options": b}],
        "preferences": {
            "A": {"statements": ["a0", "not b1", "a2 or b3", "b0"]},
            "B": {"statements": ["b0", "not a1", "b2 iff a3", "a0"]},
        },
    }


def web_part() -> None:
    folder = Path(tempfile.mkdtemp(prefix="prevdip-bench-gmcr-"))
    env = {**os.environ, "PREVDIP_WORKSPACE": str(folder / "workspace")}
    subprocess.run([PREVDIP, "init"], env=env, capture_output=True, check=True)
    add = [PREVDIP, "users", "add", OFFICER, "--role", "officer", "--password-stdin"]
    subprocess.run(add, env=env, input=PASSWORD, text=True, capture_output=True, check=True)
    server = subprocess.Popen([PREVDIP, "serve", "--port", str(PORT)], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{PORT}"
    try:
        started = _wait(base)
        with httpx.Client(base_url=base, timeout=600) as client:
            _sign_in(client)
            t0 = time.perf_counter()
            client.get("/gmcr")  # starts the analysis worker's fork server in the background
            _ = client.post("/gmcr", files={"model": ("pd.json", _small(), "application/json")})
            print(
                f"-- web: server up in {started:.1f} s; first GMCR upload (fork server start included) "
                f"{time.perf_counter() - t0:.2f} s",
                flush=True,
            )
            ids = {}
            for options_each in (5, 6):
                path = folder / f"m{2 * options_each}.json"
                path.write_text(json.dumps(two_party_model(options_each)))
                ids[options_each] = _versus_cli(client, path, env)
            _static_under_load(client, ids[6])
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait(base: str) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < 120:
        try:
            httpx.get(base + STATIC, timeout=1)
            return time.perf_counter() - start
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the dashboard did not start within 120 s")


def _sign_in(client: httpx.Client) -> None:
    """Through the form, as a browser does; later requests carry the session cookie and its CSRF token."""
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    form = token.search(client.get("/login").text)
    assert form is not None, "no sign-in form"
    data = {"username": OFFICER, "password": PASSWORD, "csrf_token": form.group(1)}
    assert client.post("/login", data=data).status_code == 303, "the officer could not sign in"
    session = token.search(client.get("/gmcr").text)
    assert session is not None, "no CSRF token on the GMCR page"
    client.headers["X-CSRF-Token"] = session.group(1)


def _small() -> bytes:
    return json.dumps(
        {
            "form": "graph",
            "decision_makers": ["A", "B"],
            "states": ["1", "2", "3", "4"],
            "moves": {"A": [["1", "2"], ["2", "1"], ["3", "4"], ["4", "3"]], "B": [["1", "3"], ["3", "1"]]},
            "preferences": {"A": [["2"], ["1"], ["4"], ["3"]], "B": [["3"], ["1"], ["4"], ["2"]]},
        }
    ).encode()


def _versus_cli(client: httpx.Client, path: Path, env: dict[str, str]) -> str:
    t0 = time.perf_counter()
    for command in (["analyze", str(path), "--json"], ["status-quo", str(path), "--from", "1", "--json"]):
        subprocess.run([PREVDIP, "gmcr", *command], env=env, capture_output=True, check=True)
    cli = time.perf_counter() - t0
    t0 = time.perf_counter()
    answer = client.post("/gmcr", files={"model": (path.name, path.read_bytes(), "application/json")})
    upload = time.perf_counter() - t0
    model_id = answer.headers["location"].split("model=")[1]
    t0 = time.perf_counter()
    page = client.get(f"/gmcr?model={model_id}")
    shown = time.perf_counter() - t0
    states = client.get(f"/gmcr.json?model={model_id}").json()["model"]["table"]["total"]
    assert page.status_code == 200 and "too large" not in page.text, "the page did not analyse the model"
    print(
        f"{states:>5} states | CLI analyze + status-quo {cli:.2f} s | web upload {upload:.2f} s, page {shown:.2f} s "
        f"(page + upload {upload + shown:.2f} s, {(upload + shown) / cli:.1f}x the CLI) | page {len(page.content):,} B",
        flush=True,
    )
    return model_id


def _static_under_load(client: httpx.Client, model_id: str) -> None:
    """Idle is measured before and after the busy spell (the machine is shared: its load drifts)."""
    idle = _latencies(client)
    busy_until = threading.Event()
    analysed = []

    def analyse() -> None:
        state = 2
        while not busy_until.is_set():
            t0 = time.perf_counter()
            client.get(f"/gmcr?model={model_id}&from={state}")
            analysed.append(time.perf_counter() - t0)
            state += 1

    worker = threading.Thread(target=analyse)
    worker.start()
    time.sleep(0.5)
    loaded = _latencies(client)
    busy_until.set()
    worker.join()
    idle += _latencies(client)
    p95_idle, p95_busy = _p95(idle), _p95(loaded)
    print(
        f"static file p50/p95 idle {statistics.median(idle) * 1000:.1f}/{p95_idle * 1000:.1f} ms | while 4,096-state "
        f"models are analysed ({len(analysed)} analyses, {statistics.mean(analysed):.2f} s each) "
        f"{statistics.median(loaded) * 1000:.1f}/{p95_busy * 1000:.1f} ms | p95 ratio {p95_busy / p95_idle:.2f}x "
        "(target within 2x)",
        flush=True,
    )


def _latencies(client: httpx.Client) -> list[float]:
    out = []
    for _ in range(REQUESTS):
        t0 = time.perf_counter()
        client.get(STATIC)
        out.append(time.perf_counter() - t0)
        time.sleep(0.01)
    return out


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


if __name__ == "__main__":
    sys.exit(web_part())
