"""The category mapping tables: every source type maps onto prevdip's vocabulary, and the mappings say what we mean."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from prevdip.events.categories import acled_types, bar_scale, cameo_category, tfdd_codes, ucdp_violence
from prevdip.events.connectors.gdelt import cameo_tables
from prevdip.events.schema import Category


def test_every_acled_sub_event_type_of_the_codebook_is_mapped(bundle: Path) -> None:
    with (bundle / "acled" / "acled_event_categories.csv").open(encoding="utf-8") as f:
        pairs = {(r["event_type"].casefold(), r["sub_event_type"].casefold()) for r in csv.DictReader(f)}
    assert pairs <= set(acled_types())
    assert acled_types()[("riots", "mob violence")] is Category.RIOT
    assert acled_types()[("strategic developments", "agreement")] is Category.AGREEMENT


def test_every_cameo_code_of_the_bundle_table_has_a_category(bundle: Path) -> None:
    codes = cameo_tables(bundle).goldstein
    assert len(codes) > 250
    assert all(cameo_category(code) is not Category.OTHER for code in codes)


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("036", Category.VERBAL_COOPERATION),
        ("057", Category.AGREEMENT),
        ("0871", Category.AGREEMENT),
        ("0874", Category.MATERIAL_COOPERATION),
        ("1123", Category.VERBAL_CONFLICT),
        ("1384", Category.THREAT),
        ("141", Category.PROTEST),
        ("145", Category.RIOT),
        ("154", Category.MOBILISATION),
        ("1724", Category.COERCION),
        ("1831", Category.REMOTE_VIOLENCE),
        ("186", Category.VIOLENCE_AGAINST_CIVILIANS),
        ("193", Category.BATTLE),
        ("195", Category.REMOTE_VIOLENCE),
        ("202", Category.VIOLENCE_AGAINST_CIVILIANS),
    ],
)
def test_cameo_longest_prefix_wins(code: str, category: Category) -> None:
    assert cameo_category(code) is category


def test_goldstein_scores_come_from_the_bundle_table(bundle: Path) -> None:
    goldstein = cameo_tables(bundle).goldstein
    assert (goldstein["057"], goldstein["190"], goldstein["0874"]) == (8.0, -10.0, 10.0)
    assert cameo_tables(bundle).fips["TI"] == "TJK" and cameo_tables(bundle).fips["TX"] == "TKM"


def test_ucdp_bar_and_tfdd_tables() -> None:
    assert ucdp_violence()["3"] == ("One-sided violence", Category.VIOLENCE_AGAINST_CIVILIANS)
    assert ucdp_violence()["state-based violence"][1] is Category.BATTLE
    scale = bar_scale()
    assert sorted(scale) == list(range(-7, 8))
    assert all(scale[k][1] is Category.WATER_CONFLICT for k in range(-7, 0))
    assert scale[0][1] is Category.OTHER
    assert all(scale[k][1] is Category.WATER_COOPERATION for k in range(1, 8))
    assert tfdd_codes()["USR"][0] == "RUS"
    assert tfdd_codes()["UNO"][0] is None


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("ged231_sample1000_official_schema.csv", "23.1"),
        ("ged211_reduced_global.csv.gz", "21.1"),
        ("GEDEvent_v25_0_3.csv", "25.0.3"),
        ("ucdp-ged-25.1-api.csv", "25.1"),
        ("events.csv", ""),
    ],
)
def test_ged_release_from_the_file_name(name: str, version: str) -> None:
    from prevdip.events.connectors.ucdp_ged import ged_version

    assert ged_version(Path(name)) == version
