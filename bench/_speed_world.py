"""The world bench/speed.py measures: Komet's `purchase.order.list` for one ship date of 20 POs × 5 lines (82 KB)
with a Company token, in process or in a served Komet, and the same world with many more lines stored on other
days (the 1 M lines row)."""

from __future__ import annotations

import json

import _servers as sv

SEED = {"seed": 7, "vendors": 1, "shipDays": 1, "posPerDay": 20, "linesPerPo": 5}
TOKEN = {"type": "Company", "methods": "all", "description": "bench"}


def seeded_app():
    """In process: the po_list world, a Company token, the query and the reply bytes."""
    import komet_sim

    app = komet_sim.create_app({"seed": SEED["seed"], "quota_per_user": 10**9})
    client = app.test_client()
    world = client.post("/__sim/seed", json=SEED).get_json()
    token = client.post("/__sim/komet/tokens", json=TOKEN).get_json()["token"]
    query = {"authenticationToken": token, "date": world["shipDates"][0]}
    body = client.get(sv.PATH, query_string=query).get_data()
    _check_body(body)
    return app, query, body


def _check_body(body: bytes) -> None:
    data = json.loads(body)
    assert str(data.get("status")) == "1", body[:300]
    assert len(data["purchaseOrders"]) == 20 and sum(len(p["details"]) for p in data["purchaseOrders"]) == 100


def seed_served(url: str) -> tuple[dict, bytes]:
    """The po_list world in a served Komet (reset first; quota raised so wrk never meets it)."""
    import requests

    s = requests.Session()
    s.post(f"{url}/__sim/reset", timeout=60).raise_for_status()
    made = s.post(f"{url}/__sim/seed", json=SEED, timeout=60).json()
    ns = {"X-Kasim-Namespace": str(made["companyId"])}
    s.patch(
        f"{url}/__sim/komet/company", json={"paidUsers": 1000, "quotaPerUser": 10**6}, headers=ns, timeout=30
    )
    token = s.post(f"{url}/__sim/komet/tokens", json=TOKEN, headers=ns, timeout=30).json()["token"]
    query = {"authenticationToken": token, "date": made["shipDates"][0]}
    body = s.get(url + sv.PATH, params=query, timeout=30).content
    _check_body(body)
    return query, body


def scaled_app(lines: int):
    """The po_list world plus `lines` more lines on other ship dates (20,000 POs of `lines/20000` lines, copied
    from the world's own rows), then the reply bytes of the measured day."""
    app, query, body = seeded_app()
    world = app.extensions["kasim.world"]
    c = world.store.conn
    per_po = 50
    pos = lines // per_po
    cols = [r[1] for r in c.execute("PRAGMA table_info(po_items)")]
    po_cols = [r[1] for r in c.execute("PRAGMA table_info(purchase_orders)")]
    first_po, first_item = c.execute("SELECT min(po_id), min(id) FROM po_items").fetchone()
    po_expr = ", ".join(
        {
            "id": "10000000 + n",
            "number": "'B' || n",
            "ship_date": "date(ship_date, '+' || (1 + n % 300) || ' days')",
        }.get(col, col)
        for col in po_cols
    )
    item_expr = ", ".join(
        {"id": "20000000 + n", "po_id": f"10000000 + n / {per_po}"}.get(col, col) for col in cols
    )
    # Column names from the schema, numbers from here: nothing outside this function reaches the SQL.
    copy_pos = (
        f"WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < {pos}) "  # noqa: S608
        f"INSERT INTO purchase_orders ({', '.join(po_cols)}) SELECT {po_expr} FROM seq, purchase_orders "
        f"WHERE id = {first_po}"
    )
    copy_lines = (
        f"WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < {lines}) "  # noqa: S608
        f"INSERT INTO po_items ({', '.join(cols)}) SELECT {item_expr} FROM seq, po_items "
        f"WHERE id = {first_item}"
    )
    with world.store.tx():
        c.execute(copy_pos)
        c.execute(copy_lines)
    c.execute("ANALYZE")
    stored = c.execute("SELECT count(*) FROM po_items").fetchone()[0]
    return app, query, body, stored
