"""The basin data as validated records: what the versioned TOML files in ``data/`` must say.

Validation happens here, at the boundary, so the network and the LP can trust their inputs. Every node, profile and
power table must carry a ``source``; numbers prevdip had to assume carry an ``assumption`` as well.
"""

from __future__ import annotations

import tomllib
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from prevdip.errors import RefusedInput

MONTHS = ("Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep")
WINTER = range(0, 6)  # Oct–Mar, the non-growing season
SUMMER = range(6, 12)  # Apr–Sep, the growing season
DAYS = (31, 30, 31, 31, 28.25, 31, 30, 31, 30, 31, 31, 30)
BASIN_FILES = {"syr-darya": "syr_darya.toml", "amu-darya": "amu_darya.toml"}


class NodeKind(StrEnum):
    """What a node of the basin network is."""

    INFLOW = "inflow"
    RESERVOIR = "reservoir"
    PLANT = "plant"
    DEMAND = "demand"
    JUNCTION = "junction"
    SPILL = "spill"
    SINK = "sink"
    POWER = "power"


class Sourced(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    source: str = Field(min_length=3)
    assumption: str | None = None


class Node(Sourced):
    id: str
    name: str | None = None  # how the centre names it on pages and in reports; the id when not given
    name_ru: str | None = None  # the same in Russian, the centre's other working language
    at: tuple[float, float] | None = None  # (lon, lat) where the basin map marks it; for drawing only
    kind: NodeKind
    country: str = Field(pattern=r"^[A-Z]{3}$")
    planned: bool = False
    in_service: str | None = None  # a planned facility's published date of operation
    annual_km3: float | None = Field(default=None, ge=0)
    profile: str | None = None
    live_km3: float | None = Field(default=None, gt=0)
    initial_km3: float | None = Field(default=None, ge=0)
    capacity_mw: float | None = Field(default=None, gt=0)
    kwh_per_m3: float | None = Field(default=None, gt=0)
    growing_km3: float | None = Field(default=None, ge=0)
    nongrowing_km3: float | None = Field(default=None, ge=0)
    min_km3: float | None = Field(default=None, ge=0)
    min_km3_dry: float | None = Field(default=None, ge=0)
    penalty_usd_per_m3: float | None = Field(default=None, ge=0)
    charged_to: str | None = None
    holds_winter_storage: bool = False  # operated alone, keeps its 1 October storage through Oct–Mar (see model)
    max_m3s: float | None = Field(default=None, gt=0)  # a demand zone's intake capacity (a canal's design discharge)
    return_fraction: float | None = Field(default=None, ge=0, lt=1)  # the zone's own, where it differs from the basin's

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Node:
        needed = {
            NodeKind.INFLOW: ("annual_km3", "profile"),
            NodeKind.RESERVOIR: ("live_km3", "initial_km3"),
            NodeKind.PLANT: ("capacity_mw", "kwh_per_m3"),
            NodeKind.DEMAND: ("growing_km3", "nongrowing_km3"),
            NodeKind.SINK: ("min_km3", "penalty_usd_per_m3"),
            NodeKind.SPILL: ("penalty_usd_per_m3",),
        }.get(self.kind, ())
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"{self.kind.value} node '{self.id}' needs {', '.join(missing)}")
        if (self.capacity_mw is None) != (self.kwh_per_m3 is None):
            raise ValueError(
                f"node '{self.id}': give both capacity_mw and kwh_per_m3 for a hydropower plant, or neither"
            )
        if self.holds_winter_storage and self.kind is not NodeKind.RESERVOIR:
            raise ValueError(f"node '{self.id}': only a reservoir can hold winter storage")
        if (self.max_m3s is not None or self.return_fraction is not None) and self.kind is not NodeKind.DEMAND:
            raise ValueError(f"node '{self.id}': only a demand zone has an intake capacity or its own return fraction")
        if self.kind is NodeKind.RESERVOIR and self.initial_km3 > self.live_km3:  # type: ignore[operator]
            raise ValueError(f"reservoir '{self.id}': initial_km3 exceeds live_km3")
        return self

    @property
    def has_plant(self) -> bool:
        return self.capacity_mw is not None

    @property
    def label(self) -> str:
        return self.name or self.id

    def names(self) -> dict[str, str]:
        """The node's name in each language of the pages (English where no Russian is given)."""
        return {"en": self.label, "ru": self.name_ru or self.label}


