"""Confirmed & In transit: confirmed lines, in-transit boxes by AWB, and the warehouse's Receive button."""

from __future__ import annotations

from flask import render_template, request, url_for
from werkzeug.wrappers import Response

from simkit.forms import keep_for, take

from ..domain import orders, receiving, tracking
from .base import bp, caller, company_id, signed_in, world


def _render(
    results: list[dict] | None = None,
    errors: dict[str, str] | None = None,
    awb_id: str | None = None,
    position: str = "",
    status: int = 200,
) -> tuple[str, int]:
    raw = request.args.get("shipDate")
    ship_date = orders.check_ship_date(raw) if raw else None
    data = tracking.confirmed_and_in_transit(world(), caller(), ship_date)
    return render_template(
        "in_transit.html",
        data=data,
        ship_date=ship_date,
        ship_dates=orders.ship_dates(world(), company_id()),
        results=results,
        errors=errors or {},
        awb_id=awb_id,
        position=position,
    ), status


@bp.get("/in-transit")
@signed_in
def in_transit() -> tuple[str, int]:
    kept = take()  # a Receive just posted: its results, or why it was refused, shown once
    return _render(**kept) if isinstance(kept, dict) else _render()


@bp.post("/in-transit/receive")
@signed_in
def receive() -> Response:
    """Receive, then redirect to the page (a refresh shows it again and receives nothing twice)."""
    back = url_for("komet_portal.in_transit", shipDate=request.form.get("shipDate") or None)
    codes = [code.strip() for code in request.form.getlist("boxCode") if code.strip()]
    position = request.form.get("position", "").strip()
    awb_id = request.form.get("awbId")
    errors = {}
    if not codes:
        errors["boxCodes"] = "Select at least one box to receive."
    if len(position) > receiving.MAX_POSITION:
        errors["position"] = f"A rack position has at most {receiving.MAX_POSITION} characters."
    if errors:
        return keep_for(back, {"errors": errors, "awb_id": awb_id, "position": position, "status": 400})
    results = tracking.receive_boxes(world(), caller(), codes, position or None)
    return keep_for(back, {"results": results, "awb_id": awb_id})
