"""K28: fields kasim does not model, kept from a recording of a real Komet and returned as they were recorded.

`kasim import` writes them to `recorded_extras` (one JSON object per row of a modelled table); a reply built
from such a row gets them after its own fields, in the recorded order. A modelled field always wins: an extra
never overrides what the simulator computes.
"""

from __future__ import annotations

import json
import sqlite3

ENTITIES = (
    "purchase_orders",
    "po_items",
    "boxes",
    "breakdowns",
    "custom_fields",
    "vendors",
    "customers",
    "products",
    "boxtypes",
    "carriers",
    "locations",
    "awbs",
)


def load(c: sqlite3.Connection, company_id: int, entities: tuple[str, ...]) -> dict[str, dict[int, dict]]:
    """{entity: {row id: fields}} of one company; empty (one indexed lookup) when nothing was imported."""
    marks = ",".join("?" * len(entities))
    out: dict[str, dict[int, dict]] = {}
    for r in c.execute(
        f"SELECT entity, entity_id, fields FROM recorded_extras WHERE company_id = ? AND entity IN ({marks})",
        (company_id, *entities),
    ):
        out.setdefault(r["entity"], {})[r["entity_id"]] = json.loads(r["fields"])
    return out


def merged(view: dict, fields: dict | None) -> dict:
    if fields:
        for key, value in fields.items():
            view.setdefault(key, value)
    return view


def merge_all(
    c: sqlite3.Connection, company_id: int, entity: str, views: list[dict], rows: list, key: str = "id"
) -> list[dict]:
    """Each view of `rows` (the same order) with its row's extras, for the master-data and AWB lists."""
    found = load(c, company_id, (entity,)).get(entity) if rows else None
    if found:
        for view, row in zip(views, rows, strict=True):
            merged(view, found.get(row[key]))
    return views