class Variant(Sourced):
    """A named reading of a planned facility's published figures: one of its phases, or one end of a published range.

    Qosh Tepa's diversion is reported as "about 10 km³ a year" and as "20–25 % of the flow", and the canal opens in
    phases; each reading is a variant with its own id (stable: disputes link to it), built in place of the facility's
    own figures. Only the figures a reading changes are given.
    """

    id: str
    of: str
    name: str
    name_ru: str | None = None
    in_service: str | None = None
    growing_km3: float | None = Field(default=None, ge=0)
    nongrowing_km3: float | None = Field(default=None, ge=0)
    max_m3s: float | None = Field(default=None, gt=0)

    def changes(self) -> dict[str, Any]:
        """The node fields this reading replaces."""
        fields = ("name", "name_ru", "in_service", "growing_km3", "nongrowing_km3", "max_m3s", "source", "assumption")
        return {f: getattr(self, f) for f in fields if getattr(self, f) is not None}


class Edge(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    source_node: str = Field(alias="from")
    target_node: str = Field(alias="to")
    winter_max_m3s: float | None = Field(default=None, gt=0)
    source: str | None = None
    assumption: str | None = None


class Profile(Sourced):
    shares: list[float] = Field(min_length=12, max_length=12)

    @model_validator(mode="after")
    def _sums_to_one(self) -> Profile:
        if abs(sum(self.shares) - 1) > 1e-6 or min(self.shares) < 0:
            raise ValueError(f"profile shares must be non-negative and sum to 1, got sum {sum(self.shares):.4f}")
        return self


class Power(Sourced):
    requirement_gwh: list[float] = Field(min_length=12, max_length=12)
    requirement_value_usd_per_kwh: float = Field(ge=0)
    surplus_value_usd_per_kwh: float = Field(ge=0)
    thermal_gwh_per_month: float = Field(default=0.0, ge=0)
    thermal_usd_per_kwh: float = Field(default=0.0, ge=0)
    firm_share: float = Field(default=0.0, ge=0, le=1)
    firm_premium_usd_per_kwh: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _no_free_energy(self) -> Power:
        if self.thermal_gwh_per_month > 0 and self.thermal_usd_per_kwh < self.surplus_value_usd_per_kwh:
            raise ValueError(
                "thermal energy must cost at least the surplus value of energy, or the LP burns fuel to sell"
            )
        if self.requirement_value_usd_per_kwh < self.surplus_value_usd_per_kwh:
            raise ValueError("energy meeting the requirement must be worth at least surplus energy")
        return self


class Grid(Sourced):
    """The Central Asian power system (CAPS) links the players' power nodes; trade is open only inside a coalition."""

    transmission_loss: float = Field(ge=0, lt=1)
    transmission_gwh_per_month: float = Field(ge=0)


class Regime(Sourced):
    reservoir: str
    summer_share_min: float = Field(gt=0, lt=1)
    winter_release_max_m3s: float | None = Field(default=None, gt=0)


class BasinSpec(BaseModel):
    """One basin: players, network, seasonal profiles, power tables and the Soviet-era regime."""

    model_config = ConfigDict(extra="forbid")
    name: str
    title: str
    data_version: str
    players: list[str] = Field(min_length=1, max_length=6)
    upstream: list[str]
    return_fraction: float = Field(ge=0, lt=1)
    return_fraction_source: str
    return_fraction_assumption: str | None = None
    regime: Regime
    grid: Grid
    profiles: dict[str, Profile]
    nodes: list[Node]
    edges: list[Edge]
    power: dict[str, Power]
    variants: list[Variant] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> BasinSpec:
        ids = {n.id for n in self.nodes}
        if len(ids) != len(self.nodes):
            raise ValueError("node ids must be unique")
        for edge in self.edges:
            for end in (edge.source_node, edge.target_node):
                if end not in ids:
                    raise ValueError(f"edge {edge.source_node}→{edge.target_node} names unknown node '{end}'")
        for node in self.nodes:
            if node.profile is not None and node.profile not in self.profiles:
                raise ValueError(f"node '{node.id}' uses unknown profile '{node.profile}'")
        if self.regime.reservoir not in ids:
            raise ValueError(f"regime reservoir '{self.regime.reservoir}' is not a node")
        missing = set(self.players) - set(self.power)
        if missing:
            raise ValueError(f"no power table for {sorted(missing)}")
        planned = {n.id for n in self.nodes if n.planned}
        for variant in self.variants:
            if variant.of not in planned:
                raise ValueError(f"variant '{variant.id}' is of '{variant.of}', which is not a planned facility")
        names = [v.id for v in self.variants]
        if len(set(names)) != len(names) or set(names) & ids:
            raise ValueError("variant ids must be unique and differ from node ids")
        return self

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)

    def planned_options(self) -> dict[str, str]:
        """Every planned facility and variant that ``--with`` accepts, by id, with its name."""
        options = {n.id: n.label for n in self.nodes if n.planned}
        return options | {v.id: v.name for v in self.variants}

    def names(self) -> dict[str, dict[str, str]]:
        """Every node and variant by id with its name in each language of the pages: what a page shows for an id."""
        variants = {v.id: {"en": v.name, "ru": v.name_ru or v.name} for v in self.variants}
        return {n.id: n.names() for n in self.nodes} | variants


