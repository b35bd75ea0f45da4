"""Ship (A6): purchase.order.items.awb.add with the labels' box codes and lots, per-line results, splits
(newPOItemId) become new lines, and a push whose outcome is unknown is reconciled by reading the lines back
from Komet before any retry: nothing ships twice and nothing is dropped."""

from __future__ import annotations

import json

from ..komet_client import KometRefused, KometUnavailable, as_int
from ..messages import explain
from . import outbox
from .awbs import get_awb_row
from .errors import BadInput, Conflict, NotFound

EXISTS = "box code already exists"
NOT_FOUND = "box code does not exist"


def _boxes_to_ship(c, awb) -> list:
    """The AWB's boxes a shipment would send; refuses (Conflict, in words) when it cannot ship now."""
    if c.execute(
        "SELECT 1 FROM shipments WHERE awb_id = ? AND state IN ('pending', 'sent')", (awb["id"],)
    ).fetchone():
        raise Conflict("awbId", f"a shipment of AWB {awb['number']} is already on its way to Komet")
    boxes = c.execute(
        "SELECT b.*, l.komet_item_id FROM boxes b JOIN lines l ON l.id = b.line_id "
        "WHERE b.awb_id = ? AND b.state = 'assigned' ORDER BY b.id",
        (awb["id"],),
    ).fetchall()
    if not boxes:
        anything = c.execute("SELECT 1 FROM boxes WHERE awb_id = ?", (awb["id"],)).fetchone()
        why = "every box on it has shipped" if anything else "add confirmed boxes to it first"
        raise Conflict("awbId", f"AWB {awb['number']} has no boxes waiting to ship: {why}")
    unlabelled = [b["code"] for b in boxes if b["prints"] == 0]  # no label, no shipment (A11)
    if unlabelled:
        raise Conflict(
            "awbId",
            f"{len(unlabelled)} box(es) on AWB {awb['number']} have no label yet "
            f"({', '.join(unlabelled[:3])}{'…' if len(unlabelled) > 3 else ''}): print the labels "
            "first, the codes sent to Komet are the codes on the labels",
        )
    return boxes


def why_not_shippable(world, account_id: int, awb_id: int) -> str | None:
    """Why Ship would be refused right now (the page disables its button and says so); None: it can ship."""
    with world.store.read() as c:
        try:
            _boxes_to_ship(c, get_awb_row(c, account_id, awb_id))
        except Conflict as exc:
            return exc.message
    return None


def ship_awb(world, account_id: int, awb_id: int) -> dict:
    """Queue every box of the AWB not yet shipped (grouped by line) and push it now."""
    stamp = world.clock.stamp()
    with world.store.tx() as c:
        awb = get_awb_row(c, account_id, awb_id)
        boxes = _boxes_to_ship(c, awb)
        shipment_id = world.next_id("shipment")
        c.execute(
            "INSERT INTO shipments(id, account_id, awb_id, state, created_on, updated_on) "
            "VALUES (?,?,?,'pending',?,?)",
            (shipment_id, account_id, awb_id, stamp, stamp),
        )
        by_line: dict[int, list] = {}
        for b in boxes:
            by_line.setdefault(b["line_id"], []).append(b)
        for line_id, group in by_line.items():
            c.execute(
                "INSERT INTO shipment_lines(id, account_id, shipment_id, line_id, komet_item_id, box_codes, "
                "lot_number) VALUES (?,?,?,?,?,?,?)",
                (
                    world.next_id("shipment_line"),
                    account_id,
                    shipment_id,
                    line_id,
                    group[0]["komet_item_id"],
                    json.dumps([b["code"] for b in group]),
                    group[0]["lot_number"],
                ),
            )
        # On their way (A10): neither relabelled, nor taken off the AWB, until Komet has answered for them.
        c.execute(
            f"UPDATE boxes SET state = 'queued' WHERE id IN ({','.join('?' * len(boxes))})",
            [b["id"] for b in boxes],
        )
        item = outbox.enqueue(
            c, world, account_id, awb["connection_id"], "ship", shipment_id, {"shipmentId": shipment_id}
        )
    outbox.run(world, account_id, everything=True, only=[item])
    return get_shipment(world, account_id, shipment_id)


