"""The Typer application and its entry point.

Every module in :mod:`prevdip.cli` that defines ``register(app)`` adds its commands here, built-ins and later
groups alike, so a new command group is one new file. Command modules import their domain lazily inside the
command functions, which keeps ``prevdip --help`` fast.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from typing import Any

import typer
from typer.core import TyperGroup

import prevdip
from prevdip import cli as cli_package
from prevdip.errors import RefusedInput


class PrevdipGroup(TyperGroup):
    """Turns :class:`RefusedInput` into a one-line error and exit status 2 (``--debug`` shows the traceback)."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except RefusedInput as refusal:
            if (ctx.obj or {}).get("debug"):
                raise
            typer.echo(f"prevdip: error: {refusal}", err=True)
            raise typer.Exit(refusal.exit_code) from None


app = typer.Typer(
    name="prevdip",
    cls=PrevdipGroup,
    help="Workbench of a regional centre for preventive diplomacy (Central Asia and Afghanistan).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"prevdip {prevdip.__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback of an error."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Workbench of a regional centre for preventive diplomacy (Central Asia and Afghanistan)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    from prevdip.settings import get_settings

    try:
        level = get_settings().log_level
    except Exception as problem:  # invalid settings are refused input, not a crash
        raise RefusedInput(f"invalid settings: {problem}", hint="check the PREVDIP_* variables") from problem
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _register_command_groups() -> None:
    for module_info in sorted(pkgutil.iter_modules(cli_package.__path__), key=lambda m: m.name):
        if module_info.name in {"app", "output"}:
            continue
        module = importlib.import_module(f"{cli_package.__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_command_groups()


def main() -> None:
    """Console-script entry point."""
    app()
