"""Master data lists (boxtype, product, vendor, carrier, location, customer) and lookups by id or code.

Filter rules (docs/komet-api.md §1.7): ids and codes match exactly, names and descriptions as SQL LIKE,
all case-insensitive.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from simkit.errors import BadInput

from ..decisions import reference
from . import extras
from .tokens import Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld

EXACT, LIKE, EXACT_NUM, SINCE = "exact", "like", "num", "since"


def _listed(world: KometWorld, caller: Caller, table: str, view, rows: list) -> list[dict]:
    """The rows' views, each with the fields a recording kept for it (K28)."""
    with world.store.read() as c:
        return extras.merge_all(c, caller.company_id, table, [view(r) for r in rows], rows)


def like_pattern(value) -> str:
    """A LIKE pattern matching `value` anywhere, its own % and _ taken literally (ESCAPE '\\')."""
    escaped = str(value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(filters: dict, spec: dict[str, tuple[str, str]]) -> tuple[str, list]:
    clauses, args = [], []
    for param, (column, how) in spec.items():
        value = filters.get(param)
        if value is None:
            continue
        if how == EXACT_NUM:
            clauses.append(f"{column} = ?")
            args.append(value)
        elif how == EXACT:
            clauses.append(f"lower({column}) = lower(?)")
            args.append(str(value))
        elif how == LIKE:
            clauses.append(f"{column} LIKE ? ESCAPE '\\'")
            args.append(like_pattern(value))
        elif how == SINCE:
            clauses.append(f"substr({column}, 1, 10) >= ?")
            args.append(str(value))
    return "".join(f" AND {c}" for c in clauses), args


def boxtype_view(r: sqlite3.Row) -> dict:
    return {
        "id": r["id"],
        "code": r["code"],
        "kometNetworkName": r["komet_network_name"],
        "kometNetworkId": reference(r["komet_network_id"]),
        "fbe": r["fbe"],
    }


def list_boxtypes(world: KometWorld, caller: Caller, f: dict) -> list[dict]:
    where, args = _where(f, {"id": ("id", EXACT_NUM), "code": ("code", EXACT)})
    rows = world.store.all(
        f"SELECT * FROM boxtypes WHERE company_id = ?{where} ORDER BY code", (caller.company_id, *args)
    )
    return _listed(world, caller, "boxtypes", boxtype_view, rows)


def product_view(r: sqlite3.Row) -> dict:
    return {
        "id": r["id"],
        "description": r["description"],
        "active": r["active"],
        "category": r["category"],
        "divisionId": reference(r["division_id"]),
        "divisionDescription": r["division_description"],
        "variety": r["variety"],
        "color": r["color"],
        "grade": r["grade"],
        "legacyCode": r["legacy_code"],
        "tags": r["tags"],
    }


def list_products(world: KometWorld, caller: Caller, f: dict) -> list[dict]:
    """UNKNOWN products are aliases not mapped in the company: they are not in the catalogue."""
    where, args = _where(
        f,
        {"id": ("id", EXACT_NUM), "description": ("description", LIKE), "legacyCode": ("legacy_code", EXACT)},
    )
    rows = world.store.all(
        f"SELECT * FROM products WHERE company_id = ? AND unknown = 0{where} ORDER BY description, id",
        (caller.company_id, *args),
    )
    return _listed(world, caller, "products", product_view, rows)


def vendor_view(r: sqlite3.Row) -> dict:
    view = {
        "id": r["id"],
        "name": r["name"],
        "code": r["code"],
        "portOrigin": r["port_origin"],
        "active": r["active"],
    }
    if r["cargo_master_code"]:
        view["cargoMasterCode"] = r["cargo_master_code"]
    return view


def list_vendors(world: KometWorld, caller: Caller, f: dict) -> list[dict]:
    where, args = _where(
        f,
        {
            "id": ("id", EXACT_NUM),
            "name": ("name", LIKE),
            "code": ("code", EXACT),
            "portOrigin": ("port_origin", EXACT),
        },
    )
    if not f.get("includeInactive"):
        where += " AND active = 1"
    if caller.is_vendor:
        where += " AND id = ?"
        args.append(caller.vendor_id)
    rows = world.store.all(
        f"SELECT * FROM vendors WHERE company_id = ?{where} ORDER BY name, id", (caller.company_id, *args)
    )
    return _listed(world, caller, "vendors", vendor_view, rows)


def carrier_view(r: sqlite3.Row) -> dict:
    return {
        "id": r["id"],
        "code": r["code"],
        "name": r["name"],
        "active": r["active"],
        "street": r["street"],
        "city": r["city"],
        "state": r["state"],
        "zipCode": r["zip_code"],
        "country": r["country"],
        "phone": r["phone"],
        "kometNetworkName": r["komet_network_name"],
        "kometNetworkId": reference(r["komet_network_id"]),
    }


def list_carriers(world: KometWorld, caller: Caller, f: dict) -> list[dict]:
    where, args = _where(
        f,
        {
            "id": ("id", EXACT_NUM),
            "name": ("name", LIKE),
            "code": ("code", EXACT),
            "active": ("active", EXACT_NUM),
        },
    )
    rows = world.store.all(
        f"SELECT * FROM carriers WHERE company_id = ?{where} ORDER BY name, id", (caller.company_id, *args)
    )
    return _listed(world, caller, "carriers", carrier_view, rows)


def location_view(r: sqlite3.Row) -> dict:
    return {"id": r["id"], "name": r["name"], "code": r["code"]}


def list_locations(world: KometWorld, caller: Caller, f: dict) -> list[dict]:
    where, args = _where(f, {"id": ("id", EXACT_NUM), "name": ("name", LIKE), "code": ("code", EXACT)})
    rows = world.store.all(
        f"SELECT * FROM locations WHERE company_id = ?{where} ORDER BY name, id", (caller.company_id, *args)
    )
    return _listed(world, caller, "locations", location_view, rows)


def customer_view(r: sqlite3.Row) -> dict:
    return {
        "id": r["id"],
        "accountingCode": r["accounting_code"],
        "name": r["name"],
        "code": r["code"],
        "active": r["active"],
        "salesPerson": r["sales_person"],
        "salesPersonId": reference(r["sales_person_id"]),
        "customerType": r["customer_type"],
        "updatedOn": r["updated_on"],
    }


def list_customers(world: KometWorld, caller: Caller, f: dict) -> list[dict]:
    where, args = _where(
        f,
        {
            "id": ("id", EXACT_NUM),
            "name": ("name", LIKE),
            "code": ("code", EXACT),
            "salesPersonId": ("sales_person_id", EXACT_NUM),
            "locationId": ("location_id", EXACT_NUM),
            "updateAsOf": ("updated_on", SINCE),
        },
    )
    if not f.get("includeInactive"):
        where += " AND active = 1"
    rows = world.store.all(
        f"SELECT * FROM customers WHERE company_id = ?{where} ORDER BY name, id", (caller.company_id, *args)
    )
    return _listed(world, caller, "customers", customer_view, rows)


def find_one(
    c: sqlite3.Connection, table: str, company_id: int, ident=None, code=None, code_column: str = "code"
):
    """A row of a master-data table by id or by code (case-insensitive), within one company."""
    if ident is not None:
        return c.execute(
            f"SELECT * FROM {table} WHERE id = ? AND company_id = ?", (ident, company_id)
        ).fetchone()
    if code is not None:
        return c.execute(
            f"SELECT * FROM {table} WHERE lower({code_column}) = lower(?) AND company_id = ?",
            (str(code), company_id),
        ).fetchone()
    return None


def set_unknown(world: KometWorld, company_id: int, product_id: int, unknown: bool) -> dict:
    """Unmap a product (it becomes UNKNOWN and cannot ship, K8) or map it again."""
    with world.store.tx() as c:
        if not c.execute(
            "SELECT 1 FROM products WHERE id = ? AND company_id = ?", (product_id, company_id)
        ).fetchone():
            raise BadInput("id", f"product {product_id} does not exist", "not_found")
        c.execute("UPDATE products SET unknown = ? WHERE id = ?", (int(unknown), product_id))
    return {"id": product_id, "unknown": unknown}
