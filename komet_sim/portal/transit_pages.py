"""Confirmed & In transit: confirmed lines, in-transit boxes by AWB, and the warehouse's Receive button."""

from __future__ import annotations

from flask import render_template, request

from ..domain import orders, shipping, tracking
from .base import bp, caller, company_id, signed_in, world


def _render(
    results: list[dict] | None = None,
    errors: dict[str, str] | None = None,
    awb_id: str | None = None,
    position: str = "",
    status: int = 200,
) -> tuple[str, int]:
    raw = request.values.get("shipDate")
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
    return _render()


@bp.post("/in-transit/receive")
@signed_in
def receive() -> tuple[str, int]:
    codes = [code.strip() for code in request.form.getlist("boxCode") if code.strip()]
    position = request.form.get("position", "").strip()
    awb_id = request.form.get("awbId")
    errors = {}
    if not codes:
        errors["boxCodes"] = "Select at least one box to receive."
    if len(position) > shipping.MAX_POSITION:
        errors["position"] = f"A rack position has at most {shipping.MAX_POSITION} characters."
    if errors:
        return _render(errors=errors, awb_id=awb_id, position=position, status=400)
    results = tracking.receive_boxes(world(), caller(), codes, position or None)
    return _render(results=results, awb_id=awb_id)
