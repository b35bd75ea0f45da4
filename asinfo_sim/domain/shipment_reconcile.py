"""After a push whose reply was lost or doubtful: read the lines back from Komet before any retry. A line
Komet shows shipped with exactly our box codes is ours, shipped (with the split remainder we never heard of);
nothing ships twice and nothing is dropped."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from ..komet_client import as_int
from .shipment_lines import _line_result, _shipped

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld

    from ..komet_client import KometClient


def _reconcile(
    world: AsinfoWorld,
    client: KometClient,
    shipment_id: int,
    refuse_missing: bool = False,
    shipped_elsewhere: frozenset[int] = frozenset(),
) -> None:
    """Read the lines back: a line Komet shows shipped with exactly our box codes is ours, shipped. With
    refuse_missing, any other line is refused: Komet refused it for a box code it holds, or (shipped_elsewhere:
    shipment line ids) because it shows the line Shipped already."""
    pending = world.store.all(
        "SELECT sl.*, o.number AS po_number FROM shipment_lines sl JOIN lines l ON l.id = sl.line_id "
        "JOIN orders o ON o.id = l.order_id WHERE sl.shipment_id = ? AND sl.state = 'pending'",
        (shipment_id,),
    )
    if not pending:
        return
    numbers = ",".join(sorted({p["po_number"] for p in pending}))
    reply = client.call("purchase.order.list", number=numbers)
    details = {}
    for po in reply.get("purchaseOrders") or []:
        for d in po.get("details") or []:
            details[as_int(d.get("poItemId"))] = (po, d)
    for sl in pending:
        found = details.get(sl["komet_item_id"])
        ours = set(json.loads(sl["box_codes"]))
        if (
            found
            and str(found[1].get("lineItemStatus")) == "S"
            and ours <= {str(b.get("boxCode")) for b in found[1].get("boxes") or []}
        ):
            _shipped(world, sl, _remainder(world, sl, found[0]), reconciled=True)
        elif refuse_missing:
            _line_result(
                world,
                sl,
                "refused",
                (
                    f"Komet says line {sl['komet_item_id']} has already been shipped, and not with our box "
                    "codes: someone else shipped it. Check the line in Komet."
                )
                if sl["id"] in shipped_elsewhere
                else "Komet says a box code of this line already exists, and the line is "
                "not shipped with our codes: another box carries that code. Relabel and ship again.",
            )


def _remainder(world: AsinfoWorld, sl: sqlite3.Row, po: dict) -> int | None:
    """After a split we never heard about: the new Pending line of the same product we do not know yet."""
    line = world.store.row("SELECT * FROM lines WHERE id = ?", (sl["line_id"],))
    shipped = len(json.loads(sl["box_codes"]))
    if shipped >= line["ordered"]:
        return None
    known = {
        r["komet_item_id"]
        for r in world.store.all("SELECT komet_item_id FROM lines WHERE order_id = ?", (line["order_id"],))
    }
    for d in po.get("details") or []:
        item = as_int(d.get("poItemId"))
        if (
            item not in known
            and str(d.get("lineItemStatus")) == "P"
            and as_int(d.get("productId")) == line["product_id"]
            and as_int(d.get("totalBoxes")) == line["ordered"] - shipped
        ):
            return item
    return None
