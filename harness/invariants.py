"""The integration's promises, checked on both simulators' state after every scenario (and by the
property machine after every step):

  no box lost or shipped twice · confirmed ≤ ordered · shipped ≤ confirmed · the importer never holds more
  boxes for a line than it ordered · after a partial shipment the shipped line carries what shipped · every
  shipped box has one label and its code is known to Komet · labels say what Komet's line says (box n of N,
  bunches × stems) · every AWB passes its check digit · a vendor never sees another vendor's data · the
  outbox waits as documented (backoff, Retry-After, the next UTC day) · and, from both journals: no server
  error, no refusal a correct grower never provokes, the daily quota counts what the documented rule says
  (harness/exchanges.py) · both sides agree once the sync is quiet (harness/agreement.py).

They read the /__sim/state snapshots and journals of the scenario's own namespaces. Every expectation is the
harness's own (harness/oracles.py): none calls the code it judges."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING

from simkit.clock import parse_datetime

from . import exchanges, oracles

if TYPE_CHECKING:
    from harness.context import Ctx


def snapshots(ctx: Ctx) -> tuple[dict, dict | None]:
    komet = _tables(ctx, ctx.komet, str(ctx.company["companyId"]))
    asinfo = None
    if ctx.grower and ctx.grower.get("account"):
        asinfo = _tables(ctx, ctx.asinfo, str(ctx.grower["account"]["accountId"]))
    return komet, asinfo


def _tables(ctx: Ctx, client, namespace: str) -> dict:
    """One namespace's tables; the snapshot read last time when the app says it has not changed since (its
    ETag), so an unchanged state is neither sent nor parsed again."""
    key = ("state", client.base_url, namespace)
    tag, tables = ctx.checked.get(key, (None, None))
    tag, state = ctx.topo.state_if_changed(client, tag if tables is not None else None, namespace)
    if state is not None:
        tables = state["tables"]
        ctx.checked[key] = (tag, tables)
    return tables


def check_all(ctx: Ctx, states: tuple[dict, dict | None] | None = None) -> list[str]:
    """states: both snapshots, when the caller has just taken them.

    Every check is a function of both snapshots, both journals and the labels ASINFO renders from its own
    state: when the snapshots equal those last judged and neither journal has a new entry, the answer is the
    one given then (the property machine checks after every step, and half its steps change nothing)."""
    komet, asinfo = states or snapshots(ctx)
    journals = exchanges.journals(ctx)
    seen = (komet, asinfo, _ends(journals["komet"]), _ends(journals["asinfo"]), ctx.grower)
    last = ctx.checked.get("judged")
    if last is not None and last[0] == seen:
        return list(last[1])
    vendor_id = ctx.grower["vendor"]["id"] if ctx.grower else None
    problems = check_tables(komet, asinfo, vendor_id)
    problems += exchanges.check(komet, journals, one_clock=not ctx.topo.shared)
    if asinfo is not None:
        problems += outbox_timing(asinfo, journals["komet"], journals["asinfo"])
        problems += label_rules(ctx, komet, asinfo)
    ctx.checked["judged"] = (seen, list(problems))
    return problems


def _ends(entries: list[dict]) -> tuple[int, int | None]:
    return len(entries), entries[-1].get("seq") if entries else None


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
        if shipped > item["total_boxes"]:
            problems.append(
                f"the importer holds {shipped} boxes on line {item['id']}, which orders {item['total_boxes']}"
            )
    items = {i["id"]: i for i in k["po_items"]}
    for child in k["po_items"]:
        parent = items.get(child.get("split_from"))
        if parent is None:
            continue
        if parent["status"] != "S":
            problems.append(f"Komet line {child['id']} is split from {parent['id']}, which has not shipped")
        elif parent["total_boxes"] != boxes_by_item[parent["id"]]:
            problems.append(
                f"after a partial shipment Komet line {parent['id']} carries {parent['total_boxes']} boxes, "
                f"not the {boxes_by_item[parent['id']]} that shipped (the rest belongs on line {child['id']})"
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
        why = oracles.awb_problem(awb["number"])
        if why:
            problems.append(f"ASINFO AWB {awb['number']} is not a valid air waybill number: {why}")
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
    relabelling: dict[int, set[str]] = {}  # a box code change still waiting: Komet may hold either code
    for item in a["outbox"]:
        if item["kind"] == "box_code" and item["state"] == "pending":
            payload = json.loads(item["payload"])
            relabelling.setdefault(item["ref_id"], set()).update(
                (payload["currentBoxCode"], payload["newBoxCode"])
            )
    for box in a["boxes"]:
        if box["state"] != "shipped":
            continue
        code = box["komet_code"] or box["code"]
        held = [c for c in relabelling.get(box["id"], ()) if c in komet_boxes]
        if held:
            code = held[0]
        found = komet_boxes.get(code, [])
        want = lines[box["line_id"]]["komet_item_id"]
        if not found:
            problems.append(f"box {code} shipped by ASINFO is not in Komet (lost)")
        elif all(kb["po_item_id"] != want for kb in found):
            problems.append(
                f"box {code} is on Komet line {found[0]['po_item_id']}, ASINFO shipped it on {want}"
            )
    return problems


def outbox_timing(a: dict, komet_entries: list[dict], asinfo_entries: list[dict]) -> list[str]:
    """A write waiting after a failed attempt is due when the documented rule says: Komet's Retry-After after
    a 429 (every write of the connection waits for it), the next UTC day after the daily quota, else the
    backoff for its attempts (a refusal about the connection too: it waits for a fix, it is not hammered)."""
    problems = []
    # The 429s the grower system met (not another caller's: a script with the grower's token), as Komet
    # answered them and as the grower's client received them (the header as it came, read here): Komet cannot
    # journal in this namespace a request whose token it no longer knows.
    limits = [
        (parse_datetime(e["at"]), e["response"]["retryAfter"])
        for e in komet_entries
        if _status(e) == 429
        and e["response"].get("retryAfter") is not None
        and str(e.get("agent", "")).startswith(exchanges.GROWER_AGENT)
    ]
    limits = sorted(
        limits
        + [
            (parse_datetime(e["at"]), int(e["response"]["retryAfter"]))
            for e in asinfo_entries
            if e.get("direction") == "out"
            and _status(e) == 429
            and str(e["response"].get("retryAfter", "")).isdigit()
        ]
    )
    for item in a["outbox"]:
        if item["state"] != "pending" or not item["last_error"]:
            continue
        error = item["last_error"].lower()
        at = parse_datetime(item["updated_on"])
        due = parse_datetime(item["next_attempt_on"])
        asked = [(t, s) for t, s in limits if t <= at]
        if oracles.QUOTA_REFUSAL in error:
            expected, rule = oracles.next_utc_midnight(at), "the next UTC day after the daily quota"
        elif oracles.RATE_LIMITED in error:
            # The 429 that made this write wait is one still in force when it was updated (while one is, ASINFO
            # does not call). None in force: a 429 neither journal holds, so its wait cannot be timed.
            in_force = [(t, s) for t, s in asked if t == at or t + timedelta(seconds=s) > at]
            if not in_force:
                continue
            when, seconds = in_force[-1]
            expected, rule = when + timedelta(seconds=seconds), f"Komet's Retry-After ({seconds} s)"
        elif item["attempts"] == 0:
            continue
        else:
            expected = at + oracles.backoff(item["attempts"])
            rule = f"the backoff after {item['attempts']} attempt(s)"
        later = [
            t + timedelta(seconds=s) for t, s in limits if t >= at and t + timedelta(seconds=s) > expected
        ]
        if later:  # a 429 another write met since holds this one too, until its Retry-After ends
            expected, rule = max(later), "Komet's Retry-After, met by a later write of the connection"
        if due != expected:
            problems.append(
                f"outbox item {item['id']} ({item['kind']}) is due at {item['next_attempt_on']}, not at "
                f"{expected:%Y-%m-%dT%H:%M:%S} ({rule}; last error: {item['last_error'][:80]})"
            )
    return problems


def _status(entry: dict) -> int | None:
    return (entry.get("response") or {}).get("status")


def label_rules(ctx: Ctx, komet: dict, a: dict) -> list[str]:
    """What the labels of printed boxes say, read back from ASINFO's preview (which does not count a print),
    against ASINFO's AWBs and Komet's lines: box n of N numbers the PO's boxes on the AWB 1..N; a shipped
    box's bunches and stems per bunch are its Komet line's."""
    printed_awbs = sorted({b["awb_id"] for b in a["boxes"] if b["prints"] > 0})
    if not printed_awbs:
        return []
    lines = {ln["id"]: ln for ln in a["lines"]}
    orders = {o["id"]: o for o in a["orders"]}
    items = {i["id"]: i for i in komet["po_items"]}
    komet_boxes = {b["code"]: b for b in komet["boxes"]}
    problems = []
    for awb_id in printed_awbs:
        status, labels = _labels(ctx, a, awb_id)
        if status != 200:
            problems.append(f"the labels of ASINFO AWB {awb_id} cannot be rendered (HTTP {status})")
            continue
        groups: dict[str, list[dict]] = {}
        for label in labels:
            groups.setdefault(str(label["po"]), []).append(label)
            if "bad_total" in label:
                problems.append(f"label {label['code']}: {label['bad_total']} stems is not bunches × stems")
            kb = komet_boxes.get(label["code"])
            item = items.get(kb["po_item_id"]) if kb else None
            if item and (label["bunches"], label["stems"]) != (item["bunches"], item["stems_bunch"]):
                problems.append(
                    f"label {label['code']} says {label['bunches']} bu x {label['stems']} st, Komet line "
                    f"{item['id']} has {item['bunches']} x {item['stems_bunch']}"
                )
        boxes_per_po = Counter(
            orders[lines[b["line_id"]]["order_id"]]["number"] for b in a["boxes"] if b["awb_id"] == awb_id
        )
        for po, labels in groups.items():
            numbers = sorted(lb["n"] for lb in labels if lb["n"] is not None)
            count = boxes_per_po.get(po, 0)
            if numbers != list(range(1, count + 1)) or any(lb["of"] != count for lb in labels):
                problems.append(
                    f"labels of PO {po} on ASINFO AWB {awb_id} are numbered {numbers} of "
                    f"{sorted({lb['of'] for lb in labels})}; the AWB carries {count} box(es) of that PO"
                )
    return problems


def _labels(ctx: Ctx, a: dict, awb_id: int) -> tuple[int, list[dict]]:
    """(HTTP status, labels read back) of an AWB's preview. A preview read while what those labels can say was
    what it is now is not asked for again."""
    previews = ctx.checked.setdefault("labels", {})
    said = _what_labels_say(a, awb_id)
    kept = previews.get(awb_id)
    if kept is None or kept[0] != said:
        with ctx.looking_up():
            resp = ctx.asinfo.label_preview("zpl", awbId=awb_id)
        kept = previews[awb_id] = (
            said,
            (resp.status_code, oracles.read_zpl_labels(resp.text) if resp.status_code == 200 else []),
        )
    return kept[1]


def _what_labels_say(a: dict, awb_id: int) -> tuple:
    """Everything an AWB's box labels can print (docs/domain.md §4.1): the AWB, its boxes, their lines and POs, the
    importer's and the grower's names. Rows of other AWBs, or a sync's time stamps on a connection, change none."""
    boxes = [b for b in a["boxes"] if b["awb_id"] == awb_id]
    line_ids = {b["line_id"] for b in boxes}
    lines = [ln for ln in a["lines"] if ln["id"] in line_ids]
    order_ids = {ln["order_id"] for ln in lines}
    return (
        [w for w in a["awbs"] if w["id"] == awb_id],
        boxes,
        lines,
        [o for o in a["orders"] if o["id"] in order_ids],
        [(c["id"], c["name"]) for c in a["connections"]],
        [(x["name"], x["farm_code"]) for x in a["accounts"]],
    )


def quiet_and_compare(ctx: Ctx) -> tuple[list[str], str | None]:
    from .agreement import quiet_and_compare as compare

    return compare(ctx, snapshots)
