"""Where the page puts each entity: seeded layouts in pixels, computed once in Python so the
browser draws with physics off and the same data gives byte-identical pages.

:func:`force_layout` is Fruchterman-Reingold with gravity (exact repulsion for small parts, an
FFT-on-a-grid approximation for large graphs); :func:`layered_layout` puts models left to
right along succession.  Imports: NumPy and NetworkX only.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import cache

import networkx as nx
import numpy as np

# Above this many entities a page is large: a cheaper layout (and, in the page, straight
# edges, edges hidden while dragging, no hover effects).
LARGE_NODES = 1_000
# Parts up to this size get exact O(n²) repulsion (about 1 ms an iteration at 400); larger
# ones the grid approximation, else a 1,000-node part took seconds to lay out.
EXACT_REPULSION_NODES = 400
LAYOUT_SEED = 20_231


def force_layout(nodes: list[str], edges: list[tuple[str, str]], anchor: str | None = None,
                  ) -> dict[str, tuple[int, int]]:
    """Seeded force-directed positions in pixels (Fruchterman-Reingold with gravity).

    Small graphs get exact repulsion and each connected part is laid out on its own, then
    packed around the largest; large ones are laid out at once with an FFT-on-a-grid
    approximation of the repulsion, so 10,000 nodes take well under a second.  Coordinates
    are rounded to whole pixels so the page is byte-identical from run to run.
    """
    count = len(nodes)
    if count == 0:
        return {}
    index = {node: position for position, node in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in edges if a != b], dtype=np.int64)
    pairs = pairs.reshape(-1, 2)
    if count > LARGE_NODES:
        positions = _spring(count, pairs, iterations=60, exact=False) * 55.0
    else:
        positions = _packed_components(count, pairs) * 120.0
    if anchor is not None:
        positions -= positions[index[anchor]]
    rounded = np.rint(positions).astype(np.int64).tolist()
    return {node: (xy[0], xy[1]) for node, xy in zip(nodes, rounded, strict=True)}


def _packed_components(count: int, pairs):
    """Lay out each connected part alone, then pack them: the largest first, the others in
    columns to its right, so the page is wide like a screen and nothing floats far away."""
    graph = nx.Graph()
    graph.add_nodes_from(range(count))
    graph.add_edges_from(pairs.tolist())
    parts = sorted((sorted(part) for part in nx.connected_components(graph)),
                   key=lambda part: (-len(part), part[0]))
    boxes = []
    for part in parts:
        local = {node: position for position, node in enumerate(part)}
        part_pairs = np.array([(local[a], local[b]) for a, b in graph.subgraph(part).edges()],
                              dtype=np.int64).reshape(-1, 2)
        layout = _spring(len(part), part_pairs, iterations=300,
                         exact=len(part) <= EXACT_REPULSION_NODES)
        layout -= layout.min(axis=0)
        boxes.append((part, layout, layout.max(axis=0) + _MARGIN))
    column_height = max(float(boxes[0][2][1]),
                        math.sqrt(sum(float(size[0] * size[1]) for *_, size in boxes)))
    positions = np.zeros((count, 2))
    left = top = column_width = 0.0
    for part, layout, size in boxes:
        if top > 0 and top + size[1] > column_height:
            left, top, column_width = left + column_width, 0.0, 0.0
        positions[part] = layout + (left, top)
        top += float(size[1])
        column_width = max(column_width, float(size[0]))
    return positions - (positions.min(axis=0) + positions.max(axis=0)) / 2


_MARGIN = 1.2


def _spring(count: int, pairs, iterations: int, exact: bool):
    """Fruchterman-Reingold in units of the ideal edge length, with a pull to the centre so
    disconnected parts stay near each other."""
    rng = np.random.default_rng(LAYOUT_SEED)
    positions = (rng.random((count, 2)) - 0.5) * math.sqrt(count) * 2.0
    if count == 1:
        return positions * 0.0
    gravity = 0.6 / math.sqrt(count)
    temperature = math.sqrt(count) * 0.3
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        displacement = _repulsion(positions) if exact else _mesh_repulsion(positions)
        if len(pairs):
            delta = positions[pairs[:, 0]] - positions[pairs[:, 1]]
            distance = np.sqrt((delta ** 2).sum(axis=1))[:, None]
            pull = delta * distance
            for axis in (0, 1):
                displacement[:, axis] -= np.bincount(pairs[:, 0], pull[:, axis], count)
                displacement[:, axis] += np.bincount(pairs[:, 1], pull[:, axis], count)
        radius = np.sqrt((positions ** 2).sum(axis=1))[:, None]
        displacement -= gravity * positions * radius
        length = np.sqrt((displacement ** 2).sum(axis=1))[:, None]
        positions += displacement / np.maximum(length, 1e-9) * np.minimum(length, temperature)
        temperature = max(temperature - cooling, 0.01)
    return positions - positions.mean(axis=0)


def _repulsion(positions):
    """Exact repulsion of every node from every other (1/r), O(n²): for small parts."""
    x, y = positions[:, 0], positions[:, 1]
    dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
    # In place, on two n×n arrays: a third dimension of temporaries made this 4-9× slower.
    inverse = dx * dx
    inverse += dy * dy
    np.maximum(inverse, 1e-4, out=inverse)
    np.reciprocal(inverse, out=inverse)
    np.fill_diagonal(inverse, 0.0)
    return np.stack([(dx * inverse).sum(axis=1), (dy * inverse).sum(axis=1)], axis=1)


_GRID = 128


def _mesh_repulsion(positions):
    """Repulsion of every node from every other, with the others binned on a grid and the
    sum done as a convolution by FFT: O(n + G² log G) instead of O(n²)."""
    low = positions.min(axis=0)
    span = float((positions.max(axis=0) - low).max()) * (1 + 1e-9) + 1e-9
    cell_size = span / _GRID
    cells = np.clip(((positions - low) / cell_size).astype(np.int64), 0, _GRID - 1)
    flat = cells[:, 0] * _GRID + cells[:, 1]
    density = np.bincount(flat, minlength=_GRID * _GRID).reshape(_GRID, _GRID).astype(float)
    kernel_x, kernel_y = _kernels()
    size = 2 * _GRID
    transformed = np.fft.rfft2(density, s=(size, size))
    field_x = np.fft.irfft2(transformed * kernel_x, s=(size, size))[:_GRID, :_GRID]
    field_y = np.fft.irfft2(transformed * kernel_y, s=(size, size))[:_GRID, :_GRID]
    push = np.stack([field_x.ravel()[flat], field_y.ravel()[flat]], axis=1) / cell_size
    # Nodes sharing a cell see no force from the grid: push them off the cell's centroid.
    counts = np.bincount(flat, minlength=_GRID * _GRID)
    centroid = np.stack([np.bincount(flat, positions[:, axis], _GRID * _GRID)
                         for axis in (0, 1)], axis=1) / np.maximum(counts, 1)[:, None]
    offset = positions - centroid[flat]
    squared = np.maximum((offset ** 2).sum(axis=1), 1e-4)[:, None]
    push += offset / squared * (counts[flat] - 1)[:, None]
    return push


@cache
def _kernels():
    """FFTs of the 1/r repulsion field (x and y parts) over grid offsets, zero at the origin."""
    size = 2 * _GRID
    offsets = np.arange(size)
    offsets = np.where(offsets < _GRID, offsets, offsets - size).astype(float)
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    squared = dx ** 2 + dy ** 2
    squared[0, 0] = 1.0
    kernel_x, kernel_y = dx / squared, dy / squared
    kernel_x[0, 0] = kernel_y[0, 0] = 0.0
    return np.fft.rfft2(kernel_x), np.fft.rfft2(kernel_y)


def layered_layout(graph, nodes, edges) -> dict[str, tuple[int, int]]:
    """Models left to right along succession: each model one column after everything it
    follows; each family (connected part) in its own band."""
    later = nx.DiGraph()
    later.add_nodes_from(nodes)
    for source, target, key in sorted(edges, key=lambda edge: edge[2]):
        earlier, after = ((source, target)
                          if graph.edges[source, target, key]["relation"] == "model-succeeded-by"
                          else (target, source))
        if earlier != after and not nx.has_path(later, after, earlier):
            later.add_edge(earlier, after)
    column = {}
    for node in nx.lexicographical_topological_sort(later):
        column[node] = max((column[before] + 1 for before in later.pred[node]), default=0)
    positions = {}
    top = 0.0
    families = sorted((sorted(family) for family in nx.weakly_connected_components(later)),
                      key=lambda family: (-len(family), family[0]))
    for family in families:
        columns = defaultdict(list)
        for node in family:
            columns[column[node]].append(node)
        rows = _order_columns(later, columns)
        height = max(len(members) for members in columns.values())
        for number, members in rows.items():
            for row, node in enumerate(members):
                offset = (height - len(members)) / 2
                positions[node] = (int(number * 240), int((top + offset + row) * 90))
        top += height + 0.8
    return positions


def _order_columns(later: nx.DiGraph, columns: dict[int, list[str]]) -> dict[int, list[str]]:
    """Order each column by the mean row of its neighbours (a few barycentre sweeps) so
    lines cross less; ties fall back to the id so the order is stable."""
    order = {number: sorted(members) for number, members in sorted(columns.items())}
    numbers = sorted(order)
    for sweep in range(4):
        forward = sweep % 2 == 0
        for number in numbers[1:] if forward else numbers[-2::-1]:
            row = {node: position for members in order.values()
                   for position, node in enumerate(members)}
            neighbours = later.pred if forward else later.succ

            def centre(node, row=row, neighbours=neighbours):
                around = [row[other] for other in neighbours[node]]
                return (sum(around) / len(around) if around else row[node], node)

            order[number] = sorted(order[number], key=centre)
    return order
