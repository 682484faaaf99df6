"""The centre's priority groups and their classification rules, read from ``taxonomy.toml`` (data, not code).

A rule is a conjunction of conditions over one enriched event row (see :mod:`prevdip.signals.classify`); each
condition compiles to a DuckDB SQL predicate, so the whole lake is classified in one query. Keeping the rules as
data lets an analyst read, argue about and change them without touching Python; ``docs/taxonomy.md`` explains them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

from prevdip.errors import RefusedInput

_CONDITIONS = {
    "sources",
    "categories",
    "actors",
    "text",
    "cameo",
    "countries",
    "border_within",
    "border_with",
    "basins",
    "water",
    "interstate",
    "min_latitude",
    "min_fatalities",
}


@dataclass(frozen=True)
class PriorityGroup:
    """One of the centre's priority groups with its sub-groups."""

    name: str
    label: str
    subgroups: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """Conditions that put an event into a (group, subgroup) with a confidence."""

    id: str
    group: str
    subgroup: str
    confidence: float
    conditions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Taxonomy:
    groups: dict[str, PriorityGroup]
    basins: dict[str, tuple[str, ...]]
    rules: tuple[Rule, ...]

    @property
    def max_border_km(self) -> float:
        """The widest border buffer any rule asks about (the border table is computed to this distance)."""
        return max((float(r.conditions.get("border_within", 0)) for r in self.rules), default=0.0)


def _rule(raw: dict[str, Any], groups: dict[str, PriorityGroup], basins: dict[str, tuple[str, ...]]) -> Rule:
    rule_id = str(raw.get("id", "?"))
    unknown = set(raw) - _CONDITIONS - {"id", "group", "subgroup", "confidence"}
    if unknown:
        raise RefusedInput(f"taxonomy rule {rule_id!r}: unknown condition(s) {sorted(unknown)}")
    group = groups.get(raw.get("group", ""))
    if group is None or raw.get("subgroup") not in group.subgroups:
        where = f"{raw.get('group')}/{raw.get('subgroup')}"
        raise RefusedInput(f"taxonomy rule {rule_id!r}: unknown group/subgroup {where}")
    confidence = float(raw.get("confidence", -1))
    if not 0 < confidence <= 1:
        raise RefusedInput(f"taxonomy rule {rule_id!r}: confidence must be in (0, 1], got {confidence}")
    missing = set(raw.get("basins", [])) - set(basins)
    if missing:
        raise RefusedInput(f"taxonomy rule {rule_id!r}: unknown basin(s) {sorted(missing)}")
    conditions = {k: v for k, v in raw.items() if k in _CONDITIONS}
    if not conditions:
        raise RefusedInput(f"taxonomy rule {rule_id!r} has no condition and would match every event")
    return Rule(rule_id, group.name, raw["subgroup"], confidence, conditions)


def parse_taxonomy(text: str) -> Taxonomy:
    """Parse and check a taxonomy document; any mistake is refused naming the rule."""
    data = tomllib.loads(text)
    groups = {
        name: PriorityGroup(name, g["label"], tuple(g["subgroups"])) for name, g in data.get("groups", {}).items()
    }
    basins = {code: tuple(patterns) for code, patterns in data.get("basins", {}).items()}
    rules = tuple(_rule(raw, groups, basins) for raw in data.get("rules", []))
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise RefusedInput("taxonomy: rule ids must be unique")
    return Taxonomy(groups, basins, rules)


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    """The built-in taxonomy shipped with prevdip."""
    return parse_taxonomy(files("prevdip.signals").joinpath("taxonomy.toml").read_text(encoding="utf-8"))


#: The centre's priority groups, in the order the taxonomy (and every page listing them) reads them.
PRIORITY_GROUPS: tuple[str, ...] = (
    "cross_border_threats",
    "environment_water_energy",
    "afghanistan_spillover",
    "internal_instability",
    "border_disputes",
)
CROSS_BORDER, WATER_ENERGY, AFGHANISTAN, INTERNAL, BORDERS = PRIORITY_GROUPS
#: The order the meeting of deputy foreign ministers takes them: the three priorities of the mandate, then
#: interstate border questions, then internal stability.
AGENDA_ORDER: tuple[str, ...] = (CROSS_BORDER, WATER_ENERGY, AFGHANISTAN, BORDERS, INTERNAL)
#: The groups whose deaths concern a border (a dyad's deaths count only these and interstate events).
CROSS_BORDER_GROUPS: tuple[str, ...] = (BORDERS, CROSS_BORDER, AFGHANISTAN)


# --- compiling rules to SQL over the enriched events (columns documented in classify.py) ---


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in_list(column: str, values: list[str]) -> str:
    return f"{column} IN ({', '.join(_quote(v) for v in values)})"


def _regex_any(expression: str, patterns: list[str]) -> str:
    return f"regexp_matches({expression}, {_quote('(?i)(' + '|'.join(patterns) + ')')})"


def _border(conditions: dict[str, Any]) -> str:
    km = float(conditions.get("border_within", 0)) or None
    partners = conditions.get("border_with")
    parts = ["nb.latitude = e.latitude", "nb.longitude = e.longitude"]
    parts.append("(e.country_iso3 IS NULL OR e.country_iso3 IN (nb.a, nb.b))")
    if km is not None:
        parts.append(f"nb.km <= {km}")
    if partners:
        parts.append(f"({_in_list('nb.a', partners)} OR {_in_list('nb.b', partners)})")
    return f"EXISTS (SELECT 1 FROM near_border nb WHERE {' AND '.join(parts)})"


def rule_predicate(rule: Rule, basins: dict[str, tuple[str, ...]]) -> str:
    """The SQL predicate (over alias ``e``) that is true when the event satisfies every condition of ``rule``."""
    c = rule.conditions
    preds: list[str] = []
    if "sources" in c:
        preds.append(_in_list("e.source", c["sources"]))
    if "categories" in c:
        preds.append(_in_list("e.category", c["categories"]))
    if "actors" in c:
        preds.append(_regex_any("e.actors", c["actors"]))
    if "text" in c:
        preds.append(_regex_any("e.text", c["text"]))
    if "cameo" in c:
        preds.append("e.is_cameo AND " + _regex_any("e.cameo_code", ["^" + p for p in c["cameo"]]))
    if "countries" in c:
        preds.append(_in_list("e.country_iso3", c["countries"]))
    if "border_within" in c or "border_with" in c:
        preds.append(_border(c))
    if "basins" in c:
        preds.append(_in_list("e.basin", c["basins"]))
    if "water" in c:
        preds.append("e.water_scale < 0" if c["water"] == "negative" else "e.water_scale IS NOT NULL")
    if "interstate" in c:
        preds.append("e.interstate" if c["interstate"] else "NOT e.interstate")
    if "min_latitude" in c:
        preds.append(f"e.latitude >= {float(c['min_latitude'])}")
    if "min_fatalities" in c:
        preds.append(f"coalesce(e.fatalities_best, 0) >= {int(c['min_fatalities'])}")
    return " AND ".join(f"({p})" for p in preds)


def basin_expression(basins: dict[str, tuple[str, ...]]) -> str:
    """SQL CASE naming the first basin whose patterns occur in the event's location or text (NULL if none)."""
    whens = " ".join(
        f"WHEN {_regex_any('e.text', list(patterns))} THEN {_quote(code)}" for code, patterns in basins.items()
    )
    return f"CASE {whens} ELSE NULL END"
