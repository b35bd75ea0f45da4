"""State: snapshots round-trip, a restart with the same state dir keeps everything acknowledged, one
company's reset leaves the others alone, and one seed gives one world and one journal."""

from __future__ import annotations

from harness.clients import KometSimClient
from komet_sim import create_app
from komet_sim.domain.world import KometWorld

from .kometkit import Kit


def _client(app) -> KometSimClient:
    return KometSimClient("http://komet.test", app=app)


def _busy(kit: Kit) -> dict:
    """Some of everything: tokens, a confirmation, a shipment with a split, a box code change, a receipt."""
    line = kit.new_line(boxes=4)
    kit.confirm(line, 3)
    shipped = kit.ship(line, ["ST1", "ST2"])
    kit.komet.api(
        "box.code.change", kit.company_token, boxes=[{"currentBoxCode": "ST1", "newBoxCode": "ST9"}]
    )
    kit.komet.api("box.warehouse.receive", kit.company_token, boxCode="ST9", position="B2")
    kit.komet.api("purchase.order.item.delete", kit.company_token, poItemId=shipped["newPOItemId"])
    return {"line": line, "split": shipped["newPOItemId"]}


# --- GET / PUT /__sim/state ----------------------------------------------------------------------------


def test_state_put_back_reads_back_identically(komet, kit):
    _busy(kit)
    state = komet.state()
    komet.put_state(state)
    assert komet.state() == state


def test_state_put_into_a_fresh_app_reproduces_the_world(komet, kit):
    _busy(kit)
    state = komet.state()
    fresh = _client(create_app({"seed": 99}))
    fresh.put_state(state)
    assert fresh.state() == state
    assert fresh.api("purchase.order.list", kit.company_token, date=kit.seeded["shipDates"][0]) == komet.api(
        "purchase.order.list", kit.company_token, date=kit.seeded["shipDates"][0]
    )


def test_state_restores_an_earlier_snapshot(komet, kit):
    before = komet.state()
    _busy(kit)
    komet.put_state(before)
    assert komet.state() == before


def test_state_carries_the_seed_and_the_clock(komet):
    komet.clock(advance="36h")
    state = komet.state()
    assert state["seed"] == 7 and state["clock"]["now"] == "2026-11-27T18:00:00"
    fresh = _client(create_app({"seed": 1}))
    fresh.put_state(state)
    assert fresh.clock()["now"] == "2026-11-27T18:00:00"


def test_a_bad_snapshot_is_refused_and_changes_nothing(komet, kit):
    with kit.unchanged():
        for body, field in [
            ({}, "tables"),
            ({"tables": []}, "tables"),
            ({"tables": {"nope": []}}, "tables"),
            ({"tables": {"vendors": [{"id": 1, "colour": "red"}]}}, "tables"),
            ({"app": "asinfo", "tables": {}}, "app"),
            ({"tables": {"vendors": [{"id": 1}]}}, "tables"),
            ({"tables": {"vendors": ["row"]}}, "tables"),
        ]:
            resp = komet.request("PUT", "/__sim/state", json=body)
            assert resp.status_code == 400 and resp.json()["error"]["field"] == field, body


def test_a_snapshot_with_a_bad_seed_or_clock_is_refused_before_anything_is_loaded(komet, kit):
    state = komet.state()
    state["tables"]["vendors"][0]["name"] = "Loaded Too Soon S.A.S."
    with kit.unchanged():
        for patch, field in [
            ({"clock": {"now": "garbage"}}, "clock"),
            ({"seed": "abc"}, "seed"),
            ({"seed": [7]}, "seed"),
        ]:
            resp = komet.request("PUT", "/__sim/state", json={**state, **patch})
            assert resp.status_code == 400 and resp.json()["error"]["field"] == field, patch


def test_a_snapshot_of_one_company_restores_only_that_company(komet, kit):
    first = kit.seeded["companyId"]
    second = komet.seed(seed=8, reset=False)["companyId"]
    snapshot = komet.state(namespace=str(first))
    other_before = komet.state(namespace=str(second))
    komet.reset(namespace=str(first))
    assert komet.state(namespace=str(first))["tables"]["purchase_orders"] == []
    komet.put_state(snapshot)
    assert komet.state(namespace=str(first)) == snapshot
    assert komet.state(namespace=str(second)) == other_before


# --- restarts --------------------------------------------------------------------------------------------


def test_a_restart_with_the_same_state_dir_keeps_everything_acknowledged(tmp_path):
    app = create_app({"seed": 7, "state_dir": tmp_path, "seed_world": {"seed": 7}})
    client = _client(app)
    kit = Kit(client, app.extensions["kasim.seeded"])
    done = _busy(kit)
    client.clock(advance="5h")
    before = client.state()
    # No close, no flush: as if the process died right after its last reply.
    restarted = _client(create_app({"seed": 7, "state_dir": tmp_path, "seed_world": {"seed": 7}}))
    assert restarted.state() == before
    line = Kit(restarted, kit.seeded).line(done["line"]["poItemId"])
    assert [b["boxCode"] for b in line["boxes"]] == ["ST9", "ST2"]


def test_a_restarted_world_goes_on_with_its_sequences(tmp_path):
    world = KometWorld(seed=7, state_dir=tmp_path)
    world.seed_world({"seed": 7})
    last = world.next_id("po_item")
    world.store.close()
    again = KometWorld(seed=3, state_dir=tmp_path)
    assert again.next_id("po_item") == last + 1
    assert again.seed == 7


