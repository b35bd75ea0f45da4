"""Box codes (K8, K9): unique per vendor of a company; the box a caller may reach by its code;
`box.code.change` with per-box results."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from . import errors
from .tokens import Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld


def _code_taken(c: sqlite3.Connection, company_id: int, vendor_id: int, code: str) -> bool:
    """Box codes are unique per vendor of a company (K8): one vendor's codes say nothing of another's."""
    return (
        c.execute(
            "SELECT 1 FROM boxes b JOIN po_items i ON i.id = b.po_item_id JOIN purchase_orders po "
            "ON po.id = i.po_id WHERE b.company_id = ? AND b.code = ? AND po.vendor_id = ? LIMIT 1",
            (company_id, code, vendor_id),
        ).fetchone()
        is not None
    )


def _own_box(c: sqlite3.Connection, caller: Caller, code: str):
    """The box with this code the caller may reach: a Vendor token only its vendor's (K8); the importer's
    code must name one box (two vendors may use the same code)."""
    rows = c.execute(
        "SELECT b.*, po.vendor_id FROM boxes b JOIN po_items i ON i.id = b.po_item_id "
        "JOIN purchase_orders po ON po.id = i.po_id WHERE b.company_id = ? AND b.code = ?",
        (caller.company_id, code),
    ).fetchall()
    if caller.is_vendor:
        rows = [r for r in rows if r["vendor_id"] == caller.vendor_id]
    if len(rows) > 1:
        raise errors.BoxCodeAmbiguous(code=code)
    return rows[0] if rows else None


def change_box_codes(world: KometWorld, caller: Caller, changes: list[dict]) -> list[dict]:
    """K9: per-box results; a Vendor token only reaches its own boxes."""
    results = []
    with world.store.tx():
        for ch in changes:
            current, new = ch["currentBoxCode"], ch["newBoxCode"]
            try:
                with world.store.savepoint() as c:
                    box = _own_box(c, caller, current)
                    if box is None:
                        raise errors.BoxNotFound()
                    if new != current:
                        if _code_taken(c, caller.company_id, box["vendor_id"], new):
                            raise errors.BoxCodeExists()
                        c.execute("UPDATE boxes SET code = ? WHERE id = ?", (new, box["id"]))
                results.append({"newBoxCode": new, "status": 1, "message": "success"})
            except errors.KometError as exc:
                results.append({"newBoxCode": new, "status": 0, "message": exc.message})
    return results
