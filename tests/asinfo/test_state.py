"""ASINFO's state: GET/PUT /__sim/state round-trips, and a restart with a state dir keeps everything, work
still queued for Komet included."""

from __future__ import annotations

import pytest
import requests

import asinfo_sim
from harness.clients import AsinfoSimClient
from harness.topology import ASINFO_IN_PROCESS, KOMET_IN_PROCESS
from simkit.transport import mount

from ..testkit import wire
from .asinfokit import komet_box_codes, line, ready_awb, synced_order

VIEWS = (
    "/api/account",
    "/api/connections",
    "/api/orders",
    "/api/awbs",
    "/api/shipments",
    "/api/outbox",
    "/api/sync-log",
    "/api/airlines",
)


def views(client) -> dict:
    return {path: client.json("GET", path) for path in VIEWS}


@pytest.fixture
def shipped(ip) -> dict:
    ready = ready_awb(ip)
    ip.asinfo.ship(ready["awb"]["id"])
    return ready


def test_state_read_back_is_the_state_written(ip, shipped):
    state = ip.asinfo.state()
    ip.asinfo.reset()
    ip.asinfo.put_state(state)
    assert ip.asinfo.state() == state


def test_restoring_a_state_restores_what_the_api_shows(ip, shipped):
    shown, state = views(ip.asinfo), ip.asinfo.state()
    ip.asinfo.reset()
    assert ip.asinfo.request("GET", "/api/orders").status_code == 404  # the account is gone
    ip.asinfo.put_state(state)
    assert views(ip.asinfo) == shown


def test_restoring_an_earlier_state_undoes_later_work(ip):
    synced_order(ip)
    before = ip.asinfo.state()
    shown = views(ip.asinfo)
    line_id = ip.asinfo.orders()[0]["lines"][0]["id"]
    ip.asinfo.confirm_line(line_id, 1)
    ip.asinfo.put_state(before)
    assert views(ip.asinfo) == shown
    assert line(ip, line_id)["confirmedBoxes"] is None


def test_a_state_that_is_not_a_snapshot_is_refused_and_nothing_changes(ip, shipped):
    state = ip.asinfo.state()
    for bad, field in (
        ({"tables": []}, "tables"),
        ({"app": "komet", "tables": {}}, "app"),
        ({"tables": {"lines": [{"id": 1, "no_such_column": 2}]}}, "tables"),
    ):
        resp = ip.asinfo.request("PUT", "/__sim/state", json=bad)
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"]["field"] == field
        assert ip.asinfo.state() == state


def test_a_namespace_snapshot_restores_only_that_grower(ip, shipped):
    account = ip.grower["account"]["accountId"]
    mine = ip.asinfo.state(namespace=str(account))
    other = ip.asinfo.seed(seed=8, reset=False, farmName="Finca Dos", farmCode="FD")["accountId"]
    ip.asinfo.reset(namespace=str(account))
    ip.asinfo.put_state(mine)
    assert ip.asinfo.json("GET", "/api/account")["accountId"] == account
    assert ip.asinfo.shipments()[0]["state"] == "shipped"
    assert (
        ip.asinfo.json("GET", "/api/account", headers={"X-Kasim-Namespace": str(other)})["accountId"] == other
    )


# --- restart with a state dir -------------------------------------------------------------------


@pytest.fixture
def on_disk(tmp_path):
    topo = wire("in-process", asinfo_config={"state_dir": str(tmp_path)})
    try:
        yield topo, tmp_path
    finally:
        topo.close()


def restart(topo, state_dir) -> AsinfoSimClient:
    """A new ASINFO app on the same state dir, talking to the same Komet (the old one is simply dropped)."""
    kapp = topo.apps[0]
    app = asinfo_sim.create_app(
        {
            "state_dir": str(state_dir),
            "clock": topo.clock,
            "session_factory": lambda: mount(requests.Session(), KOMET_IN_PROCESS, kapp),
        }
    )
    return AsinfoSimClient(ASINFO_IN_PROCESS, app=app, namespace=topo.asinfo.namespace)


def test_a_restart_keeps_everything(on_disk):
    topo, state_dir = on_disk
    ready = ready_awb(topo)
    topo.asinfo.ship(ready["awb"]["id"])
    shown = views(topo.asinfo)
    assert views(restart(topo, state_dir)) == shown


def test_a_restart_keeps_work_queued_for_komet_and_delivers_it(on_disk):
    topo, state_dir = on_disk
    ready = ready_awb(topo)
    topo.komet.add_fault(kind="lost_response", method="purchase.order.items.awb.add", times=1)
    topo.asinfo.ship(ready["awb"]["id"])
    again = restart(topo, state_dir)
    assert [i["kind"] for i in again.json("GET", "/api/outbox", params={"state": "pending"})["items"]] == [
        "ship"
    ]
    again.run_outbox()
    assert again.shipments()[0]["state"] == "shipped"
    assert sorted(
        komet_box_codes(topo, ready["order"]["number"], ready["order"]["shipDate"])["lines"].elements()
    ) == sorted(ready["codes"])


def test_after_a_restart_box_codes_and_awb_numbers_continue_without_reuse(on_disk):
    topo, state_dir = on_disk
    ready = ready_awb(topo)
    again = restart(topo, state_dir)
    order = ready["order"]
    third = next(
        (
            ln
            for o in again.orders()
            for ln in o["lines"]
            if ln["id"] not in (ready["full"]["id"], ready["part"]["id"])
        ),
        None,
    )
    again.confirm_line(third["id"], 1)
    awb = again.create_awb(topo.grower["connection"]["id"], order["shipDate"], airline="729")
    awb = again.assign(awb["id"], [(third["id"], 1)])
    assert awb["number"] != ready["awb"]["number"]
    assert awb["boxes"][0]["boxCode"] not in ready["codes"]
