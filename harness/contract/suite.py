"""The conformance suite: probe a Komet, method by method, and hold every reply to the documented contract.

Read-only by default: the master-data lists and their empty replies, `purchase.order.list` (a day with POs,
and a day without), the AWB lists, and the refusal envelopes (a bad token, a missing parameter, a mistyped
one, a method the token does not enable). `--write` adds the grower's write path on a sandbox company: create
a PO, confirm a line, ship it on an AWB, change a box code, delete another line.

Each probe says what the contract promises (a success of the method's documented shape, the refusal
envelope, an empty list with its message); what differs is drift, by field.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar

from .client import Exchange, Komet
from .drift import ENVELOPE, Drift, compare, merge
from .spec import inline

INVALID_TOKEN = "kasimcontractinvalidtoken0"  # 26 characters, as tokens are
NOT_A_DATE = "not-a-date"
UNUSED_ID = 987654321


@dataclass
class Case:
    """One JUnit case: everything the suite learnt about one method."""

    method: str
    drifts: list[Drift] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def status(self) -> str:
        if self.drifts:
            return "failed"
        return "skipped" if self.skipped and not self.exchanges else "passed"


class Suite:
    def __init__(self, komet: Komet, write: bool = False, start: date | None = None, seed: int | None = None):
        self.komet = komet
        self.write = write
        self.start = start or date.today()
        self.rng = random.Random(seed)  # noqa: S311 (codes for a sandbox PO, not secrets)
        self.cases: dict[str, Case] = {}
        self.found: dict[str, Any] = {}  # what earlier probes learnt (a vendor, a product, a ship date)

    # --- what the contract says ------------------------------------------------------------------------

    def _op(self, method: str) -> dict:
        return self.komet.contract.doc["paths"][f"/api/{method}"][self.komet.verb(method).lower()]

    def success_schema(self, method: str) -> dict:
        options = self._op(method)["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"]
        return inline(options[0], self.komet.contract.doc)

    def refusal_schema(self) -> dict:
        return inline({"$ref": "#/components/schemas/Refusal"}, self.komet.contract.doc)

    def methods(self) -> list[str]:
        return [
            path.removeprefix("/api/")
            for path, ops in self.komet.contract.doc["paths"].items()
            if path.startswith("/api/")
            and not any(op.get("x-kasim-simulated") is False for op in ops.values())
        ]

    # --- judging one exchange -----------------------------------------------------------------------------

    def case(self, method: str) -> Case:
        return self.cases.setdefault(method, Case(method))

    def _envelope(self, drifts: list[Drift]) -> list[Drift]:
        for d in drifts:
            d.envelope = d.path in ENVELOPE or d.path == ""
        return drifts

    def _answered(self, ex: Exchange, case: Case) -> bool:
        case.exchanges.append(ex)
        if ex.status is None:
            case.drifts.append(Drift("value", "", "a reply", ex.error or "none", envelope=True))
            return False
        if ex.status != 200:
            case.drifts.append(Drift("value", "", "HTTP 200", f"HTTP {ex.status}", envelope=True))
            return False
        if not isinstance(ex.body, dict):
            case.drifts.append(Drift("retyped", "", "a JSON object", type(ex.body).__name__, envelope=True))
            return False
        return True

    def expect_success(self, ex: Exchange, why: str) -> bool:
        """A success of the documented shape; a refusal is noted (the token may not enable the method)."""
        case = self.case(ex.method)
        if not self._answered(ex, case):
            return False
        if str(ex.body.get("status")) == "0" and set(ex.body) <= {"status", "message"}:
            case.drifts += self._envelope(compare(self.refusal_schema(), ex.body))
            case.notes.append(f"{why}: refused ({ex.message})")
            return False
        case.drifts += self._envelope(compare(self.success_schema(ex.method), ex.body))
        case.notes.append(f"{why}: answered as documented" if not case.drifts else f"{why}: drift")
        return True

    def expect_refusal(self, ex: Exchange, why: str) -> None:
        case = self.case(ex.method)
        if not self._answered(ex, case):
            return
        if str(ex.body.get("status")) != "0":
            case.drifts.append(
                Drift("value", "status", 'a refusal, "0"', repr(ex.body.get("status")), envelope=True)
            )
            return
        case.drifts += self._envelope(compare(self.refusal_schema(), ex.body))
        case.notes.append(f"{why}: refused ({ex.message})")

    def expect_empty(self, ex: Exchange, key: str, why: str) -> None:
        if not self.expect_success(ex, why):
            return
        case = self.case(ex.method)
        if ex.body.get(key):
            case.notes.append(f"{why}: not empty, nothing to compare")
            return
        wanted = self._op(ex.method).get("x-kasim-empty-message")
        if wanted is not None and ex.message != wanted:
            case.drifts.append(Drift("value", "message", repr(wanted), repr(ex.message), envelope=True))

    # --- the probes ---------------------------------------------------------------------------------------

    def run(self) -> list[Case]:
        for method in self.methods():
            self.case(method)
        self._timed(self.master_data)
        self._timed(self.purchase_orders)
        self._timed(self.awbs)
        self._timed(self.refusals)
        if self.write:
            self._timed(self.write_path)
        for method, case in self.cases.items():
            if not case.exchanges and case.skipped is None:
                case.skipped = "needs --write" if self._op(method).get("requestBody") else "not probed"
        self.case("login").skipped = "needs a username and password; not probed"
        for case in self.cases.values():
            case.drifts = merge(case.drifts)
        return list(self.cases.values())

    def _timed(self, probe) -> None:
        before = {m: len(c.exchanges) for m, c in self.cases.items()}
        started = time.perf_counter()
        probe()
        took = time.perf_counter() - started
        touched = [c for m, c in self.cases.items() if len(c.exchanges) != before.get(m, 0)]
        for c in touched:
            c.seconds += took / len(touched)

    LISTS: ClassVar[dict[str, str]] = {
        "boxtype.list": "boxtypes",
        "product.list": "products",
        "carrier.list": "carriers",
        "customer.list": "customers",
        "vendor.list": "vendors",
        "location.list": "locations",
    }

    def master_data(self) -> None:
        for method, key in self.LISTS.items():
            ex = self.komet.call(method)
            if self.expect_success(ex, "the whole list") and ex.body.get(key):
                self.found[method] = ex.body[key]
            self.expect_empty(self.komet.call(method, id=UNUSED_ID), key, f"id={UNUSED_ID} (nothing)")

    def purchase_orders(self) -> None:
        method = "purchase.order.list"
        for offset in range(0, 15):
            day = (self.start + timedelta(days=offset)).isoformat()
            ex = self.komet.call(method, date=day)
            if not ex.ok or not ex.body.get("purchaseOrders"):
                continue
            self.expect_success(ex, f"date={day}")
            self.found["shipDate"] = day
            self.found["purchaseOrders"] = ex.body["purchaseOrders"]
            break
        else:
            self.case(method).notes.append("no PO found in the 15 days from the start date")
        self.expect_empty(self.komet.call(method, date="2099-01-01"), "purchaseOrders", "date=2099-01-01")

    def awbs(self) -> None:
        for method in ("awb.list", "awb.details.list"):
            ex = self.komet.call(method, shipDate=self.found.get("shipDate", self.start.isoformat()))
            self.expect_success(ex, "by ship date")
            self.expect_empty(self.komet.call(method, shipDate="2099-01-01"), "awbs", "shipDate=2099-01-01")

    def refusals(self) -> None:
        method = "purchase.order.list"
        day = self.start.isoformat()
        self.expect_refusal(self.komet.call(method, token=INVALID_TOKEN, date=day), "a bad token")
        self.expect_refusal(self.komet.call(method, token="", date=day), "no token")
        self.expect_refusal(self.komet.call(method), "neither date nor number")
        self.expect_refusal(self.komet.call(method, date=NOT_A_DATE), "date=not-a-date")
        self.expect_refusal(self.komet.call("product.list", id="not-a-number"), "id=not-a-number")
        self.expect_refusal(self.komet.call("purchase.order.item.confirm"), "no poItemId")
        self.expect_refusal(
            self.komet.call("purchase.order.item.confirm", poItemId="x", quantityConfirmed=1), "poItemId=x"
        )
        # A method the token may not enable: a refusal proves the envelope; a success is fine too.
        ex = self.komet.call("box.warehouse.receive", boxCode=f"KCNONE{self.rng.randrange(10**6):06d}")
        self.expect_refusal(ex, "a method not enabled, or a box that does not exist")

    # --- the write path (--write) ---------------------------------------------------------------------------

    def write_path(self) -> None:
        products = self.found.get("product.list") or []
        boxtypes = self.found.get("boxtype.list") or []
        if not products or not boxtypes:
            self.case("purchase.order.create").skipped = "no product or box type to order"
            return
        ship = (self.start + timedelta(days=3)).isoformat()
        line = {"productId": int(products[0]["id"]), "boxTypeCode": boxtypes[0]["code"], "boxes": 2}
        order: dict[str, Any] = {"shipDate": ship, "purchaseOrderItems": [dict(line) for _ in range(3)]}
        vendors = self.found.get("vendor.list") or []
        if vendors:
            order["vendorId"] = int(vendors[0]["id"])
        ex = self.komet.call("purchase.order.create", **order)
        if not self.expect_success(ex, "a PO of three lines"):
            return
        listed = self.komet.call("purchase.order.list", number=str(ex.body["purchaseOrderNumber"]))
        pos = listed.body.get("purchaseOrders") if listed.ok else None
        if not pos:
            self.case("purchase.order.create").drifts.append(
                Drift("value", "purchaseOrderNumber", "a PO purchase.order.list finds", "not found")
            )
            return
        first, second, third = (int(d["poItemId"]) for d in pos[0]["details"][:3])
        for item_id in (first, second):
            ex = self.komet.call("purchase.order.item.confirm", poItemId=item_id, quantityConfirmed=2)
            if not self.expect_success(ex, f"confirm 2 boxes of line {item_id}"):
                return
        codes = [f"KC{self.rng.randrange(10**8):08d}" for _ in range(2)]
        item = {"poItemId": first, "awb": self._awb(), "shipDate": ship, "boxCodes": codes}
        if vendors:
            ex = self.komet.call(
                "purchase.order.items.awb.add", poItems=[item], vendorId=int(vendors[0]["id"])
            )
        else:
            ex = self.komet.call("purchase.order.items.awb.add", poItems=[item])
        if not self.expect_success(ex, "ship the line with two box codes"):
            return
        ex = self.komet.call("purchase.order.item.awb.add", poItemId=second, awb=item["awb"], shipDate=ship)
        self.expect_success(ex, "ship another line on the same AWB, Komet's box codes")
        new = f"KC{self.rng.randrange(10**8):08d}"
        ex = self.komet.call("box.code.change", boxes=[{"currentBoxCode": codes[0], "newBoxCode": new}])
        self.expect_success(ex, "relabel one box")
        self.expect_success(
            self.komet.call("purchase.order.item.delete", poItemId=third), "delete the third line"
        )

    def _awb(self) -> str:
        """An AWB number with a valid check digit (serial mod 7), on a made-up stock."""
        serial = self.rng.randrange(10**6, 10**7)
        digits = f"{serial:07d}{serial % 7}"
        return f"729-{digits[:4]}-{digits[4:]}"
