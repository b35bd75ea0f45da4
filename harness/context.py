"""What a running scenario knows: both clients, the seeded importer company and the connected grower, and how
references become ids. A reference's form says what it is, never its size:

  an integer            the Nth one (po: 0, line: 1, vendor: 0, product: 2, awb: 0), in the order they were made
  {id: N} / {poItemId: N}  the one with that id (po: {id: 812}, line: {poItemId: 9123}, product: {id: 44})
  text                  a number or code as people write it (po: "PO-2026-0001", vendor: "FLR", awb: "729-…")
  a saved object        what an earlier step returned (po: ${order}, awb: ${awb}, token: ${token})
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from .clients import SimError
from .grower import GrowerRefused, Unsupported


class Refused(Exception):
    """The app said no (a 4xx from ASINFO or the importer, or Komet's status 0): a step may expect this."""

    def __init__(self, message: str, result: Any = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.result = result
        self.status = status


class CheckFailed(Exception):
    """A check step found what it checks broken (the invariants, the protocol verdict): each problem a line."""

    def __init__(self, message: str, details: list[str]):
        super().__init__(message)
        self.message = message
        self.details = details


class StepError(Exception):
    """The scenario itself cannot go on (a reference that resolves to nothing, a missing grower...)."""


class Ctx:
    def __init__(self, topo, seed: int, labels=None):
        self.topo = topo
        self.seed = seed
        self.company: dict = {}  # what seeding made: companyId, companyName, vendors, customers, shipDates
        self.grower: dict | None = None
        self.tokens: list[dict] = []
        self.labels = labels  # a LabelArchive when printed labels are kept (--report)
        self.company_token: str | None = None
        self.adapter = topo.new_grower(seed)  # the grower system, through its adapter (harness.grower)
        self.awbs: list[str] = []  # numbers of the AWBs this scenario made, in order (awb: 0)
        self.background: list = []  # steps started by `background`, joined by `release`
        self.journals_read: dict = {}  # what harness.exchanges has read of each journal (it asks for the rest)
        self.checked: dict = {}  # what harness.invariants last judged, and the labels it read (see check_all)
        self._pos_cache: list[dict] | None = None  # Komet's POs as last read (_all_pos)
        self._pos_tag: str | None = None  # Komet's state tag just before that read
        self._pos_checked = False  # that read was checked against the tag in this step

    @property
    def komet(self):
        return self.topo.komet

    @contextmanager
    def looking_up(self):
        """Reads made only to resolve a reference are marked, so diagrams show what the actors did."""
        before = self.komet.lookup
        self.komet.lookup = True
        try:
            yield
        finally:
            self.komet.lookup = before

    @property
    def asinfo(self):
        return self.topo.asinfo

    def fresh(self) -> None:
        """A new step: what the apps hold may have changed, so the reads made for the last one are checked again
        before they are used (_all_pos)."""
        self._pos_checked = False

    def read_pos(self) -> None:
        """The importer reads its POs (komet.get_po, komet.get_line): its own read, so drawn in the report's
        diagram, unlike the lookups that only resolve a reference; the step's later lookups reuse it."""
        tag = self._komet_tag()  # taken before the read: a change made meanwhile makes the next tag differ
        self._pos_cache, self._pos_tag, self._pos_checked = self.komet.purchase_orders(), tag, True

    def _all_pos(self) -> list[dict]:
        """Komet's POs, read once per step however many references a step resolves, and not read again while
        Komet says its cached reads of the company would answer as before (in process, where the tag is cheap)."""
        cached = self._pos_cache
        if cached is None or not self._pos_checked:
            tag = self._komet_tag()
            if cached is None or tag is None or tag != self._pos_tag:
                cached = self._pos_cache = self.komet.purchase_orders()
            self._pos_tag, self._pos_checked = tag, True
        return cached

    def _komet_tag(self) -> str | None:
        # The importer's PO list is one of Komet's cached reads: a call counted against the quota, or the clock
        # moving within the day, leaves it as it was.
        return self.topo.reply_tag(self.komet, str(self.company["companyId"])) if self.company else None

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
        if ref is None:
            if self.grower:
                return self.grower["vendor"]
            ref = 0
        return _pick("vendor", self.company.get("vendors") or [], ref, ("vendorId",))

    def customer(self, ref: Any) -> dict:
        return _pick("customer", self.company.get("customers") or [], ref, ("customerId",))

    def grower_pos(self) -> list[dict]:
        """The POs `po: N` counts: the grower's vendor's, in the order they were made (Komet's lines as it
        lists them); read once per step."""
        return self._komet_pos()

    def _komet_pos(self) -> list[dict]:
        with self.looking_up():
            pos = self._all_pos()
        if self.grower:
            pos = [p for p in pos if p["vendorId"] == self.grower["vendor"]["id"]]
        return sorted(pos, key=lambda p: int(p["id"]))

    def po_number(self, ref: Any) -> str:
        """po: 0 (the grower's POs in the order they were made), {id: N}, a PO number, or a saved PO."""
        if isinstance(ref, dict):
            if "number" in ref:
                return str(ref["number"])
            if "purchaseOrderNumber" in ref:
                return str(ref["purchaseOrderNumber"])
            if "id" in ref:
                with self.looking_up():
                    pos = self._all_pos()
                for p in pos:
                    if int(p["id"]) == int(ref["id"]):
                        return str(p["number"])
                raise StepError(f"Komet has no purchase order with id {ref['id']}")
            raise StepError(f"{ref!r} is not a purchase order (it has no number or id)")
        if isinstance(ref, bool):
            raise StepError(f"{ref!r} is not a purchase order")
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
        if isinstance(line_ref, int) and not isinstance(line_ref, bool) and 0 <= line_ref < len(lines):
            return lines[line_ref]
        raise StepError(
            f"purchase order {po['number']} has no line {line_ref!r} ({len(lines)} line(s); "
            "line: N is the Nth, line: {poItemId: N} names one by id)"
        )

    def line_ref(self, po_ref: Any, line_ref: Any) -> tuple[str, int]:
        """(Komet PO number, poItemId): the grower-neutral name of a line. po may be left out when the line is
        named by its id ({poItemId: N})."""
        line = self.komet_line(po_ref, line_ref)
        if po_ref is not None:
            return self.po_number(po_ref), int(line["poItemId"])
        with self.looking_up():
            pos = self._all_pos()
        for p in pos:
            if any(d["poItemId"] == line["poItemId"] for d in p["details"]):
                return str(p["number"]), int(line["poItemId"])
        raise StepError(f"Komet has no purchase order with line {line['poItemId']}")

    def awb_number(self, ref: Any) -> str:
        """awb: 0 is the first AWB this scenario made (like po: 0); a saved AWB or its number names one."""
        if isinstance(ref, bool):
            raise StepError(f"{ref!r} is not an AWB")
        if isinstance(ref, int):
            if 0 <= ref < len(self.awbs):
                return self.awbs[ref]
            raise StepError(f"no AWB #{ref}: this scenario made {len(self.awbs)}")
        if isinstance(ref, dict):
            if "number" not in ref:
                raise StepError(f"{ref!r} is not an AWB (it has no number)")
            return str(ref["number"])
        return str(ref)

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


def _pick(kind: str, items: list[dict], ref: Any, id_keys: tuple = ()) -> dict:
    """An index, {id: N} (or a saved object with its id), or a code or name."""
    if isinstance(ref, bool):
        raise StepError(f"{ref!r} is not a {kind}")
    if isinstance(ref, int):
        if 0 <= ref < len(items):
            return items[ref]
        raise StepError(
            f"no {kind} #{ref}: the world has {len(items)} {kind}(s) ({kind}: {{id: N}} names one by id)"
        )
    if isinstance(ref, dict):
        wanted = next((ref[k] for k in ("id", *id_keys) if k in ref), None)
        for item in items:
            if wanted is not None and int(item["id"]) == int(wanted):
                return item
        raise StepError(f"no {kind} with id {wanted!r}")
    for item in items:
        if str(ref) in (item["code"], item["name"]):
            return item
    raise StepError(f"no {kind} {ref!r}: refer by index, {{id: N}}, code or name")


def call(fn, *args, **kwargs) -> Any:
    """Run a client call; an HTTP refusal becomes Refused with the app's own message."""
    try:
        return fn(*args, **kwargs)
    except SimError as exc:
        raise Refused(exc.app_message, exc.body if isinstance(exc.body, dict) else None, exc.status) from None
    except GrowerRefused as exc:
        raise Refused(exc.message, exc.reply if isinstance(exc.reply, dict) else None) from None
    except Unsupported as exc:  # a scenario needing it is skipped before it runs; this is a step run by hand
        raise StepError(str(exc)) from None
