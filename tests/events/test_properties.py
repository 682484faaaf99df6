"""Properties of reading: every line of a GDELT file is accounted for exactly once, at its own line number."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prevdip.events.connectors import connector_for

BUNDLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
LINES = (BUNDLE / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv").read_text(encoding="utf-8").splitlines()
DEFECTS = {
    "truncated": lambda line: line[: len(line) // 2],
    "extra field": lambda line: line + "\textra",
    "bad date": lambda line: line.replace("\t2014", "\t2O14", 1),
}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(
        st.tuples(st.integers(0, len(LINES) - 1), st.sampled_from([None, *DEFECTS])), min_size=1, max_size=40
    )
)
def test_every_line_is_taken_or_quarantined_at_its_number(
    workspace: Path, tmp_path: Path, picks: list[tuple[int, str | None]]
) -> None:
    lines, broken = [], set()
    for number, (index, defect) in enumerate(picks, start=1):
        line = LINES[index].replace(LINES[index].split("\t", 1)[0], str(10**9 + number), 1)
        if defect is not None and DEFECTS[defect](line) != line:
            line = DEFECTS[defect](line)
            broken.add(number)
        lines.append(line)
    path = tmp_path / "events.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if len(broken) == len(lines) and all(len(text.split("\t")) != 61 for text in lines):
        return  # a file of nothing but wrong field counts is refused whole (tested elsewhere)
    chunks = list(connector_for("gdelt").chunks(path))
    taken = sum(c.table.num_rows for c in chunks)
    quarantined = [q for c in chunks for q in c.quarantined]
    assert taken + len(quarantined) == len(lines)
    assert {q.row_number for q in quarantined} == broken
    assert all(q.raw == lines[q.row_number - 1] for q in quarantined)
