"""``prevdip serve``: the dashboard and JSON API, in one or several uvicorn worker processes."""

from __future__ import annotations

from typing import Any

import typer

APP = "prevdip.web:create_app"


def server_options(host: str, port: int, workers: int = 1) -> dict[str, Any]:
    """How prevdip runs uvicorn: the app factory by import string (so several workers each build one), no
    ``server`` banner, and forwarded headers left to the app (believed only from PREVDIP_FORWARDED_ALLOW_IPS)."""
    return {
        "host": host,
        "port": port,
        "workers": workers,
        "factory": True,
        "server_header": False,
        "proxy_headers": False,
        "log_level": "warning",
    }


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; keep 127.0.0.1 unless behind a proxy."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Worker processes (sessions live in the database)."
    ),
) -> None:
    """Serve the dashboard (every page also answers JSON: add .json to its path)."""
    import uvicorn

    from prevdip.settings import get_settings

    access = get_settings().public_access
    seen = "the public board is open to visitors" if access == "public" else "visitors must sign in"
    typer.echo(f"prevdip dashboard on http://{host}:{port}/ (API docs: /api/docs; {seen}); Ctrl-C stops it")
    uvicorn.run(APP, **server_options(host, port, workers))


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
