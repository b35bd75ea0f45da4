"""AWBs (A4): airline number stock with the mod-7 check digit, hand-typed numbers checked, HAWB, cargo agency,
origin and destination, ship date; confirmed boxes assigned to an AWB get the grower's box codes and a lot."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from simkit.params import P

from ..awb_numbers import AIRLINES, AwbStock, airline, parse_awb
from ..decisions import DESTINATION, ORIGINS
from .accounts import next_box_code, next_lot
from .confirmations import delete_waiting, get_line, refuse_while_deleting
from .connections import get_row as get_connection_row
from .errors import BadInput, Conflict, NotFound

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld

AIRLINE_PREFIXES = tuple(a.prefix for a in AIRLINES)


def awb_number(text: str) -> str:
    """A number typed by hand, as printed on the airline's stock: its check digit must hold."""
    return parse_awb(text).display  # InvalidAwb (a ValueError) says what is wrong


def airport(code: str) -> str:
    if len(code) != 3 or not code.isalpha():
        raise ValueError("a 3-letter airport code, e.g. MIA")
    return code.upper()


STOCK = (
    P(
        "prefix",
        "str",
        True,
        choices=AIRLINE_PREFIXES,
        reason="the airline's 3-digit prefix, e.g. 729 (Avianca Cargo)",
    ),
    P("firstSerial", "int", True, low=0, high=9_999_999),
    P("count", "int", True, low=0, high=100_000),
)
NEW_AWB = (
    P("connectionId", "int", True, reason="the importer connection these boxes ship to"),
    P(
        "airline",
        "str",
        choices=AIRLINE_PREFIXES,
        reason="an airline prefix such as 729 (Avianca Cargo) or 985 (LATAM Cargo Colombia)",
    ),
    P("number", "str", lenient=True, check=awb_number),
    P("hawb", "str", size=25),
    P("cargoAgency", "str", size=60),
    P("origin", "str", choices=ORIGINS),
    P("destination", "str", check=airport),
    P("shipDate", "date", True, reason="the date the boxes fly, YYYY-MM-DD"),
)
LINE_BOXES = (P("lineId", "int", True), P("boxes", "int", True, low=1, reason="how many boxes, 1 or more"))
ASSIGN = (P("lines", "objects", fields=LINE_BOXES), P("orderId", "int"))


def airlines(world: AsinfoWorld, account_id: int) -> list[dict]:
    stock = {
        r["prefix"]: r
        for r in world.store.all(
            "SELECT prefix, sum(count - used) AS left_ FROM awb_stock WHERE account_id = ? GROUP BY prefix",
            (account_id,),
        )
    }
    return [
        {
            "prefix": a.prefix,
            "iata": a.iata,
            "name": a.name,
            "stockLeft": stock[a.prefix]["left_"] if a.prefix in stock else 0,
        }
        for a in AIRLINES
    ]


def add_stock(world: AsinfoWorld, account_id: int, prefix: str, first_serial: int, count: int) -> dict:
    """Numbers an airline issued to this grower: serials first_serial .. first_serial+count-1 (STOCK)."""
    try:
        stock = AwbStock(prefix, first_serial, count)
    except ValueError as exc:  # InvalidAwb included: no number, or a last serial past 9999999
        raise BadInput(
            "count", f"{exc}: a stock holds at least one number and ends at serial 9999999 at most"
        ) from None
    stock_id = world.next_id("awb_stock")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO awb_stock(id, account_id, prefix, first_serial, count) VALUES (?,?,?,?,?)",
            (stock_id, account_id, stock.prefix, first_serial, count),
        )
    return {
        "id": stock_id,
        "prefix": stock.prefix,
        "firstSerial": first_serial,
        "count": count,
        "first": stock.first.display,
        "last": stock.awb(stock.last_serial).display,
    }


def list_stock(world: AsinfoWorld, account_id: int) -> list[dict]:
    """Every stock of numbers the airlines issued to this grower, with how many are used and left."""
    out = []
    for r in world.store.all("SELECT * FROM awb_stock WHERE account_id = ? ORDER BY id", (account_id,)):
        stock = AwbStock(r["prefix"], r["first_serial"], r["count"])
        carrier = airline(r["prefix"])
        out.append(
            {
                "id": r["id"],
                "prefix": r["prefix"],
                "airline": carrier.name if carrier else None,
                "firstSerial": r["first_serial"],
                "count": r["count"],
                "used": r["used"],
                "left": r["count"] - r["used"],
                "first": stock.first.display,
                "last": stock.awb(stock.last_serial).display,
            }
        )
    return out


