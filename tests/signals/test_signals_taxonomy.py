"""The priority-group taxonomy: shipped as data, checked when read, compiled to SQL."""

from __future__ import annotations

import pytest

from prevdip.errors import RefusedInput
from prevdip.signals import PRIORITY_GROUPS, taxonomy
from prevdip.signals.taxonomy import parse_taxonomy, rule_predicate


def test_every_priority_group_and_subgroup_has_a_rule() -> None:
    tax = taxonomy()
    assert set(tax.groups) == set(PRIORITY_GROUPS)
    covered = {(r.group, r.subgroup) for r in tax.rules}
    for group in tax.groups.values():
        for sub in group.subgroups:
            assert (group.name, sub) in covered, f"no rule for {group.name}/{sub}"
    assert all(0 < r.confidence <= 1 for r in tax.rules)


def test_rules_name_the_regions_actors() -> None:
    actors = " ".join(" ".join(r.conditions.get("actors", [])) for r in taxonomy().rules)
    for name in ("ISKP", "IMU", "Taliban"):
        assert name in actors


GOOD_HEAD = """
[groups.border_disputes]
label = "Border"
subgroups = ["border_clash"]
[basins]
ARAL = ["aral"]
"""


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            'id = "x"\ngroup = "border_disputes"\nsubgroup = "border_clash"\nconfidence = 0.5\ncolour = ["red"]',
            "colour",
        ),
        ('id = "x"\ngroup = "nope"\nsubgroup = "border_clash"\nconfidence = 0.5\ntext = ["a"]', "unknown group"),
        (
            'id = "x"\ngroup = "border_disputes"\nsubgroup = "border_clash"\nconfidence = 1.5\ntext = ["a"]',
            "confidence",
        ),
        ('id = "x"\ngroup = "border_disputes"\nsubgroup = "border_clash"\nconfidence = 0.5', "no condition"),
        (
            'id = "x"\ngroup = "border_disputes"\nsubgroup = "border_clash"\nconfidence = 0.5\nbasins = ["NILE"]',
            "basin",
        ),
    ],
)
def test_a_faulty_rule_is_refused_naming_it(rule: str, message: str) -> None:
    with pytest.raises(RefusedInput, match=message) as info:
        parse_taxonomy(GOOD_HEAD + "[[rules]]\n" + rule)
    assert "'x'" in str(info.value)


def test_a_rule_compiles_to_one_conjunction() -> None:
    tax = parse_taxonomy(
        GOOD_HEAD
        + '[[rules]]\nid = "x"\ngroup = "border_disputes"\nsubgroup = "border_clash"\nconfidence = 0.5\n'
        + 'categories = ["battle"]\nborder_within = 25\nborder_with = ["TJK"]\ninterstate = true\n'
    )
    sql = rule_predicate(tax.rules[0], tax.basins)
    assert "e.category IN ('battle')" in sql
    assert "nb.km <= 25.0" in sql
    assert "nb.a IN ('TJK')" in sql
    assert "(e.interstate)" in sql


def test_the_documentation_lists_every_rule() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "taxonomy.md").read_text(encoding="utf-8")
    for rule in taxonomy().rules:
        assert f"| {rule.id} | {rule.group} / {rule.subgroup} | {rule.confidence} |" in doc, rule.id
