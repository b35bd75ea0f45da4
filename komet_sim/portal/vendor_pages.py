"""The vendor portal (K24, K26): choosing the importer, and Purchase Orders › Confirm POs (search, "To
Confirm" per line, "Confirm Shipments")."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from simkit.params import ParamError, parse

from ..decisions import LINE_STATUS_TEXT, PO_STATUS_TEXT
from ..domain import confirm_pos, errors, vendor_users
from ..vendor_actions import SEARCH, TO_CONFIRM
from .base import bp, safe_next, world
from .vendor_base import vendor_signed_in


@bp.get("/vendor")
@vendor_signed_in
def vendor_home() -> Response:
    return redirect(url_for("komet_portal.vendor_confirm_pos"))


@bp.get("/vendor/importers")
def vendor_importers() -> str | Response:
    """Select the company: a vendor several importers buy from works for one at a time."""
    vendor = session.get("vendor")
    if not vendor:
        return redirect(url_for("komet_portal.home"))
    links = vendor_users.links(world(), vendor["username"])
    return render_template(
        "vendor_importers.html",
        links=links,
        chosen=session.get("importer"),
        next=safe_next(request.args.get("next"), url_for("komet_portal.vendor_confirm_pos")),
        vendor=vendor,
    )


@bp.post("/vendor/importers")
def vendor_choose_importer() -> Response:
    vendor = session.get("vendor")
    if not vendor:
        return redirect(url_for("komet_portal.home"))
    raw = request.form.get("companyId", "")
    links = vendor_users.links(world(), vendor["username"])
    chosen = next((link for link in links if str(link["companyId"]) == raw.strip()), None)
    if chosen is None:
        flash("Choose one of the importers listed.", "error")
        return redirect(url_for("komet_portal.vendor_importers"))
    session["importer"] = chosen["companyId"]
    flash(f"Working for {chosen['companyName']} as {chosen['vendorName']}.", "info")
    return redirect(safe_next(request.form.get("next"), url_for("komet_portal.vendor_confirm_pos")))


def _search() -> dict:
    """The Confirm POs search, from the query string (GET) or a form's hidden fields (POST), checked with the
    same specs as the JSON actions."""
    raw = {k: request.values.get(k, "").strip() for k in ("shipDate", "number", "status")}
    f = parse(SEARCH, {k: v for k, v in raw.items() if v})
    dates = confirm_pos.ship_dates(world(), g.caller)
    ship_date = f.get("shipDate") or confirm_pos.opening_date(dates, world().clock.today().isoformat())
    return {
        "shipDate": ship_date,
        "number": f.get("number", ""),
        "status": f.get("status", ""),
        "dates": dates,
    }


@bp.get("/vendor/purchase-orders")
@vendor_signed_in
def vendor_confirm_pos() -> str:
    search = _search()
    found = confirm_pos.search(
        world(), g.caller, search["shipDate"], search["number"] or None, search["status"] or None
    )
    dates = (
        search["dates"]
        if search["shipDate"] in search["dates"]
        else sorted([*search["dates"], search["shipDate"]])
    )
    return render_template(
        "vendor_confirm_pos.html",
        purchase_orders=found,
        search=search,
        ship_dates=dates,
        statuses=confirm_pos.VENDOR_LINE_STATUSES,
        status_text=PO_STATUS_TEXT,
        line_text=LINE_STATUS_TEXT,
    )


def _back(search: dict) -> str:
    query = {k: search[k] for k in ("shipDate", "number", "status") if search.get(k)}
    return url_for("komet_portal.vendor_confirm_pos", **query)


@bp.post("/vendor/lines/<int:item_id>/confirm")
@vendor_signed_in
def vendor_confirm_line(item_id: int) -> Response:
    search = _search()
    try:
        boxes = parse(TO_CONFIRM, {"boxes": request.form.get("boxes", "").strip()})["boxes"]
    except ParamError:
        flash(f"Line {item_id}: To Confirm takes a whole number of boxes, 0 or more.", "error")
        return redirect(_back(search))
    try:
        done = confirm_pos.confirm_line(world(), g.caller, item_id, boxes)
    except errors.KometError as exc:
        flash(f"Line {item_id} was not confirmed: {exc.message}", "error")
    else:
        flash(
            f"Line {item_id}: {done['quantityConfirmed']} box(es) confirmed "
            f"({LINE_STATUS_TEXT[done['lineItemStatus']]}).",
            "success",
        )
    return redirect(_back(search))


@bp.post("/vendor/confirm-shipments")
@vendor_signed_in
def vendor_confirm_shipments() -> Response:
    search = _search()
    done = confirm_pos.confirm_shipments(
        world(), g.caller, search["shipDate"], search["number"] or None, search["status"] or None
    )
    if done["confirmed"]:
        flash(f"Confirm Shipments: {len(done['confirmed'])} pending line(s) confirmed in full.", "success")
    else:
        flash("Confirm Shipments: no pending line in this search.", "info")
    for r in done["refused"]:
        flash(f"PO {r['poNumber']}, line {r['poItemId']} was not confirmed: {r['message']}", "error")
    return redirect(_back(search))
