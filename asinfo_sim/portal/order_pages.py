"""The orders inbox (POs by ship date, paginated), a PO with its confirm form (A3), Delete line, and Sync now."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simkit.forms import refused, take_refused

from ..domain import confirmations, connections, orders, outbox, sync
from ..domain.errors import BadInput, NotFound
from .base import account_id, bp, list_index, refusal, safe_next, world
from .connection_pages import sync_message

ALL_DATES = "all"


def default_ship_date(dates: list[str]) -> str:
    """The first ship date from today on; else the latest one; else every date."""
    today = world().clock.today().isoformat()
    upcoming = [d for d in dates if d >= today]
    if upcoming:
        return upcoming[0]
    return dates[-1] if dates else ALL_DATES


def check_ship_date(raw: str) -> str:
    if raw == ALL_DATES:
        return raw
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise BadInput("shipDate", f"a date YYYY-MM-DD (or {ALL_DATES}), not {raw!r}") from None


@bp.get("/orders")
def order_list() -> str:
    from simkit.paging import paginate  # with the first list page: a start need not create its dataclass

    dates = orders.ship_dates(world(), account_id())
    raw = request.args.get("shipDate")
    ship_date = check_ship_date(raw) if raw else default_ship_date(dates)
    found = orders.list_orders(world(), account_id(), None if ship_date == ALL_DATES else ship_date)
    if ship_date != ALL_DATES and ship_date not in dates:
        dates = sorted([*dates, ship_date])
    return render_template(
        "orders.html",
        page=paginate(found, request.args),
        ship_dates=dates,
        ship_date=ship_date,
        connections=connections.list_connections(world(), account_id()),
    )


@bp.post("/sync")
def sync_all() -> Response:
    back = safe_next(request.form.get("next"), url_for("asinfo_portal.order_list"))
    names = {c["id"]: c["name"] for c in connections.list_connections(world(), account_id())}
    try:
        entries = sync.sync_account(world(), account_id())
    except BadInput as exc:
        flash(f"Nothing to sync: {exc.message}.", "error")
        return redirect(back)
    for entry in entries:
        flash(*sync_message(entry, names.get(entry["connectionId"], "importer")))
    return redirect(back)


def open_lines(order: dict) -> list[dict]:
    """The lines a whole-PO confirmation acts on, in the domain's order (confirmations.confirm_order)."""
    return [
        ln
        for ln in order["lines"]
        if not ln["cancelled"] and not ln["shippedBoxes"] and ln["kometStatus"] != "S"
    ]


def _render_order(
    order: dict, values: dict | None = None, errors: dict | None = None, status: int = 200
) -> tuple[str, int]:
    by_id = {ln["id"]: ln for ln in order["lines"]}
    typed = {}
    for ln in order["lines"]:
        default = ln["confirmedBoxes"] if ln["confirmedBoxes"] is not None else ln["orderedBoxes"]
        typed[ln["id"]] = (values or {}).get(ln["id"], str(default))
    editable = {ln["id"] for ln in open_lines(order)}
    return render_template(
        "order_detail.html",
        order=order,
        connection=connections.get_connection(world(), account_id(), order["connectionId"]),
        typed=typed,
        by_id=by_id,
        editable=editable,
        errors=shown_errors(errors or {}, {f"boxes-{i}" for i in editable}),
    ), status


def shown_errors(errors: dict, inputs: set[str]) -> dict:
    """A refusal about an input the page does not show (a cancelled line) is shown at the top of the form."""
    out = {}
    for key, message in errors.items():
        out[key if key in inputs or not key.startswith("boxes-") else "form"] = message
    return out


@bp.get("/orders/<int:order_id>")
def order_detail(order_id: int) -> tuple[str, int]:
    order = orders.get_order(world(), account_id(), order_id)
    kept = take_refused()  # a refused confirmation: the boxes typed, and why
    return _render_order(order, *kept) if kept else _render_order(order)


def _line_of(order: dict, line_id: int) -> dict:
    for ln in order["lines"]:
        if ln["id"] == line_id:
            return ln
    raise NotFound("lineId", f"line {line_id} is not on purchase order {order['number']}")


