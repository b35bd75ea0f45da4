"""Who confirmed a line, and where (K27): every `orders.confirm_item` is recorded with its caller, a vendor's
login in the vendor portal or a token through the API. The importer sees it in its portal and under /__sim;
`purchase.order.list` does not carry it (its documented fields are all there is)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import TYPE_CHECKING

from .tokens import TOKEN_SQL, Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld

WHERE = {"portal": "Komet's vendor portal", "api": "the API"}


def record(
    world: KometWorld,
    c: sqlite3.Connection,
    caller: Caller,
    item_id: int,
    previous: int,
    quantity: int,
    stamp: str,
) -> None:
    """Inside the confirmation's own transaction: the record and the change commit together."""
    token = None
    if caller.via == "api" and caller.token_id:
        token = c.execute(TOKEN_SQL + " WHERE t.id = ?", (caller.token_id,)).fetchone()
    c.execute(
        "INSERT INTO confirmations(id, company_id, po_item_id, previous, quantity, via, caller_type, login, "
        "token_id, token_description, token_made_by, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            world.next_id("confirmation"),
            caller.company_id,
            item_id,
            previous,
            quantity,
            caller.via,
            caller.type,
            caller.user,
            token["id"] if token else None,
            token["description"] if token else None,
            ("vendor" if token["made_by"] else "importer") if token else None,
            stamp,
        ),
    )


def view(r) -> dict:
    if r["via"] == "portal":
        who = f"{r['login']} (the vendor)"
    else:
        maker = {"vendor": ", made by the vendor", "importer": ""}.get(r["token_made_by"] or "", "")
        who = f"{r['caller_type']} token #{r['token_id']} “{r['token_description']}”{maker}"
    return {
        "poItemId": r["po_item_id"],
        "previous": r["previous"],
        "quantityConfirmed": r["quantity"],
        "via": r["via"],
        "where": WHERE[r["via"]],
        "who": who,
        "callerType": r["caller_type"],
        "login": r["login"],
        "tokenId": r["token_id"],
        "tokenMadeBy": r["token_made_by"],
        "at": r["at"],
    }


def of_line(world: KometWorld, company_id: int, item_id: int) -> list[dict]:
    """A line's confirmations, oldest first."""
    rows = world.store.all(
        "SELECT * FROM confirmations WHERE company_id = ? AND po_item_id = ? ORDER BY id",
        (company_id, item_id),
    )
    return [view(r) for r in rows]


def of_po(world: KometWorld, company_id: int, po_id: int) -> dict[int, list[dict]]:
    """Every confirmation of a PO's lines, by line, oldest first."""
    rows = world.store.all(
        "SELECT f.* FROM confirmations f JOIN po_items i ON i.id = f.po_item_id "
        "WHERE f.company_id = ? AND i.po_id = ? ORDER BY f.id",
        (company_id, po_id),
    )
    by_line: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        by_line[r["po_item_id"]].append(view(r))
    return dict(by_line)