def deliver_ship(world, client, item, payload: dict) -> str:
    shipment_id = payload["shipmentId"]
    shipment = world.store.one("SELECT * FROM shipments WHERE id = ?", (shipment_id,))
    awb = world.store.one("SELECT * FROM awbs WHERE id = ?", (shipment["awb_id"],))
    try:
        if (item["attempts"] > 0 or shipment["state"] == "sent") and world.plant != "skip-reconcile":
            _reconcile(world, client, shipment_id)  # before any retry: did the last push land?
        pending = world.store.all(
            "SELECT * FROM shipment_lines WHERE shipment_id = ? AND state = 'pending' ORDER BY id",
            (shipment_id,),
        )
        if pending:
            _push(world, client, shipment_id, awb, pending)
    except KometUnavailable as exc:  # the push that failed was counted when it was sent (_push)
        _shipment(world, shipment_id, "sent" if exc.maybe_processed else "pending", explain(exc))
        raise
    except KometRefused as exc:  # the connection, not the shipment (bad token, quota): it waits for a fix
        with world.store.tx() as c:
            c.execute(
                "UPDATE shipments SET last_error = ?, updated_on = ? WHERE id = ?",
                (explain(exc), world.clock.stamp(), shipment_id),
            )
        raise
    return _settle(world, shipment_id)


def _push(world, client, shipment_id: int, awb, pending: list) -> None:
    items = [
        {
            "poItemId": sl["komet_item_id"],
            "awb": awb["number"],
            "shipDate": awb["ship_date"],
            "boxCodes": json.loads(sl["box_codes"]),
            "lotNumber": sl["lot_number"],
            **({"houseAWB": awb["hawb"]} if awb["hawb"] else {}),
        }
        for sl in pending
    ]
    _shipment(world, shipment_id, "sent", "", bump=True)
    try:
        reply = client.call("purchase.order.items.awb.add", poItems=items)
    except KometRefused as exc:
        if exc.quota_exhausted or "purchaseOrderItemDetailsAWBAddAPIResultList" not in exc.payload:
            _shipment(world, shipment_id, "pending", explain(exc))
            if exc.quota_exhausted or exc.connection_problem:
                raise
            for sl in pending:
                _line_result(world, sl, "refused", explain(exc))
            return
        reply = exc.payload  # every line refused: the per-line results are still there
    results = {
        as_int(r.get("poItemId")): r for r in reply.get("purchaseOrderItemDetailsAWBAddAPIResultList") or []
    }
    doubtful = []
    for sl in pending:
        r = results.get(sl["komet_item_id"])
        if r is None:
            doubtful.append(sl)
        elif str(r.get("status")) == "1":
            _shipped(world, sl, as_int(r.get("newPOItemId")))
        elif EXISTS in str(r.get("message", "")).lower() and world.plant != "skip-reconcile":
            doubtful.append(sl)  # perhaps our own earlier push landed after all: look before deciding
        else:
            _line_result(
                world, sl, "refused", f"Komet refused line {sl['komet_item_id']}: {r.get('message')}"
            )
    if doubtful:
        _reconcile(world, client, shipment_id, refuse_missing=True)


def _reconcile(world, client, shipment_id: int, refuse_missing: bool = False) -> None:
    """Read the lines back: a line Komet shows shipped with exactly our box codes is ours, shipped."""
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
                "Komet says a box code of this line already exists, and the line is "
                "not shipped with our codes: another box carries that code. Relabel and ship again.",
            )


def _remainder(world, sl, po: dict) -> int | None:
    """After a split we never heard about: the new Pending line of the same product we do not know yet."""
    line = world.store.one("SELECT * FROM lines WHERE id = ?", (sl["line_id"],))
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