def _confirm_outcome(order: dict, line_ids: list[int]) -> None:
    """Say what Komet did with the confirmations just sent (accepted, refused, or waiting)."""
    lines = [ln for ln in order["lines"] if ln["id"] in line_ids]
    accepted = [ln for ln in lines if ln["confirmState"] == "accepted"]
    if accepted:
        shown = ", ".join(
            f"line {ln['poItemId']}: {ln['confirmedBoxes']} of {ln['orderedBoxes']}" for ln in accepted
        )
        flash(f"Komet accepted the confirmation ({shown}).", "success")
    for ln in lines:
        if ln["confirmState"] == "refused":
            flash(f"Komet refused the confirmation of line {ln['poItemId']}: {ln['confirmMessage']}", "error")
        elif ln["confirmState"] in ("pending", "sent"):
            flash(
                f"Line {ln['poItemId']}: the confirmation is waiting to reach Komet ({ln['confirmState']}). "
                f"{ln['confirmMessage']}",
                "warning",
            )


@bp.post("/orders/<int:order_id>/confirm")
def order_confirm(order_id: int) -> tuple[str, int] | Response:
    order = orders.get_order(world(), account_id(), order_id)
    values = {
        ln["id"]: request.form[f"boxes-{ln['id']}"].strip()
        for ln in order["lines"]
        if f"boxes-{ln['id']}" in request.form
    }
    action = request.form.get("action", "")
    targets = _targets(action, order)
    try:
        if action in ("all", "none"):
            confirmations.confirm_order(world(), account_id(), order_id, action)
        elif targets:
            line = _line_of(order, targets[0])
            raw = values.get(line["id"], "")
            if not raw.isdigit():
                raise BadInput(
                    f"boxes-{line['id']}", f"available boxes: a whole number from 0 to {line['orderedBoxes']}"
                )
            confirmations.confirm(world(), account_id(), [(line["id"], int(raw))])
        else:
            raise BadInput("action", "press Confirm on a line, Confirm all or Confirm none")
    except BadInput as exc:
        return refused(
            url_for("asinfo_portal.order_detail", order_id=order_id),
            values,
            {_field_for(exc, targets): exc.message},
            exc.http_status,
        )
    _confirm_outcome(orders.get_order(world(), account_id(), order_id), targets)
    return redirect(url_for("asinfo_portal.order_detail", order_id=order_id))


def _targets(action: str, order: dict) -> list[int]:
    """The lines a button acts on: every open line (Confirm all / none) or the one whose Confirm was pressed."""
    if action in ("all", "none"):
        return [ln["id"] for ln in open_lines(order)]
    if action.startswith("line-") and action[5:].isdigit():
        return [int(action[5:])]
    return []


def _field_for(exc: BadInput, targets: list[int]) -> str:
    """Which input of the page a domain refusal belongs to: lines[i].boxes is the i-th line acted on."""
    field, _ = refusal(exc)
    if field.startswith("boxes-") or field in ("action", "form"):
        return field
    listed = list_index(field)
    if listed is not None and listed[0] < len(targets):
        return f"boxes-{targets[listed[0]]}"
    if field == "boxes" and len(targets) == 1:
        return f"boxes-{targets[0]}"
    return "form"


@bp.post("/orders/<int:order_id>/lines/<int:line_id>/delete")
def line_delete(order_id: int, line_id: int) -> Response:
    order = orders.get_order(world(), account_id(), order_id)
    line = _line_of(order, line_id)
    try:
        confirmations.delete_line(world(), account_id(), line_id)
    except BadInput as exc:
        flash(f"Line {line['poItemId']} was not deleted: {exc.message}", "error")
        return redirect(url_for("asinfo_portal.order_detail", order_id=order_id))
    after = _line_of(orders.get_order(world(), account_id(), order_id), line_id)
    if after["cancelled"]:
        flash(f"Line {line['poItemId']} ({line['product']}) deleted: Komet cancelled it.", "success")
        return redirect(url_for("asinfo_portal.order_detail", order_id=order_id))
    item = next(
        (
            i
            for i in reversed(outbox.list_outbox(world(), account_id()))
            if i["kind"] == "delete" and i["refId"] == line_id
        ),
        None,
    )
    if item is not None and item["state"] == "refused":
        flash(f"Komet refused to delete line {line['poItemId']}: {item['lastError']}", "error")
    else:
        error = f" {item['lastError']}" if item and item["lastError"] else ""
        flash(f"Line {line['poItemId']}: the deletion is queued and waits for Komet.{error}", "warning")
    return redirect(url_for("asinfo_portal.order_detail", order_id=order_id))
