"""Helpers the Komet API tests share: tokens, lines in a known state, and the "nothing changed" check.

Everything goes through the HTTP surface (a KometSimClient), so the same helper works in process and over
a real socket.
"""

from __future__ import annotations

from contextlib import contextmanager

from komet_sim.messages import text

from ..testkit import company_token

SAMPLE_AWB = "08472-4772-0048"
SAMPLE_CODES = ["73992893", "73992894", "73992895"]  # the box codes of the documented shipping sample


def awb_for(ship_date: str) -> str:
    """One AWB per ship date (an AWB keeps the ship date of its first use, K8)."""
    return f"729-{ship_date[5:7]}{ship_date[8:10]}-0040"


def refusal(key: str, **values) -> dict:
    """The exact envelope of a refused call (K3): HTTP 200, status "0", the message from the table."""
    return {"status": "0", "message": text(key, **values)}


def every_po(kit) -> list[dict]:
    """Every PO of every seeded ship date, as the importer lists them."""
    return [po for day in kit.seeded["shipDates"] for po in kit.orders(date=day)]


def awb_list(komet, kit, ship_date: str) -> list[dict]:
    """`awb.list` of one ship date, as the importer (a Company token) sees it."""
    return komet.api("awb.list", kit.company_token, shipDate=ship_date)["awbs"]


