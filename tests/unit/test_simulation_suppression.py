"""No count from 1 to 9 can be recovered from a simulation's answers and the register's
statistics together (contract §6a, §13).

Registers are drawn by hypothesis as cells (province × milieu × index band), each with its
persons by answer (eligible under both versions, now only, under the draft only, neither) and
its households. The attacker, who does not know which cells are empty, reads every grouping of the simulation (regions, provinces,
milieus, index bands) and the populations `registryStatistics` publishes, and solves an integer
program over the cells' unknown counts for every count from 1 to 9 the register holds — each
group's persons by answer and every sum of them: none may take a single value.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from api.services import simulation_suppression as sup
from api.services.reference import territory
from api.services.simulation import Cell


def _provinces() -> list[str]:
    """Two provinces of one region, one of another."""
    by_region: dict[str, list[str]] = {}
    for p in territory().provinces:
        by_region.setdefault(p.region, []).append(p.code)
    regions = sorted(r for r, codes in by_region.items() if len(codes) >= 2)
    return by_region[regions[0]][:2] + by_region[regions[1]][:1]


PROVINCES = _provinces()
BANDS = (36, 38, None)
COUNT = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 40))


@st.composite
def registers(draw) -> dict:
    cells = {}
    keys = list(itertools.product(PROVINCES, ("URBAN", "RURAL"), BANDS))
    for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=9, unique=True)):
        ee, en, ne, nn = (draw(COUNT) for _ in range(4))
        persons = ee + en + ne + nn
        if persons == 0:
            continue
        households = draw(st.integers(1, persons))
        cells[key] = Cell(persons=persons, households=households, ee=ee, en=en, ne=ne, nn=nn,
                          cost_now=500 * (ee + en), cost_draft=500 * (ee + ne))
    return cells


def _groups(key) -> list:
    province, milieu, band = key
    return [sup.ROOT, ("REGION", territory().province(province).region),
            ("PROVINCE", province), ("MILIEU", milieu), ("INDEX_BAND", band)]


def _published(cells: dict) -> list[tuple[object, tuple[int, ...], int]]:
    """What a reader sees: (group, atoms added, value), from every grouping's answer and the
    register's statistics."""
    seen = []
    for grouping in ("REGION", "PROVINCE", "MILIEU", "INDEX_BAND"):
        total, groups = sup.publish(cells, grouping)
        nodes = [(sup.ROOT, total)]
        for group in groups:
            key = None if group.key == "NOT_SCORED" else group.key
            if grouping == "INDEX_BAND" and key is not None:
                key = round(float(key) / 0.25)
            nodes.append(((grouping, key), group.figures))
        for node, figures in nodes:
            if figures.eligible_now is None:
                continue
            seen += [(node, (0, 1), figures.eligible_now), (node, (0, 2), figures.eligible_draft),
                     (node, (2,), figures.gained), (node, (1,), figures.lost)]
    built = sup.tables(cells)
    for table in built.values():
        for node in table.known:
            seen.append((node, (0, 1, 2, 3), sum(table.atoms[node])))
    return seen


def _attack(cells: dict) -> list[str]:
    # every cell a register could hold: a reader does not know which ones are empty
    keys = sorted(itertools.product(PROVINCES, ("URBAN", "RURAL"), BANDS), key=str)
    cells = {key: cells.get(key, Cell()) for key in keys}
    width = 4 * len(keys)

    def vector(node, atoms) -> np.ndarray:
        row = np.zeros(width)
        for i, key in enumerate(keys):
            if node in _groups(key):
                for k in atoms:
                    row[4 * i + k] = 1
        return row

    seen = _published({k: c for k, c in cells.items() if c.persons})
    if not seen:  # nothing published: nothing to derive
        return []
    a = np.array([vector(node, atoms) for node, atoms, _ in seen])
    b = np.array([value for _, _, value in seen], dtype=float)
    constraint = LinearConstraint(a, b, b)
    found = []
    nodes = {node for key in keys for node in _groups(key)}
    for node in sorted(nodes, key=str):
        members = [key for key in keys if node in _groups(key)]
        for form in sup.FORMS:
            true = sum(getattr(cells[k], sup.ATOMS[i]) for k in members for i in form)
            if not 0 < true < 10:
                continue
            objective = vector(node, form)
            low = milp(objective, constraints=constraint, integrality=np.ones(width),
                       bounds=Bounds(0, np.inf))
            high = milp(-objective, constraints=constraint, integrality=np.ones(width),
                        bounds=Bounds(0, np.inf))
            assert low.success  # what is published is feasible
            if not high.success:  # no upper bound: not pinned
                continue
            if round(-high.fun) == round(low.fun):
                found.append(f"{node} {[sup.ATOMS[i] for i in form]} = {true}")
    return found


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=registers())
def test_no_small_count_can_be_recovered(cells):
    if not cells:
        return
    assert _attack(cells) == [], repr(cells)


def test_a_visible_group_holds_no_small_count():
    cells = {(PROVINCES[0], "URBAN", 36): Cell(persons=40, households=10, ee=20, en=0, ne=3,
                                               nn=17),
             (PROVINCES[1], "URBAN", 36): Cell(persons=60, households=20, ee=20, en=10, ne=20,
                                               nn=10),
             (PROVINCES[2], "RURAL", 38): Cell(persons=80, households=20, ee=30, en=20, ne=10,
                                               nn=20)}
    total, groups = sup.publish(cells, "PROVINCE")
    by_key = {g.key: g.figures for g in groups}
    assert by_key[PROVINCES[0]].gained is None  # 3 gained
    assert by_key[PROVINCES[1]].gained is None  # withheld beside it: the region would tell
    assert by_key[PROVINCES[2]].gained == 10
    assert total.gained == 33


def test_zero_is_shown():
    cells = {(p, "URBAN", 36): Cell(persons=50, households=10, ee=30, en=0, ne=0, nn=20)
             for p in PROVINCES}
    total, groups = sup.publish(cells, "REGION")
    assert total.gained == 0 and total.lost == 0 and total.eligible_now == 90
    assert all(g.figures.gained == 0 for g in groups)


@pytest.mark.parametrize("gained", [1, 9])
def test_a_small_total_withholds_everything(gained):
    cells = {(PROVINCES[0], "URBAN", 36): Cell(persons=100, households=30, ee=50, en=0,
                                               ne=gained, nn=50 - gained)}
    for grouping in ("REGION", "PROVINCE", "MILIEU", "INDEX_BAND"):
        total, groups = sup.publish(cells, grouping)
        assert total.gained is None and all(g.figures.gained is None for g in groups)
