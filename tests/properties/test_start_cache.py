"""The property machine's starts are set up once and restored after (harness/start_cache.py): a restored start
must be the set-up one in everything a run can see, and an exploration must go exactly as it goes without."""

from __future__ import annotations

import pytest

from harness import start_cache
from harness.exploration import explore_once
from simkit.middleware import world_of

_restore = start_cache._restore

WORLD = {"komet": {"vendors": 2, "shipDays": 2, "posPerDay": 2, "linesPerPo": 2}, "grower": {"syncDays": 2}}


@pytest.fixture(autouse=True)
def empty_cache():
    start_cache.clear()
    yield
    start_cache.clear()


def seen(topo, ctx) -> dict:
    """Everything a run can see of its start: both worlds whole, both journals, the clock, the context."""
    worlds = [world_of(app) for app in topo.apps]
    return {
        "states": [w.export_state(None) for w in worlds],
        "journals": [w.journal.entries() for w in worlds],
        "written": [w.versions.counts() for w in worlds],
        "clock": (topo.clock.now(), topo.clock.running, topo.clock.ticks),
        "ctx": start_cache._data(ctx),
        "adapter": start_cache._data(ctx.adapter),
        "namespaces": (topo.komet.namespace, topo.asinfo.namespace),
    }


def set_up_then_restored(run=lambda ctx: None) -> tuple[dict, dict]:
    """What a run sees of its start when it is set up (and kept), then when it is restored after `run` used it."""
    topo, ctx = start_cache.start(3, WORLD, {})
    set_up = seen(topo, ctx)
    run(ctx)
    topo.close()
    topo, ctx = start_cache.start(3, WORLD, {})
    try:
        return set_up, seen(topo, ctx)
    finally:
        topo.close()


def test_a_restored_start_is_the_set_up_one():
    set_up, restored = set_up_then_restored()
    assert set_up["ctx"]["grower"] and set_up["journals"][0]  # the set-up connected and synced
    assert restored == set_up


def test_a_run_changes_nothing_the_next_restore_gives():
    def run(ctx) -> None:
        ctx.grower["connection"]["name"] = "changed by a run"
        ctx.asinfo.sync(ctx.grower["connection"]["id"])

    set_up, restored = set_up_then_restored(run)
    assert restored == set_up


def test_another_seed_world_or_plant_is_another_start():
    first, _ = start_cache.start(3, WORLD, {})
    first.close()
    for seed, world, plant in (
        (4, WORLD, {}),
        (3, {**WORLD, "grower": {"syncDays": 1}}, {}),
        (3, WORLD, {"komet": "confirm-adds"}),
    ):
        start_cache.start(seed, world, plant)[0].close()
    assert len(start_cache._kept) == 4


def test_an_exploration_goes_as_it_goes_without_the_cache(monkeypatch):
    restored = []
    monkeypatch.setattr(start_cache, "_restore", lambda *a: restored.append(a) or _restore(*a))

    def run() -> tuple[str, list]:
        machine, failure = explore_once(1, 30, 12, {"komet": "confirm-adds"})
        assert failure is not None
        return str(failure), machine.last.steps

    with_cache = run()
    assert restored  # some runs started from a restored start
    monkeypatch.setattr(start_cache, "enabled", False)
    start_cache.clear()
    assert run() == with_cache and not start_cache._kept
