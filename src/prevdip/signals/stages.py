"""Stages on Lund's curve of conflict, the instrument that fits each, and CrisisWatch-style trend arrows.

The rules are an ordered list, most severe first; the first whose condition holds decides the stage, and its id is
kept so the evidence can say *why*. The same list generates the SQL ``CASE`` that stages a whole panel and the
text of ``docs/stages.md``'s table, so code and documentation cannot drift apart (a test checks the doc).
"""

from __future__ import annotations

from dataclasses import dataclass

STAGES = ("durable_peace", "stable_peace", "unstable_peace", "crisis", "war", "post_conflict")
#: Crisis or worse: the stages at which a warning is an alert and that the crisis forecast predicts (post-conflict
#: comes after the fighting and is neither).
CRISIS_STAGES = ("crisis", "war")

# Severity for the trend arrow. Post-conflict sits with unstable peace: the guns are silent but the peace is not
# yet consolidated; moving from war to post-conflict is an improvement, from post-conflict to crisis a deterioration.
SEVERITY = {
    "durable_peace": 0,
    "stable_peace": 1,
    "unstable_peace": 2,
    "post_conflict": 2,
    "crisis": 3,
    "war": 4,
}

INSTRUMENTS = {
    "durable_peace": "peacetime_diplomacy",
    "stable_peace": "peacetime_diplomacy",
    "unstable_peace": "preventive_diplomacy",
    "crisis": "crisis_diplomacy",
    "war": "peacemaking",
    "post_conflict": "peacebuilding",
}

# Thresholds (rationale in docs/stages.md).
WAR_MONTH_DEATHS = 25  # UCDP's yearly armed-conflict threshold reached within a single month
WAR_LULL_MONTHS = 3  # inside a war year, a quiet month or two is a lull, not the end of the war
CRISIS_ARMED_EVENTS = 2  # armed confrontation without deaths: two reports, so one stray news item is not a crisis
POST_CONFLICT_MONTHS = 24  # two years after the last month at >= 25 deaths (one decay half-life)
UNSTABLE_RECENT_MONTHS = 12  # a fatality in the past year keeps the peace unstable
TENSION_EVENTS = 2  # coercive, threatening or riotous events in the month
STABLE_MEMORY_MONTHS = 120  # a decade without fatal violence before peace counts as durable
TREND_FACTOR = 2.0  # same stage: deaths doubled (and +10) = deteriorated, halved (and -10) = improved
TREND_MIN_CHANGE = 10

ARMED = "n_battle + n_remote_violence + n_border_incident"
TENSION = "n_riot + n_coercion + n_threat + n_mobilisation + n_violence_against_civilians + n_water_conflict"
VERBAL = "n_verbal_conflict + n_protest"


@dataclass(frozen=True)
class StageRule:
    """One line of the ladder: if ``condition`` (SQL over a panel row) holds, the cell is at ``stage``."""

    id: str
    stage: str
    condition: str
    reason: str
    indicators: tuple[str, ...]


