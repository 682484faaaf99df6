"""The register's records as typed models: what the shipped file, an officer's command and (later) a form must say,
and what every reader gets back.

Validation happens here, at the boundary: phases and issue kinds are words of the register's vocabulary, parties
are countries the geo domain knows, dyads are border dyads spelled as geo spells them, priority groups are the
signals domain's own, dates are real days (or months, where only the month is known) and never in the future, and
a history keeps the lifecycle's rules (:mod:`prevdip.disputes.phases`). The models carry no audience: the register
holds public reporting and the centre's own records, not field reports (an event cited as evidence keeps its
sharing tier, so a reader for a lesser audience can leave it out — :meth:`Entry.visible_to`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    computed_field,
    field_validator,
    model_validator,
)

from prevdip.disputes.phases import PHASES, Step, history_refusal, phase_on
from prevdip.errors import RefusedInput

Phase = Literal["latent", "escalating", "violent", "managed", "resolved"]
IssueKind = Literal[
    "border_enclaves", "water_allocation", "dam", "canal", "reservoir_operation", "transit", "minorities", "other"
]
Precision = Literal["day", "month"]
ISSUE_KINDS: tuple[str, ...] = get_args(IssueKind)
#: The kinds of evidence an entry carries, in the order they are shown.
EVIDENCE = ("agreements", "figures", "events", "meetings", "commitments", "actions")
assert get_args(Phase) == PHASES, "the phases of the models are the lifecycle's"


def _when(value: Any) -> str:
    """A day ``YYYY-MM-DD`` (a TOML date too) or a month ``YYYY-MM`` where only the month is known; not in the
    future (a register records what happened)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        raise ValueError(f"bad date {text!r}: write YYYY-MM-DD, or YYYY-MM where only the month is known")
    try:
        first = dt.date.fromisoformat(text if len(text) == 10 else f"{text}-01")
    except ValueError:
        raise ValueError(f"bad date {text!r}: no such day") from None
    if first > dt.date.today():
        raise ValueError(f"{text} is in the future: record what has happened")
    return text


