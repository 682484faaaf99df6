"""The brief in Russian for the deputy foreign ministers: from the ingested bundle, as HTML and as PDF, named by its
language; an unknown language is refused."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from test_brief_render import POPPLER
from typer.testing import CliRunner

from prevdip.briefs import render_html
from prevdip.briefs.brief import brief_path
from prevdip.briefs.locale import strings
from prevdip.briefs.locale.terms import agenda_title, place, proposal, reasons
from prevdip.cli.app import app
from prevdip.events.sharing import Audience
from prevdip.geo import HOME_REGION as REGION
from prevdip.geo import country, region
from prevdip.months import Month
from prevdip.response.agenda import BLOCK_TITLES, PROPOSALS
from prevdip.response.warnings import REASON_TEXT
from prevdip.situation import monthly_brief

MONTH = "2022-09"
HEADINGS = (
    f"Ежемесячная ситуационная справка — {MONTH}",
    "Что изменилось и почему",
    "Прогноз и его неопределённость",
    "Предлагаемые блоки повестки дня следующей встречи заместителей министров иностранных дел",
)


def test_russian_html_brief_from_the_lake(bundle_lake: dict[str, Any], bundle: Path) -> None:
    content = monthly_brief(Month.parse(MONTH), workspace=bundle_lake["workspace"], audience=Audience.governments)
    html = render_html(content, bundle=bundle, lang="ru")
    assert '<html lang="ru">' in html
    assert all(heading in html for heading in HEADINGS)
    assert f"Стадия на кривой конфликта, {MONTH}" in html  # the map's title and caption
    assert ">война</span>" in html and ">ухудшение<" in html and ">миротворчество<" in html  # KGZ-TJK
    assert "Monthly situation brief" not in html and "What changed and why" not in html
    legend = re.search(r"<figure>.*?</figure>", html, re.S)
    assert legend is not None and ">Стадия<" in legend.group() and ">прочный мир<" in legend.group()  # the map's legend
    assert ">Stage<" not in html and "durable peace" not in html and "no data" not in html
    english = render_html(content, bundle=bundle)
    assert '<html lang="en">' in english and "What changed and why" in english  # the same content, in English


def test_agenda_warnings_and_names_are_in_russian(bundle_lake: dict[str, Any], bundle: Path) -> None:
    content = monthly_brief(Month.parse(MONTH), workspace=bundle_lake["workspace"], audience=Audience.governments)
    agenda = content.as_json()["warnings"]["agenda"]
    # issue 16: the border war is filed under interstate border disputes, Afghanistan under Afghanistan (no longer
    # both under internal stability)
    assert {b["priority_group"] for b in agenda} >= {"border_disputes", "afghanistan_spillover"}
    html = render_html(content, bundle=bundle, lang="ru")
    assert "<h3>Межгосударственные границы: инциденты, делимитация и демаркация</h3>" in html
    assert "миротворчество — посредничество между сторонами; договорённости о прекращении огня и отводе сил" in html
    assert "стадия «война» (правило W1); ухудшение по сравнению с прошлым месяцем" in html
    assert "<td>Кыргызстан – Таджикистан (KGZ-TJK)</td>" in html and "<td>Казахстан (KAZ)</td>" in html
    assert "<h3>Кыргызстан – Таджикистан: ухудшение" in html  # what changed and why
    english_left = [*BLOCK_TITLES.values(), *PROPOSALS.values(), "stage war", "deteriorated since last month"]
    english_left += ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "Afghanistan ("]
    assert [text for text in english_left if text in _without_evidence(html)] == []
    english = render_html(content, bundle=bundle)  # English reads as the domain words it
    assert "<h3>Interstate borders: incidents, delimitation and demarcation</h3>" in english
    assert "stage war (rule W1); deteriorated since last month" in english
    assert "<td>Kyrgyzstan – Tajikistan (KGZ-TJK)</td>" in english


def _without_evidence(html: str) -> str:
    """The brief without the map and the evidence of each stage (data as recorded, still English: lists of plain
    items, where the agenda's items hold a stage badge)."""
    return re.sub(r"<figure>.*?</figure>|<ul>(?:<li>[^<]*</li>)*</ul>", "", html, flags=re.S)


def test_the_domain_words_fall_back_to_english_where_the_catalogue_has_none() -> None:
    russian = strings("ru")
    assert place("KGZ-TJK", "Kyrgyzstan – Tajikistan", russian) == "Кыргызстан – Таджикистан"
    assert place("IRN", "Iran", russian) == "Иран (Исламская Республика)"
    assert place("FRA", "France", russian) == "France" and place("KGZ-FRA", "x", russian) == "x"
    recorded = {"priority_group": "new_group", "title": "A new group", "proposal": "talks"}  # no codes: as recorded
    assert agenda_title(recorded, russian) == "A new group" and proposal(recorded, russian) == "talks"
    own = {"priority_group": "border_disputes", "title": "Batken: water and roads", "proposal_code": "peacemaking"}
    assert agenda_title(own, russian) == "Batken: water and roads"  # a meeting's own wording is kept
    standard = own | {"title": BLOCK_TITLES["border_disputes"]}
    assert agenda_title(standard, russian) == "Межгосударственные границы: инциденты, делимитация и демаркация"
    assert proposal(own, russian).startswith("посредничество")  # no proposal text recorded: by its code
    warning = {
        "reasons": ["forecast P(crisis or worse) next month 31% ≥ 25%"],
        "reason_codes": [{"key": "risk", "values": {"risk": 0.312, "threshold": 0.25}}],
    }
    assert reasons(warning, strings("en")) == warning["reasons"]
    assert reasons(warning, russian) == [
        "прогнозная вероятность кризиса или более тяжёлой стадии в следующем месяце 31% ≥ 25%"
    ]
    assert reasons({"reasons": ["as recorded"], "reason_codes": [{"key": "new", "values": {}}]}, russian) == [
        "as recorded"
    ]


@POPPLER
def test_russian_pdf_brief_through_the_cli(
    bundle_lake: dict[str, Any],
    bundle: Path,
    tmp_path: Path,
    pointing_at: Callable[[Path, Path], AbstractContextManager[Any]],
) -> None:
    out = tmp_path / "brief-ru.pdf"
    with pointing_at(bundle_lake["workspace"], bundle):
        args = ["brief", "--month", MONTH, "--format", "pdf", "--lang", "ru", "--out", str(out), "--json"]
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lang"] == "ru"
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())  # pdftotext breaks long headings over lines
    assert all(heading in flat for heading in HEADINGS)
    assert "Адресаты: правительства." in flat and "Audience" not in flat