RULES: tuple[StageRule, ...] = (
    StageRule(
        "W1",
        "war",
        f"deaths >= {WAR_MONTH_DEATHS}",
        f"at least {WAR_MONTH_DEATHS} deaths in the month",
        ("deaths", "event_deaths", "cross_border_deaths", "series_deaths"),
    ),
    StageRule(
        "W2",
        "war",
        "deaths >= 1 AND coalesce(cy_intensity, 0) >= 2",
        "fatal violence in a year UCDP counts as war (>= 1,000 battle deaths)",
        ("deaths", "cy_deaths", "cy_intensity"),
    ),
    StageRule(
        "W3",
        "war",
        f"coalesce(cy_intensity, 0) >= 2 AND months_since_25 <= {WAR_LULL_MONTHS}",
        f"a lull of at most {WAR_LULL_MONTHS} months after a month at >= 25 deaths, in a UCDP war year",
        ("months_since_25", "cy_deaths", "cy_intensity"),
    ),
    StageRule("C1", "crisis", "deaths >= 1", "fatal violence below the war threshold", ("deaths", "series_deaths")),
    StageRule(
        "C2",
        "crisis",
        f"{ARMED} >= {CRISIS_ARMED_EVENTS}",
        f"at least {CRISIS_ARMED_EVENTS} armed clashes, shelling or border incidents without deaths",
        ("n_battle", "n_remote_violence", "n_border_incident"),
    ),
    StageRule(
        "P1",
        "post_conflict",
        f"months_since_25 <= {POST_CONFLICT_MONTHS}",
        f"no deaths this month, a month at >= 25 deaths within the last {POST_CONFLICT_MONTHS} months",
        ("months_since_25", "decay_25"),
    ),
    StageRule(
        "U1",
        "unstable_peace",
        f"months_since_1 <= {UNSTABLE_RECENT_MONTHS}",
        f"a fatality within the last {UNSTABLE_RECENT_MONTHS} months",
        ("months_since_1", "decay_1"),
    ),
    StageRule(
        "U2",
        "unstable_peace",
        f"{TENSION} >= {TENSION_EVENTS}",
        f"at least {TENSION_EVENTS} riots, coercive acts, threats, mobilisations or water conflicts",
        ("n_riot", "n_coercion", "n_threat", "n_mobilisation", "n_violence_against_civilians", "n_water_conflict"),
    ),
    StageRule(
        "S1",
        "stable_peace",
        f"months_since_1 <= {STABLE_MEMORY_MONTHS}",
        f"a fatality within the last {STABLE_MEMORY_MONTHS // 12} years",
        ("months_since_1",),
    ),
    StageRule(
        "S2",
        "stable_peace",
        f"{VERBAL} >= 1 OR {TENSION} >= 1",
        "verbal conflict, protest or a single tension event",
        ("n_verbal_conflict", "n_protest"),
    ),
    StageRule(
        "D1",
        "durable_peace",
        "true",
        f"no fatality for over {STABLE_MEMORY_MONTHS // 12} years and no conflictual event",
        ("months_since_1", "events"),
    ),
)

RULES_BY_ID = {r.id: r for r in RULES}


def _case(field: str) -> str:
    whens = " ".join(f"WHEN {r.condition} THEN '{getattr(r, field)}'" for r in RULES)
    return f"CASE {whens} END"


def staged_sql(panel: str) -> str:
    """SQL adding stage, stage_rule, instrument and trend to every row of ``panel``."""
    severity = " ".join(f"WHEN '{s}' THEN {v}" for s, v in SEVERITY.items())
    instrument = " ".join(f"WHEN '{s}' THEN '{i}'" for s, i in INSTRUMENTS.items())
    return f"""
        WITH staged AS (SELECT *, {_case("stage")} AS stage, {_case("id")} AS stage_rule FROM {panel}),
        ranked AS (
            SELECT *, CASE stage {severity} END AS severity,
                lag(CASE stage {severity} END) OVER w AS prev_severity,
                lag(deaths) OVER w AS prev_deaths
            FROM staged WINDOW w AS (PARTITION BY unit ORDER BY month)
        )
        SELECT * EXCLUDE (severity, prev_severity, prev_deaths),
            CASE stage {instrument} END AS instrument,
            CASE
                WHEN prev_severity IS NULL THEN 'unchanged'
                WHEN severity > prev_severity THEN 'deteriorated'
                WHEN severity < prev_severity THEN 'improved'
                WHEN deaths >= greatest(prev_deaths * {TREND_FACTOR}, prev_deaths + {TREND_MIN_CHANGE})
                    THEN 'deteriorated'
                WHEN deaths <= least(prev_deaths / {TREND_FACTOR}, prev_deaths - {TREND_MIN_CHANGE}) THEN 'improved'
                ELSE 'unchanged'
            END AS trend
        FROM ranked ORDER BY unit, month
    """
