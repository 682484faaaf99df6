"""The basin as a typed directed graph (networkx): rivers carry water, power links carry energy.

Water edges run downstream; each hydropower plant or reservoir with turbines also links to its country's power node
(``power:KGZ``) so that one graph shows both systems. A planned facility (Kambarata-1, Rogun) left out of a run
becomes a plain junction: the river still flows through its site.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from prevdip.errors import RefusedInput
from prevdip.water.spec import BasinSpec, Node, NodeKind

TERMINAL = (NodeKind.SINK, NodeKind.SPILL)


def power_node(country: str) -> str:
    return f"power:{country}"


def build_network(spec: BasinSpec, planned: Iterable[str] = ()) -> nx.DiGraph:
    """The typed network of ``spec`` with the named planned facilities built and the others bypassed."""
    planned = set(planned)
    known = {n.id for n in spec.nodes if n.planned}
    unknown = planned - known
    if unknown:
        raise RefusedInput(
            f"unknown planned facility {sorted(unknown)} in {spec.name}", hint=f"choose from {sorted(known) or 'none'}"
        )
    graph: nx.DiGraph = nx.DiGraph(name=spec.name)
    for node in spec.nodes:
        built = not node.planned or node.id in planned
        data = node if built else node.model_copy(update={"kind": NodeKind.JUNCTION, "capacity_mw": None})
        graph.add_node(node.id, kind=data.kind, country=node.country, spec=data)
    for edge in spec.edges:
        graph.add_edge(edge.source_node, edge.target_node, kind="water", winter_max_m3s=edge.winter_max_m3s)
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