def _draw(c: sqlite3.Connection, account_id: int, prefix: str) -> str:
    """The next unused number of the airline's stock (numbers typed by hand meanwhile are skipped)."""
    while True:
        row = c.execute(
            "SELECT * FROM awb_stock WHERE account_id = ? AND prefix = ? AND used < count "
            "ORDER BY id LIMIT 1",
            (account_id, prefix),
        ).fetchone()
        if row is None:
            known = airline(prefix)
            name = known.name if known else prefix
            raise Conflict(
                "airline", f"no AWB numbers left in stock for {prefix} {name}: add stock or type the number"
            )
        c.execute("UPDATE awb_stock SET used = used + 1 WHERE id = ?", (row["id"],))
        stock = AwbStock(row["prefix"], row["first_serial"], row["count"])
        number = stock.awb(row["first_serial"] + row["used"]).display
        if not c.execute(
            "SELECT 1 FROM awbs WHERE account_id = ? AND number = ?", (account_id, number)
        ).fetchone():
            return number


def create_awb(
    world: AsinfoWorld,
    account_id: int,
    *,
    connection_id: int,
    ship_date: str,
    airline: str | None = None,
    number: str | None = None,
    hawb: str | None = None,
    cargo_agency: str | None = None,
    origin: str | None = None,
    destination: str = DESTINATION,
) -> dict:
    """An AWB from values checked by NEW_AWB: a number from the airline's stock, or one typed by hand."""
    if (airline is None) == (number is None):
        raise BadInput(
            "number",
            "give either airline (a prefix: the next number comes from its stock) or number (typed by hand)",
        )
    with world.store.tx() as c:
        get_connection_row(c, account_id, connection_id)
        account = c.execute("SELECT origin FROM accounts WHERE account_id = ?", (account_id,)).fetchone()
        number = number or _draw(c, account_id, str(airline))
        if c.execute(
            "SELECT 1 FROM awbs WHERE account_id = ? AND number = ?", (account_id, number)
        ).fetchone():
            raise Conflict("number", f"AWB {number} already exists")
        awb_id = world.next_id("awb")
        c.execute(
            "INSERT INTO awbs(id, account_id, connection_id, number, prefix, hawb, cargo_agency, origin, "
            "destination, ship_date, created_on) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                awb_id,
                account_id,
                connection_id,
                number,
                number[:3],
                hawb or None,
                cargo_agency or None,
                origin or account["origin"],
                destination,
                ship_date,
                world.clock.stamp(),
            ),
        )
    return get_awb(world, account_id, awb_id)


def get_awb_row(c: sqlite3.Connection, account_id: int, awb_id: int):
    row = c.execute("SELECT * FROM awbs WHERE id = ? AND account_id = ?", (awb_id, account_id)).fetchone()
    if row is None:
        raise NotFound("awbId", f"AWB {awb_id} does not exist")
    return row


def assign(world: AsinfoWorld, account_id: int, awb_id: int, items: list[tuple[int, int]]) -> dict:
    """Put confirmed boxes on an AWB: each gets the grower's next box code; one lot per line per AWB.
    `items`: (line id, boxes ≥ 1), as LINE_BOXES checks them."""
    with world.store.tx() as c:
        awb = get_awb_row(c, account_id, awb_id)
        for i, (line_id, boxes) in enumerate(items):
            field = f"lines[{i}]"
            line = get_line(c, account_id, line_id)
            item = line["komet_item_id"]  # the grower knows lines by their Komet number
            if line["connection_id"] != awb["connection_id"]:
                raise Conflict(
                    f"{field}.lineId", f"line {item} is for another importer than AWB {awb['number']}"
                )
            if line["cancelled"] or line["order_state"] == "cancelled":
                raise Conflict(f"{field}.lineId", f"line {item} was cancelled by the importer")
            refuse_while_deleting(c, line, f"{field}.lineId", "ship the line")
            if line["confirm_state"] != "accepted":
                raise Conflict(
                    f"{field}.lineId",
                    f"line {item} has no confirmation accepted by Komet yet "
                    f"(confirmation {line['confirm_state']}); only confirmed boxes can go on an AWB",
                )
            if not line["confirmed"]:
                raise Conflict(
                    f"{field}.lineId",
                    f"line {item} is confirmed with 0 boxes: nothing of it can go "
                    "on an AWB (confirm the boxes available first)",
                )
            other = c.execute(
                "SELECT a.number FROM boxes b JOIN awbs a ON a.id = b.awb_id WHERE b.line_id = ? "
                "AND b.awb_id != ? LIMIT 1",
                (line_id, awb_id),
            ).fetchone()
            if other:  # one AWB per Komet line (A12)
                raise Conflict(
                    f"{field}.lineId",
                    f"line {item} is already on AWB {other['number']}: a Komet line "
                    "ships on one AWB (ship it, then put the remainder line on another AWB)",
                )
            taken = c.execute("SELECT count(*) FROM boxes WHERE line_id = ?", (line_id,)).fetchone()[0]
            free = line["confirmed"] - taken
            if boxes > free:
                raise Conflict(
                    f"{field}.boxes", f"line {item} has {free} confirmed box(es) not yet on an AWB"
                )
            lot = c.execute(
                "SELECT lot_number FROM boxes WHERE line_id = ? AND awb_id = ? LIMIT 1", (line_id, awb_id)
            ).fetchone()
            lot = lot["lot_number"] if lot else next_lot(c, account_id)
            for _ in range(boxes):
                c.execute(
                    "INSERT INTO boxes(id, account_id, awb_id, line_id, code, lot_number, created_on) "
                    "VALUES (?,?,?,?,?,?,?)",
                    (
                        world.next_id("box"),
                        account_id,
                        awb_id,
                        line_id,
                        next_box_code(c, account_id),
                        lot,
                        world.clock.stamp(),
                    ),
                )
    return get_awb(world, account_id, awb_id)


