"""Order derived variables so each comes after those it reads, and find the cycles among them.

Iterative depth-first search with an explicit stack: a chain of thousands of derived variables
(each reading the next) must not reach Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DependencyOrder:
    """`order` lists every node after the nodes it depends on; `cycles` each cycle once, as a closed path."""

    order: tuple[str, ...]
    cycles: tuple[tuple[str, ...], ...] = field(default=())


def dependency_order(depends_on: Mapping[str, Iterable[str]]) -> DependencyOrder:
    """Visit the nodes in the map's order, each node's dependencies in sorted order (so the result is
    reproducible); dependencies that are not keys of the map are ignored."""
    edges = {node: sorted(n for n in targets if n in depends_on) for node, targets in depends_on.items()}
    done: set[str] = set()
    on_path: dict[str, int] = {}  # node -> its index in `path`
    order: list[str] = []
    cycles: list[tuple[str, ...]] = []
    seen_cycles: set[frozenset[str]] = set()
    for start in edges:
        if start in done:
            continue
        path = [start]
        on_path[start] = 0
        stack = [iter(edges[start])]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                node = path.pop()
                del on_path[node]
                stack.pop()
                done.add(node)
                order.append(node)
            elif nxt in on_path:
                cycle = (*path[on_path[nxt]:], nxt)
                members = frozenset(cycle)
                if members not in seen_cycles:
                    seen_cycles.add(members)
                    cycles.append(cycle)
            elif nxt not in done:
                on_path[nxt] = len(path)
                path.append(nxt)
                stack.append(iter(edges[nxt]))
    return DependencyOrder(tuple(order), tuple(cycles))
