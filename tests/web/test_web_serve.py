"""``prevdip serve`` starts the dashboard on the given local address."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from prevdip.cli.app import app


def test_serve_help_names_its_options() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output


def test_serve_answers_on_the_port(workspace: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PREVDIP_PUBLIC_ACCESS": "public"}
    server = subprocess.Popen(
        [sys.executable, "-c", "from prevdip.cli.app import main; main()", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/index.json", timeout=5)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "prevdip serve did not answer within 20 s"
                time.sleep(0.2)
        assert answer.status_code == 200
        assert answer.json()["region"] == "central-asia+afghanistan"
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode()
    assert f"http://127.0.0.1:{port}/" in output
