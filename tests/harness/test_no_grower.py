"""Where no grower is connected, or no ASINFO simulator exists, the harness says so instead of failing on None."""

from __future__ import annotations

import pytest

from harness.clients import KometSimClient
from harness.context import Ctx
from harness.invariants import quiet_and_compare
from harness.live_topology import LiveTopology
from harness.topology import Topology

NOWHERE = "http://127.0.0.1:9"  # never called: the topology is only built


def test_asinfo_sim_refuses_where_the_grower_is_the_users_own_system():
    topo = LiveTopology(KometSimClient(NOWHERE), None, NOWHERE)
    with pytest.raises(RuntimeError, match="no ASINFO simulator here"):
        topo.asinfo_sim()


def test_asinfo_sim_is_the_asinfo_client_where_there_is_one():
    topo = Topology.in_process(seed=3)
    try:
        assert topo.asinfo_sim() is topo.asinfo
    finally:
        topo.close()


def test_final_agreement_without_a_grower_says_it_was_not_checked():
    topo = Topology.in_process(seed=3)
    try:
        ctx = Ctx(topo, 3)
        ctx.company = topo.seed_company(3)
        account = topo.asinfo_sim().seed(seed=3)  # a grower account, never connected to Komet
        topo.asinfo_sim().namespace = str(account["accountId"])
        problems, note = quiet_and_compare(ctx)
        assert problems == []
        assert note == "agreement not checked: no grower is connected"
    finally:
        topo.close()


def test_a_result_without_a_failure_renders_its_status():
    from harness.engine import ScenarioResult
    from harness.pytest_plugin import render
    from harness.scenario import Scenario

    scenario = Scenario(name="quiet", file="scenarios/quiet.yaml", line=1, seed=0, steps=[])
    assert render(ScenarioResult(scenario, 0, status="error")) == f"{scenario.id}: error"