def test_a_restart_keeps_tokens_working(tmp_path):
    app = create_app({"seed": 7, "state_dir": tmp_path, "seed_world": {"seed": 7}})
    token = _client(app).create_token(type="Company", methods="all")["token"]
    restarted = _client(create_app({"state_dir": tmp_path}))
    assert restarted.api("boxtype.list", token)["status"] == "1"


# --- namespaces ------------------------------------------------------------------------------------------


def test_resetting_one_company_leaves_the_other_untouched(komet, kit):
    _busy(kit)
    first = kit.seeded["companyId"]
    second = komet.seed(seed=8, reset=False)
    other_before = komet.state(namespace=str(second["companyId"]))
    assert other_before["tables"]["purchase_orders"]
    komet.reset(namespace=str(first))
    assert komet.state(namespace=str(second["companyId"])) == other_before
    after = komet.state(namespace=str(first))
    assert all(rows == [] for rows in after["tables"].values())


def test_a_second_company_has_its_own_ids_and_data(komet, seeded):
    second = komet.seed(seed=8, reset=False)
    assert second["companyId"] != seeded["companyId"]
    assert not {v["id"] for v in second["vendors"]} & {v["id"] for v in seeded["vendors"]}


def test_a_token_of_one_company_sees_nothing_of_the_other(komet, kit, seeded):
    token = kit.company_token
    second = komet.seed(seed=8, reset=False)
    day = second["shipDates"][0]
    assert {po["vendorId"] for po in kit.orders(token, date=day)} <= {v["id"] for v in seeded["vendors"]}
    item = second["purchaseOrders"][0]["poItemIds"][0]
    reply = komet.api("purchase.order.item.confirm", token, poItemId=item, quantityConfirmed=1)
    assert reply["message"] == f"Purchase order item {item} does not exist."


def test_reset_of_an_unknown_company_is_404(komet):
    resp = komet.request("POST", "/__sim/reset", params={"namespace": "1"})
    assert resp.status_code == 404


def test_reset_of_everything_empties_the_world(komet):
    komet.reset()
    assert all(rows == [] for rows in komet.state()["tables"].values())


# --- determinism -----------------------------------------------------------------------------------------


def _state_bytes(app) -> bytes:
    return app.test_client().get("/__sim/state").data


def test_the_same_seed_gives_byte_identical_state():
    a = create_app({"seed": 21, "seed_world": {"seed": 21, "vendors": 5}})
    b = create_app({"seed": 21, "seed_world": {"seed": 21, "vendors": 5}})
    assert _state_bytes(a) == _state_bytes(b)


def test_another_seed_gives_another_world():
    a = create_app({"seed": 21, "seed_world": {"seed": 21}})
    b = create_app({"seed": 22, "seed_world": {"seed": 22}})
    assert _state_bytes(a) != _state_bytes(b)


def test_reseeding_an_app_gives_the_same_world_as_a_fresh_one(komet, kit):
    _busy(kit)
    komet.clock(set="2026-11-26T06:00:00")
    komet.seed(seed=7)
    fresh = create_app({"seed": 7, "seed_world": {"seed": 7}})
    assert komet.request("GET", "/__sim/state").content == _state_bytes(fresh)


def _script(app) -> tuple[bytes, list[dict]]:
    client = _client(app)
    kit = Kit(client, app.extensions["kasim.seeded"])
    _busy(kit)
    client.api("purchase.order.item.confirm", kit.company_token, poItemId=1, quantityConfirmed=1)
    generated = kit.ship(kit.confirmed_line())["boxCodes"]
    assert generated
    return _state_bytes(app), client.journal()["entries"]


def test_the_same_seed_and_calls_give_the_same_state_and_journal():
    state_a, journal_a = _script(create_app({"seed": 5, "seed_world": {"seed": 5}}))
    state_b, journal_b = _script(create_app({"seed": 5, "seed_world": {"seed": 5}}))
    assert state_a == state_b
    assert journal_a == journal_b  # ticks included: each world's clock counts from 1
    assert len(journal_a) > 10


def test_a_snapshot_with_a_dangling_reference_is_refused_and_the_world_still_works(komet, kit):
    state = komet.state()
    state["tables"]["boxes"].append(
        {
            "id": 1,
            "company_id": kit.seeded["companyId"],
            "code": "GHOST",
            "po_item_id": 1,
            "awb_id": 1,
            "lot_number": "1",
            "status_id": 1,
            "shipped_on": "2026-11-26T06:00:00",
        }
    )
    with kit.unchanged():
        resp = komet.request("PUT", "/__sim/state", json=state)
        assert resp.status_code == 400 and resp.json()["error"]["field"] == "tables"
    assert komet.api(
        "purchase.order.item.delete",
        kit.company_token,
        poItemId=kit.seeded["purchaseOrders"][0]["poItemIds"][0],
    ) == {"status": "1", "message": "OK"}


def test_a_call_counted_against_the_quota_changes_the_snapshots_tag(komet, kit):
    """The quota table is left out of the write counter (every call writes it, and cached replies stay valid):
    the tag reads it itself, or a snapshot would be reported unchanged with a different count."""
    namespace = str(kit.seeded["companyId"])
    token = kit.company_token
    tag, _ = komet.state_if_changed(None, namespace=namespace)
    assert komet.state_if_changed(tag, namespace=namespace) == (tag, None)
    komet.api("product.list", token)
    new, state = komet.state_if_changed(tag, namespace=namespace)
    assert new != tag and state["tables"]["quota"]