def _shipped(world, sl, new_item_id: int | None, reconciled: bool = False) -> None:
    """Mirror Komet: the shipped part keeps the line; the remainder becomes a new pending line (K8)."""
    stamp = world.clock.stamp()
    codes = json.loads(sl["box_codes"])
    with world.store.tx() as c:
        written = world.next_id("write")
        line = c.execute("SELECT * FROM lines WHERE id = ?", (sl["line_id"],)).fetchone()
        c.execute(
            "UPDATE shipment_lines SET state = 'shipped', message = '', new_komet_item_id = ?, reconciled = ? "
            "WHERE id = ?",
            (new_item_id, int(reconciled), sl["id"]),
        )
        c.execute(
            f"UPDATE boxes SET state = 'shipped', komet_code = code WHERE line_id = ? AND code IN "
            f"({','.join('?' * len(codes))})",
            (sl["line_id"], *codes),
        )
        shipped = line["shipped"] + len(codes)
        c.execute(
            "UPDATE lines SET shipped = ?, komet_status = 'S', ordered = ?, confirmed = ?, komet_confirmed = ?, "
            "written = ?, updated_on = ? WHERE id = ?",
            (shipped, shipped, shipped, shipped, written, stamp, line["id"]),
        )
        if (
            new_item_id is not None
            and not c.execute(
                "SELECT 1 FROM lines WHERE connection_id = ? AND komet_item_id = ?",
                (line["connection_id"], new_item_id),
            ).fetchone()
        ):
            keep = (
                "account_id",
                "connection_id",
                "order_id",
                "product_id",
                "product",
                "box_type",
                "unit_type",
                "units",
                "bunches",
                "stems_bunch",
                "mark_code",
                "customer_name",
                "notes",
            )
            c.execute(
                f"INSERT INTO lines(id, komet_item_id, ordered, komet_status, split_from, written, updated_on, "
                f"{', '.join(keep)}) SELECT ?, ?, ?, 'P', ?, ?, ?, {', '.join(keep)} FROM lines WHERE id = ?",
                (
                    world.next_id("line"),
                    new_item_id,
                    line["ordered"] - len(codes),
                    line["id"],
                    written,
                    stamp,
                    line["id"],
                ),
            )


def _line_result(world, sl, state: str, message: str) -> None:
    with world.store.tx() as c:
        c.execute("UPDATE shipment_lines SET state = ?, message = ? WHERE id = ?", (state, message, sl["id"]))
        if state == "refused":
            release_boxes(c, sl)


def release_boxes(c, sl) -> None:
    """A refused (or withdrawn) shipment line gives its boxes back to the AWB: they can be fixed and shipped."""
    codes = json.loads(sl["box_codes"])
    c.execute(
        f"UPDATE boxes SET state = 'assigned' WHERE line_id = ? AND state = 'queued' AND code IN "
        f"({','.join('?' * len(codes))})",
        (sl["line_id"], *codes),
    )


def _shipment(world, shipment_id: int, state: str, error: str, bump: bool = False) -> None:
    with world.store.tx() as c:
        c.execute(
            "UPDATE shipments SET state = ?, last_error = ?, updated_on = ?"
            f"{', attempts = attempts + 1' if bump else ''}"
            " WHERE id = ?",
            (state, error, world.clock.stamp(), shipment_id),
        )


def _settle(world, shipment_id: int) -> str:
    states = [
        r["state"]
        for r in world.store.all("SELECT state FROM shipment_lines WHERE shipment_id = ?", (shipment_id,))
    ]
    if "pending" in states:
        _shipment(world, shipment_id, "pending", "some lines could not be confirmed shipped yet")
        return "retry"
    final = (
        "shipped"
        if all(s == "shipped" for s in states)
        else "refused"
        if all(s == "refused" for s in states)
        else "partial"
    )
    _shipment(world, shipment_id, final, "")
    return "refused" if final == "refused" else "done"


def shipment_view(c, s) -> dict:
    awb = c.execute("SELECT number FROM awbs WHERE id = ?", (s["awb_id"],)).fetchone()
    lines = c.execute("SELECT * FROM shipment_lines WHERE shipment_id = ? ORDER BY id", (s["id"],)).fetchall()
    return {
        "id": s["id"],
        "awbId": s["awb_id"],
        "awb": awb["number"],
        "state": s["state"],
        "attempts": s["attempts"],
        "lastError": s["last_error"],
        "createdOn": s["created_on"],
        "updatedOn": s["updated_on"],
        "lines": [
            {
                "lineId": sl["line_id"],
                "poItemId": sl["komet_item_id"],
                "boxCodes": json.loads(sl["box_codes"]),
                "lotNumber": sl["lot_number"],
                "state": sl["state"],
                "message": sl["message"],
                "newPOItemId": sl["new_komet_item_id"],
                "reconciled": bool(sl["reconciled"]),
            }
            for sl in lines
        ],
    }


def get_shipment(world, account_id: int, shipment_id: int) -> dict:
    with world.store.read() as c:
        s = c.execute(
            "SELECT * FROM shipments WHERE id = ? AND account_id = ?", (shipment_id, account_id)
        ).fetchone()
        if s is None:
            raise NotFound("shipmentId", f"shipment {shipment_id} does not exist")
        return shipment_view(c, s)


def list_shipments(world, account_id: int) -> list[dict]:
    with world.store.read() as c:
        return [
            shipment_view(c, s)
            for s in c.execute(
                "SELECT * FROM shipments WHERE account_id = ? ORDER BY id DESC", (account_id,)
            ).fetchall()
        ]


