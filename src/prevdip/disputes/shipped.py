"""The register prevdip ships: ``register.toml`` beside this module, every date and figure with its sources.

Read and checked in one place, so the seeding of the system of record and the tests that hold the file to its
sources read the same records. A mistake in the file is refused naming the dispute and field
(``register.toml: disputes[2] (rogun-dam): history.1.date: ...``).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from pathlib import Path

from pydantic import ValidationError

from prevdip.disputes.records import DisputeIn, explain
from prevdip.errors import RefusedInput

REGISTER_FILE = "register.toml"


def register_path() -> Path:
    """Where the shipped register lives (inside the installed package)."""
    return Path(str(files("prevdip.disputes") / REGISTER_FILE))


def read_register(path: Path) -> tuple[DisputeIn, ...]:
    """Every dispute of a register file in the shipped format, checked; the first mistake is refused."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as problem:
        raise RefusedInput(f"{path.name}: cannot be read: {problem}", hint="fix the file and try again") from None
    unknown = sorted(set(data) - {"register", "disputes"})
    if unknown:
        raise RefusedInput(f"{path.name}: unknown section {unknown[0]!r}", hint="sections are register and disputes")
    found = []
    for n, raw in enumerate(data.get("disputes", [])):
        try:
            found.append(DisputeIn.model_validate(raw))
        except ValidationError as problem:
            name = f"disputes[{n}] ({raw.get('id', '?')})"
            raise RefusedInput(
                f"{path.name}: {name}: {explain(problem)}", hint="correct the file (docs/disputes.md)"
            ) from None
    ids = [d.id for d in found]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise RefusedInput(f"{path.name}: the dispute id {twice[0]!r} is used twice", hint="give each its own id")
    return tuple(found)


@cache
def shipped_register() -> tuple[DisputeIn, ...]:
    """The disputes prevdip ships, read once per process."""
    return read_register(register_path())
