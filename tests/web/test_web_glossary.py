"""``/glossary`` (issue 16 §4): every term a page uses explained in both languages, each at its anchor, and linked
from where the terms appear; the JSON twin in English."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from prevdip.briefs.locale import strings
from prevdip.web.services.glossary import TERMS


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_term_is_explained_at_its_anchor(client: TestClient, lang: str) -> None:
    page = client.get(f"/glossary?lang={lang}")
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    words = strings(lang)["glossary"]
    anchors = re.findall(r'<dt id="([a-z_]+)">', page.text)
    assert anchors == list(TERMS)
    for key in TERMS:
        assert words[f"{key}_text"].replace("'", "&#39;").replace('"', "&#34;") in page.text
    assert {
        "crps",
        "auroc",
        "average_precision",
        "stage_rules",
        "shapley",
        "nucleolus",
        "propensity_to_disrupt",
    } <= set(anchors)  # the terms issue 16 names
    client.get("/glossary?lang=en")  # leave the shared client in English


def test_the_json_twin_carries_the_english_terms(client: TestClient) -> None:
    twin = client.get("/glossary.json").json()
    assert [t["key"] for t in twin["terms"]] == list(TERMS)
    crps = next(t for t in twin["terms"] if t["key"] == "crps")
    assert crps["term"].startswith("CRPS") and "lower is better" in crps["explanation"]


def test_the_site_links_to_it(client: TestClient) -> None:
    assert 'href="/glossary"' in client.get("/").text  # in the navigation of every page
    assert 'href="/glossary#coverage"' in client.get("/").text