def test_the_file_name_carries_the_language(tmp_path: Path) -> None:
    month = Month.parse(MONTH)
    assert brief_path(tmp_path, month, "html", lang="ru").name == "brief-2022-09-ru.html"
    assert brief_path(tmp_path, month, "pdf", Audience.centre, "ru").name == "brief-2022-09-centre-ru.pdf"
    assert brief_path(tmp_path, month, "pdf", Audience.centre).name == "brief-2022-09-centre.pdf"


def test_an_unknown_language_exits_2_naming_the_known_ones(workspace: Path) -> None:
    result = CliRunner().invoke(app, ["brief", "--month", MONTH, "--lang", "kk"])
    assert result.exit_code == 2
    assert "unknown language 'kk'" in result.output and "allowed values: en, ru" in result.output
    assert list((workspace / "briefs").iterdir()) == []  # nothing written


def test_the_english_catalogue_words_the_domain_as_the_domain_does() -> None:
    english = strings("en")
    assert {k: english["agenda"][f"title_{k}"] for k in BLOCK_TITLES} == BLOCK_TITLES
    assert {k: english["agenda"][f"proposal_{k}"] for k in PROPOSALS} == PROPOSALS
    assert set(english["warning_reason"]) == set(REASON_TEXT)
    assert all(country(iso3).name == name for iso3, name in english["country_name"].items())
    assert set(english["country_name"]) == {
        c.iso3 for c in (*region(REGION).countries, *region("neighbours").countries)
    }
