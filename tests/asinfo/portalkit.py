"""Helpers for the grower portal's tests: reading pages and forms, and the common steps."""

from __future__ import annotations

import html as htmllib
import re

GOOD_AWB = "729-12345675"
BAD_AWB = "729-12345676"


def html(reply) -> str:
    return reply.get_data(as_text=True)


def field_error(page: str, field: str) -> str | None:
    """The message shown next to a form field (data-field), or None."""
    match = re.search(rf'class="field-error" data-field="{re.escape(field)}"[^>]*>([^<]*)<', page)
    return htmllib.unescape(match.group(1)) if match else None


def flashes(page: str) -> list[tuple[str, str]]:
    return [
        (kind, htmllib.unescape(text))
        for kind, text in re.findall(r'class="flash flash-(\w+)" role="status">([^<]*)<', page)
    ]


def input_value(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    return htmllib.unescape(match.group(1)) if match else None


def follow(portal, reply) -> str:
    assert reply.status_code == 302, html(reply)[:2000]
    return html(portal.get(reply.headers["Location"]))


def synced(pair, portal) -> list[dict]:
    follow(portal, portal.post("/sync"))
    return pair.asinfo.orders()


def first_order(pair, portal) -> dict:
    """The first PO with at least two open lines, after a sync."""
    return next(o for o in synced(pair, portal) if len(o["lines"]) >= 2)


def komet_line(pair, item_id: int, po_id: int) -> dict:
    po = pair.komet.purchase_order(po_id)
    return next(d for d in po["details"] if int(d["poItemId"]) == item_id)


def confirm(portal, order: dict, line: dict, boxes) -> object:
    return portal.post(
        f"/orders/{order['id']}/confirm",
        data={"action": f"line-{line['id']}", f"boxes-{line['id']}": str(boxes)},
    )


def awb_with_boxes(pair, portal, order: dict) -> dict:
    """Confirm the first line fully and the second partly, make an AWB (729 stock), add the PO's boxes."""
    first, second = order["lines"][:2]
    follow(portal, confirm(portal, order, first, first["ordered"]))
    follow(portal, confirm(portal, order, second, second["ordered"] - 1))
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
