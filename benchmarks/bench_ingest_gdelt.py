"""GDELT 2.0 ingest at scale: prevdip's full ingest against DuckDB copying the same file to Parquet.

A generator multiplies the reference bundle's 100 real GDELT 2.0 event rows to at least 2 million rows (fresh event
ids, dates spread over ten years, places rotated between rows with jittered coordinates) in a temporary file. Then,
each in its own process so peak memory is measured alone:

* prevdip: ``ingest("gdelt", [file])`` into an empty workspace — parse, validate, normalise, dedupe, write Parquet,
  record the run;
* DuckDB: ``COPY (SELECT * FROM read_csv(file)) TO 'out.parquet'`` — no normalisation, the practical ceiling.

Prints rows/s and peak RSS of both and the ratio. Targets: prevdip at least 50 % of DuckDB's rate, under 1 GB.

    .venv/bin/python benchmarks/bench_ingest_gdelt.py [--rows 2000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

BUNDLE_SAMPLE = Path("gdelt") / "gdelt2_events_20150218230000_sample100.tsv"
ACTION_GEO = slice(51, 59)  # ActionGeo_Type .. ActionGeo_FeatureID in the 61-field layout


def _bundle() -> Path:
    here = Path(__file__).resolve().parents[1]
    for candidate in (Path(os.environ.get("PREVDIP_BUNDLE", "")), here / ".." / "shared" / "data"):
        if (candidate / "MANIFEST.tsv").is_file():
            return candidate.resolve()
    sys.exit("the reference bundle is missing: set PREVDIP_BUNDLE")


def generate(path: Path, rows: int) -> int:
    """Write at least ``rows`` GDELT 2.0 rows built from the bundle's real ones; returns the number written."""
    real = [line.split("\t") for line in (_bundle() / BUNDLE_SAMPLE).read_text(encoding="utf-8").splitlines()]
    places = [fields[ACTION_GEO] for fields in real]
    copies = -(-rows // len(real))
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            shift = timedelta(days=copy % 3650)
            lines = []
            for i, fields in enumerate(real):
                row = list(fields)
                row[0] = str(1_000_000_000 + written)
                day = date(int(row[1][:4]), int(row[1][4:6]), int(row[1][6:8])) - shift
                row[1], row[2], row[3] = day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year)
                place = list(places[(i + copy) % len(places)])
                if place[5] and place[6]:
                    place[5] = f"{float(place[5]) + (copy % 97) * 0.001:.4f}"
                    place[6] = f"{float(place[6]) - (copy % 89) * 0.001:.4f}"
                row[ACTION_GEO] = place
                lines.append("\t".join(row))
                written += 1
            out.write("\n".join(lines) + "\n")
    return written


PREVDIP = """
import json, resource, sys, time
from pathlib import Path
from prevdip.events.ingestion import ingest
start = time.perf_counter()
report = ingest("gdelt", [Path(sys.argv[1])])
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "peak": peak, "rows": report.rows, "accepted": report.accepted}))
"""

DUCKDB = """
import json, resource, sys, time
import duckdb
start = time.perf_counter()
con = duckdb.connect()
con.execute(
    "COPY (SELECT * FROM read_csv(?, delim='\\t', header=false, quote='', escape='', all_varchar=true)) "
    "TO '" + sys.argv[2] + "' (FORMAT parquet)",
    [sys.argv[1]],
)
rows = con.execute("SELECT count(*) FROM read_parquet(?)", [sys.argv[2]]).fetchall()[0][0]
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "peak": peak, "rows": rows}))
"""


def _measure(code: str, *args: str, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / "gdelt-2m.export.CSV"
        rows = generate(source, options.rows)
        size = source.stat().st_size
        print(f"generated {rows:,} GDELT 2.0 rows ({size / 1e6:,.0f} MB) in {source}")
        env = {**os.environ, "PREVDIP_WORKSPACE": str(folder / "workspace"), "PREVDIP_BUNDLE": str(_bundle())}
        env.pop("PREVDIP_DATABASE_URL", None)
        duck = _measure(DUCKDB, str(source), str(folder / "duckdb.parquet"), env=env)
        ours = _measure(PREVDIP, str(source), env=env)
    assert ours["rows"] == rows and ours["accepted"] == rows, ours
    ours_rate, duck_rate = rows / ours["seconds"], rows / duck["seconds"]
    for name, run, rate in (("prevdip ingest", ours, ours_rate), ("duckdb COPY", duck, duck_rate)):
        print(f"{name:<15}: {run['seconds']:6.2f} s {rate:>12,.0f} rows/s  peak RSS {run['peak'] / 2**20:6.0f} MB")
    ratio = ours_rate / duck_rate
    print(f"ratio prevdip/duckdb rate: {ratio:.2f} (target >= 0.50); prevdip peak under 1 GB: {ours['peak'] < 2**30}")


if __name__ == "__main__":
    main()
