"""The basin as a typed directed graph (networkx): rivers carry water, power links carry energy.

Water edges run downstream; each hydropower plant or reservoir with turbines also links to its country's power node
(``power:KGZ``) so that one graph shows both systems. A planned facility (Kambarata-1, Rogun, the Qosh Tepa canal)
left out of a run becomes a plain junction: the river still flows through its site. A facility can be built as one of
its variants (a phase, or one reading of a published range), whose figures replace the facility's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from prevdip.errors import RefusedInput
from prevdip.water.spec import BasinSpec, Node, NodeKind

TERMINAL = (NodeKind.SINK, NodeKind.SPILL)


def power_node(country: str) -> str:
    return f"power:{country}"


def resolve_planned(spec: BasinSpec, planned: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The planned facilities to build, by node id, each with the figures its chosen variant replaces.

    Refuses an unknown name, and two variants of one facility (a canal cannot be in its first phase and finished).
    """
    variants = {v.id: v for v in spec.variants}
    known = spec.planned_options()
    built: dict[str, dict[str, Any]] = {}
    for name in sorted(set(planned)):
        if name not in known:
            raise RefusedInput(
                f"unknown planned facility '{name}' in {spec.name}", hint=f"choose from {', '.join(known) or 'none'}"
            )
        variant = variants.get(name)
        node = variant.of if variant else name
        if node in built:
            raise RefusedInput(
                f"'{name}' and another variant of '{node}' were both asked for in {spec.name}",
                hint="build one variant of a facility at a time",
            )
        built[node] = variant.changes() if variant else {}
    return built


def build_network(spec: BasinSpec, planned: Iterable[str] = ()) -> nx.DiGraph:
    """The typed network of ``spec`` with the named planned facilities (or variants) built and the others bypassed.

    An unbuilt dam's site stays in the river as a junction; an unbuilt canal is no part of the river at all, so its
    node is left out and the river joins round it (the LP without the canal is the LP of the basin before it).
    """
    built = resolve_planned(spec, planned)
    absent = {n.id for n in spec.nodes if n.planned and n.id not in built and n.kind is NodeKind.DEMAND}
    graph: nx.DiGraph = nx.DiGraph(name=spec.name)
    for node in spec.nodes:
        if node.id in absent:
            continue
        if not node.planned:
            data = node
        elif node.id in built:
            data = node.model_copy(update=built[node.id])
        else:
            data = node.model_copy(update={"kind": NodeKind.JUNCTION, "capacity_mw": None, "kwh_per_m3": None})
        graph.add_node(node.id, kind=data.kind, country=node.country, spec=data)
    below = {e.source_node: e.target_node for e in spec.edges if e.source_node in absent}
    for edge in spec.edges:
        if edge.source_node in absent:
            continue
        target = edge.target_node
        while target in absent:
            target = below[target]
        graph.add_edge(edge.source_node, target, kind="water", winter_max_m3s=edge.winter_max_m3s)
    for country in spec.players:
        graph.add_node(power_node(country), kind=NodeKind.POWER, country=country, spec=None)
    for node_id in water_nodes(graph):
        spec_node: Node = graph.nodes[node_id]["spec"]
        if spec_node.has_plant:
            graph.add_edge(node_id, power_node(spec_node.country), kind="power")
    _check(graph)
    return graph


def water_nodes(graph: nx.DiGraph) -> list[str]:
    """Water nodes in upstream-to-downstream (topological) order."""
    water = graph.subgraph(n for n, k in graph.nodes(data="kind") if k is not NodeKind.POWER)
    return list(nx.topological_sort(water))


def water_successors(graph: nx.DiGraph, node: str) -> list[str]:
    return [s for s in graph.successors(node) if graph.edges[node, s]["kind"] == "water"]


def water_predecessors(graph: nx.DiGraph, node: str) -> list[str]:
    return [p for p in graph.predecessors(node) if graph.edges[p, node]["kind"] == "water"]


def _check(graph: nx.DiGraph) -> None:
    """Refuse a network water could get lost in: cycles, dead ends, terminals with outflow."""
    water = graph.subgraph(n for n, k in graph.nodes(data="kind") if k is not NodeKind.POWER)
    if not nx.is_directed_acyclic_graph(water):
        raise RefusedInput(f"basin {graph.name}: the river network has a cycle")
    for node, kind in water.nodes(data="kind"):
        outs = list(water.successors(node))
        if kind in TERMINAL and outs:
            raise RefusedInput(f"basin {graph.name}: terminal node '{node}' must not flow on")
        if kind not in TERMINAL and not outs:
            raise RefusedInput(f"basin {graph.name}: node '{node}' is a dead end; water must reach a sink or spill")
        if kind is NodeKind.INFLOW and list(water.predecessors(node)):
            raise RefusedInput(f"basin {graph.name}: inflow node '{node}' must be a headwater")
        if kind not in (NodeKind.RESERVOIR, NodeKind.INFLOW) and len(outs) > 1:
            raise RefusedInput(f"basin {graph.name}: only a reservoir may split its release ('{node}' has {len(outs)})")
