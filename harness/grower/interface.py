"""The grower adapter: the one small interface through which the harness reaches "the grower" (ASINFO, or any
grower system that talks to Komet). Every `asinfo.*` step calls one of its operations.

References are grower-neutral: a purchase order is its Komet number, a line its Komet poItemId, an AWB its
number (as printed on the air waybill), a box its code. An adapter maps them to its own records.

An adapter implements the operations its system can do; the others stay as they are here (unsupported). The
operations an adapter supports are the methods it overrides (or the `operations` it declares); a scenario
that needs one it lacks is skipped with the reason, never passed.

Return values are the adapter's own view as a dict (shown in reports, matched by `expect:` in scenarios
written for that grower); scenarios that run against any grower (tag `komet-observable`) check Komet only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

# Every operation, with what it means. The step `asinfo.<name>` uses the operation of the same name
# (asinfo.confirm: confirm_line with line:, confirm_order without).
OPERATIONS: dict[str, str] = {
    "connect": "add the importer's connection: Komet URL, token, company ID",
    "update_connection": "change the connection (a new token, another URL, the ship-date window)",
    "test_connection": "check the connection with one cheap call",
    "sync": "pull the importer's purchase orders from Komet now",
    "confirm_line": "confirm a number of boxes of one line",
    "confirm_order": "confirm every line of a purchase order in full (all) or not at all (none)",
    "delete_line": "delete a line the grower cannot fill",
    "create_awb": "make an air waybill for a ship date",
    "assign_boxes": "put confirmed boxes on an AWB",
    "unassign_boxes": "take unshipped boxes off an AWB",
    "print_labels": "print box labels: the document and the box codes on it",
    "ship": "send an AWB's boxes to Komet",
    "retry": "deliver what waits to be sent to Komet now",
    "relabel": "change a box's code (Komet is told once the box has shipped)",
    "settings": "the grower system's own settings",
    "get_order": "read a purchase order as the grower has it",
    "get_line": "read a line as the grower has it",
    "orders": "list the purchase orders the grower has",
    "get_awb": "read an AWB with its boxes",
    "shipments": "list shipments and their per-line results",
    "outbox": "list writes waiting for Komet",
    "cancel_outbox": "withdraw the newest write still waiting for Komet (of one kind, or any)",
    "sync_log": "the grower's sync history",
    "tick": "let a grower that acts on its own schedule take its next turn (used while waiting on Komet)",
}


class Unsupported(Exception):
    """The adapter cannot do this operation."""

    def __init__(self, operation: str, grower: str):
        super().__init__(f"the {grower} grower adapter does not support {operation}")
        self.operation = operation


class GrowerRefused(Exception):
    """The grower system said no (as its user would see it): a scenario step may expect this with refused:."""

    def __init__(self, message: str, reply: Any = None):
        super().__init__(message)
        self.message = message
        self.reply = reply


@dataclass
class Labels:
    """Printed labels: the document as the printer gets it, its format, and the box codes it carries."""

    document: bytes
    format: str
    codes: list[str] = field(default_factory=list)


@dataclass
class Setup:
    """What the harness tells an adapter when it builds it for one scenario."""

    komet_url: str  # Komet's base URL as the grower must be told it
    seed: int = 0
    now: Callable[[], str] | None = None  # the scenario's time (ISO), for a grower that should follow it
    options: dict = field(default_factory=dict)


class Grower:
    """Base class of grower adapters. Override the operations your system supports."""

    name: ClassVar[str] = "grower"
    operations: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "operations" not in cls.__dict__:  # declared: taken as it is; else derived from what is overridden
            cls.operations = frozenset(
                op for op in OPERATIONS if getattr(cls, op, None) is not getattr(Grower, op, None)
            )

    def __init__(self, setup: Setup):
        self.setup = setup

    def supports(self, operation: str) -> bool:
        return operation in self.operations

    def _unsupported(self, operation: str) -> Any:
        raise Unsupported(operation, self.name)

    # --- what the harness may ask of a simulated grower only -------------------------------------
    def control(self) -> Any:
        """A kasim control plane for this grower (state for the invariants, faults, journal), or None."""
        return None

    def close(self) -> None:
        """The scenario is over: stop anything the adapter started."""

    # --- the operations (each unsupported unless overridden) ------------------------------------
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
        return self._unsupported("connect")

    def update_connection(self, **changes) -> dict:
        """changes: token, companyId, kometUrl, syncDays (only those given)."""
        return self._unsupported("update_connection")

    def test_connection(self) -> dict:
        return self._unsupported("test_connection")

    def sync(self) -> dict:
        return self._unsupported("sync")

    def confirm_line(self, po: str, item: int, boxes: int) -> dict:
        return self._unsupported("confirm_line")

    def confirm_order(self, po: str, boxes: str) -> dict:
        """boxes: "all" or "none"."""
        return self._unsupported("confirm_order")

    def delete_line(self, po: str, item: int) -> dict:
        return self._unsupported("delete_line")

    def create_awb(
        self, ship_date: str, airline: str | None = None, number: str | None = None, **extra
    ) -> dict:
        """Returns the AWB with at least its "number". extra: hawb, cargoAgency, origin, destination."""
        return self._unsupported("create_awb")

    def assign_boxes(
        self, awb: str, lines: list[tuple[str, int, int | None]] | None = None, po: str | None = None
    ) -> dict:
        """lines: (po, item, boxes or None for every confirmed box not yet on an AWB); or po: the whole PO."""
        return self._unsupported("assign_boxes")

    def unassign_boxes(self, awb: str, box: str | None = None, line: tuple[str, int] | None = None) -> dict:
        return self._unsupported("unassign_boxes")

    def print_labels(
        self,
        fmt: str = "pdf",
        awb: str | None = None,
        line: tuple[str, int] | None = None,
        box: str | None = None,
    ) -> Labels:
        return self._unsupported("print_labels")

    def ship(self, awb: str) -> dict:
        return self._unsupported("ship")

    def retry(self, due: bool = False) -> dict:
        return self._unsupported("retry")

    def relabel(self, box: str, new_code: str) -> dict:
        return self._unsupported("relabel")

    def settings(self, **settings) -> dict:
        return self._unsupported("settings")

    def get_order(self, po: str) -> dict:
        return self._unsupported("get_order")

    def get_line(self, po: str, item: int) -> dict:
        return self._unsupported("get_line")

    def orders(self, ship_date: str | None = None) -> list[dict]:
        return self._unsupported("orders")

    def get_awb(self, awb: str) -> dict:
        return self._unsupported("get_awb")

    def shipments(self) -> list[dict]:
        return self._unsupported("shipments")

    def outbox(self) -> list[dict]:
        return self._unsupported("outbox")

    def cancel_outbox(self, kind: str | None = None) -> dict:
        return self._unsupported("cancel_outbox")

    def sync_log(self) -> list[dict]:
        return self._unsupported("sync_log")

    def tick(self) -> dict:
        return self._unsupported("tick")
