"""Purchase Orders › Confirm POs, the vendor portal's page (K26): the vendor's POs of one search, a "To
Confirm" count per line and "Confirm Shipments" for every PO the search finds. Every confirmation goes through
`orders.confirm_item`, the function behind `purchase.order.item.confirm`: the same rules (K7), the same
refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..decisions import VENDOR_SEES_PO_STATUSES
from . import errors, orders
from .tokens import Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld

# The line statuses the vendor portal names (docs/komet-api.md §3.2), for its status filter.
VENDOR_LINE_STATUSES = ("P", "PC", "C", "S")


def ship_dates(world: KometWorld, caller: Caller) -> list[str]:
    """The ship dates of the POs this vendor sees at this importer (never another vendor's)."""
    marks = ",".join("?" * len(VENDOR_SEES_PO_STATUSES))
    return [
        r["ship_date"]
        for r in world.store.all(
            f"SELECT DISTINCT ship_date FROM purchase_orders WHERE company_id = ? AND vendor_id = ? "
            f"AND status IN ({marks}) ORDER BY ship_date",
            (caller.company_id, caller.vendor_id, *VENDOR_SEES_PO_STATUSES),
        )
    ]


def opening_date(dates: list[str], today: str) -> str:
    """Komet opens the page on today's date; when nothing of this vendor's ships today, on its next ship date
    (a seeded world's POs start tomorrow), else today (K26)."""
    if today in dates:
        return today
    return next((d for d in dates if d > today), today)


def search(
    world: KometWorld, caller: Caller, ship_date: str | None, number: str | None, status: str | None
) -> list[dict]:
    """The POs a search finds, as `purchase.order.list` gives them to a Vendor token of this vendor."""
    f: dict = {}
    if ship_date:
        f["date"] = ship_date
    if number:
        f["number"] = [number]
    if status:
        f["statusLine"] = status
    return orders.list_purchase_orders(world, caller, f)


def confirm_line(world: KometWorld, caller: Caller, item_id: int, boxes: int) -> dict:
    """ "To Confirm" and Enter: sets the line's confirmed boxes, partial or whole (K7)."""
    return orders.confirm_item(world, caller, item_id, boxes)


def confirm_shipments(
    world: KometWorld, caller: Caller, ship_date: str | None, number: str | None, status: str | None
) -> dict:
    """ "Confirm Shipments": every Pending line of every PO the search finds is confirmed in full. A line the
    vendor already confirmed (partly or wholly) keeps its count: the button does not undo a partial
    confirmation typed in on purpose (K26). A line Komet refuses (an e-commerce line still in checkout) is
    reported and the others go on."""
    confirmed, refused = [], []
    for po in search(world, caller, ship_date, number, status):
        for line in po["details"]:
            if line["lineItemStatus"] != "P":
                continue
            try:
                confirmed.append(orders.confirm_item(world, caller, line["poItemId"], line["totalBoxes"]))
            except errors.KometError as exc:
                refused.append(
                    {"poItemId": line["poItemId"], "poNumber": po["number"], "message": exc.message}
                )
    return {"confirmed": confirmed, "refused": refused}