class Kit:
    """Small verbs the tests share, on top of KometSimClient."""

    def __init__(self, komet, seeded: dict):
        self.komet = komet
        self.seeded = seeded
        self._company: str | None = None
        self._carrier = None
        self._product: str | None = None

    @property
    def company_token(self) -> str:
        if self._company is None:
            self._company = company_token(self.komet, "importer integration")
        return self._company

    def vendor_token(self, vendor_id: int, methods="all") -> str:
        return self.komet.create_token(type="Vendor", vendor_id=vendor_id, methods=methods)["token"]

    def state(self) -> dict:
        return self.komet.state()

    @contextmanager
    def unchanged(self):
        """Asserts that whatever runs inside changed nothing in GET /__sim/state."""
        assert self.company_token  # made before the snapshot, in case the block uses it
        before = self.state()
        yield
        after = self.state()
        assert after == before, _first_difference(before, after)

    def orders(self, token: str | None = None, **filters) -> list[dict]:
        reply = self.komet.api("purchase.order.list", token or self.company_token, **filters)
        assert reply["status"] == "1", reply
        return reply["purchaseOrders"]

    def lines(
        self,
        vendor_id: int | None = None,
        status: str | None = None,
        first: bool = False,
        date_only: str | None = None,
        **filters,
    ) -> list[dict]:
        """Lines of the seeded ship dates, with their PO header fields alongside (poId, vendorId, shipDate).
        `first` stops at the first ship date that has any (fewer calls)."""
        if vendor_id is not None:
            filters["vendorId"] = vendor_id
        if status is not None:
            filters["statusLine"] = status
        out = []
        for day in [date_only] if date_only else self.seeded["shipDates"]:
            for po in self.orders(date=day, **filters):
                for line in po["details"]:
                    out.append(
                        {
                            **line,
                            "poId": po["id"],
                            "poNumber": po["number"],
                            "vendorId": po["vendorId"],
                            "shipDate": po["shipDate"],
                            "poStatus": po["status"],
                        }
                    )
            if first and out:
                break
        return out

    def line(self, item_id: int) -> dict:
        found = self.lines(purchaseOrderItemIds=item_id, first=True)
        assert found, f"line {item_id} is not listed"
        return found[0]

    def pending_line(self, vendor_id: int | None = None, min_boxes: int = 1) -> dict:
        for day in self.seeded["shipDates"]:
            for ln in self.lines(vendor_id, "Pending", date_only=day):
                if ln["totalBoxes"] >= min_boxes:
                    return ln
        raise AssertionError(f"no pending line with {min_boxes}+ boxes for vendor {vendor_id}")

    def confirm(self, line: dict, quantity: int | None = None, token: str | None = None) -> dict:
        reply = self.komet.api(
            "purchase.order.item.confirm",
            token or self.company_token,
            poItemId=line["poItemId"],
            quantityConfirmed=line["totalBoxes"] if quantity is None else quantity,
        )
        assert reply == {"status": "1", "message": "OK"}, reply
        return reply

    def ship(
        self,
        line: dict,
        box_codes: list[str] | None = None,
        awb: str | None = None,
        token: str | None = None,
        **extra,
    ) -> dict:
        params = {
            "poItemId": line["poItemId"],
            "awb": awb or awb_for(line["shipDate"]),
            "shipDate": line["shipDate"],
            **extra,
        }
        if box_codes is not None:
            params["boxCodes"] = box_codes
        reply = self.komet.api("purchase.order.item.awb.add", token or self.company_token, **params)
        assert reply["status"] == 1, reply
        return reply

    def confirmed_line(self, vendor_id: int | None = None, min_boxes: int = 1) -> dict:
        line = self.pending_line(vendor_id, min_boxes)
        self.confirm(line)
        return {**line, "quantityConfirmed": line["totalBoxes"], "lineItemStatus": "C"}

    def product_code(self) -> str:
        if self._product is None:
            self._product = self.komet.api("product.list", self.company_token)["products"][0]["legacyCode"]
        return self._product

    def new_line(
        self, vendor_id: int | None = None, boxes: int = 3, ship_date: str | None = None, **line
    ) -> dict:
        """A fresh Approved PO with one Pending line of `boxes` boxes, made as the importer does."""
        vendor_id = vendor_id if vendor_id is not None else self.seeded["vendors"][0]["id"]
        ship_date = ship_date or self.seeded["shipDates"][0]
        if self._carrier is None:
            self._carrier = self.komet.api("carrier.list", self.company_token)["carriers"][0]["id"]
        po = self.komet.create_purchase_order(
            vendorId=vendor_id,
            shipDate=ship_date,
            status="Approved",
            locationId=self.seeded["locations"][0]["id"],
            carrierId=self._carrier,
            lines=[
                {
                    "productCode": self.product_code(),
                    "boxTypeCode": "HB",
                    "boxes": boxes,
                    "cost": 0.42,
                    "customerId": self.seeded["customers"][0]["id"],
                    **line,
                }
            ],
        )
        detail = po["details"][0]
        return {
            **detail,
            "poId": po["id"],
            "poNumber": po["number"],
            "vendorId": vendor_id,
            "shipDate": ship_date,
            "poStatus": po["status"],
        }

    def shipped_boxes(self, vendor_id: int | None = None, count: int = 2, prefix: str = "PT") -> list[str]:
        """Ships `count` boxes of a fresh line (of `vendor_id`) with codes of our own; returns the codes."""
        line = self.confirmed_line(vendor_id, min_boxes=count)
        codes = [f"{prefix}{line['poItemId']}{i}" for i in range(count)]
        self.ship(line, codes)
        return codes


def patch_rows(komet, table: str, match: dict, **changes) -> int:
    """Edit rows of the simulator's state through GET/PUT /__sim/state (for data no API can set)."""
    state = komet.state()
    hits = 0
    for row in state["tables"][table]:
        if all(row.get(k) == v for k, v in match.items()):
            row.update(changes)
            hits += 1
    assert hits, f"no {table} row matches {match}"
    komet.put_state(state)
    return hits


def _first_difference(before: dict, after: dict) -> str:
    for table in sorted(set(before.get("tables", {})) | set(after.get("tables", {}))):
        b, a = before["tables"].get(table), after["tables"].get(table)
        if a != b:
            return f"table {table!r} changed: {len(b or [])} rows before, {len(a or [])} after"
    return "state changed outside its tables"
