"""Where things are: every file prevdip reads from the reference bundle, and the folders of a workspace, named once.

Domain modules ask this catalogue for a path instead of spelling it, so moving a file of the bundle or a folder of
the workspace is a change to one line here. It sits at the bottom of the package beside :mod:`prevdip.settings`
(which says *which* bundle and workspace are in use) and imports nothing of prevdip: every layer may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BundleCatalogue:
    """The reference bundle's files prevdip reads, relative to the bundle's root (see its ``MANIFEST.tsv``)."""

    manifest: str = "MANIFEST.tsv"
    # The event and series files ``prevdip ingest bundle`` reads. The regional GED extract is a subset of the
    # global one: its rows come back as duplicates, which is the point — the lake holds each event once.
    ucdp_ged: tuple[str, ...] = (
        "ucdp/ged231_sample1000_official_schema.csv",
        "ucdp/ged211_reduced_global.csv.gz",
        "ucdp/ged211_reduced_central_asia_neighbours.csv",
    )
    ucdp_acd: tuple[str, ...] = ("ucdp/ucdp-prio-acd-221.csv", "ucdp/ucdp-prio-acd-251_resaved_semicolon_dmy.csv")
    ucdp_brd: tuple[str, ...] = ("ucdp/ucdp-brd-dyadic-251.csv",)
    ucdp_country_month: tuple[str, ...] = ("ucdp/country_month_best_deaths_nenames.csv",)
    gdelt: tuple[str, ...] = (
        "gdelt/gdelt2_events_20150218230000_sample100.tsv",
        "gdelt/gdelt2_events_translingual_20150218224500_sample100.tsv",
        "gdelt/gdelt1_events_19790101_sample100.tsv",
    )
    tfdd_bar: tuple[str, ...] = ("tfdd/bar_events_raw.csv",)
    # Reference tables: codes and geography the sources are written in.
    cameo_codes: str = "gdelt/cameo/cameoCodeTable_goldstein.tsv"
    cameo_countries: str = "gdelt/cameo/cameoCountry.txt"
    geonames_countries: str = "gdelt/cameo/countryInfo.txt"
    natural_earth: str = "natural-earth"
    world_outlines: str = "natural-earth/ne_110m_admin_0_countries.geojson"
    land_boundaries: str = "natural-earth/ne_10m_admin_0_boundary_lines_land_CA_bbox.geojson"
    admin1_label_points: str = "natural-earth/ne_10m_admin_1_label_points_CA_AFG.geojson"
    rivers: str = "natural-earth/ne_10m_rivers_lake_centerlines_CA_bbox.geojson"
    lakes: str = "natural-earth/ne_10m_lakes_CA_bbox.geojson"
    # Structural covariates of the forecast models, and which states exist when (the Gleditsch–Ward system).
    wdi: str = "covariates/ewp_wdi.csv"
    state_years: str = "covariates/gwstate_age.csv"
    state_spells: str = "mid/gw_states.csv"

    def sources(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(source, files) in the order ``prevdip ingest bundle`` reads them: events first, then the series."""
        return (
            ("ucdp-ged", self.ucdp_ged),
            ("ucdp-acd", self.ucdp_acd),
            ("ucdp-brd", self.ucdp_brd),
            ("ucdp-cm", self.ucdp_country_month),
            ("gdelt", self.gdelt),
            ("tfdd-bar", self.tfdd_bar),
        )

    def outline(self, scale: str, iso3: str) -> str:
        """A country's detailed outline at ``scale`` (``10m``, ``50m``), where the bundle has one."""
        return f"{self.natural_earth}/admin0_{scale}/{iso3}.geojson"


BUNDLE = BundleCatalogue()


@dataclass(frozen=True)
class Workspace:
    """The folders and files of one workspace: the event lake, the system of record, what the centre publishes.

    ``Workspace(path).lake`` and so on; :data:`FOLDERS` are the ones ``prevdip init`` makes.
    """

    root: Path

    FOLDERS = ("lake", "vintages", "briefs")
    SETTINGS_FILE = "prevdip.toml"
    DATABASE_FILE = "prevdip.sqlite"
    LOCK_FILE = "cycle.lock"
    #: The lake's two parts, the same inside a run's staging folder.
    EVENTS = "events"
    SERIES = "series"

    @property
    def lake(self) -> Path:
        """The event lake: ``events/`` (Parquet by source and year), ``series/``, ``.staging/``."""
        return self.root / "lake"

    @property
    def events(self) -> Path:
        return self.lake / self.EVENTS

    @property
    def series(self) -> Path:
        return self.lake / self.SERIES

    @property
    def staging(self) -> Path:
        return self.lake / ".staging"

    @property
    def vintages(self) -> Path:
        """Frozen forecast vintages, never overwritten."""
        return self.root / "vintages"

    @property
    def backtests(self) -> Path:
        """The published backtest of each forecast target."""
        return self.root / "backtests"

    @property
    def briefs(self) -> Path:
        return self.root / "briefs"

    @property
    def downloads(self) -> Path:
        """Raw files fetched from the official sources, kept with their manifest."""
        return self.root / "downloads"

    @property
    def gmcr_models(self) -> Path:
        """GMCR models uploaded on the dashboard, by content hash."""
        return self.root / "gmcr" / "models"

    @property
    def settings_file(self) -> Path:
        return self.root / self.SETTINGS_FILE

    @property
    def database_file(self) -> Path:
        """The SQLite system of record, when no other database is configured."""
        return self.root / self.DATABASE_FILE

    @property
    def cycle_lock(self) -> Path:
        """The monthly cycle's lock: one cycle at a time in a workspace."""
        return self.root / self.LOCK_FILE

    @property
    def written_by_the_dashboard(self) -> tuple[Path, ...]:
        """Folders the dashboard itself writes and its cached pages never read."""
        return (self.briefs, self.root / "gmcr")
