"""``/glossary``: the terms the pages use, explained in words a political officer reads (both catalogues)."""

from __future__ import annotations

from prevdip.briefs.locale import strings
from prevdip.web._schemas import Glossary, GlossaryTerm

#: The terms in the order the page explains them: the region's reading first, then forecasts, then the analysis
#: tools. Each is ``[glossary] key`` (the term) and ``key_text`` (its explanation) in every catalogue.
TERMS = (
    "stage",
    "stage_rules",
    "priority_group",
    "unattributed",
    "coverage",
    "decay",
    "neighbours",
    "crps",
    "auroc",
    "average_precision",
    "pit",
    "calibrated",
    "stability",
    "shapley",
    "nucleolus",
    "core",
    "propensity_to_disrupt",
)


def glossary_page() -> Glossary:
    """The glossary as the JSON twin gives it (in English; the page words it from the reader's catalogue)."""
    words = strings("en")["glossary"]
    return Glossary(terms=[GlossaryTerm(key=k, term=words[k], explanation=words[f"{k}_text"]) for k in TERMS])
