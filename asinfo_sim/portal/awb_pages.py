"""AWBs (A4): the list, a new AWB (a number from an airline's stock, or typed by hand and checked), the AWB
number stock (add numbers an airline issued), and an AWB's page: its boxes, adding confirmed boxes from lines
or a whole PO, removing a box, Ship to Komet."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simkit.forms import refused, take_refused
from simkit.params import parse, snake

from ..decisions import DESTINATION, ORIGINS
from ..domain import awbs, connections, orders, shipments
from ..domain.errors import BadInput
from .base import account_id, bp, form_text, list_index, refusal, world
from .order_pages import shown_errors

FORM_FIELDS = (
    "connectionId",
    "airline",
    "number",
    "hawb",
    "cargoAgency",
    "origin",
    "destination",
    "shipDate",
)


@bp.get("/awbs")
def awb_list() -> str:
    names = {c["id"]: c["name"] for c in connections.list_connections(world(), account_id())}
    return render_template("awbs.html", awbs=awbs.list_awbs(world(), account_id()), names=names)


def _render_new(form: dict, errors: dict | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "awb_new.html",
        form=form,
        errors=errors or {},
        origins=ORIGINS,
        airlines=awbs.airlines(world(), account_id()),
        connections=connections.list_connections(world(), account_id()),
    ), status


def _empty_form() -> dict:
    known = connections.list_connections(world(), account_id())
    ship_date = request.args.get("shipDate") or world().clock.today().isoformat()
    chosen = request.args.get("connectionId") or (str(known[0]["id"]) if len(known) == 1 else "")
    stocked = [a["prefix"] for a in awbs.airlines(world(), account_id()) if a["stockLeft"]]
    return {
        "connectionId": chosen,
        "airline": stocked[0] if stocked else "",
        "number": "",
        "hawb": "",
        "cargoAgency": "",
        "origin": g.account["origin"],
        "destination": DESTINATION,
        "shipDate": ship_date,
    }


STOCK_FIELDS = ("prefix", "firstSerial", "count")


@bp.route("/awb-stock", methods=["GET", "POST"])
def awb_stock() -> tuple[str, int] | Response:
    """The numbers airlines issued to this farm, and a form to add a stock (the API's spec, awbs.STOCK)."""
    if request.method == "POST":
        form = {key: form_text(key) for key in STOCK_FIELDS}
        try:
            made = awbs.add_stock(world(), account_id(), **snake(parse(awbs.STOCK, form)))
        except BadInput as exc:
            field, message = refusal(exc)
            return refused(url_for("asinfo_portal.awb_stock"), form, {field: message}, exc.http_status)
        flash(
            f"{made['count']} AWB number(s) of {made['prefix']} added: {made['first']} to {made['last']}.",
            "success",
        )
        return redirect(url_for("asinfo_portal.awb_stock"))
    kept = take_refused()
    form, errors, status = kept or (
        {"prefix": request.args.get("prefix", ""), "firstSerial": "", "count": "100"},
        {},
        200,
    )
    return render_template(
        "awb_stock.html",
        stock=awbs.list_stock(world(), account_id()),
        airlines=awbs.airlines(world(), account_id()),
        form=form,
        errors=errors,
    ), status


def _values(form: dict) -> dict:
    """The form checked by the same spec as the API: a typed number wins over the airline select (the stock
    is used only when no number is typed); empty optional fields are left out."""
    body = {key: value for key, value in form.items() if value and key not in ("airline", "number")}
    body["number" if form["number"] else "airline"] = form["number"] or form["airline"]
    values = snake(parse(awbs.NEW_AWB, body))
    if "number" not in values and "airline" not in values:  # the select was emptied: say so there
        raise BadInput("airline", "choose an airline (its stock gives the number), or type a number")
    return values


@bp.route("/awbs/new", methods=["GET", "POST"])
def awb_new() -> tuple[str, int] | Response:
    if request.method == "GET":
        kept = take_refused()
        return _render_new(*kept) if kept else _render_new(_empty_form())
    form = {key: form_text(key) for key in FORM_FIELDS}
    try:
        made = awbs.create_awb(world(), account_id(), **_values(form))
    except BadInput as exc:
        field, message = refusal(exc)
        return refused(url_for("asinfo_portal.awb_new"), form, {field: message}, exc.http_status)
    flash(
        f"AWB {made['number']} ({made['airline'] or 'airline ' + made['prefix']}) created for {made['shipDate']}. "
        "Add the confirmed boxes that fly on it.",
        "success",
    )
    return redirect(url_for("asinfo_portal.awb_detail", awb_id=made["id"]))


def candidates(awb: dict) -> list[dict]:
    """Lines of the AWB's importer with confirmed boxes (accepted by Komet) not yet on an AWB, by PO."""
    found: list[dict] = []
    for order in orders.list_orders(world(), account_id(), connection_id=awb["connectionId"]):
        lines = [
            ln
            for ln in order["lines"]
            if ln["confirmState"] == "accepted"
            and not ln["cancelled"]
            and (ln["confirmedBoxes"] or 0) - ln["assignedBoxes"] > 0
        ]
        if lines:
            found.append(
                {
                    "order": order,
                    "lines": [{**ln, "free": ln["confirmedBoxes"] - ln["assignedBoxes"]} for ln in lines],
                }
            )
    found.sort(
        key=lambda c: (
            c["order"]["shipDate"] != awb["shipDate"],
            c["order"]["shipDate"],
            c["order"]["number"],
        )
    )
    return found


def _render_awb(
    awb: dict,
    values: dict | None = None,
    chosen: set | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> tuple[str, int]:
    connection = connections.get_connection(world(), account_id(), awb["connectionId"])
    own = [s for s in shipments.list_shipments(world(), account_id()) if s["awbId"] == awb["id"]]
    found = candidates(awb)
    inputs = {f"boxes-{ln['id']}" for c in found for ln in c["lines"]}
    return render_template(
        "awb_detail.html",
        awb=awb,
        connection=connection,
        candidates=found,
        values=values or {},
        chosen=chosen,
        errors=shown_errors(errors or {}, inputs),
        shipments=own,
        ship_blocked=shipments.why_not_shippable(world(), account_id(), awb["id"]),
    ), status


@bp.get("/awbs/<int:awb_id>")
def awb_detail(awb_id: int) -> tuple[str, int]:
    awb = awbs.get_awb(world(), account_id(), awb_id)
    kept = take_refused()  # a refused Add boxes: what was typed and ticked, and why
    if kept:
        (values, chosen), errors, status = kept
        return _render_awb(awb, values, chosen, errors, status)
    return _render_awb(awb)


@bp.post("/awbs/<int:awb_id>/boxes")
def awb_add_boxes(awb_id: int) -> tuple[str, int] | Response:
    awb = awbs.get_awb(world(), account_id(), awb_id)
    before = awb["assignedBoxes"]
    order_id = request.form.get("orderId", "")
    chosen = [int(v) for v in request.form.getlist("line") if v.isdigit()]
    values = {
        int(k[6:]): v.strip() for k, v in request.form.items() if k.startswith("boxes-") and k[6:].isdigit()
    }
    try:
        if order_id:
            if not order_id.isdigit():
                raise BadInput("orderId", "choose a purchase order from the list")
            awb = awbs.assign_order(world(), account_id(), awb_id, int(order_id))
        else:
            if not chosen:
                raise BadInput("lines", "tick at least one line, or add all confirmed boxes of a PO")
            lines = [{"lineId": line_id, "boxes": values.get(line_id, "")} for line_id in chosen]
            items = [(e["lineId"], e["boxes"]) for e in parse(awbs.ASSIGN, {"lines": lines})["lines"]]
            awb = awbs.assign(world(), account_id(), awb_id, items)
    except BadInput as exc:
        field, message = refusal(exc)
        listed = list_index(field)
        if listed is not None and listed[0] < len(chosen):
            field = f"boxes-{chosen[listed[0]]}"
        return refused(
            url_for("asinfo_portal.awb_detail", awb_id=awb_id),
            (values, set(chosen)),
            {field: message},
            exc.http_status,
        )
    flash(
        f"{awb['assignedBoxes'] - before} box(es) added to AWB {awb['number']}: each has its box code and lot. "
        "Print the labels, then ship.",
        "success",
    )
    return redirect(url_for("asinfo_portal.awb_detail", awb_id=awb_id))


@bp.post("/awbs/<int:awb_id>/boxes/<code>/remove")
def awb_remove_box(awb_id: int, code: str) -> Response:
    try:
        awb = awbs.unassign(world(), account_id(), awb_id, code)
    except BadInput as exc:
        flash(f"Box {code} was not removed: {exc.message}", "error")
    else:
        flash(f"Box {code} taken off AWB {awb['number']}.", "success")
    return redirect(url_for("asinfo_portal.awb_detail", awb_id=awb_id))


@bp.post("/awbs/<int:awb_id>/ship")
def awb_ship(awb_id: int) -> Response:
    awb = awbs.get_awb(world(), account_id(), awb_id)
    try:
        made = shipments.ship_awb(world(), account_id(), awb_id)
    except BadInput as exc:
        flash(f"AWB {awb['number']} was not shipped: {exc.message}", "error")
        return redirect(url_for("asinfo_portal.awb_detail", awb_id=awb_id))
    texts = {
        "shipped": ("Komet has every box of AWB {n}: shipped.", "success"),
        "partial": ("AWB {n} partly shipped: Komet refused some lines (see below).", "warning"),
        "refused": ("Komet refused the shipment of AWB {n} (see below).", "error"),
        "pending": ("AWB {n} is waiting to reach Komet: {e}", "warning"),
        "sent": (
            "AWB {n} was sent; Komet's answer did not arrive, it will be checked before any retry: {e}",
            "warning",
        ),
    }
    text, category = texts[made["state"]]
    flash(text.format(n=awb["number"], e=made["lastError"]), category)
    return redirect(url_for("asinfo_portal.shipment_list", _anchor=f"shipment-{made['id']}"))
