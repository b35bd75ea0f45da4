"""AWBs (A4): airline number stock with the mod-7 check digit, hand-typed numbers checked, HAWB, cargo agency,
origin and destination, ship date; confirmed boxes assigned to an AWB get the grower's box codes and a lot."""

from __future__ import annotations

from datetime import date

from ..awb_numbers import AIRLINES, AwbStock, InvalidAwb, airline, parse_awb
from ..decisions import DESTINATION, ORIGINS
from .accounts import next_box_code, next_lot
from .confirmations import get_line
from .connections import get_row as get_connection_row
from .errors import BadInput, Conflict, NotFound

AWB_FIELDS = {"connectionId", "airline", "number", "hawb", "cargoAgency", "origin", "destination", "shipDate"}


def airlines(world, account_id: int) -> list[dict]:
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


def add_stock(world, account_id: int, prefix, first_serial, count) -> dict:
    """Numbers an airline issued to this grower: serials first_serial .. first_serial+count-1."""
    if not isinstance(prefix, str) or airline(prefix) is None:
        raise BadInput("prefix", "the airline's 3-digit prefix, e.g. 729 (Avianca Cargo)")
    for name, value, hi in (("firstSerial", first_serial, 9_999_999), ("count", count, 100_000)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= hi:
            raise BadInput(name, f"a whole number from 0 to {hi}")
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


def _draw(c, account_id: int, prefix: str) -> str:
    """The next unused number of the airline's stock (numbers typed by hand meanwhile are skipped)."""
    while True:
        row = c.execute(
            "SELECT * FROM awb_stock WHERE account_id = ? AND prefix = ? AND used < count "
            "ORDER BY id LIMIT 1",
            (account_id, prefix),
        ).fetchone()
        if row is None:
            name = airline(prefix).name if airline(prefix) else prefix
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


def create_awb(world, account_id: int, body: dict) -> dict:
    if not isinstance(body, dict):
        raise BadInput(None, "expected a JSON object")
    unknown = sorted(set(body) - AWB_FIELDS)
    if unknown:
        raise BadInput(unknown[0], f"unknown field; an AWB has {', '.join(sorted(AWB_FIELDS))}")
    if ("airline" in body) == ("number" in body):
        raise BadInput(
            "number",
            "give either airline (a prefix: the next number comes from its stock) or number (typed by hand)",
        )
    ship_date = body.get("shipDate")
    try:
        if not isinstance(ship_date, str):
            raise ValueError(ship_date)
        ship_date = date.fromisoformat(ship_date).isoformat()
    except ValueError:
        raise BadInput("shipDate", "the date the boxes fly, YYYY-MM-DD") from None
    for key in ("hawb", "cargoAgency"):
        value = body.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > (25 if key == "hawb" else 60)):
            raise BadInput(key, f"text of at most {25 if key == 'hawb' else 60} characters")
    account = world.store.one("SELECT * FROM accounts WHERE account_id = ?", (account_id,))
    origin = body.get("origin", account["origin"])
    if origin not in ORIGINS:
        raise BadInput("origin", f"one of {', '.join(ORIGINS)}")
    destination = body.get("destination", DESTINATION)
    if not isinstance(destination, str) or len(destination) != 3 or not destination.isalpha():
        raise BadInput("destination", "a 3-letter airport code, e.g. MIA")
    typed = None
    if "number" in body:
        if not isinstance(body["number"], str | int) or isinstance(body["number"], bool):
            raise BadInput("number", "the AWB number as printed on the airline's stock, e.g. 729-1234-5675")
        try:
            typed = parse_awb(str(body["number"])).display
        except InvalidAwb as exc:
            raise BadInput("number", str(exc)) from None
    elif not isinstance(body["airline"], str) or airline(body["airline"]) is None:
        raise BadInput(
            "airline", "an airline prefix such as 729 (Avianca Cargo) or 985 (LATAM Cargo Colombia)"
        )
    with world.store.tx() as c:
        if not isinstance(body.get("connectionId"), int):
            raise BadInput("connectionId", "the importer connection these boxes ship to")
        get_connection_row(c, account_id, body["connectionId"])
        number = typed or _draw(c, account_id, body["airline"])
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
                body["connectionId"],
                number,
                number[:3],
                body.get("hawb") or None,
                body.get("cargoAgency") or None,
                origin,
                destination.upper(),
                ship_date,
                world.clock.stamp(),
            ),
        )
    return get_awb(world, account_id, awb_id)


def get_awb_row(c, account_id: int, awb_id: int):
    row = c.execute("SELECT * FROM awbs WHERE id = ? AND account_id = ?", (awb_id, account_id)).fetchone()
    if row is None:
        raise NotFound("awbId", f"AWB {awb_id} does not exist")
    return row


def assign(world, account_id: int, awb_id: int, items: list[tuple[int, int]]) -> dict:
    """Put confirmed boxes on an AWB: each gets the grower's next box code; one lot per line per AWB."""
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
            if not isinstance(boxes, int) or isinstance(boxes, bool) or boxes < 1:
                raise BadInput(f"{field}.boxes", "how many boxes, 1 or more")
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


def assign_order(world, account_id: int, awb_id: int, order_id: int) -> dict:
    """Every confirmed box of a PO not yet on an AWB."""
    if not world.store.one("SELECT 1 FROM orders WHERE id = ? AND account_id = ?", (order_id, account_id)):
        raise NotFound("orderId", f"purchase order {order_id} does not exist")
    rows = world.store.all(
        "SELECT l.id, l.confirmed - (SELECT count(*) FROM boxes b WHERE b.line_id = l.id) AS free "
        "FROM lines l WHERE l.order_id = ? AND l.account_id = ? AND l.confirm_state = 'accepted' "
        "AND l.cancelled = 0 ORDER BY l.id",
        (order_id, account_id),
    )
    items = [(r["id"], r["free"]) for r in rows if r["free"] and r["free"] > 0]
    if not items:
        raise Conflict("orderId", f"purchase order {order_id} has no confirmed boxes waiting for an AWB")
    return assign(world, account_id, awb_id, items)


def unassign(world, account_id: int, awb_id: int, code: str) -> dict:
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


def awb_view(c, awb) -> dict:
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
        "boxCount": len(boxes),
        "shippedCount": shipped,
        "boxes": [
            {
                "code": b["code"],
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


def get_awb(world, account_id: int, awb_id: int) -> dict:
    with world.store.read() as c:
        return awb_view(c, get_awb_row(c, account_id, awb_id))


def list_awbs(world, account_id: int) -> list[dict]:
    with world.store.read() as c:
        rows = c.execute(
            "SELECT * FROM awbs WHERE account_id = ? ORDER BY ship_date, id", (account_id,)
        ).fetchall()
        return [awb_view(c, r) for r in rows]
