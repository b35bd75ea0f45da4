"""Labels (A5): build the one label model for a box, a line or a whole AWB, render it as ZPL or PDF, and
count prints so a reprint is marked "R". A preview is never counted; each print is one job on record (when,
format, which boxes, which of them were reprints)."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import TYPE_CHECKING

from simkit.params import P

from ..decisions import COUNTRY_OF_ORIGIN
from .errors import BadInput, NotFound

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld

    from ..labels.model import BoxLabel


FORMATS = {"pdf": "application/pdf", "zpl": "text/plain; charset=utf-8"}
# What to print: one of awbId (a whole AWB), lineId (one line) or boxCode (one box); ids may come as text.
SELECTION = (
    P("awbId", "int", lenient=True, reason="must be a number"),
    P("lineId", "int", lenient=True, reason="must be a number"),
    P("boxCode", "str", reason="a box code, as printed on its label"),
)
PRINT = (*SELECTION, P("format", "str", choices=tuple(FORMATS), default="pdf"))


def chosen(values: dict) -> dict:
    """SELECTION's values as render's keywords (None for what was not chosen)."""
    return {"awb_id": values.get("awbId"), "line_id": values.get("lineId"), "box_code": values.get("boxCode")}


BOX_SQL = """
SELECT b.*, a.number AS mawb, a.hawb, a.cargo_agency, a.origin, a.destination, a.ship_date, a.prefix,
       l.komet_item_id, l.product, l.box_type, l.bunches, l.stems_bunch, l.mark_code, l.customer_name,
       o.id AS order_id, o.number AS po_number, cn.name AS importer, ac.name AS grower, ac.farm_code
