"""``prevdip serve`` starts the dashboard on the given local address."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
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
        deadline = time.monotonic() + 90  # generous: a loaded 2-core machine starts Python slowly
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/index.json", timeout=5)
                break
            except httpx.HTTPError:
                assert server.poll() is None, "prevdip serve exited before it answered"
                assert time.monotonic() < deadline, "prevdip serve did not answer within 90 s"
                time.sleep(0.2)
        assert answer.status_code == 200
        assert answer.json()["region"] == "central-asia+afghanistan"
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode()
    assert f"http://127.0.0.1:{port}/" in output


@pytest.mark.slow
def test_sessions_hold_across_worker_processes(workspace: Path, accounts_url: str) -> None:
    """``prevdip serve --workers 2``: a session opened through one worker is honoured by the other (it lives in
    the database; the workers share the signing key generated into the workspace)."""
    import re

    from signing import PASSWORD

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PREVDIP_DATABASE_URL": accounts_url}
    command = [sys.executable, "-c", "from prevdip.cli.app import main; main()", "serve", "--port", str(port)]
    server = subprocess.Popen([*command, "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                form = httpx.get(f"{base}/login", timeout=5)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "prevdip serve --workers 2 did not answer within 60 s"
                time.sleep(0.3)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        signed = httpx.post(
            f"{base}/login",
            data={"username": "officer", "password": PASSWORD, "csrf_token": token.group(1)},
            cookies=form.cookies,
        )
        assert signed.status_code == 303
        cookies = signed.cookies
        answers = [httpx.get(f"{base}/response.json", cookies=cookies).status_code for _ in range(24)]  # new sockets
        assert answers == [200] * 24
        assert httpx.get(f"{base}/response.json").status_code == 401
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert (workspace / "secret.key").stat().st_mode & 0o777 == 0o600
