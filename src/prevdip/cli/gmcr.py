"""``prevdip gmcr``: dispute analysis with the Graph Model for Conflict Resolution."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report

gmcr_app = typer.Typer(
    help="Dispute analysis for mediators (Graph Model for Conflict Resolution).", no_args_is_help=True
)

MODEL_ARG = typer.Argument(..., help="A model file (.json graph/option form, or GMCR+ .gmcr) or a shipped case name.")
CONCEPT_LABELS = {"nash": "Nash", "gmr": "GMR", "smr": "SMR", "seq": "SEQ"}


@gmcr_app.command("analyze")
def analyze_command(
    model: str = MODEL_ARG,
    explain: bool | None = typer.Option(
        None, "--explain/--no-explain", help="Explanations and robustness (default: only for small models)."
    ),
    coalitions: bool | None = typer.Option(
        None, "--coalitions/--no-coalitions", help="Coalition analysis (default: models up to 4,096 states)."
    ),
    horizon: int = typer.Option(4, "--horizon", min=1, help="Limited-move horizon h (two decision makers)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Stability of every state for every decision maker and coalition (Nash, GMR, SMR, SEQ) and the equilibria."""
    from prevdip.gmcr import analyze, resolve_model

    graph = resolve_model(model)
    result = analyze(graph, explain=explain, robustness=explain, coalitions=coalitions, horizon=horizon)
    report(result.as_dict(), as_json=as_json, render=_render_analysis)