FROM boxes b JOIN awbs a ON a.id = b.awb_id JOIN lines l ON l.id = b.line_id JOIN orders o ON o.id = l.order_id
JOIN connections cn ON cn.id = a.connection_id JOIN accounts ac ON ac.account_id = b.account_id
"""


def _select(c: sqlite3.Connection, account_id: int, awb_id=None, line_id=None, box_code=None) -> list:
    given = [k for k, v in (("awbId", awb_id), ("lineId", line_id), ("boxCode", box_code)) if v is not None]
    if len(given) != 1:
        raise BadInput(
            "awbId", "choose what to print: one of awbId (a whole AWB), lineId (a line) or boxCode (a box)"
        )
    if awb_id is not None:
        cursor = c.execute(
            BOX_SQL + " WHERE b.account_id = ? AND b.awb_id = ? ORDER BY b.id", (account_id, awb_id)
        )
    elif line_id is not None:
        cursor = c.execute(
            BOX_SQL + " WHERE b.account_id = ? AND b.line_id = ? ORDER BY b.id", (account_id, line_id)
        )
    else:
        cursor = c.execute(BOX_SQL + " WHERE b.account_id = ? AND b.code = ?", (account_id, box_code))
    rows = cursor.fetchall()
    if not rows:
        raise NotFound(given[0], f"no boxes to print for {given[0]} {awb_id or line_id or box_code}")
    return rows


def _numbering(c: sqlite3.Connection, rows, first: int = 1) -> dict[int, tuple[int, int]]:
    """Box n of N: boxes of the same PO on the same AWB, in the order they were put on it."""
    out = {}
    groups = {(r["awb_id"], r["order_id"]) for r in rows}
    for awb_id, order_id in groups:
        ids = [
            r["id"]
            for r in c.execute(
                "SELECT b.id FROM boxes b JOIN lines l ON l.id = b.line_id WHERE b.awb_id = ? "
                "AND l.order_id = ? ORDER BY b.id",
                (awb_id, order_id),
            )
        ]
        for n, box_id in enumerate(ids, first):
            out[box_id] = (n, len(ids))
    return out


def build_labels(
    c: sqlite3.Connection, account_id: int, plant: str | None = None, **selection
) -> tuple[list[BoxLabel], list[int]]:
    from ..awb_numbers import airline
    from ..labels.model import BoxLabel  # labels on first print: a served ASINFO answers sooner

    rows = _select(c, account_id, **selection)
    numbers = _numbering(c, rows, 0 if plant == "labels-from-zero" else 1)  # planted bug: box 0 of N
    labels = []
    for r in rows:
        n, total = numbers[r["id"]]
        carrier = airline(r["prefix"])
        labels.append(
            BoxLabel(
                box_code=r["code"],
                box_number=n,
                box_count=total,
                grower_name=r["grower"],
                farm_code=r["farm_code"],
                importer_name=r["importer"],
                customer_mark=r["mark_code"] or r["customer_name"] or r["importer"],
                po_number=r["po_number"],
                po_item_id=r["komet_item_id"],
                box_type=r["box_type"] or "",
                product=r["product"],
                bunches=r["bunches"],
                stems_per_bunch=r["stems_bunch"],
                ship_date=r["ship_date"],
                mawb=r["mawb"],
                hawb=r["hawb"],
                origin=r["origin"],
                destination=r["destination"],
                country_of_origin=COUNTRY_OF_ORIGIN.get(r["origin"], ""),
                lot_number=r["lot_number"],
                airline=carrier.name if carrier else None,
                cargo_agency=r["cargo_agency"],
                reprint=r["prints"] > 0,
            )
        )
    return labels, [r["id"] for r in rows]


def _what(selection: dict) -> str:
    return next(f"{k}-{v}" for k, v in selection.items() if v is not None)


def _described(selection: dict, labels: list[BoxLabel]) -> str:
    """What a print job printed, as the grower knows it: AWB 729-…, line 265001, box HER0000001."""
    if selection.get("awb_id") is not None:
        return f"AWB {labels[0].mawb}"
    if selection.get("line_id") is not None:
        return f"line {labels[0].po_item_id}"
    return f"box {labels[0].box_code}"


def render(
    world: AsinfoWorld, account_id: int, fmt: str, record: bool, **selection
) -> tuple[bytes, str, str]:
    """(document, content type, file name) in `fmt` (one of FORMATS). `record` counts the print (a print
    job): the next print of a box is a reprint. A preview (`record` False) changes nothing."""
    with world.store.read() as c:
        labels, ids = build_labels(c, account_id, world.plant, **selection)
    if fmt == "pdf":
        from ..labels.pdf import render_pdf  # reportlab, only when a PDF is asked for: serving starts sooner

        doc = render_pdf(labels)
    else:
        from ..labels.zpl import render_zpl

        doc = render_zpl(labels).encode("utf-8")
    if record:  # counted only once the document exists: a print that failed printed nothing
        with world.store.tx() as c:
            c.execute(f"UPDATE boxes SET prints = prints + 1 WHERE id IN ({','.join('?' * len(ids))})", ids)
            c.execute(
                "INSERT INTO print_jobs(id, account_id, at, format, what, box_codes, reprinted) "
                "VALUES (?,?,?,?,?,?,?)",
                (
                    world.next_id("print_job"),
                    account_id,
                    world.clock.stamp(),
                    fmt,
                    _described(selection, labels),
                    json.dumps([lb.box_code for lb in labels]),
                    json.dumps([lb.box_code for lb in labels if lb.reprint]),
                ),
            )
    return doc, FORMATS[fmt], f"labels-{_what(selection)}.{fmt}"


def print_jobs(world: AsinfoWorld, account_id: int, box_codes: list[str] | None = None) -> list[dict]:
    """The prints on record, newest first; with `box_codes`, only those that printed one of them."""
    wanted = set(box_codes) if box_codes is not None else None
    jobs = []
    for r in world.store.all("SELECT * FROM print_jobs WHERE account_id = ? ORDER BY id DESC", (account_id,)):
        codes = json.loads(r["box_codes"])
        if wanted is not None and not wanted.intersection(codes):
            continue
        jobs.append(
            {
                "id": r["id"],
                "at": r["at"],
                "format": r["format"],
                "what": r["what"],
                "boxCodes": codes,
                "reprinted": json.loads(r["reprinted"]),
            }
        )
    return jobs


def print_summary(world: AsinfoWorld, account_id: int) -> list[dict]:
    """Per AWB: boxes, printed, reprinted — for the Labels page."""
    rows = world.store.all(
        "SELECT a.id, a.number, b.prints FROM awbs a JOIN boxes b ON b.awb_id = a.id "
        "WHERE a.account_id = ? ORDER BY a.id",
        (account_id,),
    )
    summary: dict[int, dict] = defaultdict(lambda: {"boxes": 0, "printed": 0, "reprinted": 0})
    for r in rows:
        s = summary[r["id"]]
        s.update(awbId=r["id"], awb=r["number"])
        s["boxes"] += 1
        s["printed"] += r["prints"] > 0
        s["reprinted"] += r["prints"] > 1
    return list(summary.values())
