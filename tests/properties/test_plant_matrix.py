"""The matrix CI runs: for every planted bug, the scenario library fails and the explorer finds it within
the budget below. The terminal summary says which check caught each (see conftest.py); a plant no check
catches fails here.

    .venv/bin/python -m pytest tests/properties/test_plant_matrix.py -n 2     # the matrix alone"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from harness import runner
from harness.exploration import explore_once
from harness.plants import registry, world_for

PLANTS = sorted(registry())
# The explorer's CI budget per plant (derandomized: the same runs every time).
EXPLORE = {"base_seed": 0, "examples": 40, "steps": 20}


@pytest.fixture(scope="module")
def library():
    scenarios, problems = runner.collect(["scenarios"])
    assert not problems
    return scenarios


@pytest.mark.parametrize("name", PLANTS)
def test_the_scenario_library_catches(name, library, record_property):
    opts = runner.Options(plant=name, fail_fast=True, progress=False)
    results, _ = runner.run_all(library, opts, Console(file=io.StringIO()))
    failed = [r for r in results if r.failure and not r.ok]
    assert failed, f"no scenario of the library fails with {name} planted"
    first = failed[0].failure
    detail = (first.get("details") or [""])[0].strip()
    record_property("caught_by", f"library: {first['where']}: {first['message']}; {detail}"[:220])


# The three ordering bugs of issue 9, planted back: the library's regression scenarios catch them, but the
# explorer's CI budget does not reach them on this search (strict: the day it does, this says so).
BEYOND_BUDGET = {"confirm-out-of-order", "late-confirm-wins", "sync-stale-read"}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="beyond the explorer's CI budget"))
        if n in BEYOND_BUDGET
        else n
        for n in PLANTS
    ],
)
def test_the_explorer_finds(name, record_property):
    _, failure = explore_once(plant=world_for(name), **EXPLORE)
    assert failure is not None, f"kasim explore did not find {name} in {EXPLORE}"
    record_property("caught_by", f"explorer: {str(failure).strip().splitlines()[0]}"[:200])


def test_the_explorer_finds_nothing_without_a_plant():
    """The matrix means something only if the same budget finds nothing on the simulators as they are: a
    finding of the run above is then the plant's doing, not a false finding every plant would share."""
    _, failure = explore_once(plant=None, **EXPLORE)
    assert failure is None, f"kasim explore broke a property with no plant: {failure}"
