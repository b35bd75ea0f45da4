"""The grower portal's steps for its tests (reading pages is testkit's)."""

from __future__ import annotations

from ..testkit import follow, html

GOOD_AWB = "729-12345675"
BAD_AWB = "729-12345676"


def synced(pair, portal) -> list[dict]:
    follow(portal, portal.post("/sync"))
    return pair.asinfo.orders()


def first_order(pair, portal) -> dict:
    """The first PO with at least two open lines, after a sync."""
    return next(o for o in synced(pair, portal) if len(o["lines"]) >= 2)


def confirm(portal, order: dict, line: dict, boxes) -> object:
    return portal.post(
        f"/orders/{order['id']}/confirm",
        data={"action": f"line-{line['id']}", f"boxes-{line['id']}": str(boxes)},
    )


def awb_with_boxes(pair, portal, order: dict) -> dict:
    """Confirm the first line fully and the second partly, make an AWB (729 stock), add the PO's boxes."""
    first, second = order["lines"][:2]
    follow(portal, confirm(portal, order, first, first["orderedBoxes"]))
    follow(portal, confirm(portal, order, second, second["orderedBoxes"] - 1))
    reply = portal.post(
        "/awbs/new",
        data={
            "connectionId": str(pair.grower["connection"]["id"]),
            "airline": "729",
            "number": "",
            "shipDate": order["shipDate"],
            "origin": "BOG",
            "destination": "MIA",
            "hawb": "",
            "cargoAgency": "",
        },
    )
    assert reply.status_code == 302, html(reply)
    awb_id = int(reply.headers["Location"].rsplit("/", 1)[1])
    follow(portal, portal.post(f"/awbs/{awb_id}/boxes", data={"orderId": str(order["id"])}))
    return pair.asinfo.json("GET", f"/api/awbs/{awb_id}")


def print_labels(portal, awb: dict) -> bytes:
    reply = portal.post("/labels/print", data={"awbId": str(awb["id"]), "format": "pdf"})
    assert reply.status_code == 200, html(reply)[:1000]
    return reply.data