@gmcr_app.command("status-quo")
def status_quo_command(
    model: str = MODEL_ARG,
    start: str = typer.Option(..., "--from", help="The state the conflict is in now (its label or number)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Which equilibria the conflict can reach from a state, by which improvements, and what coalitions can do."""
    from prevdip.gmcr import resolve_model, status_quo

    report(status_quo(resolve_model(model), start), as_json=as_json, render=_render_status_quo)


@gmcr_app.command("explain")
def explain_command(
    model: str = MODEL_ARG,
    state: str = typer.Option(..., "--state", help="The state to explain (its label, or a Y/N option vector)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Why a state is or is not stable for each decision maker, in plain words, with the deterrents found."""
    from prevdip.gmcr import explain, resolve_model

    graph = resolve_model(model)
    s = graph.state_index(state)
    data = {
        "state": graph.states[s],
        "explanations": {dm: explain(graph, i, s) for i, dm in enumerate(graph.decision_makers)},
    }

    def render(console: Console, d: Mapping[str, Any]) -> None:
        for dm, per_concept in d["explanations"].items():
            console.print(f"[bold]{dm}[/bold]")
            texts: dict[str, list[str]] = {}
            for c, label in CONCEPT_LABELS.items():
                texts.setdefault(per_concept[c]["text"], []).append(label)
            for text, labels in texts.items():
                console.print(f"  {', '.join(labels)}: {text}")

    report(data, as_json=as_json, render=render)


@gmcr_app.command("inverse")
def inverse_command(
    model: str = MODEL_ARG,
    target: str = typer.Option(..., "--target", help="The state wanted as an equilibrium (label or Y/N vector)."),
    concept: str = typer.Option(..., "--concept", help="nash, gmr, smr or seq."),
    fixed: list[str] = typer.Option([], "--fixed", help="A decision maker whose ranking stays as it is (repeat)."),
    budget: int = typer.Option(50_000, "--budget", min=1, help="Most stability checks the SEQ search may spend."),
    as_json: bool = JSON_OPTION,
) -> None:
    """What the parties would have to come to value for TARGET to be an equilibrium: the fewest states moved in
    their rankings, in words, and the adjusted model (in the input's format, under "model" in --json)."""
    from prevdip.gmcr import inverse, inverse_report, resolve_document

    document, graph = resolve_document(model)
    held = [graph.dm_index(_decision_maker(graph.decision_makers, name)) for name in fixed]
    answer = inverse(graph, graph.state_index(target), concept.lower(), fixed=held, budget=budget)
    report(inverse_report(answer, document), as_json=as_json, render=_render_inverse)


def _decision_maker(names: tuple[str, ...], name: str) -> str:
    if name not in names:
        from prevdip.errors import RefusedInput

        raise RefusedInput(
            f"--fixed {name!r} is not a decision maker of the model", hint=f"use one of: {', '.join(names)}"
        )
    return name


def _render_inverse(console: Console, d: Mapping[str, Any]) -> None:
    console.print(f"[bold]{d['model_name']}: {d['target']} as a {d['concept'].upper()} equilibrium[/bold]")
    if not d["found"]:
        console.print(d["reason"])
        return
    if not d["changes"]:
        console.print(d["reason"])
        return
    console.print(f"{d['moves']} state(s) moved, {d['comparisons_changed']} comparison(s) changed; {d['reason']}")
    for change in d["changes"]:
        console.print(f"  {change['text']}")
    console.print('[dim]the adjusted model is under "model" in --json; prevdip gmcr analyze can check it[/dim]')


@gmcr_app.command("cases")
def cases_command(as_json: bool = JSON_OPTION) -> None:
    """The example models shipped with prevdip (open one by its name)."""
    from prevdip.gmcr import list_cases

    def render(console: Console, d: Mapping[str, Any]) -> None:
        table = Table("case", "title", "form", "decision makers")
        for c in d["cases"]:
            table.add_row(c["case"], c["title"], c["form"], ", ".join(c["decision_makers"]))
        console.print(table)

    report({"cases": list_cases()}, as_json=as_json, render=render)


def _render_analysis(console: Console, d: Mapping[str, Any]) -> None:
    console.print(f"[bold]{d['model']}[/bold]  ({len(d['states'])} states, {', '.join(d['decision_makers'])})")
    if len(d["states"]) <= 64:
        table = Table("state", *([] if "options" not in d else ["options"]), *CONCEPT_LABELS.values())
        for s in d["states"]:
            marks = []
            for c in CONCEPT_LABELS:
                row = "".join("x" if s in d["stability"][c][dm] else "." for dm in d["decision_makers"])
                marks.append(row + (" E" if s in d["equilibria"][c] else ""))
            opts = [] if "options" not in d else ["".join(d["options"][s].values())]
            table.add_row(s, *opts, *marks)
        console.print(table)
        console.print(f"x/. per decision maker in the order {', '.join(d['decision_makers'])}; E = equilibrium")
    for c, label in CONCEPT_LABELS.items():
        eq = d["equilibria"][c]
        console.print(f"{label} equilibria ({len(eq)}): {_some(eq)}")
    for c, label in CONCEPT_LABELS.items() if d["coalitions"] else ():
        eq = d["coalitions"]["equilibria"][c]
        console.print(f"{label} coalitional equilibria, stable for every coalition too ({len(eq)}): {_some(eq)}")
    for h, per_dm in d.get("limited_move", {}).items():
        console.print(f"L{h} stable: " + "; ".join(f"{dm} {', '.join(states) or '-'}" for dm, states in per_dm.items()))
    for note in d["notes"]:
        console.print(f"[dim]note: {note}[/dim]")


def _some(states: list[str]) -> str:
    return f"{', '.join(states[:40])}{' ...' if len(states) > 40 else ''}" or "none"


def _render_status_quo(console: Console, d: Mapping[str, Any]) -> None:
    console.print(f"[bold]From state {d['from']}[/bold]")
    for c, label in CONCEPT_LABELS.items():
        console.print(f"reachable {label} equilibria: {', '.join(d['reachable_equilibria'][c]) or 'none'}")
    for path in d["paths"]:
        console.print("path: " + " -> ".join(path))
    for name, states in d["coalition_improvements"].items():
        console.print(f"coalition {name} can jointly improve to: {', '.join(states) or 'nothing'}")


def register(app: typer.Typer) -> None:
    app.add_typer(gmcr_app, name="gmcr")
