"""What Komet's answer does to one line of a shipment: shipped (the remainder of a split becomes a new pending
line, as in Komet, K8), or refused (its boxes go back to the AWB to be fixed and shipped again)."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld


def _shipped(world: AsinfoWorld, sl: sqlite3.Row, new_item_id: int | None, reconciled: bool = False) -> None:
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


def _line_result(world: AsinfoWorld, sl: sqlite3.Row, state: str, message: str) -> None:
    with world.store.tx() as c:
        c.execute("UPDATE shipment_lines SET state = ?, message = ? WHERE id = ?", (state, message, sl["id"]))
        if state == "refused":
            release_boxes(c, sl)


def release_boxes(c: sqlite3.Connection, sl: sqlite3.Row) -> None:
    """A refused (or withdrawn) shipment line gives its boxes back to the AWB: they can be fixed and shipped."""
    codes = json.loads(sl["box_codes"])
    c.execute(
        f"UPDATE boxes SET state = 'assigned' WHERE line_id = ? AND state = 'queued' AND code IN "
        f"({','.join('?' * len(codes))})",
        (sl["line_id"], *codes),
    )
