"""The centre's monthly cycle, end to end: workspace, event lake, signals, disputes, forecasts, warnings, brief.

``prevdip cycle`` runs it (with ``--fetch``, fresh events first), from a timer without anyone at a shell;
``prevdip demo`` runs the same on the reference bundle and then serves the dashboard. A lock file in the workspace
(``cycle.lock``, an exclusive ``flock``) makes it safe to start twice at once: the second run waits for the first,
or says "another cycle is running" when told not to wait, and then finds everything done.

Each step reuses what a previous run built — a source already read (by content) is not read again, signals are
cached per lake state, a backtest with the same input fingerprint is not run again, a month's vintage is frozen
once, and a brief newer than its inputs is kept — so the second run takes seconds.
The cycle sits above every domain; only the CLI calls it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from prevdip.catalogue import Workspace
from prevdip.errors import RefusedInput
from prevdip.forecast.targets import DEFAULT_ORIGINS, HORIZONS, TARGETS, VALIDATION_ORIGINS
from prevdip.months import Month

LOCK_FILE = Workspace.LOCK_FILE
Step = Callable[["CycleReport"], None]


@dataclass
class CycleReport:
    """What each step of the cycle did, in order; ``summary`` is the short situation summary."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    month: Month | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    wanted_month: Month | None = None  # ``--month``: the cycle's month instead of the latest with data
    fetch: bool = False  # ``--fetch``: fresh events from the sources first, where possible

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": str(self.month) if self.month else None,
            "steps": self.steps,
            "summary": self.summary,
        }


def prepare_workspace(report: CycleReport) -> None:
    """Create (or reuse) the workspace and migrate its database."""
    from prevdip.store import init_workspace

    made = init_workspace()
    report.steps.append({"step": "workspace", **made.as_dict()})


def ingest_reference_bundle(report: CycleReport) -> None:
    """Read every source of the reference bundle not read before."""
    from prevdip.events import ingest_bundle

    result = ingest_bundle(skip_loaded=True)
    report.steps.append(
        {
            "step": "ingest",
            "sources_read": [run["source"] for run in result["runs"]],
            "sources_reused": result["skipped"],
            "rows": result["rows"],
            "accepted": result["accepted"],
            "quarantined": result["quarantined"],
        }
    )


def build_signals(report: CycleReport) -> None:
    """Stage every country and border dyad, and take the latest month with data as the cycle's month."""
    from prevdip.signals import stage_panel

    countries = stage_panel("country")
    dyads = stage_panel("dyad")
    latest = Month.of(countries["month"].max().date())
    if report.wanted_month is not None and report.wanted_month > latest:
        raise RefusedInput(
            f"month {report.wanted_month} is after the latest month with data ({latest})",
            hint="fetch or ingest newer events first, or choose an earlier month",
        )
    report.month = report.wanted_month or latest
    report.steps.append(
        {
            "step": "signals",
            "country_months": len(countries),
            "dyad_months": len(dyads),
            "latest_month": str(report.month),
        }
    )


FETCH_MONTHS = 12  # how far back a cycle's fetch reaches: UCDP Candidate and ACLED revise recent months


def fetch_sources(report: CycleReport) -> None:
    """With ``--fetch``: the last year's UCDP Candidate and ACLED events and a day of GDELT for the region, each
    where its account is configured and the network answers; what cannot be fetched is said, not fatal."""
    if not report.fetch:
        return
    from prevdip.events.fetch import fetch_acled, fetch_gdelt, fetch_ucdp, scope
    from prevdip.geo import HOME_REGION

    since = (date.today() - timedelta(days=31 * FETCH_MONTHS)).isoformat()
    chosen = scope(None, "neighbours", since, None)
    calls: dict[str, Callable[[], dict[str, Any]]] = {
        "ucdp": lambda: fetch_ucdp(chosen, dataset="candidate"),
        "acled": lambda: fetch_acled(chosen),
        "gdelt": lambda: fetch_gdelt(last=96, region=HOME_REGION),
    }
    done = []
    for source, call in calls.items():
        try:
            got = call()
        except Exception as exc:  # noqa: BLE001 — no network or no account: the cycle goes on with what it has
            done.append({"source": source, "fetched": False, "reason": str(exc).splitlines()[0]})
            continue
        done.append({"source": source, "fetched": True, "records": got.get("records")})
    report.steps.append({"step": "fetch", "sources": done})


