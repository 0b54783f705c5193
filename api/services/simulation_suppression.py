"""Complementary suppression of a simulation's answer (contract §6a, §13): no count of persons
below 10 can be recovered from the answer, together with `registryStatistics`.

Each group of a simulation publishes four counts of persons — eligible now, eligible under the
draft, gained, lost — and two costs. With the group's population (which `registryStatistics`
may publish), the four counts give away the four counts they are made of: eligible under both
versions, now only (lost), under the draft only (gained), under neither. So a group is shown
or withheld whole: it is withheld when any of those four is from 1 to 9 (a count of 0 names no
one and is shown), or when it would let such a count of another group be derived.

What a reader can derive is computed as a reader would (`pinned`), with every visible group's four counts, the populations
`registryStatistics` publishes (its own suppression computed over the same households), the sums that tie provinces to their
region and every group to the register's total, and counts never negative. While some hidden
count from 1 to 9 — one of the four, or any sum of them (eligible now, not eligible under the
draft…) — can take only one value, the smallest visible group beside it (a sibling, a child or
its parent) is withheld too. Tables are protected as `registryStatistics` protects them:
regions with their provinces, milieus, index bands, all under one total; when the total itself
holds a count from 1 to 9, every group of every table is withheld.

`tests/api/test_simulation_suppression.py` attacks generated answers with an integer program
over the register's cells (province × milieu × band) and requires that no hidden count from 1
to 9 is pinned.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from dataclasses import dataclass

from api.services import statistics
from api.services import suppression as registry
from api.services.reference import territory

SUPPRESS_BELOW = 10
ROOT = ("TOTAL", None)
ATOMS = ("ee", "en", "ne", "nn")
# every count a group's four atoms make, as the atoms it adds up (the full set is the
# population, known)
FORMS = tuple(subset for size in (1, 2, 3) for subset in itertools.combinations(range(4), size))


@dataclass(frozen=True)
class Figures:
    eligible_now: int | None
    eligible_draft: int | None
    gained: int | None
    lost: int | None
    monthly_cost_now: int | None
    monthly_cost_draft: int | None


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    figures: Figures



def small(value: int) -> bool:
    return 0 < value < SUPPRESS_BELOW


class Table:
    """Nodes with their atoms (persons eligible under both, now only, draft only, neither)
    and costs; `children[parent]` lists its children; leaves are the nodes without any."""

    def __init__(self) -> None:
        self.atoms: dict[Hashable, list[int]] = {}
        self.costs: dict[Hashable, list[int]] = {}
        self.households: dict[Hashable, int] = {}
        # the nodes whose population (persons) a reader knows from registryStatistics
        self.known: set[Hashable] = set()
        self.children: dict[Hashable, list[Hashable]] = {}
        self.parent: dict[Hashable, Hashable] = {}

    def add(self, node, atoms, costs, parent=None, households: int = 0) -> None:
        if node not in self.atoms:
            self.atoms[node] = [0, 0, 0, 0]
            self.costs[node] = [0, 0]
            self.households[node] = 0
            if parent is not None:
                self.children.setdefault(parent, []).append(node)
                self.parent[node] = parent
        self.atoms[node] = [a + b for a, b in zip(self.atoms[node], atoms, strict=True)]
        self.costs[node] = [a + b for a, b in zip(self.costs[node], costs, strict=True)]
        self.households[node] += households

    def leaves_under(self, node) -> list:
        kids = self.children.get(node)
        if not kids:
            return [node]
        return [leaf for kid in kids for leaf in self.leaves_under(kid)]

    def depth(self, node) -> int:
        return 0 if node not in self.parent else 1 + self.depth(self.parent[node])

    def sensitive(self, node) -> list[tuple[int, ...]]:
        atoms = self.atoms[node]
        return [form for form in FORMS if small(sum(atoms[i] for i in form))]


def withheld(table: Table) -> set:
    """The nodes withheld from the table."""
    hidden = {node for node in table.atoms if table.sensitive(node)}
    if ROOT in hidden:
        return set(table.atoms)
    while True:
        exposed = pinned(table, hidden)
        if not exposed:
            return hidden
        node = min(exposed, key=lambda n: (table.depth(n), str(n)))
        around = list(table.children.get(node, ()))
        if node in table.parent:
            around += table.children[table.parent[node]]
            if table.parent[node] != ROOT:
                around.append(table.parent[node])
        visible = [n for n in around if n not in hidden]
        if not visible:  # only the total pins it: withhold everything
            return set(table.atoms)
        hidden.add(min(visible, key=lambda n: (sum(table.atoms[n]), str(n))))


def pinned(table: Table, hidden: set) -> list:
    """Hidden nodes with a count from 1 to 9 that a reader can derive exactly.

    A count is derivable exactly when it is constant over every register that agrees with what
    is published: the published sums (A x = b) with the counts never negative. The counts that
    are 0 in every such register are found with a few linear programs; a count is then constant
    exactly when its vector lies in the row space of A and of those zeros, which one singular
    value decomposition answers for every count at once. The equations' matrix is totally
    unimodular (two laminar families of sums: the groups' counts by answer, and their
    populations), so the reals and the integers pin the same counts."""
    import numpy as np  # imported when a simulation first needs them: not at every start
    leaves = [n for n in table.atoms if not table.children.get(n)]
    column = {leaf: i for i, leaf in enumerate(leaves)}
    width = 4 * len(leaves)
    rows, values = [], []
    for node, atoms in table.atoms.items():
        under = [column[leaf] for leaf in table.leaves_under(node)]
        if node in hidden and node in table.known:
            population = np.zeros(width)
            for c in under:
                population[4 * c:4 * c + 4] = 1
            rows.append(population)
            values.append(sum(atoms))
        if node not in hidden:
            for k in range(4):
                row = np.zeros(width)
                for c in under:
                    row[4 * c + k] = 1
                rows.append(row)
                values.append(atoms[k])
    a_eq = np.array(rows).reshape(len(rows), width)
    b_eq = np.array(values, dtype=float)
    zeros = _always_zero(a_eq, b_eq, width)
    unit = np.eye(width)[sorted(zeros)] if zeros else np.zeros((0, width))
    known = np.vstack([a_eq, unit])
    if known.size:
        _, singular, vt = np.linalg.svd(known, full_matrices=True)
        rank = int((singular > 1e-9 * max(singular.max(), 1.0)).sum())
        free = vt[rank:]  # the directions a register can move in, keeping what is published
    else:
        free = np.eye(width)
    out = []
    for node in sorted(hidden, key=lambda n: (table.depth(n), str(n))):
        under = [column[leaf] for leaf in table.leaves_under(node)]
        for form in table.sensitive(node):
            vector = np.zeros(width)
            for c in under:
                for k in form:
                    vector[4 * c + k] = 1
            if np.abs(free @ vector).max(initial=0.0) < 1e-7:
                out.append(node)
                break
    return out


def _always_zero(a_eq, b_eq, width: int) -> set[int]:
    """The counts that are 0 in every register agreeing with A x = b, x ≥ 0: while some are
    undecided, one linear program finds a register where as many of them as it can are
    positive (y_i ≤ x_i, y_i ≤ 1, maximise Σ y_i); those are not always 0. When none is, the
    rest are."""
    import numpy as np
    from scipy.optimize import linprog
    undecided = list(range(width))
    while undecided:
        n = len(undecided)
        objective = np.concatenate([np.zeros(width), -np.ones(n)])
        a_ub = np.zeros((n, width + n))
        for j, i in enumerate(undecided):
            a_ub[j, i] = -1
            a_ub[j, width + j] = 1
        equality = np.hstack([a_eq, np.zeros((a_eq.shape[0], n))]) if a_eq.size else None
        found = linprog(objective, A_ub=a_ub, b_ub=np.zeros(n), A_eq=equality,
                        b_eq=b_eq if a_eq.size else None,
                        bounds=[(0, None)] * width + [(0, 1)] * n, method="highs")
        if found.status != 0:  # pragma: no cover - what is published is always feasible
            raise RuntimeError(f"suppression: {found.message}")
        positive = {i for j, i in enumerate(undecided) if found.x[width + j] > 1e-9}
        if not positive:
            return set(undecided)
        undecided = [i for i in undecided if i not in positive]
    return set()


# ------------------------------------------------------------------ the answer's tables

def tables(cells: dict) -> dict[str, Table]:
    """The three tables of an answer from the register's cells {(province, milieu, band):
    Cell}: GEOGRAPHY (regions and their provinces), MILIEU, INDEX_BAND."""
    out = {name: Table() for name in ("GEOGRAPHY", "MILIEU", "INDEX_BAND")}
    for (province, milieu, band), cell in cells.items():
        atoms = (cell.ee, cell.en, cell.ne, cell.nn)
        costs = (cell.cost_now, cell.cost_draft)
        found = territory().province(province)
        region = ("REGION", found.region if found else province)
        for name, path in (("GEOGRAPHY", [region, ("PROVINCE", province)]),
                           ("MILIEU", [("MILIEU", milieu)]),
                           ("INDEX_BAND", [("INDEX_BAND", band)])):
            table = out[name]
            table.add(ROOT, atoms, costs, households=cell.households)
            parent = ROOT
            for node in path:
                table.add(node, atoms, costs, parent, households=cell.households)
                parent = node
    for table in out.values():
        if ROOT not in table.atoms:
            table.add(ROOT, (0, 0, 0, 0), (0, 0))
    _published_populations(out)
    return out


def _published_populations(built: dict[str, Table]) -> None:
    """Mark the populations `registryStatistics` publishes (its own suppression, over the same
    households and persons): those a reader may add to the answer's equations."""
    trees = {name: registry.Tree(
        counts={node: (table.households[node], sum(table.atoms[node])) for node in table.atoms},
        children={parent: list(kids) for parent, kids in table.children.items()})
        for name, table in built.items()}
    for (name, table), hidden in zip(trees.items(), registry.protect(list(trees.values())),
                                     strict=True):
        built[name].known = {node for node in table.counts if node not in hidden}


