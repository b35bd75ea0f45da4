"""What a running scenario knows: both clients, its variables, the seeded world and the connected grower,
and how friendly references (po: 0, line: 1, vendor: 0, "+1d") become ids."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from .clients import SimError


class Refused(Exception):
    """The app said no (a 4xx from ASINFO or the importer, or Komet's status 0): a step may expect this."""

    def __init__(self, message: str, result: Any = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.result = result
        self.status = status


class StepError(Exception):
    """The scenario itself cannot go on (a reference that resolves to nothing, a missing grower...)."""


class Ctx:
    def __init__(self, topo, seed: int, recorder=None):
        self.topo = topo
        self.seed = seed
        self.world: dict = {}
        self.grower: dict | None = None
        self.tokens: list[dict] = []
        self.recorder = recorder
        self.company_token: str | None = None
        self.background: list = []  # steps started by `background`, joined by `release`

    @property
    def komet(self):
        return self.topo.komet

    @contextmanager
    def looking_up(self):
        """Reads made only to resolve a reference are marked, so diagrams show what the actors did."""
        before = (self.komet.lookup, self.asinfo.lookup)
        self.komet.lookup = self.asinfo.lookup = True
        try:
            yield
        finally:
            self.komet.lookup, self.asinfo.lookup = before

    @property
    def asinfo(self):
        return self.topo.asinfo

    def fresh(self) -> None:
        """A new step: what the apps hold may have changed, forget the reads made for the last one."""
        self._pos_cache = None

    def _all_pos(self) -> list[dict]:
        """Komet's POs, read once per step however many references a step resolves."""
        if getattr(self, "_pos_cache", None) is None:
            self._pos_cache = self.komet.purchase_orders()
        return self._pos_cache

    def remove_faults(self, client) -> int:
        """Remove the rules `fault` added on this app: on a shared live server only this scenario's namespace;
        in process every rule (the world is this scenario's alone)."""
        params = {"namespace": client.namespace} if self.topo.mode == "live" and client.namespace else None
        return client.json("DELETE", "/__sim/faults", params=params)["removed"]

    # --- dates ------------------------------------------------------------------------------------
    def today(self) -> date:
        with self.looking_up():
            return date.fromisoformat(self.topo.today())

    def date(self, value: Any, default: str | None = None) -> str:
        if value is None:
            if default is None:
                raise StepError("a date is needed")
            return default
        text = str(value)
        if text == "today":
            return self.today().isoformat()
        if text[0] in "+-" and text.endswith("d"):
            return (self.today() + timedelta(days=int(text[:-1]))).isoformat()
        return date.fromisoformat(text).isoformat()

    # --- references -------------------------------------------------------------------------------
    def vendor(self, ref: Any = None) -> dict:
        vendors = self.world.get("vendors") or []
        if ref is None:
            if self.grower:
                return self.grower["vendor"]
            ref = 0
        if isinstance(ref, dict):
            ref = ref.get("id", ref.get("vendorId"))
        if isinstance(ref, int) and 0 <= ref < len(vendors):
            return vendors[ref]
        for v in vendors:
            if ref in (v["id"], v["code"], v["name"]):
                return v
        raise StepError(
            f"no vendor {ref!r}: the world has {len(vendors)} vendor(s) (refer by index, id or code)"
        )

    def customer(self, ref: Any) -> dict:
        customers = self.world.get("customers") or []
        if isinstance(ref, int) and 0 <= ref < len(customers):
            return customers[ref]
        for c in customers:
            if ref in (c["id"], c["code"], c["name"]):
                return c
        raise StepError(f"no customer {ref!r}: the world has {len(customers)} customer(s)")

    def _komet_pos(self) -> list[dict]:
        with self.looking_up():
            pos = self._all_pos()
        if self.grower:
            pos = [p for p in pos if p["vendorId"] == self.grower["vendor"]["id"]]
        return sorted(pos, key=lambda p: int(p["id"]))

    def po_number(self, ref: Any) -> str:
        """po: 0 (the grower's POs in the order they were made), a PO number, or a saved PO."""
        if isinstance(ref, dict):
            if "number" in ref:
                return str(ref["number"])
            if "purchaseOrderNumber" in ref:
                return str(ref["purchaseOrderNumber"])
            raise StepError(f"{ref!r} is not a purchase order (it has no number)")
        if isinstance(ref, int):
            pos = self._komet_pos()
            if 0 <= ref < len(pos):
                return str(pos[ref]["number"])
            raise StepError(f"no purchase order #{ref}: there are {len(pos)}")
        return str(ref)

    def komet_po(self, ref: Any) -> dict:
        number = self.po_number(ref)
        with self.looking_up():
            pos = self._all_pos()
        for p in pos:
            if str(p["number"]) == number:
                return p
        raise StepError(f"Komet has no purchase order {number}")

    def komet_line(self, po_ref: Any, line_ref: Any) -> dict:
        if isinstance(line_ref, dict) and "poItemId" in line_ref:
            item_id = int(line_ref["poItemId"])
            po = self.komet_po(po_ref) if po_ref is not None else None
            with self.looking_up():
                pos = [po] if po else self._all_pos()
            for p in pos:
                for d in p["details"]:
                    if d["poItemId"] == item_id:
                        return d
            raise StepError(f"Komet has no line {item_id}")
        po = self.komet_po(po_ref)
        lines = sorted(po["details"], key=lambda d: d["poItemId"])
        if isinstance(line_ref, int) and 0 <= line_ref < len(lines) and line_ref < 1000:
            return lines[line_ref]
        for d in lines:
            if d["poItemId"] == line_ref:
                return d
        raise StepError(f"purchase order {po['number']} has no line {line_ref!r} ({len(lines)} line(s))")

    def asinfo_order(self, ref: Any) -> dict:
        number = self.po_number(ref)
        with self.looking_up():
            for o in self.asinfo.orders():
                if str(o["number"]) == number:
                    return self.asinfo.order(o["id"])
        raise StepError(f"ASINFO has no purchase order {number} (has it been synced?)")

    def asinfo_line(self, po_ref: Any, line_ref: Any) -> dict:
        item_id = self.komet_line(po_ref, line_ref)["poItemId"]
        order = self.asinfo_order(po_ref)
        for ln in order["lines"]:
            if ln["poItemId"] == item_id:
                return ln
        raise StepError(f"ASINFO has no line {item_id} on purchase order {order['number']} (sync first?)")

    def awb(self, ref: Any) -> dict:
        with self.looking_up():
            awbs = self.asinfo.json("GET", "/api/awbs")["awbs"]
        # awb: 0 is the first AWB made (like po: 0); a saved AWB or a number names one exactly.
        if isinstance(ref, int) and not isinstance(ref, bool):
            ordered = sorted(awbs, key=lambda a: a["id"])
            if 0 <= ref < len(ordered):
                return ordered[ref]
            raise StepError(f"no AWB #{ref}: ASINFO has {len(ordered)}")
        if isinstance(ref, dict):
            key, value = ("id", ref["id"]) if "id" in ref else ("number", ref.get("number"))
        else:
            key, value = "number", str(ref)
        for a in awbs:
            if a[key] == value:
                return a
        raise StepError(f"ASINFO has no AWB {value!r}")

    def token(self, ref: Any = None) -> dict:
        if ref is None:
            if self.grower:
                return self.grower["token"]
            if self.tokens:
                return self.tokens[-1]
            raise StepError("no token yet: create one with komet.create_token")
        if isinstance(ref, dict):
            return ref
        for t in self.tokens:
            if ref in (t["id"], t["token"]):
                return t
        raise StepError(f"no token {ref!r}")


def call(fn, *args, **kwargs) -> Any:
    """Run a client call; an HTTP refusal becomes Refused with the app's own message."""
    try:
        return fn(*args, **kwargs)
    except SimError as exc:
        raise Refused(exc.app_message, exc.body if isinstance(exc.body, dict) else None, exc.status) from None
