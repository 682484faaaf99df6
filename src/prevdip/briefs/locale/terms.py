"""The domain's own words — places, agenda blocks, the reasons of a warning — in the reader's language.

The domains (:mod:`prevdip.geo`, :mod:`prevdip.response`) speak English and hand out codes beside their text; a
brief or a page words those codes with its catalogue, and falls back to the domain's English where the catalogue
has no word (a country outside the region, an agenda block worded by the centre for a meeting). Templates use these
as filters, given the page's catalogue ``t``: ``{{ u.unit | place(u.name, t) }}``, ``{{ block | agenda_title(t) }}``,
``{{ block | proposal(t) }}``, ``{{ w | reasons(t) | join('; ') }}``, ``{{ data.coverage | coverage_line(t) }}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import jinja2

from prevdip.briefs.locale import strings

Catalogue = Mapping[str, Mapping[str, str]]


def place(code: str, fallback: str, words: Catalogue) -> str:
    """A country (``KGZ``) or border dyad (``KGZ-TJK``) by its name in ``words``; ``fallback`` when one is missing."""
    names = words.get("country_name", {})
    parts = code.split("-")
    if len(parts) > 2 or not all(part in names for part in parts):
        return fallback
    return " – ".join(names[part] for part in parts)


def _agenda_text(block: Mapping[str, Any], field: str, key: str, words: Catalogue) -> str:
    """The block's ``field`` in ``words`` at ``[agenda] key``, when the block says what the domain wrote there in
    English; a text of its own (a meeting's block worded by the centre when it was recorded) stays as recorded."""
    recorded = str(block.get(field) or "")
    standard = strings("en").get("agenda", {}).get(key)
    if recorded and recorded != standard:
        return recorded
    return words.get("agenda", {}).get(key, recorded)


def agenda_title(block: Mapping[str, Any], words: Catalogue) -> str:
    """The title of an agenda block, by its priority group."""
    return _agenda_text(block, "title", f"title_{block.get('priority_group')}", words)


def proposal(block: Mapping[str, Any], words: Catalogue) -> str:
    """What the centre proposes in an agenda block, by the proposal's code."""
    return _agenda_text(block, "proposal", f"proposal_{block.get('proposal_code')}", words)


def _percent(value: object) -> str:
    return f"{value:.0%}" if isinstance(value, int | float) else "?"


def reasons(warning: Mapping[str, Any], words: Catalogue) -> list[str]:
    """Why a warning was raised, worded from its ``reason_codes``; its English ``reasons`` when it has none."""
    codes = warning.get("reason_codes") or []
    wording = words.get("warning_reason", {})
    if not codes or any(code.get("key") not in wording for code in codes):
        return list(warning.get("reasons") or [])
    said = []
    for code in codes:
        values = dict(code.get("values") or {})
        if "stage" in values:
            values["stage"] = words.get("stage", {}).get(values["stage"], values["stage"])
        for key in ("risk", "threshold"):
            if key in values:
                values[key] = _percent(values[key])
        said.append(wording[code["key"]].format(**values))
    return said


def source_name(code: str, words: Catalogue) -> str:
    """A source of the lake as its users know it (``ucdp-ged`` → "UCDP GED"); the code when there is no word."""
    return words.get("source", {}).get(code, code)


def coverage_line(section: Mapping[str, Any], words: Catalogue, iso3: str | None = None) -> str:
    """The one line that says what a month's counts cover: each source's months (in the country ``iso3``, when
    given: the sources with data there), then each event source that ends before the month ("no data from UCDP GED
    after 2022-12") with what would bring newer data; empty when the coverage is not known."""
    if not section.get("available"):
        return ""
    said = words.get("coverage", {})
    sources = section.get("sources") or []
    spans = "; ".join(
        said["span"].format(source=source_name(s["source"], words), first=span["first_month"], last=span["last_month"])
        for s in sources
        if (span := s if iso3 is None else (s.get("countries") or {}).get(iso3))
    )
    line = said["line"].format(spans=spans)
    gaps = [_gap(g, words) for g in section.get("ended") or []]
    return " ".join([line, *gaps])


def _gap(gap: Mapping[str, Any], words: Catalogue) -> str:
    """An event source that ends before the month, and what would bring newer data from it."""
    said = words.get("coverage", {})
    return said["ended"].format(
        source=source_name(gap["source"], words),
        last=gap["last_month"],
        remedy=said.get(f"remedy_{gap['remedy']}", said["remedy_import"]),
    )


# A reason's clauses, and what marks one as written for the command line rather than a reader: a command, a flag,
# a repository path; a server path is left out of any clause.
_CLAUSE = re.compile(r"( — |: |; | \()")
_TECHNICAL = re.compile(r"`|\bprevdip [a-z]|\b(?:docs|reference)/\S+\.md|\s--[a-z]|PREVDIP_")
_SERVER_PATH = re.compile(r"\s/(?:[\w.-]+/)*[\w.-]+")


def readable(reason: str | None, words: Catalogue, who_adds: bool = True) -> str:
    """A domain's reason as a page says it: the clauses that name a command, a flag or a repository path are left
    out (they are for the command line and the docs) and, with ``who_adds``, replaced by a sentence on who can bring
    what is missing; a server path is never shown."""
    if not reason:
        return ""
    parts = _CLAUSE.split(reason)
    kept, cut = [parts[0]], False
    for separator, clause in zip(parts[1::2], parts[2::2], strict=True):
        if _TECHNICAL.search(clause):
            cut = True
            break
        kept += [separator, clause]
    text = _SERVER_PATH.sub("", "".join(kept)).rstrip(" .:;—(")
    if _TECHNICAL.search(text):  # the first clause itself was technical
        text, cut = "", True
    said = [f"{text}." if text else ""]
    if cut and who_adds:
        said.append(words.get("notice", {}).get("who_adds", ""))
    return " ".join(s for s in said if s)


def _figure(value: object) -> str:
    from prevdip.briefs.locale import number

    return number(value)


def evidence(item: Mapping[str, Any], words: Catalogue) -> str:
    """One piece of a stage's evidence in the reader's language: the rule with the figures it tested (indicators
    named in words), the series figures, the trend, or one of the cell's events (its description as the source
    wrote it)."""
    said, names = words.get("evidence", {}), words.get("indicator", {})
    kind, series = item.get("kind"), item.get("series")
    if kind == "rule":
        values = "; ".join(f"{names.get(k, k)} {_figure(v)}" for k, v in (item.get("values") or {}).items())
        reason = words.get("stage_rule", {}).get(str(item.get("rule")), str(item.get("reason") or ""))
        stage = words.get("stage", {}).get(str(item.get("stage")), str(item.get("stage")))
        return said["rule"].format(rule=item.get("rule"), stage=stage, reason=reason, values=values)
    if series == "country_month_deaths":
        value = item.get("value")
        return said["series_none"] if value is None else said["series"].format(value=_figure(value))
    if series == "conflict_years":
        return said["conflict_year"].format(
            year=item.get("year"),
            deaths=_figure(item.get("battle_deaths")),
            intensity=_figure(item.get("intensity_level")),
            interstate=said["yes" if item.get("interstate") else "no"],
        )
    if kind == "trend":
        trend = words.get("trend", {}).get(str(item.get("trend")), str(item.get("trend")))
        if not item.get("previous_month"):
            return trend
        before = words.get("stage", {}).get(str(item.get("previous_stage")), str(item.get("previous_stage")))
        return said["trend"].format(
            trend=trend,
            month=item.get("previous_month"),
            stage=before,
            before=_figure(item.get("previous_deaths")),
            deaths=_figure(item.get("deaths")),
        )
    if kind == "coverage":
        return _older_events(item, words)
    if kind == "event":
        place = item.get("location") or "—"
        text = f": {item['description']}" if item.get("description") else ""
        return (
            said["event"].format(
                date=item.get("date") or "—",
                source=source_name(str(item.get("source")), words),
                category=names.get(f"n_{item.get('category')}", item.get("category") or "—"),
                deaths=_figure(item.get("fatalities_best") or 0),
                place=place,
            )
            + text
        )
    return str(item)


def _older_events(item: Mapping[str, Any], words: Catalogue) -> str:
    """Why the events that follow are older than the month: the newest month the lake holds, and each source that
    ends before the month with what would bring newer data (the coverage line's own sentence)."""
    said, newest = words.get("evidence", {}), item.get("newest")
    head = said["older" if newest else "none"].format(month=item.get("month"), newest=newest)
    return " ".join([head, *(_gap(g, words) for g in item.get("ended") or [])])


def install(env: jinja2.Environment) -> None:
    """Make these filters available to ``env``'s templates."""
    env.filters.update(
        place=place,
        agenda_title=agenda_title,
        proposal=proposal,
        reasons=reasons,
        coverage_line=coverage_line,
        readable=readable,
        evidence_in=evidence,
        source_name=source_name,
    )
