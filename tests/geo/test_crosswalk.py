"""The country crosswalk, checked against the bundle's own code tables."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from prevdip.errors import NotFound
from prevdip.geo import BORDER_DYADS, COUNTRIES, country, dyad, find_country, region, world_iso3


def _country_info(bundle: Path) -> dict[str, dict[str, str]]:
    lines = (bundle / "gdelt" / "cameo" / "countryInfo.txt").read_text(encoding="utf-8").splitlines()
    rows = csv.DictReader([ln for ln in lines if ln.strip()], delimiter="\t")
    return {row["ISO3"]: row for row in rows}


def test_codes_match_gdelt_country_info(bundle: Path) -> None:
    info = _country_info(bundle)
    for c in COUNTRIES:
        row = info[c.iso3]
        assert row["ISO"] == c.iso2, c.iso3
        assert int(row["ISO-Numeric"]) == c.isonum, c.iso3
        assert row["fips"] == c.fips, c.iso3


def test_gw_numbers_match_gw_states(bundle: Path) -> None:
    with (bundle / "mid" / "gw_states.csv").open(encoding="utf-8") as f:
        names = {int(r["gwcode"]): r["statename"] for r in csv.DictReader(f)}
    for c in COUNTRIES:
        assert c.gw in names, c.iso3
        assert country(names[c.gw]) == c, names[c.gw]


def test_border_dyads_are_neighbours_in_country_info(bundle: Path) -> None:
    info = _country_info(bundle)
    iso2_to_iso3 = {row["ISO"]: iso3 for iso3, row in info.items()}
    for d in BORDER_DYADS:
        neighbours = {iso2_to_iso3.get(n) for n in info[d.a]["neighbours"].split(",")}
        assert d.b in neighbours, d.code


def test_every_land_neighbour_within_the_table_is_a_dyad(bundle: Path) -> None:
    info = _country_info(bundle)
    iso2_to_iso3 = {row["ISO"]: iso3 for iso3, row in info.items()}
    ours = {c.iso3 for c in COUNTRIES}
    for c in COUNTRIES:
        for n in info[c.iso3]["neighbours"].split(","):
            other = iso2_to_iso3.get(n)
            if other in ours:
                assert dyad(f"{c.iso3}-{other}") is not None


@pytest.mark.parametrize(
    ("text", "kind", "iso3"),
    [
        ("Kyrgyz Republic", None, "KGZ"),
        ("Kyrgystan", None, "KGZ"),
        ("Russia (Soviet Union)", None, "RUS"),
        ("TI", "fips", "TJK"),
        ("TX", "fips", "TKM"),
        ("TJ", None, "TJK"),
        (702, None, "TJK"),
        ("417", "isonum", "KGZ"),
        ("kaz", None, "KAZ"),
    ],
)
def test_lookup_by_any_code_or_name(text: str | int, kind: str | None, iso3: str) -> None:
    assert country(text, kind=kind).iso3 == iso3


def test_fips_and_iso2_are_not_confused() -> None:
    assert find_country("CH", kind="fips").iso3 == "CHN"  # type: ignore[union-attr]
    assert find_country("CH") is None  # ISO2 CH is Switzerland, not in the region's table


def test_unknown_country_is_refused_with_the_known_codes() -> None:
    with pytest.raises(NotFound, match="unknown country 'Atlantis'.*KAZ"):
        country("Atlantis")


def test_dyad_order_does_not_matter_and_non_neighbours_are_refused() -> None:
    assert dyad("TJK-KGZ").code == "KGZ-TJK"
    with pytest.raises(NotFound, match="KAZ-TJK is not a border dyad"):
        dyad("KAZ-TJK")


def test_central_asia_dyads() -> None:
    codes = {d.code for d in region("central-asia").dyads}
    assert codes == {"KAZ-KGZ", "KAZ-TKM", "KAZ-UZB", "KGZ-TJK", "KGZ-UZB", "TJK-UZB", "TKM-UZB"}
    afg = {d.code for d in region("central-asia+afghanistan").dyads} - codes
    assert afg == {"AFG-TJK", "AFG-TKM", "AFG-UZB"}


def test_every_country_month_series_column_has_an_iso3(bundle: Path) -> None:
    for name in ("country_month_best_deaths_ucdpnames.csv", "country_month_best_deaths_nenames.csv"):
        header = (bundle / "ucdp" / name).open(encoding="utf-8").readline().strip().split(",")
        # Each file ends with one nameless all-zero column (an export artefact), which the connector reports.
        named = [col.strip('"') for col in header[1:] if col.strip('"') and not col.startswith("Unnamed")]
        codes = [world_iso3(col) for col in named]
        assert len(codes) == len(header) - 2
        assert len(set(codes)) == len(codes), name  # no two columns map to one country
