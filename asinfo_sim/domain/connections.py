"""Importer connections (A1): Komet base URL, Vendor token, importer company ID, the grower's customer id
for that importer; and "Test connection", which says in words what is wrong."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from simkit.params import P

from ..decisions import SYNC_WINDOW_DAYS
from ..komet_client import KometRefused, KometUnavailable
from ..messages import MESSAGES, explain
from .errors import BadInput, Conflict, NotFound

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld


def mask(token: str) -> str:
    return f"{token[:4]}…{token[-2:]}" if len(token) > 8 else "…"


def connection_view(r) -> dict:
    return {
        "id": r["id"],
        "accountId": r["account_id"],
        "name": r["name"],
        "kometUrl": r["komet_url"],
        "token": mask(r["token"]),
        "companyId": r["company_id"],
        "customerId": r["customer_id"],
        "syncDays": r["sync_days"],
        "background": bool(r["background"]),
        "status": r["status"],
        "statusMessage": r["status_message"],
        "testedOn": r["tested_on"],
        "lastSyncOn": r["last_sync_on"],
        "createdOn": r["created_on"],
    }


def komet_url(url: str) -> str:
    """The Komet base URL as the client uses it: without a trailing slash or /api."""
    if not _usable_url(url):
        raise ValueError("the Komet base URL, e.g. https://api.kometsales.com")
    return url.rstrip("/").removesuffix("/api")


def vendor_token(token: str) -> str:
    token = token.strip()
    if not token or len(token) > 50 or " " in token:
        raise ValueError("the Vendor token the importer sent (up to 50 characters, no spaces)")
    return token


CONNECTION = (
    P("name", "str", True, size=100, check=str.strip, reason="the importer's name, 1 to 100 characters"),
    P("kometUrl", "str", True, check=komet_url),
    P("token", "str", True, check=vendor_token),
    # Copied from the importer's message: the company ID may come as text.
    P(
        "companyId",
        "int",
        True,
        low=1,
        lenient=True,
        reason="the importer's Komet company ID, a positive number",
    ),
    P(
        "customerId",
        "str",
        size=20,
        lenient=True,
        reason="your own customer id for this importer, up to 20 characters",
    ),
    P(
        "syncDays",
        "int",
        low=0,
        high=60,
        default=SYNC_WINDOW_DAYS,
        reason="how many days ahead to sync, 0 to 60",
    ),
    # False: no background polling or retries for this connection; whoever drives it (a scenario) syncs and
    # retries itself, when its steps say so.
    P(
        "background",
        "bool",
        default=True,
        reason="true (poll and retry in the background when served) or false",
    ),
)


def _usable_url(url: str) -> bool:
    """http(s), a host a client can connect to, a valid port: what requests will accept later."""
    if any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is not a number or out of range
    except ValueError:
        return False
    host = parts.hostname or ""
    labels = host.split(".")
    return parts.scheme in ("http", "https") and bool(host) and all(labels) and (port is None or port > 0)


def get_row(c: sqlite3.Connection, account_id: int, connection_id: int):
    row = c.execute(
        "SELECT * FROM connections WHERE id = ? AND account_id = ?", (connection_id, account_id)
    ).fetchone()
    if row is None:
        raise NotFound("connectionId", f"connection {connection_id} does not exist")
    return row


def get_connection(world: AsinfoWorld, account_id: int, connection_id: int) -> dict:
    with world.store.read() as c:
        return connection_view(get_row(c, account_id, connection_id))


def list_connections(world: AsinfoWorld, account_id: int) -> list[dict]:
    return [
        connection_view(r)
        for r in world.store.all("SELECT * FROM connections WHERE account_id = ? ORDER BY id", (account_id,))
    ]


def create_connection(
    world: AsinfoWorld,
    account_id: int,
    *,
    name: str,
    komet_url: str,
    token: str,
    company_id: int,
    customer_id: str | None = None,
    sync_days: int = SYNC_WINDOW_DAYS,
    background: bool = True,
) -> dict:
    """A connection from values checked by CONNECTION; one per importer (Komet URL and company ID)."""
    values = {
        "name": name,
        "komet_url": komet_url,
        "token": token,
        "company_id": company_id,
        "customer_id": customer_id,
        "sync_days": sync_days,
        "background": int(background),
    }
    stamp = world.clock.stamp()
    with world.store.tx() as c:
        if c.execute(
            "SELECT 1 FROM connections WHERE account_id = ? AND komet_url = ? AND company_id = ?",
            (account_id, komet_url, company_id),
        ).fetchone():
            raise Conflict("companyId", "this importer (same Komet URL and company ID) is already connected")
        connection_id = world.next_id("connection")
        cols = ", ".join(values)
        c.execute(
            f"INSERT INTO connections(id, account_id, {cols}, created_on, updated_on) "
            f"VALUES (?, ?{', ?' * len(values)}, ?, ?)",
            (connection_id, account_id, *values.values(), stamp, stamp),
        )
    return get_connection(world, account_id, connection_id)


KEEP = object()  # update_connection: a customer id not given is kept (None clears it)


def update_connection(
    world: AsinfoWorld,
    account_id: int,
    connection_id: int,
    *,
    name: str | None = None,
    komet_url: str | None = None,
    token: str | None = None,
    company_id: int | None = None,
    customer_id: str | object | None = KEEP,
    sync_days: int | None = None,
    background: bool | None = None,
) -> dict:
    """Change what is given (checked by CONNECTION, partially); a new URL, token or company must be tested."""
    given = {
        "name": name,
        "komet_url": komet_url,
        "token": token,
        "company_id": company_id,
        "sync_days": sync_days,
        "background": None if background is None else int(background),
    }
    values: dict[str, object] = {column: value for column, value in given.items() if value is not None}
    if customer_id is not KEEP:
        values["customer_id"] = customer_id
    with world.store.tx() as c:
        row = get_row(c, account_id, connection_id)
        url, company = values.get("komet_url", row["komet_url"]), values.get("company_id", row["company_id"])
        if url != row["komet_url"] and "token" not in values:
            # The stored token goes wherever the URL points: moving it needs the token again (A1).
            raise BadInput("token", MESSAGES["token_for_new_url"])
        if c.execute(
            "SELECT 1 FROM connections WHERE account_id = ? AND komet_url = ? AND company_id = ? AND id != ?",
            (account_id, url, company, connection_id),
        ).fetchone():
            raise Conflict(
                "companyId",
                "another connection already goes to this importer (same Komet URL and company ID)",
            )
        for column, value in values.items():
            c.execute(f"UPDATE connections SET {column} = ? WHERE id = ?", (value, connection_id))
        if {"komet_url", "token", "company_id"} & values.keys():
            c.execute(
                "UPDATE connections SET status = 'untested', status_message = '' WHERE id = ?",
                (connection_id,),
            )
        c.execute("UPDATE connections SET updated_on = ? WHERE id = ?", (world.clock.stamp(), connection_id))
    return get_connection(world, account_id, connection_id)


def delete_connection(world: AsinfoWorld, account_id: int, connection_id: int) -> dict:
    """Everything of the connection goes with it, unless work is still waiting to reach Komet."""
    with world.store.tx() as c:
        get_row(c, account_id, connection_id)
        waiting = c.execute(
            "SELECT count(*) FROM outbox WHERE connection_id = ? AND state = 'pending'", (connection_id,)
        ).fetchone()[0]
        if waiting:
            raise Conflict(
                "connectionId",
                f"{waiting} item(s) are still waiting to reach Komet; "
                "let them finish, or cancel them (DELETE /api/outbox/<id>), before deleting this connection",
            )
        awbs = "SELECT id FROM awbs WHERE connection_id = ?"
        c.execute(
            f"DELETE FROM shipment_lines WHERE shipment_id IN (SELECT id FROM shipments WHERE awb_id IN ({awbs}))",
            (connection_id,),
        )
        c.execute(f"DELETE FROM shipments WHERE awb_id IN ({awbs})", (connection_id,))
        c.execute(f"DELETE FROM boxes WHERE awb_id IN ({awbs})", (connection_id,))
        for table in ("awbs", "outbox", "sync_log", "lines", "orders", "connections"):
            column = "id" if table == "connections" else "connection_id"
            c.execute(f"DELETE FROM {table} WHERE {column} = ?", (connection_id,))
    return {"deleted": connection_id}


def test_connection(world: AsinfoWorld, account_id: int, connection_id: int) -> dict:
    """One cheap authenticated call (the list sync needs, for today); the answer in words."""
    with world.store.read() as c:
        row = get_row(c, account_id, connection_id)
    today = world.clock.today().isoformat()
    try:
        # Today's list only proves the token works: its count says nothing of the days a sync pulls.
        world.komet(row).call("purchase.order.list", date=today)
        ok, message = True, MESSAGES["connection_ok"].format(days=row["sync_days"])
    except (KometRefused, KometUnavailable) as exc:
        ok, message = False, explain(exc)
    with world.store.tx() as c:
        c.execute(
            "UPDATE connections SET status = ?, status_message = ?, tested_on = ? WHERE id = ?",
            ("ok" if ok else "error", message, world.clock.stamp(), connection_id),
        )
    return {"ok": ok, "message": message, "connection": get_connection(world, account_id, connection_id)}