def relabel(world, account_id: int, code: str, new_code) -> dict:
    """Change a box code: locally at once, and in Komet (box.code.change) once the box has shipped."""
    if not isinstance(new_code, str) or not (new_code.isascii() and new_code.isalnum()) or len(new_code) > 20:
        raise BadInput(
            "newCode",
            "the new box code: plain letters A-Z and digits only, at most 20 characters "
            "(a Code 128 barcode carries nothing else)",
        )
    with world.store.tx() as c:
        box = c.execute(
            "SELECT b.*, a.connection_id FROM boxes b JOIN awbs a ON a.id = b.awb_id "
            "WHERE b.account_id = ? AND b.code = ?",
            (account_id, code),
        ).fetchone()
        if box is None:
            raise NotFound("boxCode", f"box {code} does not exist")
        if box["state"] == "queued":
            raise Conflict("boxCode", f"box {code} is on its way to Komet: wait for the shipment's answer")
        if c.execute(
            "SELECT 1 FROM outbox WHERE kind = 'box_code' AND ref_id = ? AND state = 'pending'", (box["id"],)
        ).fetchone():
            raise Conflict(
                "boxCode", f"box {code}'s last code change has not reached Komet yet: retry it first"
            )
        if c.execute(
            "SELECT 1 FROM boxes WHERE account_id = ? AND code = ?", (account_id, new_code)
        ).fetchone():
            raise Conflict("newCode", f"box code {new_code} is already used")
        c.execute("UPDATE boxes SET code = ?, prints = 0 WHERE id = ?", (new_code, box["id"]))
        item = None
        if box["state"] == "shipped":
            item = outbox.enqueue(
                c,
                world,
                account_id,
                box["connection_id"],
                "box_code",
                box["id"],
                {"boxId": box["id"], "currentBoxCode": box["komet_code"] or code, "newBoxCode": new_code},
            )
    if item:
        outbox.run(world, account_id, everything=True, only=[item])
    return {"boxCode": new_code, "previous": code, "sentToKomet": item is not None}


def deliver_box_code(world, client, item, payload: dict) -> str:
    blind = world.plant == "relabel-blind-retry"  # planted bug: no read-back after a lost reply
    if item["in_doubt"] and not blind and _relabelled(world, client, payload):
        # The last attempt's reply was lost and the line shows the new code: it landed. Read back before
        # sending again (a blind retry is what Komet's protocol verdict calls no-blind-retry).
        return _box_code_done(world, payload)
    try:
        reply = client.call(
            "box.code.change",
            boxes=[{"currentBoxCode": payload["currentBoxCode"], "newBoxCode": payload["newBoxCode"]}],
        )
    except (
        KometRefused
    ) as exc:  # one box, refused: the per-box reason ("Box code already exists") is the news
        if exc.quota_exhausted or exc.connection_problem or not exc.payload.get("boxes"):
            raise
        reply = exc.payload
    result = (reply.get("boxes") or [{}])[0]
    if str(result.get("status")) != "1" and not (
        item["in_doubt"]
        and not blind
        and NOT_FOUND in str(result.get("message", "")).lower()
        and _relabelled(world, client, payload)
    ):
        raise KometRefused("box.code.change", str(result.get("message") or "refused"), reply)
    return _box_code_done(world, payload)


def _box_code_done(world, payload: dict) -> str:
    with world.store.tx() as c:
        c.execute("UPDATE boxes SET komet_code = ? WHERE id = ?", (payload["newBoxCode"], payload["boxId"]))
    return "done"


def _relabelled(world, client, payload: dict) -> bool:
    """A15: after an attempt whose reply was lost, Komet no longer knowing the old code may mean our change
    landed: read the box's line back; the new code on it is our change, done."""
    row = world.store.one(
        "SELECT l.komet_item_id, o.number FROM boxes b JOIN lines l ON l.id = b.line_id "
        "JOIN orders o ON o.id = l.order_id WHERE b.id = ?",
        (payload["boxId"],),
    )
    if row is None:
        return False
    reply = client.call("purchase.order.list", number=str(row["number"]))
    for po in reply.get("purchaseOrders") or []:
        for d in po.get("details") or []:
            if as_int(d.get("poItemId")) == row["komet_item_id"]:
                return payload["newBoxCode"] in {str(b.get("boxCode")) for b in d.get("boxes") or []}
    return False
