"""The words of the explanations and of the analysis's notes, in each language a mediator reads: English, and
Russian, the working language of the region's deputy foreign ministers together.

The explanations (:mod:`prevdip.gmcr.explain`) assemble these phrases around state labels and decision makers' names,
which are the model's own and stay as the model names them. The Russian follows the GMCR literature in Russian:
лицо, принимающее решение (ЛПР), равновесие по Нэшу, общая и симметричная метарациональность, последовательная
стабильность. Both tables have the same keys and placeholders (the locale parity test checks it), so a missing
Russian phrase fails a test rather than a page.
"""

from __future__ import annotations

LANGUAGES = ("en", "ru")

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "no_option": "no option taken",
        "no_move": "{dm} has no move from {here} to a state it prefers, so {here} is stable for {dm}.",
        "nash_unstable": "{dm} prefers to move from {here} to {better}, so {here} is not Nash-stable for {dm}.",
        "replies": "no sequence of replies by the others",
        "credible_replies": (
            "no sequence of credible replies by the others (each an improvement for the one who makes it)"
        ),
        "trap": " that it cannot escape from",
        "no_sanction": "if {dm} moves to {there}, {replies} leaves {dm} at a state{trap} it likes no more than {here}.",
        "step": "{mover} moves to {state}",
        "then": ", then ",
        "likes_less": "likes less than",
        "likes_no_better": "likes no better than",
        "sanction": "if {dm} moves to {there}, {steps}; {dm} ends at {end}, which it {worse} {here}",
        "no_way_back": ", and {dm} has no move from there back above {here}",
        "credible": " (each reply is an improvement for its mover, so the threat is credible)",
        "stable": "stable",
        "not_stable": "not stable",
        "verdict": "{here} is {verdict} for {dm} under {concept}: ",
        "nash": "Nash stability",
        "gmr": "general metarationality (GMR)",
        "smr": "symmetric metarationality (SMR)",
        "seq": "sequential stability (SEQ)",
        "left_out_explanations": "explanations left out: more than {limit} states (ask for them explicitly)",
        "left_out_robustness": "robustness left out: more than {limit} states (ask for it explicitly)",
        "left_out_coalition_analysis": "coalition analysis left out: more than {limit} states (ask for it explicitly)",
    },
    "ru": {
        "no_option": "ни один вариант не выбран",
        "no_move": (
            "У ЛПР {dm} нет хода из состояния {here} в состояние, которое оно предпочитает, поэтому состояние {here} "
            "стабильно для {dm}."
        ),
        "nash_unstable": (
            "ЛПР {dm} предпочитает перейти из состояния {here} в {better}, поэтому состояние {here} не является "
            "равновесием по Нэшу для {dm}."
        ),
        "replies": "никакая последовательность ответных ходов других участников",
        "credible_replies": (
            "никакая последовательность правдоподобных ответных ходов других участников (каждый из них выгоден "
            "тому, кто его делает)"
        ),
        "trap": "из которого оно не может выйти и ",
        "no_sanction": (
            "если {dm} перейдёт в {there}, {replies} не приводит {dm} в состояние, {trap}которое для него не лучше "
            "{here}."
        ),
        "step": "{mover} переходит в {state}",
        "then": ", затем ",
        "likes_less": "хуже, чем",
        "likes_no_better": "не лучше, чем",
        "sanction": "если {dm} перейдёт в {there}, то {steps}; {dm} оказывается в {end}, а это для него {worse} {here}",
        "no_way_back": ", и оттуда у {dm} нет хода обратно в состояние лучше {here}",
        "credible": " (каждый ответный ход выгоден тому, кто его делает, поэтому угроза правдоподобна)",
        "stable": "стабильно",
        "not_stable": "нестабильно",
        "verdict": "Состояние {here} {verdict} для {dm} по критерию {concept}: ",
        "nash": "Нэша",
        "gmr": "общей метарациональности (GMR)",
        "smr": "симметричной метарациональности (SMR)",
        "seq": "последовательной стабильности (SEQ)",
        "left_out_explanations": "объяснения не построены: в модели больше {limit} состояний (их можно запросить явно)",
        "left_out_robustness": (
            "устойчивость к изменению предпочтений не проверена: в модели больше {limit} состояний (её можно "
            "запросить явно)"
        ),
        "left_out_coalition_analysis": (
            "коалиционный анализ не выполнен: в модели больше {limit} состояний (его можно запросить явно)"
        ),
    },
}


def phrases(lang: str = "en") -> dict[str, str]:
    """The phrases of ``lang``; English for a language without its own (a mediator's tool never fails on words)."""
    return PHRASES.get(lang, PHRASES["en"])
