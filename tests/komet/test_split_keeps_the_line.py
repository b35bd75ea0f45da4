"""A split's remainder is the same line for the rest of the boxes: its breakdowns and custom fields come with
it (a gap mutation testing found: the copy of a breakdown was never exercised), and a line change with nothing
to change says what it takes."""

from __future__ import annotations


def test_the_remainder_of_a_split_keeps_the_lines_breakdowns(komet, kit):
    product = kit.product_code()
    line = kit.new_line(
        boxes=5, breakdowns=[{"productCode": product, "bunches": 2, "stemsBunch": 10, "cost": 0.25}]
    )
    kit.confirm(line, 5)
    reply = komet.api(
        "purchase.order.item.awb.add",
        kit.company_token,
        poItemId=line["poItemId"],
        awb="729-1234-5675",
        shipDate=line["shipDate"],
        boxCodes=["BD1", "BD2"],
    )
    assert reply["status"] == 1, reply
    shipped, rest = kit.line(line["poItemId"]), kit.line(reply["newPOItemId"])
    assert len(rest["breakdowns"]) == 1
    assert [{k: v for k, v in b.items() if k != "id"} for b in rest["breakdowns"]] == [
        {k: v for k, v in b.items() if k != "id"} for b in shipped["breakdowns"]
    ]
    assert (rest["breakdowns"][0]["bunches"], rest["breakdowns"][0]["stemsBunch"]) == (2, 10)


def test_a_line_change_with_nothing_to_change_says_what_it_takes(komet, seeded):
    item = seeded["purchaseOrders"][0]["poItemIds"][0]
    resp = komet.request("PATCH", f"/__sim/komet/lines/{item}", json={"notes": ""})
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["field"] == "body"
    assert error["message"].startswith("nothing to change: give ") and "totalBoxes" in error["message"]
