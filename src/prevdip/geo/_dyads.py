"""Border dyads: pairs of the region's countries that share a land border, written ``A-B`` in ISO3 order."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files

from prevdip.errors import NotFound
from prevdip.geo._countries import country


@dataclass(frozen=True, order=True)
class Dyad:
    """An unordered pair of countries, stored with ``a < b`` so ``KGZ-TJK`` and ``TJK-KGZ`` are one dyad."""

    a: str
    b: str

    @property
    def code(self) -> str:
        return f"{self.a}-{self.b}"

    def as_list(self) -> list[str]:
        return [self.a, self.b]

    def __contains__(self, iso3: object) -> bool:
        return iso3 in (self.a, self.b)


def _pair(x: str, y: str) -> Dyad:
    a, b = sorted((x, y))
    return Dyad(a, b)


def _load() -> tuple[Dyad, ...]:
    text = files("prevdip.geo").joinpath("border_dyads.csv").read_text(encoding="utf-8")
    return tuple(sorted(_pair(row["a"], row["b"]) for row in csv.DictReader(text.splitlines())))


BORDER_DYADS: tuple[Dyad, ...] = _load()


def dyad(code: str) -> Dyad:
    """Parse ``"KGZ-TJK"`` (any order, any code :func:`~prevdip.geo.country` knows); refuse non-neighbours."""
    parts = code.replace("_", "-").split("-")
    if len(parts) != 2:
        raise NotFound(f"malformed dyad {code!r}", hint="write two country codes joined by a dash, e.g. KGZ-TJK")
    found = _pair(country(parts[0]).iso3, country(parts[1]).iso3)
    if found not in BORDER_DYADS:
        known = ", ".join(d.code for d in BORDER_DYADS)
        raise NotFound(f"{found.code} is not a border dyad of the region", hint=f"known dyads: {known}")
    return found


def dyads_within(iso3s: Iterable[str]) -> tuple[Dyad, ...]:
    """Border dyads whose two countries are both in ``iso3s``."""
    members = set(iso3s)
    return tuple(d for d in BORDER_DYADS if d.a in members and d.b in members)
