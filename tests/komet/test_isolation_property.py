"""Vendor isolation as a property over generated worlds (K4): whatever the world, a Vendor token never reads
nor changes another vendor's data. Reads show only its own; changes to another's data read
"... does not exist" and leave the state as it was."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.clients import KometSimClient
from komet_sim import create_app

from .kometkit import Kit, awb_for, refusal

worlds = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 10_000),
        "vendors": st.integers(2, 4),
        "customers": st.integers(1, 3),
        "products": st.integers(2, 8),
        "shipDays": st.integers(1, 2),
        "posPerDay": st.integers(2, 5),
        "linesPerPo": st.integers(1, 3),
    }
)


@pytest.fixture(scope="module")
def client():
    return KometSimClient("http://komet.test", app=create_app({"seed": 0}))


def _world(client, sizes: dict):
    seeded = client.seed(**sizes)
    kit = Kit(client, seeded)
    mine, theirs = seeded["vendors"][0], seeded["vendors"][1]
    token = kit.vendor_token(mine["id"])
    # Give the other vendor a shipped line, a confirmed line and a pending line to aim at.
    lines = kit.lines(theirs["id"]) or [kit.new_line(theirs["id"], boxes=2)]
    shipped = lines[0]
    kit.confirm(shipped)
    day = shipped["shipDate"]
    codes = [f"THEIRS{shipped['poItemId']}-{i}" for i in range(shipped["totalBoxes"])]
    kit.ship(shipped, codes, awb=awb_for(day))
    target = kit.new_line(theirs["id"], boxes=3, ship_date=day)
    kit.confirm(target, 2)
    return seeded, kit, mine, theirs, token, shipped, codes, target


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sizes=worlds)
def test_a_vendor_token_reads_only_its_own_data(client, sizes):
    seeded, kit, mine, theirs, token, shipped, codes, target = _world(client, sizes)
    for day in seeded["shipDates"]:
        for filters in (
            {},
            {"vendorId": theirs["id"]},
            {"vendor": theirs["name"]},
            {"purchaseOrderItemIds": f"{shipped['poItemId']},{target['poItemId']}"},
        ):
            pos = kit.orders(token, date=day, **filters)
            assert {po["vendorId"] for po in pos} <= {mine["id"]}, filters
    assert kit.orders(token, number=f"{shipped['poNumber']},{target['poNumber']}") == []
    for method in ("awb.list", "awb.details.list"):
        awbs = client.api(method, token, shipDate=shipped["shipDate"])["awbs"]
        seen = {c for a in awbs for c in a["boxesCodes"].split(",") if c}
        assert not seen & set(codes)
    vendors = client.api("vendor.list", token)["vendors"]
    assert [v["id"] for v in vendors] == [str(mine["id"])]


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sizes=worlds)
def test_a_vendor_token_changes_nothing_of_another_vendor(client, sizes):
    _seeded, kit, _mine, theirs, token, shipped, codes, target = _world(client, sizes)
    item, day = target["poItemId"], target["shipDate"]
    attempts = [
        (
            "purchase.order.item.confirm",
            {"poItemId": item, "quantityConfirmed": 1},
            refusal("item_not_found", id=item),
        ),
        (
            "purchase.order.item.awb.add",
            {"poItemId": item, "awb": awb_for(day), "shipDate": day},
            refusal("item_not_found", id=item),
        ),
        ("purchase.order.item.delete", {"poItemId": item}, refusal("item_not_found", id=item)),
        (
            "purchase.order.item.delete",
            {"poItemId": shipped["poItemId"]},
            refusal("item_not_found", id=shipped["poItemId"]),
        ),
        ("box.warehouse.receive", {"boxCode": codes[0]}, refusal("box_not_found")),
    ]
    for method, params, expected in attempts:
        with kit.unchanged():
            reply = client.api(method, token, **params)
        assert reply == expected, (method, reply)
    with kit.unchanged():
        batch = client.api(
            "purchase.order.items.awb.add",
            token,
            vendorId=theirs["id"],
            poItems=[{"poItemId": item, "awb": awb_for(day), "shipDate": day}],
        )
    assert batch["status"] == 0
    assert (
        batch["purchaseOrderItemDetailsAWBAddAPIResultList"][0]["message"]
        == refusal("item_not_found", id=item)["message"]
    )
    with kit.unchanged():
        change = client.api(
            "box.code.change", token, boxes=[{"currentBoxCode": c, "newBoxCode": f"MINE-{c}"} for c in codes]
        )
    assert change["status"] == "0"
    assert {b["message"] for b in change["boxes"]} == {"Box code does not exist"}
