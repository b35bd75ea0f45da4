"""The second half of an import: what no reply showed but komet_sim needs, boxes onto their AWBs, the tokens,
the id sequences a replay must continue, and the snapshot itself (`PUT /__sim/state`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from komet_sim.decisions import awb_key, lot_in_komet_range
from komet_sim.domain.world import ID_STARTS
from komet_sim.messages import MESSAGES

from .world import FBE, Builder, Imported, token_rows

TYPE_REFUSED = MESSAGES["token_type_refused"]
TABLE_KIND = {  # the sequence each table's ids come from (komet_sim.domain.world.ID_STARTS)
    "vendors": "vendor",
    "customers": "customer",
    "products": "product",
    "boxtypes": "boxtype",
    "carriers": "carrier",
    "locations": "location",
    "purchase_orders": "po",
    "po_items": "po_item",
    "breakdowns": "breakdown",
    "custom_fields": "custom_field",
    "awbs": "awb",
    "boxes": "box",
    "tokens": "token",
    "users": "user",
}
MADE_UP: dict[
    str, dict[str, Callable[[dict], Any] | None]
] = {  # table → column → how to make it up (None: the start)
    "vendors": {
        "name": lambda r: f"Vendor {r['id']}",
        "code": lambda r: f"V{r['id']}",
        "port_origin": lambda r: "",
    },
    "customers": {
        "name": lambda r: f"Customer {r['id']}",
        "code": lambda r: f"C{r['id']}",
        "mark_code": lambda r: "",
        "updated_on": None,
    },
    "products": {"description": lambda r: f"Product {r['id']}"},
    "carriers": {"code": lambda r: f"CR{r['id']}", "name": lambda r: f"Carrier {r['id']}"},
    "locations": {"name": lambda r: f"Location {r['id']}", "code": lambda r: f"L{r['id']}"},
    "boxtypes": {"fbe": lambda r: FBE.get(str(r.get("code", "")).upper(), 0.5)},
}


def finish(b: Builder) -> Imported:
    start = b.exchanges[0].time if b.exchanges else "2000-01-01T00:00:00"
    _made_up(b, start)
    _boxtype_ids(b)
    _boxes(b, start)
    tokens, known = token_rows(b)
    tables = {t: [_clean(r, b.company_id) for r in rows.values()] for t, rows in b.rows.items() if rows}
    tables["tokens"] = tokens
    tables["companies"] = [
        {
            "company_id": b.company_id,
            "name": f"Imported importer {b.company_id}",
            "code": f"IMP{b.company_id}",
            "paid_users": 1,
            "quota_per_user": max(1000, 2 * len(b.exchanges)),
            "profile": _profile(b),
            "lot_sequence": _lot_sequence(b),
            "created_on": start,
        }
    ]
    tables["users"] = [
        {
            "id": 1,
            "company_id": b.company_id,
            "username": f"admin@imported{b.company_id}.example",
            "password": "komet123",
            "name": "Imported importer's admin",
            "role": "Admin",
            "paid": 1,
        }
    ]
    tables["recorded_extras"] = [
        {
            "company_id": b.company_id,
            "entity": table,
            "entity_id": ident,
            "fields": json.dumps(fields, ensure_ascii=False),
        }
        for (table, ident), fields in b.extras.items()
    ]
    tables["sequences"] = _sequences(b, tables)
    ordered = {t: tables.get(t, []) for t in SNAPSHOT_ORDER}
    snapshot = {"app": "komet", "seed": 0, "clock": {"now": start, "running": False}, "tables": ordered}
    return Imported(snapshot, b.company_id, known, b.problems, b.notes)


SNAPSHOT_ORDER = (
    "sequences",
    "companies",
    "users",
    "tokens",
    "vendors",
    "customers",
    "products",
    "boxtypes",
    "carriers",
    "locations",
    "purchase_orders",
    "po_items",
    "breakdowns",
    "custom_fields",
    "awbs",
    "boxes",
    "recorded_extras",
)


def _template(text: str) -> re.Pattern[str]:
    """A message template as a pattern: each `{name}` stands for one word (a method, a token type)."""
    return re.compile(re.sub(r"\\\{\w+\\\}", r"\\S+", re.escape(text)) + r"\Z")


TYPE_REFUSED_RE = _template(TYPE_REFUSED)


def _profile(b: Builder) -> str:
    """`strict` when Komet refused a method for the token's type, which the documented profile never does (K4)."""
    refused = any(e.refused and TYPE_REFUSED_RE.match(e.message) for e in b.exchanges)
    return "strict" if refused else "documented"


def _clean(row: dict, company_id: int) -> dict:
    return {"company_id": company_id, **{k: v for k, v in row.items() if not k.startswith("_")}}


def _made_up(b: Builder, start: str) -> None:
    for table, columns in MADE_UP.items():
        for row in b.rows[table].values():
            invented = []
            for column, make in columns.items():
                if row.get(column) is None:
                    row[column] = start if make is None else make(row)
                    invented.append(column)
            if invented and row["id"] is not None and (not isinstance(row["id"], int) or row["id"] > 0):
                b.notes.append(f"{table} {row['id']}: {', '.join(invented)} not recorded; made up")


