"""Option-prioritisation statements, the way mediators state preferences (GMCR II's notation, in words).

A statement is a condition on options that a decision maker wants to hold, most important first:
``"Accept"``, ``"not Abandon"``, ``"-4"`` (option 4 is N), ``"Modify or Accept"``, ``"Delay and not Insist"``,
``"if Modify then Insist"``, ``"not Modify iff Insist"``, with parentheses for grouping. Options are named or
numbered from 1 in the file's order. With K statements, statement r (0 = most important) weighs 2^(K-1-r); a
state's score is the sum of the weights of the statements it satisfies, so the order is lexicographic and states
satisfying the same statements are tied.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from prevdip.errors import RefusedInput
from prevdip.gmcr.model import BoolArray, FloatArray

KEYWORDS = {"not", "and", "or", "if", "then", "iff"}


@dataclass(frozen=True)
class Condition:
    """A parsed statement: ("opt", k) | ("not", c) | ("and"|"or"|"iff"|"implies", a, b)."""

    op: str
    args: tuple[Condition | int, ...]

    def holds(self, option_value: Callable[[int], BoolArray]) -> BoolArray:
        """Evaluate over many states at once, given each option's Y/N column."""
        if self.op == "opt":
            return option_value(int(self.args[0]))  # type: ignore[arg-type]
        parts = [a.holds(option_value) for a in self.args if isinstance(a, Condition)]
        if self.op == "not":
            return ~parts[0]
        a, b = parts
        if self.op == "and":
            return a & b
        if self.op == "or":
            return a | b
        if self.op == "iff":
            return a == b
        return ~a | b  # implies


def option(k: int) -> Condition:
    return Condition("opt", (k,))


class _Parser:
    def __init__(self, text: str, options: Sequence[str], where: str) -> None:
        self.tokens = _tokens(text, options)
        self.pos = 0
        self.options = list(options)
        self.where = where
        self.text = text

    def fail(self, why: str) -> RefusedInput:
        return RefusedInput(
            f"{self.where}: cannot read statement {self.text!r}: {why}",
            hint="write e.g. 'Accept', 'not Abandon', 'Modify or Accept', 'if Modify then Insist', "
            f"'-2 iff 5'; options: {', '.join(self.options)}",
        )

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok.lower() != expected):
            raise self.fail(f"expected {expected or 'more'} at the end" if tok is None else f"unexpected {tok!r}")
        self.pos += 1
        return tok

    def statement(self) -> Condition:
        cond = self.expr()
        if self.peek() is not None:
            raise self.fail(f"unexpected {self.peek()!r}")
        return cond

    def expr(self) -> Condition:
        if (self.peek() or "").lower() == "if":
            self.take("if")
            premise = self.disjunction()
            self.take("then")
            return Condition("implies", (premise, self.disjunction()))
        left = self.disjunction()
        while (self.peek() or "").lower() == "iff":
            self.take("iff")
            left = Condition("iff", (left, self.disjunction()))
        return left

    def disjunction(self) -> Condition:
        left = self.conjunction()
        while (self.peek() or "").lower() == "or":
            self.take("or")
            left = Condition("or", (left, self.conjunction()))
        return left

    def conjunction(self) -> Condition:
        left = self.unary()
        while (self.peek() or "").lower() == "and":
            self.take("and")
            left = Condition("and", (left, self.unary()))
        return left

    def unary(self) -> Condition:
        tok = self.take()
        if tok.lower() == "not" or tok == "-":
            return Condition("not", (self.unary(),))
        if tok == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if tok in self.options:
            return option(self.options.index(tok))
        if tok.isdigit() and 1 <= int(tok) <= len(self.options):
            return option(int(tok) - 1)
        raise self.fail(f"{tok!r} is not an option name or number")


def _tokens(text: str, options: Sequence[str]) -> list[str]:
    """Split on spaces and parentheses; a leading '-' is negation unless the whole word is an option name."""
    out: list[str] = []
    for word in re.findall(r"\(|\)|[^\s()]+", text):
        while word.startswith("-") and word not in options:
            out.append("-")
            word = word[1:]
        if word:
            out.append(word)
    return out


def parse_statement(text: str, options: Sequence[str], where: str) -> Condition:
    """Parse one statement over ``options`` (names in file order); errors name ``where``."""
    return _Parser(text, options, where).statement()


def prioritisation_scores(conditions: Sequence[Condition], option_value: Callable[[int], BoolArray]) -> FloatArray:
    """Lexicographic scores: statement r of K weighs 2^(K-1-r); higher is preferred."""
    k = len(conditions)
    score: FloatArray | None = None
    for r, cond in enumerate(conditions):
        term = cond.holds(option_value).astype(np.float64) * float(2 ** (k - 1 - r))
        score = term if score is None else score + term
    if score is None:
        raise RefusedInput("a preference needs at least one statement")
    return score
