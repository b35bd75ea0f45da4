"""Helpers for the ASINFO tests on a wired pair (testkit.wire): the Komet side seen through a Company token
(what the importer sees), so every check compares both sides."""

from __future__ import annotations

import json
import socket
from collections import Counter

from asinfo_sim.labels.model import BoxLabel

from ..testkit import Wired, company_token


def connection_id(topo: Wired) -> int:
    return topo.grower["connection"]["id"]


def importer_token(topo: Wired) -> str:
    """The importer's own view of Komet (testkit.company_token, made once per pair)."""
    if not hasattr(topo, "company_token"):
        topo.company_token = company_token(topo.komet)
    return topo.company_token


def komet_po(topo: Wired, number: str) -> dict:
    reply = topo.komet.api("purchase.order.list", importer_token(topo), number=number)
    [po] = [p for p in reply["purchaseOrders"] if str(p["number"]) == str(number)]
    return po


def komet_line(topo: Wired, number: str, item_id: int) -> dict:
    return next(d for d in komet_po(topo, number)["details"] if int(d["poItemId"]) == int(item_id))


def komet_box_codes(topo: Wired, number: str, ship_date: str) -> dict[str, Counter]:
    """Every box code Komet holds for a PO, counted twice over: on its lines and on the AWBs of its ship date."""
    token = importer_token(topo)
    on_lines = Counter(b["boxCode"] for d in komet_po(topo, number)["details"] for b in d.get("boxes") or [])
    details = topo.komet.api("awb.details.list", token, shipDate=ship_date)
    on_awbs = Counter(b["code"] for a in details.get("awbs") or [] for b in a.get("boxes") or [])
    return {"lines": on_lines, "awbs": on_awbs}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def asinfo_state(topo: Wired) -> dict:
    """ASINFO's whole state, for before/after comparisons."""
    return json.loads(json.dumps(topo.asinfo.state()))


def vendor_pos(topo: Wired) -> list[dict]:
    """The POs Komet lists to the grower's vendor on the world's ship dates, as the importer reads them."""
    vendor = topo.grower["vendor"]["id"]
    return [
        po
        for d in topo.world["shipDates"]
        for po in topo.komet.api("purchase.order.list", importer_token(topo), date=d)["purchaseOrders"]
        if int(po["vendorId"]) == vendor
    ]


def synced_order(topo: Wired, lines: int = 2) -> dict:
    """Sync, and the first open PO with at least `lines` lines."""
    topo.asinfo.sync()
    return next(o for o in topo.asinfo.orders() if o["state"] == "open" and len(o["lines"]) >= lines)


def line(topo: Wired, line_id: int) -> dict:
    return topo.asinfo.json("GET", f"/api/lines/{line_id}")


def ready_awb(topo: Wired, partial: int = 4, fmt: str = "zpl") -> dict:
    """Sync, confirm the first line of a PO fully and the second partly (`partial` boxes), create an AWB (729),
    assign the confirmed boxes and print their labels. Returns order, lines, awb and the labelled codes."""
    order = synced_order(topo)
    full, part = order["lines"][0], order["lines"][1]
    assert part["orderedBoxes"] > partial
    topo.asinfo.confirm_line(full["id"], full["orderedBoxes"])
    topo.asinfo.confirm_line(part["id"], partial)
    awb = topo.asinfo.create_awb(connection_id(topo), order["shipDate"], airline="729")
    awb = topo.asinfo.assign(awb["id"], [(full["id"], full["orderedBoxes"]), (part["id"], partial)])
    document = topo.asinfo.print_labels(fmt, awbId=awb["id"])
    return {
        "order": order,
        "full": full,
        "part": part,
        "awb": awb,
        "codes": [b["boxCode"] for b in awb["boxes"]],
        "document": document,
    }


def make_label(**overrides) -> BoxLabel:
    """A label with every field filled (any of them overridable), for the renderers' tests."""
    values = {
        "box_code": "73992893",
        "box_number": 7,
        "box_count": 19,
        "grower_name": "Finca Ejemplo S.A.",
        "farm_code": "RDN",
        "importer_name": "Acme Flowers Inc",
        "customer_mark": "ACME-MIA",
        "po_number": "PO-123456",
        "po_item_id": 48213,
        "box_type": "HB",
        "product": "Rose Freedom Red 50cm",
        "bunches": 12,
        "stems_per_bunch": 25,
        "ship_date": "2024-02-05",
        "mawb": "729-1234-5675",
        "hawb": "EC-000123",
        "origin": "UIO",
        "destination": "MIA",
        "country_of_origin": "Ecuador",
        "lot_number": "LOT-234232",
        "airline": "Avianca Cargo",
        "cargo_agency": "Cargo Master",
        "reprint": False,
    }
    values.update(overrides)
    return BoxLabel(**values)  # type: ignore[arg-type]  # each field has its type in `values`
