"""Backing up a workspace: ``prevdip backup`` against GNU ``tar -czf`` of the same folder.

The workspace holds the whole reference bundle (about 38 MB of real files) in its lake and an ingest run with
24,077 quarantined rows. tar copies bytes only; prevdip also hashes every file, takes an online-backup copy of
the SQLite database and writes the manifest. Prints both times and their ratio.

    .venv/bin/python benchmarks/store_backup.py [--bundle ../shared/data]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from prevdip.settings import Settings
from prevdip.store import QuarantinedRowIn, init_workspace, open_store
from prevdip.store.backup import backup_workspace

GED = "ucdp/ged211_reduced_central_asia_neighbours.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(workspace=Path(scratch) / "workspace")
        workspace = init_workspace(settings).workspace
        shutil.copytree(args.bundle, workspace / "lake" / "bundle")
        lines = (args.bundle / GED).read_text(encoding="utf-8").splitlines()[1:]
        with open_store(settings.effective_database_url) as store:
            run_id = store.ingest_runs.start("ucdp-ged", [])
            rows = [QuarantinedRowIn(GED, number, line, "outside") for number, line in enumerate(lines)]
            store.quarantine.add_many(run_id, rows)

        started = time.perf_counter()
        report = backup_workspace(Path(scratch) / "prevdip.tar.gz", settings=settings)
        ours = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run(["tar", "-czf", str(Path(scratch) / "tar.tar.gz"), "-C", str(workspace), "."], check=True)
        theirs = time.perf_counter() - started
        size_ours = (Path(scratch) / "prevdip.tar.gz").stat().st_size
        size_tar = (Path(scratch) / "tar.tar.gz").stat().st_size

    print(f"workspace: {report.files} files, {report.bytes / 1e6:.1f} MB, {sum(report.records.values())} records")
    print(f"prevdip backup : {ours:.2f} s  archive {size_ours / 1e6:.1f} MB")
    print(f"tar -czf       : {theirs:.2f} s  archive {size_tar / 1e6:.1f} MB")
    print(f"ratio (prevdip / tar): {ours / theirs:.2f}x")


if __name__ == "__main__":
    main()
