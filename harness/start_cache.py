"""The worlds the property machine starts from, set up once and restored after.

Hypothesis draws the same start (seed, sizes, plant) again and again: an example it mutates keeps the start
of the one it came from, and about three runs in five begin where an earlier one did. Each start is set up once
the way a scenario's world: section is (seeding, the Vendor token, the connection, the first sync, through the
control plane and the actions); what that left is kept, and a later run with the same start gets fresh apps with
both worlds restored from snapshots (simkit/snapshot.py: rows, journal, write counters, ticks, seed), the
clock where it was, and what the set-up wrote into the context and the grower adapter.

A restored start is the set-up one: tests/properties/test_start_cache.py compares both worlds, both journals,
the clock and the context, and an exploration with the cache against one without.
"""

from __future__ import annotations

import copy
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from simkit import snapshot
from simkit.middleware import world_of

from .context import Ctx
from .engine import setup_world
from .topology import InProcessTopology, Topology

KEPT = 32  # starts kept (each is two small databases); the least recently used goes first
enabled = True  # tests switch it off to compare
_kept: OrderedDict[str, _Start] = OrderedDict()

# What a context and an adapter hold that belongs to their topology, not to the set-up: never carried over.
_BOUND = {"topo", "adapter", "labels", "client", "topology", "setup"}


@dataclass(frozen=True)
class _Start:
    worlds: tuple[snapshot.Snapshot, snapshot.Snapshot]
    clock: dict[str, Any]
    ctx: dict[str, Any]
    adapter: dict[str, Any]
    namespaces: tuple[str | None, str | None]


def start(seed: int, world: dict, plant: dict) -> tuple[InProcessTopology, Ctx]:
    """Fresh in-process apps, and a context, at the start `world` describes (a scenario's world: section)."""
    topo = Topology.in_process(
        seed,
        komet_config={"plant": plant.get("komet")},
        asinfo_config={"plant": plant.get("asinfo")},
        reuse_apps=True,
    )
    ctx = Ctx(topo, seed)
    key = json.dumps([seed, world, plant], sort_keys=True)
    kept = _kept.get(key) if enabled else None
    if kept is None:
        setup_world(ctx, world, {})
        if enabled:
            _kept[key] = _take(topo, ctx)
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    else:
        _kept.move_to_end(key)
        _restore(topo, ctx, kept)
    return topo, ctx


def clear() -> None:
    _kept.clear()


def _apps(topo: InProcessTopology) -> tuple[Any, Any]:
    assert topo.apps is not None  # noqa: S101 (an in-process topology has both apps)
    return topo.apps


def _take(topo: InProcessTopology, ctx: Ctx) -> _Start:
    kapp, aapp = _apps(topo)
    assert topo.asinfo is not None and topo.clock is not None  # noqa: S101 (built in process, with ASINFO)
    return _Start(
        worlds=(snapshot.take(world_of(kapp)), snapshot.take(world_of(aapp))),
        clock={"now": topo.clock.now(), "running": topo.clock.running},
        ctx=_data(ctx),
        adapter=_data(ctx.adapter),
        namespaces=(topo.komet.namespace, topo.asinfo.namespace),
    )


def _restore(topo: InProcessTopology, ctx: Ctx, kept: _Start) -> None:
    kapp, aapp = _apps(topo)
    assert topo.asinfo is not None and topo.clock is not None  # noqa: S101
    for app, snap in zip((kapp, aapp), kept.worlds, strict=True):
        snapshot.restore(world_of(app), snap)
    if topo.clock.now() != kept.clock["now"] or topo.clock.running != kept.clock["running"]:
        topo.clock.set(kept.clock["now"], kept.clock["running"])
    for name, value in copy.deepcopy(kept.ctx).items():
        setattr(ctx, name, value)
    for name, value in copy.deepcopy(kept.adapter).items():
        setattr(ctx.adapter, name, value)
    topo.komet.namespace, topo.asinfo.namespace = kept.namespaces


def _data(obj: object) -> dict[str, Any]:
    """What the set-up wrote into an object, copied so that no run changes what the next one restores."""
    return copy.deepcopy({k: v for k, v in vars(obj).items() if k not in _BOUND})