def review_disputes(report: CycleReport) -> None:
    """The dispute register (seeded from the shipped file on first use) and the transitions the signals propose in
    the cycle's month, for an officer to confirm."""
    from prevdip.disputes import list_disputes, open_register, proposals

    if report.month is None:
        return
    with open_register() as register:
        disputes = list_disputes(register)
    proposed = proposals(disputes, month=report.month.first_day)
    report.steps.append(
        {
            "step": "disputes",
            "phases": {d.id: d.phase for d in disputes},
            "proposals": [{"dispute": p.dispute, "phase": p.phase, "recorded": p.recorded} for p in proposed],
        }
    )


BACKTEST_HORIZONS = list(HORIZONS)  # the cycle's published backtest: the forecast domain's defaults
BACKTEST_VALIDATION = VALIDATION_ORIGINS  # where the best model's P(any) is checked and recalibrated


def backtest_forecasts(report: CycleReport) -> None:
    """The published backtest of both targets against the baselines (reused while the inputs are unchanged)."""
    from prevdip.forecast import backtest_and_publish
    from prevdip.settings import get_settings

    settings = get_settings()
    if settings.bundle is None:
        return
    done = []
    for target in TARGETS:
        result, reused = backtest_and_publish(
            target=target,
            origins=DEFAULT_ORIGINS[target],
            horizons=BACKTEST_HORIZONS,
            models="all",
            validation=BACKTEST_VALIDATION,
            bundle=settings.bundle,
            workspace=settings.workspace.resolve(),
            reuse=True,
        )
        best = result.skill_vs_conflictology12.get("ensemble", {}).get("1", {})
        done.append({"target": target, "reused": reused, "ensemble_crps_skill_h1": best.get("crps_skill")})
    report.steps.append({"step": "backtest", "targets": done})


def freeze_forecasts(report: CycleReport) -> None:
    """Frozen forecast vintages from the cycle's month, one per target (an existing vintage is kept as it is)."""
    from prevdip.forecast import forecast_and_freeze, load_target
    from prevdip.settings import get_settings

    settings = get_settings()
    if report.month is None or settings.bundle is None:
        return
    workspace = settings.workspace.resolve()
    frozen = []
    for target in TARGETS:
        panel = load_target(target, bundle=settings.bundle, workspace=workspace)
        # the geolocated targets end where the lake's events do: their vintage is issued from their last month
        month = str(min(report.month, Month.of(panel.months[-1].date())))
        existing = sorted(Workspace(workspace).vintages.glob(f"{target}-{month}-*.json"))
        if existing:
            frozen.append({"target": target, "path": str(existing[-1]), "reused": True})
            continue
        record, _ = forecast_and_freeze(panel, month, bundle=settings.bundle, workspace=workspace)
        calibration = record.calibration.as_json() if record.calibration is not None else None
        frozen.append({"target": target, "path": record.path, "reused": False, "calibration": calibration})
    report.steps.append({"step": "forecast", "vintages": frozen})


def situation_summary(report: CycleReport) -> None:
    """Stage and trend of the five states and Afghanistan, the open warnings and agenda blocks — the centre's own
    reading, as the dashboard and the brief show it — and which months each source of the lake covers."""
    from prevdip.events.sharing import Audience
    from prevdip.geo import home_region
    from prevdip.settings import get_settings
    from prevdip.signals import stage_panel
    from prevdip.situation import coverage, region_units, warnings_section

    if report.month is None:
        return
    workspace = get_settings().workspace.resolve()
    countries = stage_panel("country", workspace=workspace)
    now = countries[countries["month"] == str(report.month.first_day)].set_index("unit")
    units = {u.unit for u in region_units()}
    warnings = warnings_section(report.month, units, workspace=workspace, audience=Audience.centre)
    report.summary = {
        "month": str(report.month),
        "countries": {
            iso3: {key: now.at[iso3, key] for key in ("stage", "trend", "instrument")}
            for iso3 in home_region().iso3s
            if iso3 in now.index
        },
        "open_warnings": [w.as_dict() for w in warnings.warnings or []],
        "agenda_blocks": [block.title for block in warnings.agenda or []],
        "coverage": [c.as_json() for c in coverage(workspace=workspace)],
    }


