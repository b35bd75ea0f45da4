"""mini-grower: a deliberately small grower system that talks to Komet Sales, written from the API docs only.

It keeps its own state in SQLite (in memory by default): the importer's POs and lines, its AWBs, its boxes
(codes `MG` + digits, lots from 200000 up), and the writes waiting for Komet. It syncs a window of ship dates,
confirms, makes AWBs, prints labels, ships with its own codes and lots, relabels, and recovers from a reply it
never saw by reading the lines back before sending again.

`flaws` turns on deliberately broken behaviour, one per flag, to prove that kasim catches each:

  blind-retry          after a ship whose reply was lost, send the same boxes again without reading back
  komet-lots           lot numbers inside Komet's own range 1000–99999
  reuse-codes          box codes start again at MG00000001 on every AWB
  ignore-retry-after   call again at once after a 429
  ignore-split         never learn newPOItemId: the rest of a split line stays on the old line
  confirm-cancelled    confirm lines Komet shows cancelled
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta

from .komet_api import KometApi, RateLimited, Refused, Unavailable

FLAWS = frozenset(
    {"blind-retry", "komet-lots", "reuse-codes", "ignore-retry-after", "ignore-split", "confirm-cancelled"}
)
SCHEMA = """
CREATE TABLE lines (item INTEGER PRIMARY KEY, po TEXT NOT NULL, ship_date TEXT NOT NULL, ordered INTEGER,
                    confirmed INTEGER NOT NULL DEFAULT 0, status TEXT, po_status TEXT);
CREATE TABLE awbs (number TEXT PRIMARY KEY, ship_date TEXT NOT NULL, lot TEXT NOT NULL, in_doubt INTEGER DEFAULT 0);
CREATE TABLE boxes (code TEXT NOT NULL, item INTEGER NOT NULL, awb TEXT NOT NULL, printed INTEGER DEFAULT 0,
                    shipped INTEGER DEFAULT 0);
CREATE TABLE pending (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, not_before TEXT);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
LOT_START = 200000  # Komet keeps 1000–99999 for itself
FLAWED_LOT_START = 5000


class MiniError(Exception):
    """What the grower tells its user it will not do."""


