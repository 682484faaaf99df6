"""How commands print: exactly one JSON object on stdout with ``--json``, rich tables otherwise."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

JSON_OPTION = typer.Option(False, "--json", help="Print exactly one JSON object on stdout, nothing else.")

console = Console()
errors = Console(stderr=True)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Mapping[str, Any]) -> str:
    """Serialise a report; NaN is refused because JSON has no NaN (use ``None``)."""
    return json.dumps(data, default=_json_default, ensure_ascii=False, allow_nan=False)


def printable(text: str) -> str:
    """``text`` safe to show in a terminal: control characters (an escape sequence in a name someone typed into the
    sign-in form, say) become ``?`` — rich passes ESC through untouched."""
    return "".join(c if c.isprintable() or c == " " else "?" for c in text)


def report(data: Mapping[str, Any], *, as_json: bool, render: Callable[[Console, Mapping[str, Any]], None]) -> None:
    """Print ``data`` as one JSON object, or hand it to ``render`` for people."""
    if as_json:
        typer.echo(to_json(data))
    else:
        render(console, data)
