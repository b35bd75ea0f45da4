"""Relabel: change a box's code, locally at once and in Komet (box.code.change, K9) once the box has shipped;
after a lost reply the line is read back before sending again (A15)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from ..komet_client import KometRefused, as_int
from . import outbox
from .errors import BadInput, Conflict, NotFound

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld

    from ..komet_client import KometClient

NOT_FOUND = "box code does not exist"


def relabel(world: AsinfoWorld, account_id: int, code: str, new_code) -> dict:
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


def deliver_box_code(world: AsinfoWorld, client: KometClient, item: sqlite3.Row, payload: dict) -> str:
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


def _box_code_done(world: AsinfoWorld, payload: dict) -> str:
    with world.store.tx() as c:
        c.execute("UPDATE boxes SET komet_code = ? WHERE id = ?", (payload["newBoxCode"], payload["boxId"]))
    return "done"


def _relabelled(world: AsinfoWorld, client: KometClient, payload: dict) -> bool:
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
