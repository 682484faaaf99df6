"""The JSON files a mediator writes, validated at the boundary (pydantic), with errors naming the field.

Two forms (full description and examples in ``docs/gmcr.md``):

* graph form: ``{"form": "graph", "decision_makers", "states", "moves", "preferences"}``;
* option form: ``{"form": "option", "decision_makers": [{"name", "options"}], "infeasible", "irreversible",
  "aggregate", "preferences"}``.

Only the shape is checked here; meaning (unknown states, a state missing from a ranking, a statement that does
not parse) is checked where the model is built, with the same kind of message.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from prevdip.errors import RefusedInput


def _as_label(value: Any) -> Any:
    """State labels may be written as numbers; they are always handled as strings."""
    if isinstance(value, bool):
        return value
    return str(value) if isinstance(value, int) else value


Label = Annotated[str, BeforeValidator(_as_label)]
YesNo = Literal["Y", "N"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


Ranking = list[Label | list[Label]]  # best first; a list is a tie class
Payoffs = dict[Label, float]  # higher is better


class GraphFile(_Strict):
    name: str = "unnamed model"
    form: Literal["graph"]
    description: str = ""
    status_quo: Label | None = None
    decision_makers: list[str] = Field(min_length=2)
    states: list[Label] = Field(min_length=1)
    moves: dict[str, list[tuple[Label, Label]]]
    preferences: dict[str, Ranking | Payoffs]


class DecisionMakerSpec(_Strict):
    name: str
    options: list[str] = Field(min_length=1)


class InfeasibleRule(_Strict):
    """One rule; exactly one field set. ``pattern`` is a Y/N/- string over all options or {option: Y|N}."""

    pattern: str | dict[str, YesNo] | None = None
    at_most_one_of: list[str] | None = None
    at_least_one_of: list[str] | None = None
    exactly_one_of: list[str] | None = None
    not_both: tuple[str, str] | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> InfeasibleRule:
        set_fields = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(set_fields) != 1:
            raise ValueError(
                "give exactly one of pattern, at_most_one_of, at_least_one_of, exactly_one_of, not_both "
                f"(got {', '.join(set_fields) or 'none'})"
            )
        return self


class AggregateRule(_Strict):
    """States matching ``when`` are merged into one (the "don't care" state, e.g. Elmira's Abandon)."""

    when: str | dict[str, YesNo]
    note: str = ""


class PreferenceSpec(_Strict):
    """Exactly one of: option-prioritisation statements (most important first), a ranking, payoffs."""

    statements: list[str] | None = None
    ranking: Ranking | None = None
    payoffs: Payoffs | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> PreferenceSpec:
        given = [k for k in ("statements", "ranking", "payoffs") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of statements, ranking, payoffs (got {', '.join(given) or 'none'})")
        return self


class OptionFile(_Strict):
    name: str = "unnamed model"
    form: Literal["option"]
    description: str = ""
    status_quo: str | None = None  # a state label, or a Y/N vector over all options
    decision_makers: list[DecisionMakerSpec] = Field(min_length=2)
    infeasible: list[str | InfeasibleRule] = []
    irreversible: dict[str, Literal["N->Y", "Y->N"]] = {}
    aggregate: list[AggregateRule] = []
    preferences: dict[str, PreferenceSpec]


_BRANCH_NAMES = {"str", "int", "float", "InfeasibleRule", "AggregateRule", "PreferenceSpec", "DecisionMakerSpec"}


def field_path(loc: tuple[int | str, ...]) -> str:
    """("preferences", "A", 2) -> "preferences.A[2]"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in _BRANCH_NAMES or "[" in part or part.startswith("function-"):
            continue  # pydantic's union branch names say nothing to a mediator
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def parse_file(kind: type[_Strict], data: dict[str, Any], source: str) -> Any:
    """Validate ``data`` against ``kind``; a failure becomes one RefusedInput naming the field."""
    try:
        return kind.model_validate(data)
    except ValidationError as exc:
        first = max(exc.errors(), key=lambda e: len(e["loc"]))  # the most specific problem
        where = field_path(tuple(first["loc"]))
        more = len(exc.errors()) - 1
        extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise RefusedInput(
            f"{source}: field {where}: {first['msg']}{extra}",
            hint="see docs/gmcr.md for the model file format",
        ) from None
