"""The UCDP API (``https://ucdpapi.pcr.uu.se/api/gedevents/<version>``): paginated JSON of GED events.

Pages are followed through ``NextPageUrl``; the access token, when configured (``PREVDIP_UCDP_TOKEN``), goes in the
``x-ucdp-access-token`` header. The events are written to a CSV in the official 49-column layout named after the
release (``ucdp-ged-<version>-api.csv``), which :class:`~prevdip.events.connectors.ucdp_ged.UcdpGed` then ingests
like any downloaded file — one path, one set of checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx

from prevdip.errors import RefusedInput
from prevdip.events.connectors.http import ApiSession, write_csv

BASE_URL = "https://ucdpapi.pcr.uu.se/api"
TOKEN_HINT = "set PREVDIP_UCDP_TOKEN to the access token UCDP issued you (request one: https://ucdp.uu.se/apidocs)"
OFFICIAL_COLUMNS = (
    "id relid year active_year code_status type_of_violence conflict_dset_id conflict_new_id conflict_name "
    "dyad_dset_id dyad_new_id dyad_name side_a_dset_id side_a_new_id side_a side_b_dset_id side_b_new_id side_b "
    "number_of_sources source_article source_office source_date source_headline source_original where_prec "
    "where_coordinates where_description adm_1 adm_2 latitude longitude geom_wkt priogrid_gid country country_id "
    "region event_clarity date_prec date_start date_end deaths_a deaths_b deaths_civilians deaths_unknown best high "
    "low gwnoa gwnob"
).split()


class UcdpApi:
    """A client of the UCDP API; ``transport`` replays recorded responses in tests."""

    def __init__(
        self, *, token: str | None = None, base_url: str = BASE_URL, transport: httpx.BaseTransport | None = None
    ) -> None:
        headers = {"x-ucdp-access-token": token} if token else {}
        self.session = ApiSession(
            headers=headers, transport=transport, source="UCDP", credential="token", credentials=TOKEN_HINT
        )
        self.base_url = base_url.rstrip("/")

    @classmethod
    def from_settings(cls, **kwargs: Any) -> UcdpApi:
        from prevdip.settings import get_settings

        token = get_settings().ucdp_token
        return cls(token=token.get_secret_value() if token else None, **kwargs)

    def events(
        self, version: str, params: Mapping[str, Any] | None = None, page_size: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Every GED event of ``version`` matching ``params`` (e.g. ``{"Country": "702,703"}``), page after page."""
        url: str | None = f"{self.base_url}/gedevents/{version}"
        query: Mapping[str, Any] | None = {"pagesize": page_size, "page": 0, **(params or {})}
        while url:
            page = self.session.get_json(url, query)
            if not isinstance(page, dict) or "Result" not in page:
                raise RefusedInput(f"unexpected answer from {url}", hint="is this the UCDP API?")
            yield from page["Result"]
            url, query = page.get("NextPageUrl") or None, None

    def download_ged(self, version: str, folder: Path, params: Mapping[str, Any] | None = None) -> Path:
        """Write the events to ``folder/ucdp-ged-<version>-api.csv`` in the official layout; returns the path."""
        path = folder / f"ucdp-ged-{version}-api.csv"
        write_csv(path, OFFICIAL_COLUMNS, self.events(version, params))
        return path