def _newest_input(workspace: Path) -> float:
    """When the brief's inputs — the lake, forecast vintages, published backtests — last changed (their stamps)."""
    from prevdip.events import lake_stamp
    from prevdip.forecast import published_stamp

    return max(lake_stamp(workspace).changed, published_stamp(workspace).changed)


GOVERNMENTS_MARK = b'class="audience audience-governments"'


def _reusable(target: Path, html: Path, newest: float) -> bool:
    """Whether the governments' brief at ``target`` can stand: newer than its inputs, and known to be written for
    the governments — its HTML says so and the PDF is not older than that HTML. A brief of the same name written
    before briefs had audiences was staged on the full lake (centre-internal reports included): never reused."""
    if not (target.is_file() and target.stat().st_mtime > newest and html.is_file()):
        return False
    if target == html:
        return GOVERNMENTS_MARK in html.read_bytes()
    return target.stat().st_mtime >= html.stat().st_mtime and _reusable(html, html, newest)


BRIEF_LANGUAGES = ("en", "ru")  # the ministers' shared working language is Russian


def write_current_brief(report: CycleReport) -> None:
    """The brief of the cycle's month for the governments (what goes to the ministers), HTML and PDF, in English and
    Russian; a brief newer than all its inputs is reused."""
    from prevdip.briefs.brief import brief_path, write_brief
    from prevdip.events.sharing import Audience
    from prevdip.settings import get_settings

    if report.month is None:
        return
    settings = get_settings()
    workspace = settings.workspace.resolve()
    newest = _newest_input(workspace)
    written = []
    for lang in BRIEF_LANGUAGES:
        html = brief_path(workspace, report.month, "html", Audience.governments, lang)
        for fmt in ("html", "pdf"):
            target = brief_path(workspace, report.month, fmt, Audience.governments, lang)
            if _reusable(target, html, newest):
                written.append({"format": fmt, "lang": lang, "path": str(target), "reused": True})
                continue
            result = write_brief(
                report.month, fmt=fmt, workspace=workspace, bundle=settings.bundle, audience=Audience.governments,
                lang=lang,
            )  # fmt: skip
            written.append(
                {"format": fmt, "lang": lang, "path": result["path"], "reused": False, "sections": result["sections"]}
            )
    report.steps.append({"step": "brief", "briefs": written})


STEPS: tuple[tuple[str, Step], ...] = (
    ("Preparing the workspace", prepare_workspace),
    ("Fetching fresh events where asked and possible", fetch_sources),
    ("Reading the reference bundle into the event lake", ingest_reference_bundle),
    ("Building signals and stages", build_signals),
    ("Reading the dispute register and the transitions the signals propose", review_disputes),
    ("Backtesting forecasts against the baselines", backtest_forecasts),
    ("Freezing this month's forecasts", freeze_forecasts),
    ("Drawing up the situation summary", situation_summary),
    ("Writing the monthly brief (HTML and PDF, English and Russian)", write_current_brief),
)


@contextmanager
def _no_progress(_title: str) -> Iterator[None]:
    yield


@contextmanager
def cycle_lock(workspace: Path, *, wait: bool = True, waiting: Callable[[], Any] = lambda: None) -> Iterator[None]:
    """Hold the workspace's cycle lock for the block. A second cycle waits for it (calling ``waiting`` once),
    or with ``wait=False`` is refused with "another cycle is running". The lock goes with the process, so a cycle
    that dies never leaves the workspace locked."""
    workspace.mkdir(parents=True, exist_ok=True)
    fd = os.open(Workspace(workspace).cycle_lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise RefusedInput(
                    f"another cycle is running in {workspace}", hint="wait for it to finish, or run without --no-wait"
                ) from None
            waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing releases the lock


def run_cycle(
    *,
    announce: Callable[[str], Any] = _no_progress,
    fetch: bool = False,
    month: Month | None = None,
    wait: bool = True,
    waiting: Callable[[], Any] = lambda: None,
) -> CycleReport:
    """Run every step in order under the workspace's lock; ``announce(title)`` is a context manager the CLI uses
    to show progress. ``fetch`` fetches fresh events first; ``month`` is the cycle's month (default: the latest
    month with data)."""
    from prevdip.settings import get_settings

    report = CycleReport(wanted_month=month, fetch=fetch)
    with cycle_lock(get_settings().workspace.resolve(), wait=wait, waiting=waiting):
        for title, step in STEPS:
            with announce(title):
                step(report)
    return report
