"""The integration's promises, checked on both simulators' state after every scenario (and by the
property machine after every step):

  no box lost or shipped twice · confirmed ≤ ordered · shipped ≤ confirmed · every shipped box has one label
  and its code is known to Komet · every AWB passes its check digit · a vendor never sees another vendor's
  data · both sides agree once the sync is quiet.

They read the /__sim/state snapshots of the scenario's own namespaces, so they cost two requests."""

from __future__ import annotations

from collections import Counter, defaultdict

from asinfo_sim.awb_numbers import InvalidAwb, parse_awb  # a leaf module: no Flask app loads

from .clients import SimError


def snapshots(ctx) -> tuple[dict, dict | None]:
    company = str(ctx.company["companyId"])
    komet = ctx.komet.state(namespace=company)["tables"]
    asinfo = None
    if ctx.grower and ctx.grower.get("account"):
        asinfo = ctx.asinfo.state(namespace=str(ctx.grower["account"]["accountId"]))["tables"]
    return komet, asinfo


def check_all(ctx) -> list[str]:
    komet, asinfo = snapshots(ctx)
    vendor_id = ctx.grower["vendor"]["id"] if ctx.grower else None
    return check_tables(komet, asinfo, vendor_id)


def check_tables(komet: dict, asinfo: dict | None, vendor_id: int | None) -> list[str]:
    problems = komet_rules(komet)
    if asinfo is not None:
        problems += asinfo_rules(asinfo, vendor_id)
        problems += cross_rules(komet, asinfo)
    return problems


def komet_rules(k: dict) -> list[str]:
    problems = []
    boxes_by_item = Counter(b["po_item_id"] for b in k["boxes"])
    # Box codes are unique per vendor of a company (docs/decisions.md K8).
    po_vendor = {po["id"]: po["vendor_id"] for po in k["purchase_orders"]}
    item_vendor = {i["id"]: po_vendor.get(i["po_id"]) for i in k["po_items"]}
    codes = Counter((item_vendor.get(b["po_item_id"]), b["code"]) for b in k["boxes"])
    for (vendor, code), n in codes.items():
        if n > 1:
            problems.append(f"Komet holds box code {code} of vendor {vendor} {n} times")
    for item in k["po_items"]:
        if item["quantity_confirmed"] > item["total_boxes"]:
            problems.append(
                f"Komet line {item['id']}: confirmed {item['quantity_confirmed']} > ordered "
                f"{item['total_boxes']}"
            )
        shipped = boxes_by_item[item["id"]]
        if shipped > item["quantity_confirmed"]:
            problems.append(
                f"Komet line {item['id']}: {shipped} boxes shipped > {item['quantity_confirmed']} confirmed"
            )
        if item["status"] == "S" and shipped != item["total_boxes"]:
            problems.append(
                f"Komet line {item['id']} is Shipped with {shipped} boxes for {item['total_boxes']} ordered"
            )
        if item["status"] != "S" and shipped:
            problems.append(
                f"Komet line {item['id']} has {shipped} boxes but is not Shipped ({item['status']})"
            )
    return problems


def asinfo_rules(a: dict, vendor_id: int | None) -> list[str]:
    problems = []
    lines = {ln["id"]: ln for ln in a["lines"]}
    per_line = Counter(b["line_id"] for b in a["boxes"])
    for ln in lines.values():
        if ln["confirmed"] is not None and ln["confirmed"] > ln["ordered"]:
            problems.append(f"ASINFO line {ln['id']}: confirmed {ln['confirmed']} > ordered {ln['ordered']}")
        on_awbs = per_line[ln["id"]]
        if on_awbs > (ln["confirmed"] or 0):
            problems.append(
                f"ASINFO line {ln['id']} (Komet {ln['komet_item_id']}): {on_awbs} boxes on AWBs > "
                f"{ln['confirmed'] or 0} confirmed"
            )
    for box in a["boxes"]:
        if box["state"] == "shipped" and box["prints"] < 1:
            problems.append(f"ASINFO box {box['code']} shipped without a label")
    for awb in a["awbs"]:
        try:
            parse_awb(awb["number"])
        except InvalidAwb as exc:
            problems.append(f"ASINFO AWB {awb['number']} fails its check: {exc}")
    if vendor_id is not None:
        for order in a["orders"]:
            if order["vendor_id"] is not None and order["vendor_id"] != vendor_id:
                problems.append(
                    f"ASINFO received PO {order['number']} of vendor {order['vendor_id']}, "
                    f"not its own vendor {vendor_id}"
                )
    return problems