TABLE_OF = {"REGION": "GEOGRAPHY", "PROVINCE": "GEOGRAPHY", "MILIEU": "MILIEU",
            "INDEX_BAND": "INDEX_BAND"}


def protect(cells: dict) -> tuple[dict[str, Table], dict[str, set]]:
    """The tables and what each withholds; all withhold everything when the total must be."""
    built = tables(cells)
    hidden = {name: withheld(table) for name, table in built.items()}
    if any(ROOT in h for h in hidden.values()):
        hidden = {name: set(table.atoms) for name, table in built.items()}
    return built, hidden


def figures(table: Table, node, hidden: set):
    if node in hidden:
        return Figures(None, None, None, None, None, None)
    ee, en, ne, _ = table.atoms[node]
    cost_now, cost_draft = table.costs[node]
    return Figures(eligible_now=ee + en, eligible_draft=ee + ne, gained=ne, lost=en,
                   monthly_cost_now=cost_now, monthly_cost_draft=cost_draft)


def publish(cells: dict, grouping: str):
    """(the total's figures, [Group]) of the grouping asked for, suppressed."""
    built, hidden = protect(cells)
    name = TABLE_OF[grouping]
    table = built[name]
    nodes = sorted((n for n in table.atoms if n[0] == grouping),
                   key=lambda n: (n[1] is None, n[1] if n[1] is not None else 0))
    groups = []
    for node in nodes:
        key, label = statistics.label(grouping, node[1])
        groups.append(Group(key=key, label=label, figures=figures(table, node, hidden[name])))
    return figures(table, ROOT, hidden[name]), groups
