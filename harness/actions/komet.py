"""komet.*: the importer's actions in Komet (as the Setup and Purchasing screens do), any API call as a
grower would make it, and queries of what Komet shows."""

from __future__ import annotations

from komet_sim.importer_actions import COMPANY_CHANGES

from ..context import Refused, StepError, call
from . import DATE, INT, LINE, PO, REF, STR, action, from_spec, obj, typed

METHODS = typed({"anyOf": [{"enum": ["asinfo", "all"]}, {"type": "array", "items": STR, "minItems": 1}]})


@action(
    "komet.create_token",
    obj(
        {
            "vendor": REF,
            "customer": REF,
            "type": {"enum": ["Vendor", "Company", "Customer"]},
            "methods": METHODS,
            "description": STR,
        }
    ),
    "Setup › Settings › Tokens › New Token: a Vendor token (ASINFO preset by default) for a vendor",
)
def create_token(ctx, a):
    kind = a.get(
        "type", "Customer" if "customer" in a else "Vendor" if "vendor" in a or ctx.company else "Company"
    )
    vendor_id = ctx.vendor(a.get("vendor"))["id"] if kind == "Vendor" else None
    customer_id = ctx.customer(a["customer"])["id"] if kind == "Customer" else None
    token = call(
        ctx.komet.create_token,
        type=kind,
        vendor_id=vendor_id,
        customer_id=customer_id,
        methods=a.get("methods", "asinfo"),
        description=a.get("description", f"{kind} token"),
    )
    ctx.tokens.append(token)
    return token


@action("komet.delete_token", obj({"token": REF}), "delete a token (default: the grower's); it fails at once")
def delete_token(ctx, a):
    token = ctx.token(a.get("token"))
    return call(ctx.komet.delete_token, token["id"])


def _product_id(ctx, ref) -> int:
    """product: N is the Nth of the importer's catalogue; {id: N} (or a saved line's productId) names one."""
    if isinstance(ref, dict) and ("id" in ref or "productId" in ref):
        return int(ref["id"] if "id" in ref else ref["productId"])
    if isinstance(ref, int) and not isinstance(ref, bool):
        with ctx.looking_up():  # the importer's own catalogue: no API quota, no token, not drawn
            products = call(ctx.komet.products)
        if not 0 <= ref < len(products):
            raise StepError(
                f"no product #{ref}: the catalogue has {len(products)} (product: {{id: N}} names one by id)"
            )
        return int(products[ref]["id"])
    raise StepError(f"{ref!r} is not a product: give its index, {{id: N}} or a saved line")


LINE_SPEC = obj(
    {
        "product": REF,
        "boxType": STR,
        "boxes": typed(INT),
        "customer": REF,
        "unitCost": typed({"type": "number"}),
        "bunches": typed(INT),
        "stemsBunch": typed(INT),
        "markCode": STR,
        "notes": STR,
    },
    required=("boxes",),
)


def _line(ctx, spec: dict) -> dict:
    line = {"boxTypeCode": spec.get("boxType", "HB"), "boxes": spec["boxes"]}
    product = spec.get("product", 0)
    if isinstance(product, str):
        line["productDescription"] = product  # a product Komet does not have yet, by its description
    else:
        line["productId"] = _product_id(ctx, product)
    if "customer" in spec:
        line["customerId"] = ctx.customer(spec["customer"])["id"]
    for key, target in (
        ("unitCost", "cost"),
        ("bunches", "bunches"),
        ("stemsBunch", "stemsBunch"),
        ("markCode", "markCode"),
        ("notes", "notes"),
    ):
        if key in spec:
            line[target] = spec[key]
    return line


@action(
    "komet.create_po",
    obj(
        {
            "vendor": REF,
            "shipDate": DATE,
            "status": {"enum": ["Approved", "Pending Approval"]},
            "lines": {"type": "array", "items": LINE_SPEC, "minItems": 1},
            "comments": STR,
        },
        required=("lines",),
    ),
    "the importer creates a purchase order (Approved unless status says Pending Approval)",
)
def create_po(ctx, a):
    vendor = ctx.vendor(a.get("vendor"))
    ship_date = ctx.date(a.get("shipDate"), (ctx.company.get("shipDates") or [ctx.today().isoformat()])[0])
    order = {
        "vendorId": vendor["id"],
        "shipDate": ship_date,
        "status": a.get("status", "Approved"),
        "lines": [_line(ctx, spec) for spec in a["lines"]],
    }
    if "comments" in a:
        order["comments"] = a["comments"]
    return call(ctx.komet.create_purchase_order, **order)


@action("komet.approve_po", obj(PO, required=("po",)), "the importer approves a Pending Approval PO")
def approve_po(ctx, a):
    return call(ctx.komet.approve, ctx.komet_po(a["po"])["id"])


@action("komet.cancel_po", obj(PO, required=("po",)), "the importer cancels a PO (and its open lines)")
def cancel_po(ctx, a):
    return call(ctx.komet.cancel, ctx.komet_po(a["po"])["id"])


@action(
    "komet.change_line",
    obj(
        {
            **LINE,
            "boxes": typed(INT),
            "notes": STR,
            "unitCost": typed({"type": "number"}),
            "markCode": STR,
        },
        required=("po", "line"),
    ),
    "the importer edits a line; a new box count resets the grower's confirmation",
)
def change_line(ctx, a):
    item = ctx.komet_line(a["po"], a["line"])["poItemId"]
    changes = {k: a[k] for k in ("notes", "unitCost", "markCode") if k in a}
    if "boxes" in a:
        changes["totalBoxes"] = a["boxes"]
    return call(ctx.komet.change_line, item, **changes)


