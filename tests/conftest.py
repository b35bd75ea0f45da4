"""Shared fixtures: fresh apps per test, and API clients over a real socket or in process."""

from __future__ import annotations

import os

import pytest

from harness.clients import KometSimClient
from komet_sim import create_app as create_komet
from simkit.server import ServerThread

from .testkit import KOMET_SEED, wire

IN_PROCESS_URL = "http://komet.test"


@pytest.fixture(autouse=True, scope="session")
def _cache_home_of_the_run(tmp_path_factory):
    """`kasim serve` (in process or a child process) keeps its start-up cache in a folder of this run, never in
    the user's ~/.cache."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


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
    """Both simulators wired together (testkit.wire) in this test's transport: pair.komet / pair.asinfo are
    clients; pair.world is the Komet seed reply; pair.grower has token, vendor, account and connection."""
    topo = wire(transport)
    try:
        yield topo
    finally:
        topo.close()