class MiniGrower:
    def __init__(self, now: Callable[[], datetime], flaws: frozenset[str] = frozenset(), sync_days: int = 3):
        unknown = set(flaws) - FLAWS
        if unknown:
            raise ValueError(f"unknown flaws {sorted(unknown)}; known: {sorted(FLAWS)}")
        self.now = now
        self.flaws = frozenset(flaws)
        self.sync_days = sync_days
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)
        self.api: KometApi | None = None
        self.stopped: str | None = None  # why the connection is unusable (a refused token) until it changes

    # --- connection ---------------------------------------------------------------------------
    def connect(self, komet_url: str, token: str, company_id: int, sync_days: int | None = None) -> dict:
        self.api = KometApi(komet_url, token, self.now)
        self.api.honour_retry_after = "ignore-retry-after" not in self.flaws
        self.company_id = company_id
        if sync_days is not None:
            self.sync_days = sync_days
        return {"komet": komet_url, "companyId": company_id}

    def change_token(self, token: str) -> None:
        if self.api is None:
            raise MiniError("not connected to Komet")
        self.api.token = token
        self.stopped = None

    def _call(self, method: str, **params) -> dict:
        if self.api is None:
            raise MiniError("not connected to Komet")
        if self.stopped:
            raise Refused(self.stopped)
        try:
            return self.api.call(method, **params)
        except Refused as exc:
            if "token" in str(exc).lower():
                self.stopped = str(exc)  # no more calls with this token until the importer sends a new one
            raise

    # --- sync ---------------------------------------------------------------------------------
    def today(self) -> date:
        return self.now().date()

    def sync(self) -> dict:
        lines = 0
        for offset in range(self.sync_days + 1):
            day = (self.today() + timedelta(days=offset)).isoformat()
            reply = self._call("purchase.order.list", date=day)
            lines += self._store(reply)
        return {"lines": lines}

    def _store(self, reply: dict) -> int:
        n = 0
        for po in reply.get("purchaseOrders") or []:
            known_po = self.db.execute("SELECT 1 FROM lines WHERE po = ?", (str(po["number"]),)).fetchone()
            for d in po.get("details") or []:
                item = int(d["poItemId"])
                known = self.db.execute("SELECT * FROM lines WHERE item = ?", (item,)).fetchone()
                if "ignore-split" in self.flaws and known_po and known is None:
                    continue  # the flaw: a line it did not make itself is not its business
                if "ignore-split" in self.flaws and known is not None and self._shipped(item):
                    continue  # the flaw: it trusts its own count of a line it shipped
                self.db.execute(
                    "INSERT INTO lines(item, po, ship_date, ordered, confirmed, status, po_status) "
                    "VALUES (?,?,?,?,?,?,?) ON CONFLICT(item) DO UPDATE SET ordered = excluded.ordered, "
                    "confirmed = excluded.confirmed, status = excluded.status, po_status = excluded.po_status",
                    (
                        item,
                        str(po["number"]),
                        str(po["shipDate"]),
                        int(d["totalBoxes"]),
                        int(d.get("quantityConfirmed") or 0),
                        str(d.get("lineItemStatus")),
                        str(po.get("status")),
                    ),
                )
                for b in d.get("boxes") or []:
                    self.db.execute(
                        "UPDATE boxes SET shipped = 1 WHERE code = ? AND item = ?", (b["boxCode"], item)
                    )
                n += 1
        return n

    def _shipped(self, item: int) -> int:
        return self.db.execute(
            "SELECT COUNT(*) FROM boxes WHERE item = ? AND shipped = 1", (item,)
        ).fetchone()[0]

    # --- confirmations ------------------------------------------------------------------------
    def line(self, po: str, item: int) -> sqlite3.Row:
        row = self.db.execute("SELECT * FROM lines WHERE item = ? AND po = ?", (item, po)).fetchone()
        if row is None:
            raise MiniError(f"no line {item} on PO {po}: sync first")
        return row

    def confirm(self, po: str, item: int, boxes: int) -> dict:
        line = self.line(po, item)
        if (line["status"] == "X" or line["po_status"] == "CA") and "confirm-cancelled" not in self.flaws:
            raise MiniError(f"line {item} is cancelled")
        if boxes > line["ordered"]:
            raise MiniError(f"line {item} has {line['ordered']} boxes ordered")
        self.db.execute("UPDATE lines SET confirmed = ? WHERE item = ?", (boxes, item))
        return self._send("confirm", {"poItemId": item, "quantityConfirmed": boxes})

    def confirm_order(self, po: str, everything: bool) -> list[dict]:
        rows = self.db.execute("SELECT * FROM lines WHERE po = ? ORDER BY item", (po,)).fetchall()
        if not rows:
            raise MiniError(f"no PO {po}: sync first")
        out = []
        for row in rows:
            cancelled = row["status"] == "X" or row["po_status"] == "CA"
            if row["status"] == "S" or (cancelled and "confirm-cancelled" not in self.flaws):
                continue
            wanted = row["ordered"] - self._shipped(row["item"]) if everything else 0
            out.append(self.confirm(po, row["item"], max(wanted, 0)))
        return out

    def delete_line(self, po: str, item: int) -> dict:
        self.line(po, item)
        self._call("purchase.order.item.delete", poItemId=item)
        self.db.execute("UPDATE lines SET status = 'X' WHERE item = ?", (item,))
        return {"deleted": item}

    # --- writes that wait when Komet cannot take them now ---------------------------------------
    def _send(self, kind: str, body: dict) -> dict:
        try:
            self._deliver(kind, body)
            return {"state": "sent", **body}
        except (Unavailable, Refused) as exc:
            self._queue(kind, body, exc)
            return {"state": "waiting", "reason": str(exc), **body}

    def _queue(self, kind: str, body: dict, exc: Exception) -> None:
        not_before = None
        if isinstance(exc, RateLimited) and "ignore-retry-after" not in self.flaws:
            not_before = self.now() + timedelta(seconds=exc.retry_after)
        elif isinstance(exc, Refused) and "limit" in str(exc).lower():
            not_before = datetime.combine(self.today() + timedelta(days=1), datetime.min.time())
        self.db.execute(
            "INSERT INTO pending(kind, body, not_before) VALUES (?,?,?)",
            (kind, json.dumps(body), not_before.isoformat() if not_before else None),
        )

    def _deliver(self, kind: str, body: dict) -> None:
        if kind == "confirm":
            self._call("purchase.order.item.confirm", **body)
        elif kind == "relabel":
            self._call("box.code.change", boxes=[body])
            self.db.execute(
                "UPDATE boxes SET code = ? WHERE code = ?", (body["newBoxCode"], body["currentBoxCode"])
            )
        elif kind == "ship":
            self.ship(body["awb"])

    def retry(self, due: bool = True) -> dict:
        done, waiting = 0, 0
        for row in self.db.execute("SELECT * FROM pending ORDER BY id").fetchall():
            if due and row["not_before"] and self.now() < datetime.fromisoformat(row["not_before"]):
                waiting += 1
                continue
            self.db.execute("DELETE FROM pending WHERE id = ?", (row["id"],))
            body = json.loads(row["body"])
            try:
                self._deliver(row["kind"], body)
                done += 1
            except (Unavailable, Refused) as exc:
                self._queue(row["kind"], body, exc)
                waiting += 1
        return {"done": done, "waiting": waiting}

    # --- AWBs, boxes, labels ------------------------------------------------------------------
    def _next(self, name: str, start: int) -> int:
        row = self.db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
        value = row["value"] + 1 if row else start
        self.db.execute("INSERT OR REPLACE INTO counters(name, value) VALUES (?, ?)", (name, value))
        return value

    def create_awb(self, ship_date: str, airline: str = "729", number: str | None = None) -> dict:
        if number is None:
            serial = self._next("awb", 4100000)
            number = f"{airline}-{serial // 1000:04d}-{serial % 1000:03d}{serial % 7}"
        lot = str(self._next("lot", FLAWED_LOT_START if "komet-lots" in self.flaws else LOT_START))
        self.db.execute("INSERT INTO awbs(number, ship_date, lot) VALUES (?,?,?)", (number, ship_date, lot))
        return {"number": number, "shipDate": ship_date, "lot": lot}

    def awb(self, number: str) -> sqlite3.Row:
        row = self.db.execute("SELECT * FROM awbs WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise MiniError(f"no AWB {number}")
        return row

    def add_boxes(self, awb: str, item: int, boxes: int | None = None) -> list[str]:
        self.awb(awb)
        line = self.db.execute("SELECT * FROM lines WHERE item = ?", (item,)).fetchone()
        on_awbs = self.db.execute("SELECT COUNT(*) FROM boxes WHERE item = ?", (item,)).fetchone()[0]
        free = line["confirmed"] - on_awbs if line else 0
        count = free if boxes is None else boxes
        if count > free:
            raise MiniError(f"line {item} has {free} confirmed boxes not on an AWB")
        codes = []
        for _ in range(count):
            counter = f"box:{awb}" if "reuse-codes" in self.flaws else "box"
            code = f"MG{self._next(counter, 1):08d}"
            self.db.execute("INSERT INTO boxes(code, item, awb) VALUES (?,?,?)", (code, item, awb))
            codes.append(code)
        return codes

    def remove_box(self, awb: str, code: str) -> None:
        self.db.execute("DELETE FROM boxes WHERE awb = ? AND code = ? AND shipped = 0", (awb, code))

    def labels(self, codes: list[str]) -> bytes:
        self.db.executemany("UPDATE boxes SET printed = 1 WHERE code = ?", [(c,) for c in codes])
        return "".join(f"^XA^FO40,40^BCN,120^FD{c}^FS^XZ\n" for c in codes).encode()

    def boxes(self, awb: str | None = None, item: int | None = None) -> list[sqlite3.Row]:
        sql, args = "SELECT * FROM boxes WHERE 1=1", list[object]()
        if awb is not None:
            sql, args = sql + " AND awb = ?", [*args, awb]
        if item is not None:
            sql, args = sql + " AND item = ?", [*args, item]
        return self.db.execute(sql, args).fetchall()

    # --- shipping -----------------------------------------------------------------------------
    def ship(self, awb: str) -> dict:
        row = self.awb(awb)
        if row["in_doubt"] and "blind-retry" not in self.flaws:
            self._read_back(awb)  # the last push's reply never came: what did Komet keep?
        waiting = self.db.execute(
            "SELECT item, group_concat(code) AS codes FROM boxes WHERE awb = ? AND shipped = 0 AND printed = 1 "
            "GROUP BY item ORDER BY item",
            (awb,),
        ).fetchall()
        if not waiting:
            return {"state": "shipped", "awb": awb, "lines": []}
        items = [
            {
                "poItemId": w["item"],
                "awb": awb,
                "shipDate": row["ship_date"],
                "boxCodes": w["codes"].split(","),
                "lotNumber": row["lot"],
            }
            for w in waiting
        ]
        self.db.execute("UPDATE awbs SET in_doubt = 1 WHERE number = ?", (awb,))
        try:
            reply = self._call("purchase.order.items.awb.add", poItems=items)
        except Unavailable as exc:  # did Komet take them? the next attempt finds out first
            self._queue("ship", {"awb": awb}, exc)
            return {"state": "in doubt", "awb": awb}
        self.db.execute("UPDATE awbs SET in_doubt = 0 WHERE number = ?", (awb,))
        results = reply.get("purchaseOrderItemDetailsAWBAddAPIResultList") or []
        for r in results:
            if str(r.get("status")) != "1":
                continue
            item = int(r["poItemId"])
            for code in r.get("boxCodes") or []:
                self.db.execute("UPDATE boxes SET shipped = 1 WHERE code = ? AND item = ?", (str(code), item))
            if r.get("newPOItemId") and "ignore-split" not in self.flaws:
                self._split(item, int(r["newPOItemId"]))
        return {"state": "shipped", "awb": awb, "lines": results}

    def _split(self, item: int, new_item: int) -> None:
        line = self.db.execute("SELECT * FROM lines WHERE item = ?", (item,)).fetchone()
        shipped = self._shipped(item)
        self.db.execute(
            "UPDATE lines SET ordered = ?, confirmed = ?, status = 'S' WHERE item = ?",
            (shipped, shipped, item),
        )
        self.db.execute(
            "INSERT OR IGNORE INTO lines(item, po, ship_date, ordered, confirmed, status, po_status) "
            "VALUES (?,?,?,?,0,'P',?)",
            (new_item, line["po"], line["ship_date"], line["ordered"] - shipped, line["po_status"]),
        )

    def _read_back(self, awb: str) -> None:
        numbers = {
            r["po"]
            for r in self.db.execute(
                "SELECT DISTINCT l.po FROM boxes b JOIN lines l ON l.item = b.item WHERE b.awb = ?", (awb,)
            ).fetchall()
        }
        for number in sorted(numbers):
            reply = self._call("purchase.order.list", number=number)
            self._store(reply)
        self.db.execute("UPDATE awbs SET in_doubt = 0 WHERE number = ?", (awb,))

    def relabel(self, code: str, new_code: str) -> dict:
        box = self.db.execute("SELECT * FROM boxes WHERE code = ?", (code,)).fetchone()
        if box is None:
            raise MiniError(f"no box {code}")
        if not box["shipped"]:
            self.db.execute("UPDATE boxes SET code = ? WHERE code = ?", (new_code, code))
            return {"boxCode": new_code, "sentToKomet": False}
        return {
            **self._send("relabel", {"currentBoxCode": code, "newBoxCode": new_code}),
            "sentToKomet": True,
        }