def _boxtype_ids(b: Builder) -> None:
    """A box type only a line showed (its code) gets the next id after the known ones."""
    rows = b.rows["boxtypes"]
    taken = [i for i in rows if i > 0]
    after = max(taken, default=ID_STARTS["boxtype"] - 1)
    for old in sorted((i for i in rows if i < 0), reverse=True):
        after += 1
        row = rows.pop(old)
        row["id"] = after
        rows[after] = row
        b.notes.append(f"box type {row['code']}: its id was not recorded; made up as {after}")
        for item in b.rows["po_items"].values():
            if item.get("box_type_id") == old:
                item["box_type_id"] = after


def _boxes(b: Builder, start: str) -> None:
    """Boxes get ids and their AWB (from an AWB list, else one made up per ship date); a line's AWB, lot and
    house AWB are its boxes'. A box only an AWB list showed joins its line, if the line was imported."""
    for code, link in b.box_links.items():
        if code not in b.rows["boxes"] and link["po_item_id"] in b.rows["po_items"]:
            b.rows["boxes"][code] = {
                "code": code,
                "po_item_id": link["po_item_id"],
                "lot_number": link.get("lot_number", ""),
                "status_id": link.get("status_id", 1),
            }
    by_code = b.rows.pop("boxes", {})
    boxes: dict[int, dict] = {}
    for n, (code, box) in enumerate(by_code.items(), start=ID_STARTS["box"]):
        item = b.rows["po_items"].get(box["po_item_id"])
        if item is None:
            continue
        po = b.rows["purchase_orders"][item["po_id"]]
        linked = b.box_links.get(code)
        awb_id = linked["awb_id"] if linked else _unknown_awb(b, po)
        box.update(
            id=n,
            awb_id=awb_id,
            house_awb=(linked or {}).get("house_awb"),
            shipped_on=po["updated_on"],
            received_on=po["updated_on"] if box.get("status_id") == 2 else None,
        )
        boxes[n] = box
        if ("boxes", code) in b.extras:
            b.extras[("boxes", n)] = b.extras.pop(("boxes", code))
        item.setdefault("awb_id", awb_id)
        item.setdefault("lot_number", box["lot_number"])
        item.setdefault("house_awb", box["house_awb"])
    b.rows["boxes"] = boxes


def _unknown_awb(b: Builder, po: dict) -> int:
    """Boxes of a shipped line whose AWB no reply named: one made-up AWB per ship date, said so."""
    number = "000-" + po["ship_date"].replace("-", "")
    for ident, row in b.rows["awbs"].items():
        if row["awb"] == number:
            return ident
    ident = max([*b.rows["awbs"], ID_STARTS["awb"] - 1, *b.made.awb_ids]) + 1
    vendor = b.rows["vendors"].get(po["vendor_id"], {})
    b.rows["awbs"][ident] = {
        "id": ident,
        "awb": number,
        "origin": vendor.get("port_origin") or "",
        "ship_date": po["ship_date"],
        "arrival_date": po["ship_date"],
    }
    b.notes.append(f"AWB {number} (id {ident}): made up for shipped boxes whose AWB no reply named")
    return ident


def _finish_awbs(rows: list[dict]) -> None:
    for row in rows:
        row.setdefault("awb_digits", awb_key(row["awb"]))
        row.setdefault("created_on", row["ship_date"] + "T00:00:00")


def _lot_sequence(b: Builder) -> int:
    """The lot Komet gives next (K8): the first a recorded write got, else after the highest already seen."""
    if b.made.komet_lots:
        return min(b.made.komet_lots) - 1
    seen = [
        int(box["lot_number"]) for box in b.rows["boxes"].values() if lot_in_komet_range(box["lot_number"])
    ]
    return max([*seen, 1000])


def _sequences(b: Builder, tables: dict) -> list[dict]:
    """Each id sequence where the replay must continue it: just before the first id a recorded write got,
    else after the highest id imported (komet_sim's sequences are shared by every company)."""
    _finish_awbs(tables.get("awbs", []))
    made = {
        "po": b.made.pos,
        "po_number": b.made.po_numbers,
        "po_item": b.made.items,
        "awb": dict.fromkeys(b.made.awb_ids, 0),
    }
    out = []
    for kind, start in ID_STARTS.items():
        table = next((t for t, k in TABLE_KIND.items() if k == kind), None)
        ids = [r["id"] for r in tables.get(table, [])] if table else []
        if kind == "company":
            ids = [b.company_id]
        if kind == "po_number":
            ids = [int(r["number"]) for r in tables.get("purchase_orders", []) if str(r["number"]).isdigit()]
        value = max([*ids, start - 1])
        first_made = min(made.get(kind, {}), default=None)
        if first_made is not None:
            if first_made - 1 >= value:
                value = first_made - 1
            else:
                b.notes.append(f"{kind} {first_made}: a recorded write got an id below one already seen")
        out.append({"name": kind, "value": value})
    return out