When = Annotated[str, BeforeValidator(_when)]
Text = Annotated[str, Field(min_length=1)]
ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]
#: A linked GMCR model: a shipped case's name, or ``upload:<model id>`` for a model uploaded on the dashboard (the
#: GMCR domain's :mod:`prevdip.gmcr.uploads` says which ids exist; :func:`prevdip.disputes.checks.check_links` asks it).
GmcrRef = Annotated[str, Field(pattern=r"^(?:upload:)?[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]


def explain(problem: ValidationError) -> str:
    """The first mistake pydantic found, as ``field.path: what is wrong`` (just the sentence for a whole record)."""
    first = problem.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def first_day(when: str) -> dt.date:
    """The day a date stands for (a month stands for its first day)."""
    return dt.date.fromisoformat(when if len(when) == 10 else f"{when}-01")


class Record(BaseModel):
    """Every record refuses fields it does not know: a misspelt key is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Source(Record):
    """Where a fact was read: the outlet, the address, the date it was published and what it says."""

    outlet: Text
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    published: When | None = None
    says: str | None = None


class Agreement(Record):
    """A treaty, agreement or protocol, with where it was reported."""

    title: Text
    signed: When
    sources: list[Source] = Field(min_length=1)


class Figure(Record):
    """A number that goes with an entry (deaths, people evacuated), with its sources; where they disagree, the
    entry carries one figure per source."""

    what: Text
    value: float
    sources: list[Source] = Field(min_length=1)


class EventRef(Record):
    """An event of the lake cited as evidence; its source and sharing tier are kept as they were when cited."""

    uid: str = Field(pattern=r"^[0-9a-f]{32}$")
    source: str | None = None
    date: str | None = None
    sharing: str | None = None


class Entry(Record):
    """A dated entry of a dispute's record, with its evidence: agreements, figures, events from the lake, and the
    ledger's meetings, commitments and actions (by id). ``confirmed`` is false where only one source gives the
    date (``unconfirmed`` says why); ``disagreement`` says where sources differ."""

    date: When
    sources: list[Source] = []
    agreements: list[Agreement] = []
    figures: list[Figure] = []
    events: list[EventRef] = []
    meetings: list[int] = []
    commitments: list[int] = []
    actions: list[int] = []
    note: str | None = None
    disagreement: str | None = None
    confirmed: bool = True
    unconfirmed: str | None = None

    @property
    def day(self) -> dt.date:
        """The day the entry stands for (the first of its month where only the month is known)."""
        return first_day(self.date)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> Precision:
        """``day``, or ``month`` where the sources give only the month."""
        return "day" if len(self.date) == 10 else "month"

    @model_validator(mode="after")
    def _evidenced(self) -> Entry:
        if not self.sources and not any(getattr(self, kind) for kind in EVIDENCE):
            raise ValueError("give its evidence: a source, an agreement, an event, or a meeting, commitment or action")
        if not self.confirmed and not self.unconfirmed:
            raise ValueError("say why the date is unconfirmed (unconfirmed = '...')")
        return self

    def visible_to(self, may_see: Callable[[str | None], bool]) -> Entry:
        """This entry without the cited events a reader may not see (``may_see(sharing) -> bool``)."""
        return self.model_copy(update={"events": [e for e in self.events if may_see(e.sharing)]})


class TransitionIn(Entry):
    """A move of the dispute into ``phase``."""

    phase: Phase


class MilestoneIn(Entry):
    """A dated fact that does not change the phase: a ratification, a meeting, a step of implementation, a warning."""

    what: Text


class Names(Record):
    en: Text
    ru: Text


class Units(Record):
    """Where a dispute lives: border dyads (geo's ``A-B``), provinces (the signals' ``ISO3:Name``) and basins (the
    water domain's ``syr-darya``, ``amu-darya``)."""

    dyads: list[str] = []
    provinces: list[str] = []
    basins: list[str] = []

    @field_validator("dyads")
    @classmethod
    def _dyads(cls, dyads: list[str]) -> list[str]:
        from prevdip.geo import dyad

        try:
            return list(dict.fromkeys(dyad(code).code for code in dyads))
        except RefusedInput as problem:
            raise ValueError(problem.message) from None

    @field_validator("provinces")
    @classmethod
    def _provinces(cls, provinces: list[str]) -> list[str]:
        for code in provinces:
            if not re.fullmatch(r"[A-Z]{3}:\S.*", code):
                raise ValueError(f"bad province {code!r}: write ISO3:Name as the signals spell it, e.g. KGZ:Batken")
        return list(dict.fromkeys(provinces))

    def codes(self) -> list[tuple[str, str]]:
        """(kind, code) of every unit."""
        kinds = (("dyad", self.dyads), ("province", self.provinces), ("basin", self.basins))
        return [(kind, code) for kind, codes in kinds for code in codes]


class Dispute(Record):
    """What a dispute is: who, about what, where, and the models a mediator can run on it."""

    id: Slug
    name: Names
    parties: list[ISO3] = Field(min_length=1)
    actors: list[Text] = []
    issues: list[IssueKind] = Field(min_length=1)
    priority_group: str
    units: Units = Units()
    gmcr_cases: list[GmcrRef] = []
    basin_scenarios: list[str] = []
    summary: Text
    watch: str | None = None

    @field_validator("parties")
    @classmethod
    def _parties(cls, parties: list[str]) -> list[str]:
        from prevdip.geo import find_country

        unknown = [code for code in parties if find_country(code) is None]
        if unknown:
            raise ValueError(f"unknown party {unknown[0]!r}: give the ISO3 code of a state (non-state actors: actors)")
        return list(dict.fromkeys(parties))

    @field_validator("priority_group")
    @classmethod
    def _group(cls, group: str) -> str:
        from prevdip.signals import PRIORITY_GROUPS

        if group not in PRIORITY_GROUPS:
            raise ValueError(f"unknown priority group {group!r}: use one of {', '.join(PRIORITY_GROUPS)}")
        return group


def steps(history: list[TransitionIn]) -> list[Step]:
    return [Step(t.phase, t.day, bool(t.agreements)) for t in history]


class DisputeIn(Dispute):
    """A dispute with its history as first recorded (the shipped file's entries, or ``prevdip disputes add``)."""

    history: list[TransitionIn] = Field(min_length=1)
    milestones: list[MilestoneIn] = []

    @model_validator(mode="after")
    def _lifecycle(self) -> DisputeIn:
        problem = history_refusal(steps(self.history))
        if problem is not None:
            raise ValueError(f"history {problem}")
        return self


class Recorded(BaseModel):
    """Who put an entry on the register, when, and whether it came with prevdip (``shipped``) or from an officer."""

    id: int
    who: str
    origin: Literal["shipped", "officer"]
    recorded: dt.datetime


class Transition(TransitionIn, Recorded):
    pass


class Milestone(MilestoneIn, Recorded):
    pass


class DisputeView(Dispute):
    """A dispute as the register holds it now: its phase (and since when), its history and milestones."""

    origin: Literal["shipped", "officer"]
    history: list[Transition]
    milestones: list[Milestone]

    @property
    def phase(self) -> str:
        return self.history[-1].phase

    def phase_on(self, day: dt.date) -> str | None:
        """The phase in force at the start of ``day``."""
        return phase_on(steps(list(self.history)), day)

    def as_dict(self) -> dict[str, Any]:
        """The JSON the CLI prints and a page's twin serves: the record, ``name`` in English (``name_ru`` beside it),
        the current ``phase`` and ``since``."""
        data = self.model_dump(mode="json")
        names = data.pop("name")
        data["history"] = [_first(entry, "phase", "date", "precision") for entry in data["history"]]
        data["milestones"] = [_first(entry, "date", "precision", "what") for entry in data["milestones"]]
        last = data["history"][-1]
        return {
            "id": data.pop("id"),
            "name": names["en"],
            "name_ru": names["ru"],
            "phase": last["phase"],
            "since": last["date"],
            **data,
        }


def _first(entry: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The entry with ``keys`` first: a history reads phase, date, then the evidence."""
    return {key: entry[key] for key in keys} | {k: v for k, v in entry.items() if k not in keys}