def cross_rules(k: dict, a: dict) -> list[str]:
    """Every box ASINFO shipped is in Komet, on the right line. (The converse, no box in Komet that ASINFO does not
    know it shipped, holds only once the sync is quiet: right after a lost reply it is expected. See agreement.)"""
    problems = []
    komet_boxes = defaultdict(list)  # another vendor of the company may use the same code (K8)
    for b in k["boxes"]:
        komet_boxes[b["code"]].append(b)
    lines = {ln["id"]: ln for ln in a["lines"]}
    for box in a["boxes"]:
        if box["state"] != "shipped":
            continue
        code = box["komet_code"] or box["code"]
        found = komet_boxes.get(code, [])
        want = lines[box["line_id"]]["komet_item_id"]
        if not found:
            problems.append(f"box {code} shipped by ASINFO is not in Komet (lost)")
        elif all(kb["po_item_id"] != want for kb in found):
            problems.append(
                f"box {code} is on Komet line {found[0]['po_item_id']}, ASINFO shipped it on {want}"
            )
    return problems


def agreement(komet: dict, asinfo: dict) -> list[str]:
    """Once the sync is quiet (outbox empty, a sync just done), both sides tell the same story."""
    problems = []
    items = {i["id"]: i for i in komet["po_items"]}
    orders = {o["id"]: o for o in asinfo["orders"]}
    shipped = defaultdict(set)
    for b in asinfo["boxes"]:
        if b["state"] == "shipped":
            shipped[b["line_id"]].add(b["komet_code"] or b["code"])
    komet_codes = defaultdict(set)
    for b in komet["boxes"]:
        komet_codes[b["po_item_id"]].add(b["code"])
    known_codes = set().union(*shipped.values()) if shipped else set()
    ours = {ln["komet_item_id"] for ln in asinfo["lines"]}
    for b in komet["boxes"]:
        if b["po_item_id"] in ours and b["code"] not in known_codes:
            problems.append(
                f"Komet has box {b['code']} on line {b['po_item_id']} that ASINFO does not know it shipped"
            )
    for ln in asinfo["lines"]:
        if orders[ln["order_id"]]["state"] == "missing":
            continue
        item = items.get(ln["komet_item_id"])
        if item is None:
            problems.append(
                f"ASINFO line {ln['id']} refers to Komet line {ln['komet_item_id']}, which does not exist"
            )
            continue
        where = f"line {ln['komet_item_id']}"
        if ln["ordered"] != item["total_boxes"]:
            problems.append(
                f"{where}: ASINFO says {ln['ordered']} boxes ordered, Komet {item['total_boxes']}"
            )
        if ln["komet_status"] != item["status"]:
            problems.append(f"{where}: ASINFO shows status {ln['komet_status']}, Komet {item['status']}")
        if ln["confirm_state"] == "accepted" and ln["confirmed"] != item["quantity_confirmed"]:
            problems.append(
                f"{where}: ASINFO confirmed {ln['confirmed']}, Komet {item['quantity_confirmed']}"
            )
        if ln["confirm_state"] in ("pending", "sent"):
            problems.append(
                f"{where}: a confirmation is still {ln['confirm_state']} after the sync went quiet"
            )
        if shipped[ln["id"]] != komet_codes[item["id"]]:
            problems.append(
                f"{where}: ASINFO shipped {sorted(shipped[ln['id']])}, Komet has "
                f"{sorted(komet_codes[item['id']])}"
            )
    return problems


def quiet_and_compare(ctx) -> tuple[list[str], str | None]:
    """Quiet the sync (no faults, deliver what waits, one last sync), then compare both sides.
    (problems, None), or ([], why the comparison could not be made)."""
    for client in (ctx.komet, ctx.asinfo):
        ctx.topo.remove_faults(client)
    ctx.asinfo.run_outbox(True)
    try:
        ctx.asinfo.sync(ctx.grower["connection"]["id"])
    except SimError as exc:
        return [], f"agreement not checked: the final sync failed ({exc.app_message})"
    komet, asinfo = snapshots(ctx)
    return agreement(komet, asinfo), None
