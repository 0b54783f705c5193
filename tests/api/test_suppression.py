"""No count below 10 can be recovered from registryStatistics (contract §6a): an attacker who
knows every published count, that groups add up (a region is the sum of its provinces, every
grouping sums to the register's total) and that every listed group holds at least one
household solves for each hidden count with a linear program; it must never pin one down."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from api.services.reference import territory
from api.services.suppression import ROOT, SUPPRESS_BELOW, Tree, protect
from tests import factories

QUERY = ("query($g: StatisticsGrouping!) { registryStatistics(groupBy: $g) "
         "{ key households persons } }")


def recoverable(tree: Tree | list[Tree], published: dict) -> dict:
    """Hidden counts the attacker pins down: {(node, measure): value}, measure 0 for
    households and 1 for persons. `published` maps each node to its counts or None. The
    linear program knows the sums, that a listed group holds at least one household and that
    a household holds at least one person."""
    unknown = [n for n, v in published.items() if v is None]
    if not unknown:
        return {}
    index = {(n, m): i for i, (n, m) in enumerate((n, m) for n in unknown for m in (0, 1))}
    size = len(index)
    rows, rhs = [], []
    trees = tree if isinstance(tree, list) else [tree]
    for parent, kids in (eq for t in trees for eq in t.equations()):
        for m in (0, 1):
            row = np.zeros(size)
            constant = 0.0
            for node, sign in [(parent, 1.0)] + [(k, -1.0) for k in kids]:
                if published[node] is None:
                    row[index[(node, m)]] += sign
                else:
                    constant -= sign * published[node][m]
            if row.any():
                rows.append(row)
                rhs.append(constant)
    upper = []
    for node in unknown:  # households - persons <= 0
        row = np.zeros(size)
        row[index[(node, 0)]], row[index[(node, 1)]] = 1.0, -1.0
        upper.append(row)
    found = {}
    for key, i in index.items():
        bounds = []
        for sense in (1, -1):
            objective = np.zeros(size)
            objective[i] = sense
            result = linprog(objective, A_eq=np.array(rows) if rows else None,
                             b_eq=np.array(rhs) if rows else None, A_ub=np.array(upper),
                             b_ub=np.zeros(len(upper)), bounds=[(1, None)] * size,
                             method="highs")
            bounds.append(sense * result.fun if result.status == 0 else None)
        low, high = bounds
        if low is not None and high is not None and abs(high - low) < 1e-6:
            found[key] = round(low)
    return found


def publish(*trees: Tree) -> dict:
    """Every table's counts as published together; the total is None when every table
    withholds it."""
    published = {}
    for tree, hidden in zip(trees, protect(list(trees)), strict=True):
        for node, value in tree.counts.items():
            published[node] = None if node in hidden else value
    return published


def check(*trees: Tree) -> None:
    published = publish(*trees)
    if min(trees[0].counts[ROOT]) < SUPPRESS_BELOW:
        assert published[ROOT] is None
    for node, value in published.items():
        if value is not None and node != ROOT:
            assert min(value) >= SUPPRESS_BELOW, node
    leaked = recoverable(list(trees), published)
    assert not leaked, f"recovered {leaked} from {published}"


REGIONS = sorted({p.region for p in territory().provinces_of(None)})


@st.composite
def registers(draw) -> Tree:
    """Random registers by region and province: most provinces small, some large, some empty."""
    provinces = territory().provinces_of(None)
    chosen = draw(st.lists(st.sampled_from(provinces), min_size=1, max_size=30,
                           unique_by=lambda p: p.code))
    counts, children = {}, {ROOT: []}
    for province in chosen:
        households = draw(st.one_of(st.integers(1, 12), st.integers(1, 400)))
        persons = households + draw(st.integers(0, 3 * households))
        region = ("REGION", province.region)
        if region not in counts:
            counts[region] = (0, 0)
            children[ROOT].append(region)
            children[region] = []
        counts[region] = (counts[region][0] + households, counts[region][1] + persons)
        counts[("PROVINCE", province.code)] = (households, persons)
        children[region].append(("PROVINCE", province.code))
    counts[ROOT] = (sum(counts[r][0] for r in children[ROOT]),
                    sum(counts[r][1] for r in children[ROOT]))
    return Tree(counts=counts, children=children)


@st.composite
def partitions(draw) -> Tree:
    """A flat grouping (milieu, index bands) of the total."""
    groups = draw(st.lists(st.one_of(st.integers(1, 12), st.integers(1, 300)), min_size=1,
                           max_size=14))
    counts = {("G", i): (h, h + draw(st.integers(0, 2 * h))) for i, h in enumerate(groups)}
    counts[ROOT] = (sum(v[0] for v in counts.values()), sum(v[1] for v in counts.values()))
    return Tree(counts=counts, children={ROOT: [k for k in counts if k != ROOT]})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=registers())
def test_no_small_count_is_recoverable_from_regions_and_provinces(tree):
    check(tree)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=partitions())
def test_no_small_count_is_recoverable_from_a_flat_grouping(tree):
    check(tree)


@st.composite
def register_and_split(draw) -> tuple[Tree, Tree]:
    """The regions and provinces of a register, and a split of the same households in two
    (milieu): published together, so that the split may give the total away."""
    geo = draw(registers())
    households, persons = geo.counts[ROOT]
    urban = draw(st.integers(0, households))
    urban_persons = min(persons - (households - urban), draw(st.integers(urban, 4 * urban + 1)))
    counts = {ROOT: (households, persons)}
    if urban:
        counts[("MILIEU", "URBAN")] = (urban, max(urban, urban_persons))
    if households - urban:
        counts[("MILIEU", "RURAL")] = (households - urban,
                                       persons - counts.get(("MILIEU", "URBAN"), (0, 0))[1])
    split = Tree(counts=counts, children={ROOT: [k for k in counts if k != ROOT]})
    return geo, split


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=register_and_split())
def test_no_small_count_is_recoverable_across_groupings(tables):
    geo, split = tables
    if all(min(v) >= 1 for v in split.counts.values()):
        check(geo, split)


def test_a_total_every_group_adds_up_to_is_withheld_everywhere():
    """Ten provinces of one household each and a milieu of ten: the milieu would publish the
    total, and the total would give every province away."""
    geo = Tree(counts={ROOT: (10, 10), ("REGION", "01"): (10, 10),
                       **{("PROVINCE", f"{i:03d}"): (1, 1) for i in range(1, 11)}},
               children={ROOT: [("REGION", "01")],
                         ("REGION", "01"): [("PROVINCE", f"{i:03d}") for i in range(1, 11)]})
    split = Tree(counts={ROOT: (10, 10), ("MILIEU", "URBAN"): (10, 10)},
                 children={ROOT: [("MILIEU", "URBAN")]})
    published = publish(geo, split)
    assert published[("MILIEU", "URBAN")] is None and published[ROOT] is None
    assert not recoverable([geo, split], published)


def test_the_attacker_finds_what_primary_suppression_alone_leaves():
    """The attack of the review: a region's count minus its visible provinces gave its
    suppressed province's count (2 households)."""
    tree = Tree(counts={ROOT: (150, 400), ("REGION", "06"): (150, 400),
                        ("PROVINCE", "038"): (148, 395), ("PROVINCE", "039"): (2, 5)},
                children={ROOT: [("REGION", "06")],
                          ("REGION", "06"): [("PROVINCE", "038"), ("PROVINCE", "039")]})
    primary = {n: (None if min(v) < SUPPRESS_BELOW else v) for n, v in tree.counts.items()}
    assert recoverable(tree, primary) == {(("PROVINCE", "039"), 0): 2,
                                          (("PROVINCE", "039"), 1): 5}
    assert not recoverable(tree, publish(tree))


