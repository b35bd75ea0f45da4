"""A komet_sim world from what a recording showed: the state snapshot `PUT /__sim/state` takes.

The world is the one the recording *started* from, so that replaying the recorded calls in order makes the
recorded replies again: every object is taken as it first appeared, and what a recorded write made (a PO
created, a line split off, boxes and AWBs of a shipment, a box's new code) is left for the replay to make.
The id sequences are set so that the replay makes them with the recorded ids. Ids, numbers and codes are
kept; what no reply showed but komet_sim needs (a vendor's code seen only on a PO) is made up and said so.
Values komet_sim cannot hold are problems, each with its field and its line in the file; the object holding
one is left out. Fields kasim does not model are kept as recorded (K28) unless `keep_extras` is off (the
contract replay, which measures what kasim itself answers).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from komet_sim.decisions import awb_key, lot_in_komet_range
from komet_sim.domain.world import ID_STARTS
from komet_sim.messages import MESSAGES
from komet_sim.methods import TOKEN_METHODS
from simkit.ids import token_hash

from ..source import Problem
from . import fields as F
from .format import Exchange
from .sources import line_of
from .writes import Creations, creations

DEFAULT_COMPANY = ID_STARTS["company"]
FBE = {"FB": 1.0, "HB": 0.5, "QB": 0.25, "EB": 0.125}
INVALID_TOKEN = MESSAGES["invalid_token"]
NOT_ENABLED = MESSAGES["method_not_enabled"].split("{method}")


@dataclass
class Imported:
    snapshot: dict
    company_id: int
    tokens: dict[str, dict]  # placeholder → {type, vendorId, methods} (absent: a token Komet refused)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def tables(self) -> dict[str, list[dict]]:
        return self.snapshot["tables"]


def display(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class Builder:
    def __init__(self, exchanges: list[Exchange], keep_extras: bool = True):
        self.exchanges = exchanges
        self.keep_extras = keep_extras
        self.made: Creations = creations(exchanges)
        self.rows: dict[str, dict[Any, dict]] = defaultdict(dict)
        self.extras: dict[tuple[str, int], dict] = {}
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.box_links: dict[str, dict] = {}  # box code → {awb_id, house_awb, po_item_id, lot, status}
        self.seen_by_token: dict[str, set[int]] = defaultdict(set)  # placeholder → vendor ids of its POs
        self.next_local: defaultdict[str, int] = defaultdict(int)
        self.company_id = next(
            (int(e.request["account"]) for e in exchanges if str(e.request.get("account", "")).isdigit()),
            DEFAULT_COMPANY,
        )

    # --- reading one recorded object -----------------------------------------------------------------

    def problem(self, ex: Exchange, path: tuple, message: str) -> None:
        self.problems.append(Problem(ex.file, line_of(ex, path), f"{display(path)}: {message}"))

    def values(self, ex: Exchange, path: tuple, obj: Any, spec: dict, required: tuple = ()) -> dict | None:
        """The columns of one recorded object, or None (with its problems) when it cannot be held."""
        if not isinstance(obj, dict):
            self.problem(ex, path, f"expected an object, got {type(obj).__name__}")
            return None
        row, ok = {}, True
        for wire, target in spec.items():
            if target in (F.COMPUTED, F.NESTED):
                continue
            column, kind = target
            if wire not in obj:
                if wire in required:
                    self.problem(ex, (*path, wire), "missing: komet_sim cannot hold this object without it")
                    ok = False
                continue
            try:
                row[column] = F.convert(obj[wire], kind)
            except F.Refused as exc:
                self.problem(ex, (*path, wire), str(exc))
                ok = False
        return row if ok else None

    def keep(self, table: str, ident: int, obj: dict, spec: dict) -> None:
        extra = F.unmodelled(obj, spec)
        if self.keep_extras and extra:
            self.extras[(table, ident)] = extra

    def made_before(self, kind: str, key: Any, ex: Exchange) -> bool:
        """Did a recorded write make this object before this reply showed it? (then the replay makes it)"""
        at = getattr(self.made, kind).get(key)
        return at is not None and at < ex.data["order"]

    # --- the replies -----------------------------------------------------------------------------------

    def read(self) -> None:
        for ex in self.exchanges:
            if not ex.ok:
                continue
            body = ex.body
            if ex.method == "purchase.order.list":
                for i, po in enumerate(body.get("purchaseOrders") or []):
                    self.purchase_order(ex, ("purchaseOrders", i), po)
            elif ex.method in F.LISTS:
                key, spec, table = F.LISTS[ex.method]
                for i, item in enumerate(body.get(key) or []):
                    self.master(ex, (key, i), item, spec, table)
            elif ex.method in ("awb.list", "awb.details.list"):
                for i, awb in enumerate(body.get("awbs") or []):
                    self.awb(ex, ("awbs", i), awb)

    def master(self, ex: Exchange, path: tuple, item: Any, spec: dict, table: str) -> None:
        row = self.values(ex, path, item, spec, required=("id",))
        if row is None or (row["id"] in self.rows[table] and self.rows[table][row["id"]].get("_listed")):
            return
        known = self.rows[table].get(row["id"], {})
        self.rows[table][row["id"]] = {**known, **row, "_listed": True}
        self.keep(table, row["id"], item, spec)

    def seen(self, table: str, ident: int | None, **values) -> None:
        """An object a PO showed only in part (a vendor's name on a PO): what a list shows wins."""
        if ident is None:
            return
        row = self.rows[table].setdefault(ident, {"id": ident})
        for column, value in values.items():
            if value is not None:
                row.setdefault(column, value)

    def purchase_order(self, ex: Exchange, path: tuple, po: Any) -> None:
        row = self.values(ex, path, po, F.PURCHASE_ORDER, ("id", "number", "shipDate", "vendorId", "status"))
        if row is None or self.made_before("pos", row["id"], ex):
            return
        self.seen_by_token[ex.token or ""].add(row["vendor_id"])
        if row["id"] not in self.rows["purchase_orders"]:
            stamp = ex.time
            row = {"created_on": stamp, "updated_on": stamp, "comments": "", **row}
            self.rows["purchase_orders"][row["id"]] = row
            self.keep("purchase_orders", row["id"], po, F.PURCHASE_ORDER)
            self.seen("vendors", row["vendor_id"], name=po.get("vendorName"), port_origin=po.get("origin"))
            self.seen("locations", row.get("location_id"), name=po.get("locationName"))
        header = self.rows["purchase_orders"][row["id"]]
        for j, line in enumerate(po.get("details") or []):
            self.line(ex, (*path, "details", j), line, header)

    def line(self, ex: Exchange, path: tuple, line: Any, po: dict) -> None:
        row = self.values(ex, path, line, F.LINE, ("poItemId", "totalBoxes", "lineItemStatus"))
        if row is None or self.made_before("items", row["id"], ex) or row["id"] in self.rows["po_items"]:
            return
        if row.get("quantity_confirmed", 0) > row["total_boxes"] or row["total_boxes"] < 0:
            self.problem(
                ex, (*path, "quantityConfirmed"), "more boxes confirmed than ordered (or fewer than 0)"
            )
            return
        box_code = line.get("boxType")
        row.update(
            company_id=self.company_id,
            po_id=po["id"],
            box_type_id=self.boxtype(box_code) if isinstance(box_code, str) and box_code else None,
            created_on=po["created_on"],
            updated_on=po["updated_on"],
        )
        row.setdefault("product_description", "")
        row.setdefault("units", 0)
        row.setdefault("bunches", 0)
        row.setdefault("stems_bunch", 0)
        self.rows["po_items"][row["id"]] = row
        self.keep("po_items", row["id"], line, F.LINE)
        self.seen("products", row.get("product_id"), description=row["product_description"])
        self.seen(
            "customers", row.get("customer_id"), name=line.get("customerName"), mark_code=row.get("mark_code")
        )
        self.seen("carriers", row.get("carrier_id"), name=line.get("carrierName"))
        for k, part in enumerate(line.get("breakdowns") or []):
            sub = self.values(ex, (*path, "breakdowns", k), part, F.BREAKDOWN)
            if sub is not None:
                ident = self.local("breakdown")
                self.rows["breakdowns"][ident] = {"id": ident, "po_item_id": row["id"], **sub}
                self.keep("breakdowns", ident, part, F.BREAKDOWN)
                self.seen("products", sub.get("product_id"), description=sub.get("product_description"))
        for k, custom in enumerate(line.get("customFields") or []):
            sub = self.values(ex, (*path, "customFields", k), custom, F.CUSTOM_FIELD, tuple(F.CUSTOM_FIELD))
            if sub is not None:
                ident = self.local("custom_field")
                self.rows["custom_fields"][ident] = {"id": ident, "po_item_id": row["id"], **sub}
                self.keep("custom_fields", ident, custom, F.CUSTOM_FIELD)
        for k, box in enumerate(line.get("boxes") or []):
            sub = self.values(ex, (*path, "boxes", k), box, F.BOX, ("boxCode", "lotNumber"))
            if sub is not None and self.made_before("boxes", sub["code"], ex):
                if lot_in_komet_range(sub["lot_number"]):  # a grower may not send one (K8): Komet gave it
                    self.made.komet_lots.append(int(sub["lot_number"]))
                continue
            if sub is None or sub["code"] in self.rows["boxes"]:
                continue
            self.rows["boxes"][sub["code"]] = {"po_item_id": row["id"], "status_id": 1, **sub}
            self.keep("boxes", sub["code"], box, F.BOX)

    def awb(self, ex: Exchange, path: tuple, awb: Any) -> None:
        row = self.values(ex, path, awb, F.AWB, ("awbId", "awb", "shipDate"))
        if row is None:
            return
        if self.made_before("awbs", awb_key(row["awb"]), ex):
            self.made.awb_ids.add(row["id"])
            return
        if row["id"] not in self.rows["awbs"]:
            self.rows["awbs"][row["id"]] = {"origin": "", "arrival_date": row["ship_date"], **row}
            self.keep("awbs", row["id"], awb, F.AWB)
        for k, box in enumerate(awb.get("boxes") or []):
            sub = self.values(ex, (*path, "boxes", k), box, F.AWB_BOX, ("code", "poItemId"))
            if sub is not None and not self.made_before("boxes", sub["code"], ex):
                self.box_links.setdefault(sub["code"], {**sub, "awb_id": row["id"]})

    # --- made-up values and ids ---------------------------------------------------------------------

    def local(self, kind: str) -> int:
        """Ids no reply shows (a breakdown's, a box's): numbered from komet_sim's start, in order."""
        self.next_local[kind] += 1
        return ID_STARTS[kind] + self.next_local[kind] - 1

    def boxtype(self, code: str) -> int:
        for ident, row in self.rows["boxtypes"].items():
            if str(row.get("code", "")).upper() == code.upper():
                return ident
        ident = -(len(self.rows["boxtypes"]) + 1)  # a box type no list showed: its id is made up later
        self.rows["boxtypes"][ident] = {"id": ident, "code": code}
        return ident


def build(exchanges: list[Exchange], keep_extras: bool = True) -> Imported:
    from .finish import finish  # the second half: made-up values, boxes onto AWBs, tokens, sequences

    builder = Builder(exchanges, keep_extras)
    builder.read()
    return finish(builder)


def refused_as_invalid(ex: Exchange) -> bool:
    text = ex.message.lower()
    return ex.message == INVALID_TOKEN or ("invalid" in text and "token" in text)


def refused_as_not_enabled(ex: Exchange) -> bool:
    return (ex.message.startswith(NOT_ENABLED[0]) and ex.message.endswith(NOT_ENABLED[1])) or (
        "not enabled" in ex.message.lower()
    )


def token_rows(builder: Builder) -> tuple[list[dict], dict[str, dict]]:
    """A token for each placeholder that Komet accepted at least once: its methods are all but those Komet
    said were not enabled; a Vendor token of the one vendor whose POs it saw, else a Company token."""
    calls: dict[str, list[Exchange]] = defaultdict(list)
    for ex in builder.exchanges:
        if ex.token:
            calls[ex.token].append(ex)
    vendors = sorted(i for i in builder.rows["vendors"] if isinstance(i, int))
    rows, tokens = [], {}
    for n, (placeholder, made) in enumerate(sorted(calls.items()), start=1):
        answered = [e for e in made if e.reply is not None and isinstance(e.body, dict)]
        if answered and all(refused_as_invalid(e) for e in answered):
            builder.notes.append(f"{placeholder}: Komet refused it as invalid every time; not made")
            continue
        off = {e.method for e in answered if e.refused and refused_as_not_enabled(e)}
        methods = [m for m in TOKEN_METHODS if m not in off]
        seen = builder.seen_by_token.get(placeholder) or set()
        vendor = (
            next(iter(seen)) if len(seen) == 1 else (vendors[0] if not seen and len(vendors) == 1 else None)
        )
        kind = "Vendor" if vendor is not None else "Company"
        tokens[placeholder] = {"type": kind, "vendorId": vendor, "methods": methods}
        rows.append(
            {
                "id": n,
                "company_id": builder.company_id,
                "token": placeholder,
                "token_hash": token_hash(placeholder),
                "type": kind,
                "vendor_id": vendor,
                "description": f"recorded token {placeholder}",
                "methods": json.dumps(methods),
                "created_on": builder.exchanges[0].time if builder.exchanges else "2000-01-01T00:00:00",
            }
        )
    return rows, tokens
