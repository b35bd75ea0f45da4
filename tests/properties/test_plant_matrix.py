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
# The explorer's CI budget per plant: up to three runs of 40 examples × 20 steps, one per seed, until one finds
# it (derandomized: the same runs every time). The baseline runs all three with no plant and finds nothing.
SEEDS = (0, 1, 2)
EXPLORE = {"examples": 40, "steps": 20}


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


@pytest.mark.parametrize("name", PLANTS)
def test_the_explorer_finds(name, record_property):
    for seed in SEEDS:
        _, failure = explore_once(base_seed=seed, plant=world_for(name), **EXPLORE)
        if failure is not None:
            break
    assert failure is not None, f"kasim explore did not find {name} with seeds {SEEDS}, {EXPLORE} each"
    record_property("caught_by", f"explorer (seed {seed}): {str(failure).strip().splitlines()[0]}"[:200])


@pytest.mark.parametrize("seed", SEEDS)
def test_the_explorer_finds_nothing_without_a_plant(seed):
    """The matrix means something only if the same budget finds nothing on the simulators as they are: a
    finding of the runs above is then the plant's doing, not a false finding every plant would share."""
    _, failure = explore_once(base_seed=seed, plant=None, **EXPLORE)
    assert failure is None, f"kasim explore (seed {seed}) broke a property with no plant: {failure}"
