"""The built-in grower adapter: our ASINFO simulator (in process or over HTTP), through its JSON API. It maps
the harness's neutral references (Komet PO numbers, poItemIds, AWB numbers) to ASINFO's own ids."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..clients import AsinfoSimClient
from ..context import StepError
from .interface import Grower, GrowerRefused, Labels, Setup


class AsinfoGrower(Grower):
    name = "asinfo"

    def __init__(self, setup: Setup, client: AsinfoSimClient, topology=None):
        super().__init__(setup)
        self.client = client
        self.topology = topology
        self.account: dict | None = None
        self.connection: dict | None = None
        self._orders_read: tuple[str | None, list[dict]] | None = None  # (ASINFO's state tag, its orders)

    def control(self) -> AsinfoSimClient:
        return self.client

    @contextmanager
    def _lookup(self) -> Iterator[None]:
        """Reads made only to find ASINFO's ids are marked, so diagrams show what the grower did."""
        before = self.client.lookup
        self.client.lookup = True
        try:
            yield
        finally:
            self.client.lookup = before

    # --- the connection --------------------------------------------------------------------------
    def _ensure_account(self, vendor: dict) -> dict:
        """The grower's ASINFO account is the farm the token belongs to; made on first connect."""
        if self.account is None:
            self.account = self.client.seed(
                seed=self.setup.seed,
                reset=False,
                farmName=vendor["name"],
                farmCode=vendor["code"],
                origin=vendor.get("portOrigin", "BOG"),
            )
            self.client.namespace = str(self.account["accountId"])
            if self.topology is not None:  # the new account's clock starts at this scenario's time
                self.topology.align_grower_clock()
        return self.account

    def connect(
        self,
        komet_url: str,
        token: str,
        company_id: int,
        *,
        company_name: str = "Importer",
        vendor: dict | None = None,
        sync_days: int | None = None,
        customer_id: str | None = None,
    ) -> dict:
        self._ensure_account(vendor or {"name": "Farm", "code": "FRM"})
        self.connection = self.client.connect(
            komet_url,
            token,
            company_id,
            name=company_name,
            customer_id=customer_id,
            sync_days=sync_days,
            background=False,  # a scenario syncs and retries when its steps say so, never behind them
        )
        return self.connection

    def _connection_id(self) -> int:
        if not self.connection:
            raise StepError("the grower is not connected yet: add an asinfo.connect step first")
        return self.connection["id"]

    def update_connection(self, **changes) -> dict:
        self.connection = self.client.update_connection(self._connection_id(), **changes)
        return self.connection

    def test_connection(self) -> dict:
        return self.client.test_connection(self._connection_id())

    def sync(self) -> dict:
        return self.client.sync(self._connection_id())["syncs"][0]

    def tick(self) -> dict:
        """What ASINFO's worker does on its own when served: deliver what is due, then sync (a sync Komet
        does not answer, or asks to wait for, is the worker's outcome too: it tries again next turn)."""
        delivered = self.client.run_outbox(False)
        sync = self.client.sync(self._connection_id(), expect=(200, 502))["syncs"][0]
        return {"outbox": delivered, "sync": sync}

    # --- ASINFO's ids for the neutral references -------------------------------------------------
    def _order(self, po: str) -> dict:
        for o in self._orders():  # each as GET /api/orders/{id} shows it, lines and all
            if str(o["number"]) == po:
                return o
        raise StepError(f"ASINFO has no purchase order {po} (has it been synced?)")

    def _orders(self) -> list[dict]:
        """ASINFO's orders; read again only when its state tag says the account changed (where a tag is cheap:
        in process; elsewhere every lookup reads)."""
        tag = None
        if self.topology is not None and self.account is not None:
            tag = self.topology.state_tag(self.client, str(self.account["accountId"]))  # before the read
        if tag is None or self._orders_read is None or self._orders_read[0] != tag:
            with self._lookup():
                self._orders_read = (tag, self.client.orders())
        return self._orders_read[1]

    def _line(self, po: str, item: int) -> dict:
        order = self._order(po)
        for ln in order["lines"]:
            if ln["poItemId"] == item:
                return ln
        raise StepError(f"ASINFO has no line {item} on purchase order {order['number']} (sync first?)")

    def _awbs(self) -> list[dict]:
        with self._lookup():
            return self.client.awbs()

    def _awb(self, number: str, awbs: list[dict] | None = None) -> dict:
        for a in awbs if awbs is not None else self._awbs():
            if a["number"] == number:
                return a
        raise StepError(f"ASINFO has no AWB {number!r}")

    # --- the grower's work -----------------------------------------------------------------------
    def confirm_line(self, po: str, item: int, boxes: int) -> dict:
        return self.client.confirm_line(self._line(po, item)["id"], boxes)

    def confirm_order(self, po: str, boxes: str) -> dict:
        return self.client.confirm_order(self._order(po)["id"], boxes)

    def delete_line(self, po: str, item: int) -> dict:
        return self.client.delete_line(self._line(po, item)["id"])

    def create_awb(
        self, ship_date: str, airline: str | None = None, number: str | None = None, **extra
    ) -> dict:
        return self.client.create_awb(
            self._connection_id(), ship_date, airline=None if number else airline, number=number, **extra
        )

    def assign_boxes(
        self, awb: str, lines: list[tuple[str, int, int | None]] | None = None, po: str | None = None
    ) -> dict:
        awb_id = self._awb(awb)["id"]
        if lines is not None:
            items = []
            for po_number, item, boxes in lines:
                line = self._line(po_number, item)
                free = (line["confirmedBoxes"] or 0) - line["assignedBoxes"]
                items.append((line["id"], free if boxes is None else boxes))
            return self.client.assign(awb_id, items)
        if po is None:
            raise StepError("give po: (all its confirmed boxes) or lines: [...]")
        return self.client.assign_order(awb_id, self._order(po)["id"])

    def unassign_boxes(self, awb: str, box: str | None = None, line: tuple[str, int] | None = None) -> dict:
        found = self._awb(awb)
        if box is not None:
            codes = [box]
        elif line is not None:
            line_id = self._line(*line)["id"]
            codes = [
                b["boxCode"] for b in found["boxes"] if b["lineId"] == line_id and b["state"] != "shipped"
            ]
            if not codes:
                raise StepError(f"AWB {found['number']} has no unshipped box of line {line[1]}")
        else:
            raise StepError("take what off? give box: <code>, or po: + line:")
        result = found
        for code in codes:
            result = self.client.unassign(found["id"], code)
        return result

    def print_labels(
        self,
        fmt: str = "pdf",
        awb: str | None = None,
        line: tuple[str, int] | None = None,
        box: str | None = None,
    ) -> Labels:
        if awb is not None:
            found = self._awb(awb)
            selection: dict = {"awbId": found["id"]}
            codes = [b["boxCode"] for b in found["boxes"]]
        elif line is not None:
            line_id = self._line(*line)["id"]
            selection = {"lineId": line_id}
            codes = [b["boxCode"] for a in self._awbs() for b in a["boxes"] if b["lineId"] == line_id]
        elif box is not None:
            selection, codes = {"boxCode": box}, [box]
        else:
            raise StepError("print what? give awb:, po: + line:, or box:")
        return Labels(self.client.print_labels(fmt, **selection), fmt, codes)

    def ship(self, awb: str) -> dict:
        return self.client.ship(self._awb(awb)["id"])

    def retry(self, due: bool = False) -> dict:
        return self.client.run_outbox(not due)

    def relabel(self, box: str, new_code: str) -> dict:
        return self.client.relabel(box, new_code)

    def settings(self, **settings) -> dict:
        return self.client.update_account(**settings)

    # --- what ASINFO shows -----------------------------------------------------------------------
    def get_order(self, po: str) -> dict:
        return self._order(po)

    def get_line(self, po: str, item: int) -> dict:
        return self._line(po, item)

    def orders(self, ship_date: str | None = None) -> list[dict]:
        return self.client.orders(ship_date)

    def get_awb(self, awb: str) -> dict:
        return self._awb(awb)

    def shipments(self) -> list[dict]:
        return self.client.shipments()

    def outbox(self) -> list[dict]:
        return self.client.outbox()

    def cancel_outbox(self, kind: str | None = None) -> dict:
        with self._lookup():
            waiting = [i for i in self.client.outbox("pending") if kind is None or i["kind"] == kind]
        if not waiting:
            raise GrowerRefused(f"no waiting {kind + ' ' if kind else ''}write in the outbox")
        return self.client.cancel_outbox(waiting[-1]["id"])

    def sync_log(self) -> list[dict]:
        return self.client.sync_log()