def assign_order(world: AsinfoWorld, account_id: int, awb_id: int, order_id: int) -> dict:
    """Every confirmed box of a PO not yet on an AWB."""
    if not world.store.one("SELECT 1 FROM orders WHERE id = ? AND account_id = ?", (order_id, account_id)):
        raise NotFound("orderId", f"purchase order {order_id} does not exist")
    rows = world.store.all(
        "SELECT l.id, l.confirmed - (SELECT count(*) FROM boxes b WHERE b.line_id = l.id) AS free "
        "FROM lines l WHERE l.order_id = ? AND l.account_id = ? AND l.confirm_state = 'accepted' "
        "AND l.cancelled = 0 ORDER BY l.id",
        (order_id, account_id),
    )
    with world.store.read() as c:  # a line whose delete waits is not the grower's to ship any more
        items = [
            (r["id"], r["free"])
            for r in rows
            if r["free"] and r["free"] > 0 and delete_waiting(c, r["id"]) is None
        ]
    if not items:
        raise Conflict("orderId", f"purchase order {order_id} has no confirmed boxes waiting for an AWB")
    return assign(world, account_id, awb_id, items)


def unassign(world: AsinfoWorld, account_id: int, awb_id: int, code: str) -> dict:
    with world.store.tx() as c:
        get_awb_row(c, account_id, awb_id)
        box = c.execute("SELECT * FROM boxes WHERE awb_id = ? AND code = ?", (awb_id, code)).fetchone()
        if box is None:
            raise NotFound("boxCode", f"box {code} is not on this AWB")
        if box["state"] != "assigned":
            what = "has shipped" if box["state"] == "shipped" else "is on its way to Komet"
            raise Conflict("boxCode", f"box {code} {what}; it cannot come off the AWB")
        c.execute("DELETE FROM boxes WHERE id = ?", (box["id"],))
    return get_awb(world, account_id, awb_id)


def awb_view(c: sqlite3.Connection, awb) -> dict:
    boxes = c.execute(
        "SELECT b.*, l.komet_item_id, l.product, o.number AS po_number FROM boxes b "
        "JOIN lines l ON l.id = b.line_id JOIN orders o ON o.id = l.order_id WHERE b.awb_id = ? "
        "ORDER BY b.id",
        (awb["id"],),
    ).fetchall()
    shipped = sum(1 for b in boxes if b["state"] == "shipped")
    status = (
        "empty"
        if not boxes
        else "shipped"
        if shipped == len(boxes)
        else "partly shipped"
        if shipped
        else "open"
    )
    carrier = airline(awb["prefix"])
    return {
        "id": awb["id"],
        "number": awb["number"],
        "airline": carrier.name if carrier else None,
        "prefix": awb["prefix"],
        "hawb": awb["hawb"],
        "cargoAgency": awb["cargo_agency"],
        "origin": awb["origin"],
        "destination": awb["destination"],
        "shipDate": awb["ship_date"],
        "connectionId": awb["connection_id"],
        "status": status,
        "assignedBoxes": len(boxes),
        "shippedBoxes": shipped,
        "boxes": [
            {
                "boxCode": b["code"],
                "lineId": b["line_id"],
                "poItemId": b["komet_item_id"],
                "poNumber": b["po_number"],
                "product": b["product"],
                "lotNumber": b["lot_number"],
                "state": b["state"],
                "prints": b["prints"],
            }
            for b in boxes
        ],
    }


def get_awb(world: AsinfoWorld, account_id: int, awb_id: int) -> dict:
    with world.store.read() as c:
        return awb_view(c, get_awb_row(c, account_id, awb_id))


def list_awbs(world: AsinfoWorld, account_id: int) -> list[dict]:
    with world.store.read() as c:
        rows = c.execute(
            "SELECT * FROM awbs WHERE account_id = ? ORDER BY ship_date, id", (account_id,)
        ).fetchall()
        return [awb_view(c, r) for r in rows]
