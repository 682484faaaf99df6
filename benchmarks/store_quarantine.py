"""Quarantining rows: prevdip's bulk insert (SQLAlchemy Core, batches of 10,000) against one ORM object per row.

Loads every row of the bundle's UCDP GED regional file (24,077 real rows) as quarantined rows of one ingest run,
on a fresh SQLite database (or ``--url`` for another, e.g. PostgreSQL), and prints both times and their ratio.

    .venv/bin/python benchmarks/store_quarantine.py [--bundle ../shared/data] [--url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import Session

from prevdip.store import QuarantinedRow, QuarantinedRowIn, create_store_engine, downgrade, open_store, upgrade

GED = "ucdp/ged211_reduced_central_asia_neighbours.csv"


def _fresh(url: str) -> None:
    engine = create_store_engine(url, must_exist=False)
    if engine.dialect.name != "sqlite":  # a reused server database: start from nothing
        downgrade(engine, "base")
    upgrade(engine)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    lines = (args.bundle / GED).read_text(encoding="utf-8").splitlines()[1:]
    rows = [QuarantinedRowIn(GED, number, line, "outside the pilot") for number, line in enumerate(lines, 2)]

    with tempfile.TemporaryDirectory() as scratch:
        timings = {}
        for name in ("prevdip add_many", "ORM add per row"):
            url = args.url or f"sqlite:///{Path(scratch) / (name.split()[0] + '.sqlite')}"
            _fresh(url)
            with open_store(url) as store:
                run_id = store.ingest_runs.start("ucdp-ged", [])
                started = time.perf_counter()
                if name == "prevdip add_many":
                    store.quarantine.add_many(run_id, rows)
                else:
                    with Session(store.engine) as session, session.begin():
                        for row in rows:
                            session.add(QuarantinedRow(run_id=run_id, **row._asdict()))
                timings[name] = time.perf_counter() - started
                assert store.quarantine.count(run_id) == len(rows)
    fast, slow = timings["prevdip add_many"], timings["ORM add per row"]
    print(f"rows: {len(rows)}  database: {args.url or 'sqlite (temporary file)'}")
    print(f"prevdip add_many : {fast:.3f} s  ({len(rows) / fast:,.0f} rows/s)")
    print(f"ORM add per row  : {slow:.3f} s  ({len(rows) / slow:,.0f} rows/s)")
    print(f"ratio (baseline / prevdip): {slow / fast:.1f}x")


if __name__ == "__main__":
    main()
