"""Purchase Orders: by ship date (paginated), detail with lines, approve, cancel (PO or line)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simkit.errors import BadInput

from ..decisions import LINE_STATUS_TEXT, PO_STATUS_TEXT
from ..domain import confirmations, errors, orders, shipping
from .base import bp, caller, company_id, safe_next, signed_in, world

ACTION_DONE = {"approve": "approved", "cancel": "cancelled"}


def default_ship_date(dates: list[str]) -> str:
    """The first ship date from today on; else the latest one; else today."""
    today = world().clock.today().isoformat()
    upcoming = [d for d in dates if d >= today]
    if upcoming:
        return upcoming[0]
    return dates[-1] if dates else today


def lot_numbers(line: dict) -> str:
    lots = sorted({b["lotNumber"] for b in line.get("boxes", []) if b.get("lotNumber")})
    return ", ".join(lots)


@bp.get("/purchase-orders")
@signed_in
def purchase_orders() -> str:
    from simkit.paging import paginate  # with the first list page: a start need not create its dataclass

    dates = orders.ship_dates(world(), company_id())
    raw = request.args.get("shipDate")
    ship_date = orders.check_ship_date(raw) if raw else default_ship_date(dates)
    found = orders.list_purchase_orders(world(), caller(), {"date": ship_date})
    if ship_date not in dates:
        dates = sorted([*dates, ship_date])
    return render_template(
        "po_list.html",
        page=paginate(found, request.args),
        ship_dates=dates,
        ship_date=ship_date,
        status_text=PO_STATUS_TEXT,
    )


@bp.get("/purchase-orders/<int:po_id>")
@signed_in
def purchase_order(po_id: int) -> str:
    po = orders.get_purchase_order(world(), caller(), po_id)
    return render_template(
        "po_detail.html",
        po=po,
        confirmations=confirmations.of_po(world(), company_id(), po_id),
        split_from=shipping.splits(world(), company_id(), po_id),
        status_text=PO_STATUS_TEXT,
        line_text=LINE_STATUS_TEXT,
        lot_numbers=lot_numbers,
    )


@bp.post("/purchase-orders/<int:po_id>/<any(approve, cancel):action>")
@signed_in
def purchase_order_action(po_id: int, action: str) -> Response:
    back = safe_next(request.form.get("next"), url_for("komet_portal.purchase_order", po_id=po_id))
    try:
        po = orders.set_po_status(world(), caller(), po_id, action)
    except BadInput as exc:
        flash(f"Purchase order {po_id} was not {ACTION_DONE[action]}: {exc.message}.", "error")
    else:
        flash(f"Purchase order {po['number']} {ACTION_DONE[action]}.", "success")
    return redirect(back)


@bp.post("/purchase-orders/<int:po_id>/lines/<int:item_id>/cancel")
@signed_in
def cancel_line(po_id: int, item_id: int) -> Response:
    po = orders.get_purchase_order(world(), caller(), po_id)
    back = url_for("komet_portal.purchase_order", po_id=po_id)
    if not any(line["poItemId"] == item_id for line in po["details"]):
        flash(f"Line {item_id} is not on purchase order {po['number']}.", "error")
        return redirect(back)
    try:
        orders.delete_item(world(), caller(), item_id)
    except errors.KometError as exc:
        flash(f"Line {item_id} was not cancelled: {exc.message}", "error")
    else:
        flash(f"Line {item_id} cancelled.", "success")
    return redirect(back)
