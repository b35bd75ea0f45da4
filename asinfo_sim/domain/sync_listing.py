"""Sync (A2), Komet's listing as the sync reads it: each PO and each of its lines as the values of ASINFO's
columns (sync_values), with the values a comparison with ASINFO's row needs, in order.

Most syncs get the very replies the last one did (Komet unchanged), so a reply is read once and kept with it
(komet_client.ReplyMemo), and what ASINFO holds is read once for the whole listing (`read_ahead`): a PO or a line
equal to its row is then passed over without a statement of its own. A reply that cannot be read whole (a
malformed one) is read lazily instead, PO by PO and line by line as the sync applies them, so that it fails
where and as it always did."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..komet_client import Reply, as_int
from .sync_values import LINE_FIELDS, ORDER_FIELDS, _line_values, _order_values


@dataclass(frozen=True)
class ListedLine:
    item_id: int
    values: dict  # shared with every sync that reads the same reply: apply a copy
    compared: tuple  # the values of LINE_FIELDS


@dataclass(frozen=True)
class ListedPo:
    po_id: int
    values: dict  # shared, as a line's
    state: str
    compared: tuple  # the values of ORDER_FIELDS, and the state
    lines: Iterable[ListedLine]


def listed_pos(pos: list, seen: set[int]) -> Iterator[ListedPo]:
    """The POs of one date as Komet lists them, each PO once (`seen`: the ids read so far, this date's and
    earlier ones'), read one at a time, and each PO's lines one at a time."""
    for po in pos:
        po_id = as_int(po.get("id"))
        if po_id is None or po_id in seen:
            continue
        seen.add(po_id)
        values = _order_values(po)
        state = "cancelled" if values["komet_status"] == "CA" else "open"
        compared = (*(values[f] for f in ORDER_FIELDS), state)
        yield ListedPo(po_id, values, state, compared, _listed_lines(po, state == "cancelled"))


def _listed_lines(po: dict, po_cancelled: bool) -> Iterator[ListedLine]:
    for d in po.get("details") or []:
        item_id = as_int(d.get("poItemId"))
        if item_id is None:
            continue  # not a line ASINFO can hold
        values = _line_values(d, po_cancelled)
        yield ListedLine(item_id, values, tuple(values[f] for f in LINE_FIELDS))


def read_whole(reply: Reply) -> tuple[ListedPo, ...] | None:
    """A date's listing read whole, once per reply (kept with it); None if reading it fails."""
    if reply.derived is None:
        try:
            pos = listed_pos(reply.body.get("purchaseOrders") or [], set())
            reply.derived = tuple(
                ListedPo(p.po_id, p.values, p.state, p.compared, tuple(p.lines)) for p in pos
            )
        except Exception:  # read lazily instead: it fails again there, as it always did
            reply.derived = False
    return None if reply.derived is False else reply.derived


# SQLite's integers: an id beyond them is not read ahead (looking it up alone fails, where it always did)
LOWEST, HIGHEST = -(2**63), 2**63 - 1
CHUNK = 500  # ids per statement, well below SQLite's limit on parameters (999 before 3.32)


def read_ahead(
    c: sqlite3.Connection, table: str, key: str, columns: tuple[str, ...], connection_id: int, ids: list[int]
) -> dict[int, tuple]:
    """The connection's rows of `table` whose `key` is one of `ids`: their `columns`, by key."""
    wanted = [i for i in dict.fromkeys(ids) if LOWEST <= i <= HIGHEST]
    found: dict[int, tuple] = {}
    for at in range(0, len(wanted), CHUNK):
        part = wanted[at : at + CHUNK]
        cursor = c.execute(
            f"SELECT {key}, {', '.join(columns)} FROM {table} WHERE connection_id = ? AND {key} IN "
            f"({','.join('?' * len(part))})",
            (connection_id, *part),
        )
        cursor.row_factory = None  # plain tuples, compared whole
        for row in cursor:
            found[row[0]] = row[1:]
    return found