def test_hidden_groups_of_one_each_are_not_revealed_by_their_sum():
    tree = Tree(counts={ROOT: (102, 300), ("G", 1): (1, 1), ("G", 2): (1, 2),
                        ("G", 3): (100, 297)},
                children={ROOT: [("G", 1), ("G", 2), ("G", 3)]})
    primary = {n: (None if min(v) < SUPPRESS_BELOW else v) for n, v in tree.counts.items()}
    assert recoverable(tree, primary) == {(("G", 1), 0): 1, (("G", 2), 0): 1}
    assert not recoverable(tree, publish(tree))


@pytest.mark.e2e
async def test_registry_statistics_hide_the_province_a_region_would_give_away(gql, tokens):
    """On the database: ten households in one province, two in another of the same region;
    neither the region and province tables together nor the milieu table reveal the two."""
    admin = tokens.admin()
    rng = random.Random(7)
    casablanca = [p.code for p in territory().provinces_of("06")]
    for _ in range(10):
        await factories.register_household(gql, admin, province="038", children=0)
    other = next(c for c in casablanca if c != "038")
    for _ in range(2):
        await factories.register_household(gql, admin, province=other, children=rng.randint(0, 1))
    auditor = tokens.auditor()
    regions = (await gql.data(QUERY, {"g": "REGION"}, auditor))["registryStatistics"]
    provinces = (await gql.data(QUERY, {"g": "PROVINCE"}, auditor))["registryStatistics"]
    by_province = {p["key"]: p["households"] for p in provinces}
    assert by_province[other] is None
    region = next(r for r in regions if r["key"] == "06")
    # 038 visible and the region visible would give 12 - 10 = 2
    assert region["households"] is None or by_province["038"] is None