@action(
    "komet.add_line",
    obj({**PO, **LINE_SPEC["properties"]}, required=("po", "boxes")),
    "the importer adds a line to a PO",
)
def add_line(ctx, a):
    spec = {k: v for k, v in a.items() if k != "po"}
    return call(ctx.komet.add_line, ctx.komet_po(a["po"])["id"], **_line(ctx, spec))


@action("komet.cancel_line", obj(LINE, required=("po", "line")), "the importer cancels one line")
def cancel_line(ctx, a):
    return call(ctx.komet.cancel_line, ctx.komet_line(a["po"], a["line"])["poItemId"])


@action(
    "komet.receive",
    obj({"boxCodes": typed({"type": "array", "items": STR, "minItems": 1}), "awb": REF, "position": STR}),
    "the warehouse receives boxes (by code, or every in-transit box of an AWB): In Transit → Received",
)
def receive(ctx, a):
    codes = a.get("boxCodes")
    if codes is None:
        if "awb" not in a:
            raise StepError("give boxCodes: [codes] or awb: <number>")
        number = a["awb"]["number"] if isinstance(a["awb"], dict) else str(a["awb"])
        transit = ctx.komet.in_transit()
        codes = [b["boxCode"] for awb in transit["awbs"] if awb["awb"] == number for b in awb["inTransit"]]
        if not codes:
            raise StepError(f"no boxes in transit on AWB {number}")
    result = call(ctx.komet.receive, codes, a.get("position"))
    refused = [r for r in result["results"] if r["status"] != "received"]
    if refused:
        raise Refused(refused[0]["message"], result)
    return result


@action(
    "komet.settings",
    obj(from_spec(COMPANY_CHANGES)),
    "company settings: the profile (documented/strict) and the daily quota (paid users × calls per user)",
)
def settings(ctx, a):
    return call(ctx.komet.update_company, **a)


@action(
    "komet.unmap_product",
    obj({"product": REF, "unknown": {"type": "boolean"}}, required=("product",)),
    "make a product UNKNOWN in the importer's company (its lines cannot ship), or map it again",
)
def unmap_product(ctx, a):
    return call(ctx.komet.map_product, _product_id(ctx, a["product"]), a.get("unknown", True))


def _company_token(ctx) -> str:
    """A Company token with every method, made once per scenario for importer-side API calls."""
    if ctx.company_token is None:
        ctx.company_token = ctx.komet.create_token(
            type="Company", methods="all", description="kasim importer checks"
        )["token"]
    return ctx.company_token


@action(
    "komet.call",
    obj(
        {"method": STR, "token": typed({"type": ["string", "object"]}), "params": {"type": "object"}},
        required=("method",),
    ),
    "call any Komet API method as a grower would (token: the grower's by default; company: a Company token; "
    "none: no token; a saved token; or the token's text)",
)
def call_api(ctx, a):
    token = a.get("token")
    if token == "company":
        value = _company_token(ctx)
    elif token == "none":
        value = None
    elif isinstance(token, str):  # the token's own text, as a grower would paste it
        value = token
    else:
        value = ctx.token(token)["token"]
    reply = ctx.komet.api(a["method"], value, **(a.get("params") or {}))
    if str(reply.get("status")) != "1":
        raise Refused(str(reply.get("message")), reply)
    return reply


@action("komet.get_po", obj(PO, required=("po",)), "the PO as the importer sees it in Komet, with its lines")
def get_po(ctx, a):
    return ctx.komet_po(a["po"])


@action("komet.get_line", obj(LINE, required=("po", "line")), "one PO line as Komet has it")
def get_line(ctx, a):
    return ctx.komet_line(a["po"], a["line"])


@action(
    "komet.get_boxes",
    obj({"awb": REF, "po": REF}),
    "the boxes Komet knows (in transit and received), optionally of one AWB or PO",
)
def get_boxes(ctx, a):
    transit = ctx.komet.in_transit()
    number = None
    if "awb" in a:
        number = a["awb"]["number"] if isinstance(a["awb"], dict) else str(a["awb"])
    po_number = ctx.po_number(a["po"]) if "po" in a else None
    boxes = []
    for awb in transit["awbs"]:
        if number and awb["awb"] != number:
            continue
        for box in awb["inTransit"] + awb["received"]:
            if po_number and str(box["poNumber"]) != po_number:
                continue
            boxes.append({**box, "awb": awb["awb"]})
    return boxes


@action(
    "komet.get_awb",
    obj({"awb": REF}, required=("awb",)),
    "an AWB as Komet lists it (pieces, received, boxes)",
)
def get_awb(ctx, a):
    number = a["awb"]["number"] if isinstance(a["awb"], dict) else str(a["awb"])
    for awb in ctx.komet.awbs():
        if awb["awb"] == number:  # awb.details.list says `code`; every step says boxCode
            boxes = [
                {"boxCode": b["code"], **{k: v for k, v in b.items() if k != "code"}} for b in awb["boxes"]
            ]
            return {**awb, "boxes": boxes}
    raise StepError(f"Komet has no AWB {number}")


@action("komet.in_transit", obj(), "the importer's Confirmed & In transit view")
def in_transit(ctx, a):
    return ctx.komet.in_transit()


@action("komet.company", obj(), "the importer's company: ID, paid users, daily limit, calls today, profile")
def company(ctx, a):
    return ctx.komet.company()
