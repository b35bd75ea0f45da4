"""Shared fixtures: fresh apps per test, and API clients over a real socket or in process."""

from __future__ import annotations

import pytest

from harness.clients import KometSimClient
from komet_sim import create_app as create_komet
from simkit.server import ServerThread

KOMET_SEED = 7
IN_PROCESS_URL = "http://komet.test"


@pytest.fixture
def komet_app():
    """A fresh Komet simulator holding the seed-7 world."""
    return create_komet({"seed": KOMET_SEED, "seed_world": {"seed": KOMET_SEED}})


@pytest.fixture(params=["in-process", "socket"])
def transport(request) -> str:
    return request.param


@pytest.fixture
def komet(komet_app, transport):
    """A KometSimClient on the seeded app, once in process and once over a real socket."""
    if transport == "in-process":
        yield KometSimClient(IN_PROCESS_URL, app=komet_app)
        return
    server = ServerThread(komet_app).start()
    try:
        yield KometSimClient(server.url)
    finally:
        server.stop()


@pytest.fixture
def komet_world(komet_app):
    return komet_app.extensions["kasim.world"]


@pytest.fixture
def seeded(komet_app) -> dict:
    """What POST /__sim/seed answered for the seed-7 world: companyId, vendors, customers, shipDates, POs."""
    return komet_app.extensions["kasim.seeded"]


@pytest.fixture
def pair(transport):
    """Both simulators wired together (in process, or each on its own real socket), with the seed-7 Komet
    world and a grower connected through a Vendor token made with the ASINFO preset.

    pair.komet / pair.asinfo are clients; pair.world is the Komet seed reply; pair.grower has token,
    vendor, account and connection."""
    from harness.topology import Topology

    topo = (
        Topology.in_process(seed=KOMET_SEED)
        if transport == "in-process"
        else Topology.served(seed=KOMET_SEED)
    )
    try:
        topo.world = topo.komet.seed(seed=KOMET_SEED)
        topo.komet.namespace = str(topo.world["companyId"])
        topo.grower = topo.connect_grower(topo.world)
        yield topo
    finally:
        topo.close()
