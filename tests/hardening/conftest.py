"""Fixtures for the hardening tests (issue: no request can crash, corrupt, race, leak or hijack either
simulator): a wired in-process pair, and each app served on a real socket."""

from __future__ import annotations

import pytest

from harness.topology import Topology

SEED = 7


@pytest.fixture
def ip():
    """Both simulators in process, the seed-7 Komet world, a grower connected with a Vendor token."""
    topo = Topology.in_process(seed=SEED)
    try:
        topo.world = topo.komet.seed(seed=SEED)
        topo.komet.namespace = str(topo.world["companyId"])
        topo.grower = topo.connect_grower(topo.world)
        yield topo
    finally:
        topo.close()


@pytest.fixture
def komet_portal(ip):
    """The importer's portal, signed in as its Admin (Flask test client, base URL http://localhost)."""
    client = ip.apps[0].test_client()
    user = next(u for u in ip.world["users"] if u["role"] == "Admin")
    reply = client.post("/login", data={"username": user["username"], "password": "komet123"})
    assert reply.status_code == 302
    return client


@pytest.fixture
def asinfo_portal(ip):
    return ip.apps[1].test_client()
