"""``prevdip users``: the people who sign in to the dashboard, their roles, passwords and API tokens.

The command line acts with full rights as the owner of the workspace: whoever can run it can read and change the
database anyway. Every change is written with its audit entry (who: the account running prevdip).
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Mapping
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report
from prevdip.errors import RefusedInput

users_app = typer.Typer(help="Accounts of the dashboard: roles, passwords, API tokens.", no_args_is_help=True)

COUNTRY = typer.Option(
    None, "--country", help="A government liaison's government (ISO3, one of the five); repeat for several."
)
PASSWORD_STDIN = typer.Option(False, "--password-stdin", help="Read the password from the first line of stdin.")
COLUMNS = ("name", "role", "countries", "disabled", "language", "locked_until", "tokens")


def _password(from_stdin: bool) -> str:
    """The new password: one line of stdin, or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("new password: ")
    if first != getpass.getpass("again: "):
        raise RefusedInput("the two passwords differ", hint="type the same password twice")
    return first


def _accounts(work: Callable[[Any], Mapping[str, Any]]) -> Mapping[str, Any]:
    from prevdip.accounts import open_accounts

    with open_accounts() as accounts:
        return work(accounts)


def _user(data: Mapping[str, Any], tokens: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {**data, **({"tokens": tokens} if tokens is not None else {})}


def _table(console: Console, rows: list[Mapping[str, Any]], title: str) -> None:
    table = Table(*COLUMNS, title=title)
    for row in rows:
        cells = {**row, "tokens": len([t for t in row.get("tokens", []) if not t["revoked"]])}
        table.add_row(*(escape(_cell(cells.get(c))) for c in COLUMNS))
    console.print(table)


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return "—" if value is None else str(value)


def _one(title: str) -> Callable[[Console, Mapping[str, Any]], None]:
    return lambda console, data: _table(console, [data["user"]], title)


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="The account's name, e.g. a.karimova."),
    role: str = typer.Option(..., "--role", help="admin, officer, government, partner or monitor."),
    country: list[str] | None = COUNTRY,
    password_stdin: bool = PASSWORD_STDIN,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add an account (a government liaison names their government with --country)."""
    from prevdip.accounts import add_user

    password = _password(password_stdin)
    data = _accounts(
        lambda a: {"user": add_user(a, name, role, password=password, countries=list(country or [])).as_dict()}
    )
    report(data, as_json=as_json, render=_one("account added"))


@users_app.command("list")
def list_accounts(as_json: bool = JSON_OPTION) -> None:
    """List the accounts with their roles and tokens (never a password or a token itself)."""
    from prevdip.accounts import list_users, tokens_of

    def work(accounts: Any) -> dict[str, Any]:
        found = [_user(u.as_dict(), [t.as_dict() for t in tokens_of(accounts, u)]) for u in list_users(accounts)]
        return {"count": len(found), "users": found}

    report(_accounts(work), as_json=as_json, render=lambda c, d: _table(c, d["users"], f"{d['count']} accounts"))


@users_app.command("disable")
def disable(name: str = typer.Argument(..., help="The account."), as_json: bool = JSON_OPTION) -> None:
    """Disable an account: its sessions end at once and its API tokens stop working."""
    from prevdip.accounts import disable_user

    report(_accounts(lambda a: {"user": disable_user(a, name).as_dict()}), as_json=as_json, render=_one("disabled"))


@users_app.command("set-role")
def set_role(
    name: str = typer.Argument(..., help="The account."),
    role: str = typer.Argument(..., help="admin, officer, government, partner or monitor."),
    country: list[str] | None = COUNTRY,
    as_json: bool = JSON_OPTION,
) -> None:
    """Give an account another role; its sessions end, so the new rights apply at once."""
    from prevdip.accounts import set_role as change

    def work(accounts: Any) -> dict[str, Any]:
        user = change(accounts, name, role, list(country or []))
        return {"user": user.as_dict()}

    report(_accounts(work), as_json=as_json, render=_one("role set"))


@users_app.command("reset-password")
def reset_password(
    name: str = typer.Argument(..., help="The account."),
    password_stdin: bool = PASSWORD_STDIN,
    as_json: bool = JSON_OPTION,
) -> None:
    """Set a new password (the account is unlocked and signed out everywhere)."""
    from prevdip.accounts import reset_password as reset

    password = _password(password_stdin)
    report(_accounts(lambda a: {"user": reset(a, name, password).as_dict()}), as_json=as_json, render=_one("reset"))


@users_app.command("token")
def token(name: str = typer.Argument(..., help="The account."), as_json: bool = JSON_OPTION) -> None:
    """Make an API token for scripts (Authorization: Bearer TOKEN). It is shown this once and stored hashed."""
    from prevdip.accounts import create_token

    def work(accounts: Any) -> dict[str, Any]:
        record, raw = create_token(accounts, name)
        return {"user": name, "token_id": record.id, "token": raw}

    def render(console: Console, data: Mapping[str, Any]) -> None:
        console.print(f"API token {data['token_id']} for {escape(str(data['user']))} (shown once, keep it safe):")
        console.print(data["token"], soft_wrap=True, highlight=False)

    report(_accounts(work), as_json=as_json, render=render)


@users_app.command("revoke-token")
def revoke_token(
    name: str = typer.Argument(..., help="The account."),
    token_id: int | None = typer.Argument(None, help="The token's id (default: every working token of NAME)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Revoke an API token (or all of an account's tokens)."""
    from prevdip.accounts import revoke_tokens

    def work(accounts: Any) -> dict[str, Any]:
        return {"user": name, "revoked": [t.id for t in revoke_tokens(accounts, name, token_id)]}

    report(_accounts(work), as_json=as_json, render=lambda c, d: c.print(f"revoked tokens: {d['revoked'] or 'none'}"))


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
