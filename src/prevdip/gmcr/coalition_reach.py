"""Every state a coalition can reach from every state, as packed bit rows (reference §2.2: any legal sequence of
the members' moves, nobody twice in a row, at least one move).

Coalition analysis and status-quo analysis ask "which states can H reach from s?" for many s; a search per start
in Python took minutes at a few thousand states. Here all starts are answered at once, a member at a time:
``into[j][v]`` holds (one bit per start) the starts from which v is reached by a sequence whose last move is j's,

    into[j][v] = OR over j's moves u -> v of ( {u} OR into[l][u] for every other member l ),

an OR of bit rows over j's moves (over its arcs, or over the option cube: see :mod:`prevdip.gmcr.option_cube`).
The fixpoint is reached when no member's rows change; the rows are then turned round so that row s lists the
states reached from s. Memory is m²/8 bytes per table (2 MB at 4,096 states).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from prevdip.gmcr.model import Bits, BoolArray
from prevdip.gmcr.reachability import Mover


@dataclass(frozen=True)
class ReachTable:
    """Who reaches what: ``into[t]`` (packed over starts) holds the states from which the coalition can move the
    conflict to t; ``bits[s]`` (packed over targets, built on first use) the states it can reach from s."""

    into: Bits  # (m, ceil(m / 8)), bit order little
    m: int

    @cached_property
    def bits(self) -> Bits:
        return turned(self.into, self.m)

    def row(self, s: int) -> BoolArray:
        return np.unpackbits(self.bits[s], count=self.m, bitorder="little").astype(bool)

    def rows(self, lo: int, hi: int) -> BoolArray:
        return np.unpackbits(self.bits[lo:hi], axis=1, count=self.m, bitorder="little").astype(bool)

    def reaching(self, targets: BoolArray) -> Bits:
        """The states from which the coalition can reach at least one of ``targets`` (packed)."""
        chosen = self.into[targets]
        return np.bitwise_or.reduce(chosen, axis=0) if chosen.size else np.zeros(self.into.shape[1], np.uint8)


def coalition_reach(members: Sequence[Mover], m: int) -> ReachTable:
    """The states the coalition whose members move as ``members`` can reach from each of the ``m`` states."""
    states = np.arange(m)
    starts = np.zeros((m, (m + 7) // 8), dtype=np.uint8)
    starts[states, states // 8] = (1 << (states % 8)).astype(np.uint8)  # row u: the start u itself
    into = [np.zeros_like(starts) for _ in members]
    pending = list(range(len(members)))
    while pending:
        j = pending.pop(0)
        before = starts.copy()
        for other, rows in enumerate(into):
            if other != j:
                before |= rows
        reached = members[j].union_before_move(before)
        if np.array_equal(reached, into[j]):
            continue
        into[j] = reached
        pending.extend(other for other in range(len(members)) if other != j and other not in pending)
    reached_from = np.zeros_like(starts)
    for rows in into:
        reached_from |= rows
    return ReachTable(into=reached_from, m=m)


def turned(rows: Bits, m: int) -> Bits:
    """The transpose of an m × m bit matrix packed along its rows, packed the same way.

    Unpacking, transposing and packing again moves m² bytes in cache-hostile order (0.12 s at 4,096 states, most
    of the coalition analysis); instead each 8 × 8 block of bits is read as one 64-bit word, transposed inside the
    word by three masked swaps (Hacker's Delight, §7-3) and put at its mirrored place: 6 ms.
    """
    width = rows.shape[1]
    padded = np.zeros((width * 8, width), dtype=np.uint8)
    padded[:m] = rows
    x = np.ascontiguousarray(padded.reshape(width, 8, width).transpose(0, 2, 1)).view(np.uint64).reshape(width, width)
    for shift, mask in ((7, 0x00AA00AA00AA00AA), (14, 0x0000CCCC0000CCCC), (28, 0x00000000F0F0F0F0)):
        swap = (x ^ (x >> np.uint64(shift))) & np.uint64(mask)
        x = x ^ swap ^ (swap << np.uint64(shift))
    blocks = np.ascontiguousarray(x.T).view(np.uint8).reshape(width, width, 8)
    return np.ascontiguousarray(blocks.transpose(0, 2, 1).reshape(width * 8, width)[:m])
