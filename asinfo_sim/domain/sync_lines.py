"""Sync (A2), applying one Komet line to ASINFO's line: new, split remainder, changed, cancelled; a change
that resets the grower's confirmation (A14), a confirmation of ours Komet applied late (A9), one made in Komet
outside ASINFO (A17), and a read older than our own write (A16). Each returns what it changed."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import outbox
from .shipment_lines import release_boxes
from .sync_values import LINE_FIELDS

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld


@dataclass
class LineChange:
    """What applying one Komet line did: which count it adds to, what the log says, what it queued."""

    count: str | None = None
    changes: list[str] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)


def _apply_line(
    c: sqlite3.Connection,
    world: AsinfoWorld,
    conn: sqlite3.Row,
    order_id: int,
    number: str,
    item_id: int,
    values: dict,
    old: sqlite3.Row | None,
    stamp: str,
    mark: int,
) -> LineChange:
    """Komet's line `item_id`, read as `values` (sync_values._line_values), onto ASINFO's row `old` (None: new)."""
    if old is None:
        return _new_line(c, world, conn, order_id, number, item_id, values, stamp)
    if old["confirmed"] is None and world.plant == "sync-ignores-unconfirmed-change":  # planted bug
        values["ordered"] = old["ordered"]
    if old["written"] > mark and world.plant != "sync-stale-read":  # planted bug: the older read wins
        return _around_our_write(c, old, values, number, item_id, stamp)
    diff = [f for f in LINE_FIELDS if old[f] != values[f]]
    if not diff:
        return LineChange()
    sets = ", ".join(f"{f} = ?" for f in values)
    late = world.plant != "late-confirm-wins" and _late_confirmation(c, old, values)  # planted bug: not seen
    reset = (
        not late
        and old["confirmed"] is not None
        and (
            (
                "ordered" in diff
                and (
                    values["komet_status"] == "P"
                    or old["confirmed"] > values["ordered"]
                    # the importer's change reset Komet's count, then an earlier confirmation of ours reached it
                    # late: the one we hold is void all the same (K20)
                    or _in_doubt(c, old["id"], values["komet_confirmed"])
                )
            )
            # Komet reset what it had accepted from us to nothing: the importer changed the line (perhaps back
            # to the count we knew, so `ordered` shows no change). Any other difference is a real
            # disagreement, left visible (kometConfirmed) rather than papered over.
            or (
                old["confirm_state"] == "accepted"
                and old["confirmed"] > 0
                and values["komet_confirmed"] == 0
                and values["komet_status"] == "P"
            )
        )
    )
    done = LineChange()
    if late:
        # A9: Komet holds an older confirmation of ours that it processed after the newer one: send the newer
        # one again (the grower's latest word), and stop counting the old one as a possible late arrival.
        message = (
            f"Komet received an earlier confirmation ({values['komet_confirmed']}) after this one "
            f"({old['confirmed']}); sending {old['confirmed']} again."
        )
        c.execute(
            f"UPDATE lines SET {sets}, confirm_state = 'pending', confirm_message = ?, updated_on = ? WHERE id = ?",
            (*values.values(), message, stamp, old["id"]),
        )
        c.execute(
            "UPDATE outbox SET in_doubt = 0 WHERE kind = 'confirm' AND ref_id = ? AND state = 'cancelled'",
            (old["id"],),
        )
        done.queued.append(
            outbox.enqueue(
                c,
                world,
                old["account_id"],
                old["connection_id"],
                "confirm",
                old["id"],
                {"lineId": old["id"], "poItemId": item_id, "quantity": old["confirmed"]},
            )
        )
        done.changes.append(f"PO {number}: line {item_id}: {message}")
    elif reset:
        # A14: the grower must confirm again (in the same UPDATE: the old confirmation may exceed the new quantity),
        # a confirmation still waiting in the outbox is for the old quantity and is withdrawn, and boxes already
        # put on an AWB for the old confirmation come off it (they are no longer backed).
        message = (
            f"The importer changed the order from {old['ordered']} to {values['ordered']} boxes: confirm again."
            if old["ordered"] != values["ordered"]
            else "The importer changed this line and Komet reset its confirmation: confirm again."
        )
        if values["komet_confirmed"] and _in_doubt(c, old["id"], values["komet_confirmed"]):
            late_count = values["komet_confirmed"]
            message += f" Komet holds {late_count}, an earlier confirmation of ours that reached it late."
            c.execute(
                "UPDATE outbox SET in_doubt = 0 WHERE kind = 'confirm' AND ref_id = ? AND state = 'cancelled'",
                (old["id"],),
            )
        c.execute(
            f"UPDATE lines SET {sets}, confirmed = NULL, confirm_state = 'none', confirm_message = ?, "
            "updated_on = ? WHERE id = ?",
            (*values.values(), message, stamp, old["id"]),
        )
        c.execute(
            "UPDATE outbox SET state = 'cancelled', last_error = ?, updated_on = ? WHERE kind = 'confirm' "
            "AND ref_id = ? AND state = 'pending'",
            (message, stamp, old["id"]),
        )
    else:
        outside = _changed_in_komet(old, values)  # A17: said in words, never adopted
        message = old["confirm_message"] if outside is None else outside
        c.execute(
            f"UPDATE lines SET {sets}, confirm_message = ?, updated_on = ? WHERE id = ?",
            (*values.values(), message, stamp, old["id"]),
        )
        if outside:
            done.changes.append(f"PO {number}: line {item_id}: {outside}")
    if values["cancelled"] and not old["cancelled"]:
        _withdraw_from_pushes(c, old["id"], "The importer cancelled this line.")
        _withdraw_confirmations(c, old["id"], stamp)
        taken = _unassign(c, old["id"])
        done.count = "cancelled"
        done.changes.append(
            f"PO {number}: line {item_id} cancelled by the importer" + (f"; {taken}" if taken else "")
        )
        return done
    done.count = "changed"
    done.changes.insert(0, f"PO {number}: line {item_id} changed: {', '.join(diff)}")
    if reset:
        _withdraw_from_pushes(c, old["id"], message)
        taken = _unassign(c, old["id"])
        if taken:
            done.changes.append(f"PO {number}: line {item_id}: {taken}")
    return done


# What the grower's own writes set on a line: a confirmation (count and status), a delete, a shipment (which
# also sets the count the shipped line keeps).
OURS = ("komet_status", "komet_confirmed", "cancelled")


def _around_our_write(
    c: sqlite3.Connection, old, values: dict, number: str, item_id: int, stamp: str
) -> LineChange:
    """A16: our own write landed after Komet answered this read, so what that write set stays. What only the
    importer changes (the count ordered, the product, the notes) the read shows newer than anything we hold:
    that is taken (else the grower would send what the read already says Komet refuses), except the count of
    a line that has shipped (the shipment set it)."""
    keep = OURS + (("ordered",) if old["shipped"] or old["komet_status"] == "S" else ())
    theirs = [f for f in LINE_FIELDS if f not in keep and old[f] != values[f]]
    if not theirs:
        return LineChange()
    c.execute(
        f"UPDATE lines SET {', '.join(f'{f} = ?' for f in theirs)}, updated_on = ? WHERE id = ?",
        (*(values[f] for f in theirs), stamp, old["id"]),
    )
    return LineChange("changed", [f"PO {number}: line {item_id} changed: {', '.join(theirs)}"])


OUTSIDE = "Changed in Komet, outside ASINFO (in Komet's vendor portal, or by the importer): "


def _changed_in_komet(old, values: dict) -> str | None:
    """A17: Komet's confirmed count moved without a write of ours (someone confirmed in Komet's vendor portal):
    the grower is told in words; its own confirmation stays as it is, since ASINFO cannot tell another person's
    confirmation from Komet mis-applying one of ours. "" clears the note once Komet agrees again; None: nothing
    to say."""
    n = values["komet_confirmed"]
    if n == old["komet_confirmed"] or values["cancelled"] or old["confirm_state"] in ("pending", "sent"):
        return None
    ours = old["confirm_message"].startswith(OUTSIDE)
    if old["confirm_state"] != "accepted":
        if n == 0:
            return "" if ours else None
        return (
            f"{OUTSIDE}Komet shows {n} of {values['ordered']} boxes confirmed; confirm here too to ship them."
        )
    if n == old["confirmed"]:
        return "" if ours else None
    return (
        f"{OUTSIDE}Komet holds {n} confirmed box(es), not the {old['confirmed']} confirmed here: confirm again "
        f"to send yours, or confirm {n} to agree."
    )


def _late_confirmation(c: sqlite3.Connection, old, values: dict) -> bool:
    """Komet's confirmed count is one an earlier confirmation of ours carried, one that was superseded while
    it might still reach Komet: it did, after the newer one. (Not when the importer changed the count: that
    resets the confirmation, see reset.)"""
    if old["confirm_state"] != "accepted" or old["confirmed"] is None or old["shipped"]:
        return False
    if (
        values["komet_confirmed"] == old["confirmed"]
        or values["ordered"] != old["ordered"]
        or values["cancelled"]
    ):
        return False
    return _in_doubt(c, old["id"], values["komet_confirmed"])


def _in_doubt(c: sqlite3.Connection, line_id: int, boxes: int) -> bool:
    """An earlier confirmation of ours with this count was superseded while it might still reach Komet."""
    return any(
        json.loads(r["payload"])["quantity"] == boxes
        for r in c.execute(
            "SELECT payload FROM outbox WHERE kind = 'confirm' AND ref_id = ? AND state = 'cancelled' "
            "AND in_doubt = 1",
            (line_id,),
        ).fetchall()
    )


def _new_line(
    c: sqlite3.Connection,
    world: AsinfoWorld,
    conn: sqlite3.Row,
    order_id: int,
    number: str,
    item_id: int,
    values: dict,
    stamp: str,
) -> LineChange:
    parent = c.execute(
        "SELECT line_id FROM shipment_lines WHERE new_komet_item_id = ? AND account_id = ?",
        (item_id, conn["account_id"]),
    ).fetchone()
    split_from = parent["line_id"] if parent else None
    cols = ", ".join(values)
    c.execute(
        f"INSERT INTO lines(id, account_id, connection_id, order_id, komet_item_id, {cols}, split_from, "
        f"updated_on) VALUES (?,?,?,?,?{', ?' * len(values)}, ?, ?)",
        (
            world.next_id("line"),
            conn["account_id"],
            conn["id"],
            order_id,
            item_id,
            *values.values(),
            split_from,
            stamp,
        ),
    )
    if split_from:
        return LineChange("split", [f"PO {number}: remainder of a partial shipment is line {item_id}"])
    return LineChange("newLines")


def _withdraw_from_pushes(c: sqlite3.Connection, line_id: int, message: str) -> None:
    """Boxes of a line the importer reset (A14) or cancelled still waiting in a push leave it. Komet would
    refuse them (its confirmation of the line is back to 0, K20, or the line is cancelled), and had the push
    landed before the importer's change, Komet would not have let the line change; so none of them can be in
    Komet."""
    pending = c.execute(
        "SELECT * FROM shipment_lines WHERE line_id = ? AND state = 'pending'", (line_id,)
    ).fetchall()
    for sl in pending:
        release_boxes(c, sl)
    c.execute(
        "UPDATE shipment_lines SET state = 'refused', message = ? WHERE line_id = ? AND state = 'pending'",
        (f"Withdrawn before it reached Komet. {message}", line_id),
    )


def _withdraw_confirmations(c: sqlite3.Connection, line_id: int, stamp: str) -> None:
    """A cancelled line's waiting confirmation would only be refused (Komet confirms no cancelled line): it is
    withdrawn, and the line goes back to what Komet last accepted, as when the grower cancels it."""
    withdrawn = c.execute(
        "UPDATE outbox SET state = 'cancelled', last_error = 'the importer cancelled this line', "
        "updated_on = ? WHERE kind = 'confirm' AND ref_id = ? AND state = 'pending'",
        (stamp, line_id),
    ).rowcount
    if withdrawn:
        c.execute(
            "UPDATE lines SET confirmed = CASE WHEN komet_confirmed > 0 THEN komet_confirmed END, "
            "confirm_state = CASE WHEN komet_confirmed > 0 THEN 'accepted' ELSE 'none' END WHERE id = ?",
            (line_id,),
        )


def _unassign(c: sqlite3.Connection, line_id: int) -> str:
    """Take a line's unshipped boxes off their AWB; say so in the change log."""
    rows = c.execute(
        "SELECT a.number FROM boxes b JOIN awbs a ON a.id = b.awb_id WHERE b.line_id = ? "
        "AND b.state = 'assigned'",
        (line_id,),
    ).fetchall()
    if not rows:
        return ""
    c.execute("DELETE FROM boxes WHERE line_id = ? AND state = 'assigned'", (line_id,))
    return f"{len(rows)} unshipped box(es) taken off AWB {rows[0]['number']}"
