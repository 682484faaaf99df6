"""``prevdip serve``: the dashboard and JSON API on a local address."""

from __future__ import annotations

import typer


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; keep 127.0.0.1 unless behind a proxy."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the dashboard (every page also answers JSON: add .json to its path)."""
    import uvicorn

    from prevdip.web import create_app

    typer.echo(f"prevdip dashboard on http://{host}:{port}/ (API docs: /api/docs); Ctrl-C stops it")
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