class Irrigation(Sourced):
    breakpoints: list[float]
    usd_per_m3: list[float]
    monthly: dict[str, Any]

    @model_validator(mode="after")
    def _concave(self) -> Irrigation:
        if len(self.breakpoints) != len(self.usd_per_m3) or self.usd_per_m3 != sorted(self.usd_per_m3, reverse=True):
            raise ValueError("irrigation value segments must be as many as breakpoints and non-increasing (concave)")
        return self

    def month_shares(self) -> list[float]:
        """Share of the non-growing volume (Oct–Mar) then of the growing volume (Apr–Sep) in each month."""
        return list(self.monthly["nongrowing"]) + list(self.monthly["growing"])


class Economics(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data_version: str
    irrigation: Irrigation
    years: dict[str, Any]
    equivalents: dict[str, Any]
    nash: dict[str, Any]

    def year_factor(self, year: str) -> float:
        return float(self.years[year])

    def nash_weights(self, basin: str) -> dict[str, float]:
        return {k: float(v) for k, v in self.nash["weights"][basin].items()}


def _read(filename: str) -> dict[str, Any]:
    text = resources.files("prevdip.water").joinpath("data", filename).read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def load_basin(name: str) -> BasinSpec:
    """The validated data of a basin by its name (``syr-darya`` or ``amu-darya``)."""
    if name not in BASIN_FILES:
        raise RefusedInput(f"unknown basin '{name}'", hint=f"choose one of {', '.join(BASIN_FILES)}")
    try:
        return BasinSpec.model_validate(_read(BASIN_FILES[name]))
    except ValidationError as problem:  # a broken data file is a packaging error, named precisely
        raise RefusedInput(f"data file water/data/{BASIN_FILES[name]} is invalid: {problem}") from problem


@cache
def load_economics() -> Economics:
    """Values, year multipliers and energy equivalents from ``data/economics.toml``."""
    return Economics.model_validate(_read("economics.toml"))
