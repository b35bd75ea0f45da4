"""The explorer's rules for the grower's side: confirming, shipping, relabelling, deleting and the outbox,
plain and through faults, and the interleavings that ordering bugs need (see explorer_base.SWARM)."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from .explorer_base import LINE, OUTBOX_KINDS, PO, WRITE_FAULTS, MachineBase


class GrowerRules(MachineBase):
    @rule()
    def sync(self) -> None:
        self.do("asinfo.sync", {})

    @precondition(lambda self: self.on("confirm"))
    @rule(po=PO, line=LINE, boxes=st.integers(0, 10))
    def confirm_line(self, po: int, line: int, boxes: int) -> None:
        po = self.po(po)
        line, ordered = self.line(po, line)
        self.do("asinfo.confirm", {"po": po, "line": line, "boxes": self.count(boxes, ordered)})

    @precondition(lambda self: self.on("confirm"))
    @rule(po=PO, how=st.sampled_from(["all", "none"]))
    def confirm_po(self, po: int, how: str) -> None:
        po = self.po(po)
        self.do("asinfo.confirm", {"po": po, "boxes": how})

    @precondition(lambda self: self.on("confirm-again"))
    @rule(
        po=PO,
        line=LINE,
        first=st.integers(0, 4),
        then=st.integers(0, 4),
        kind=st.sampled_from((None, *WRITE_FAULTS)),
    )
    def confirm_again(self, po: int, line: int, first: int, then: int, kind: str | None) -> None:
        """The grower confirms one count, then another, the first perhaps through a fault."""
        self.confirm_twice(po, line, first, then, kind)

    @precondition(lambda self: self.on("confirm-again"))
    @rule(po=PO, line=LINE, first=st.integers(0, 4), then=st.integers(0, 4))
    def confirm_overtaken_by_a_late_one(self, po: int, line: int, first: int, then: int) -> None:
        """Komet finishes a confirmation after its client gave up and after the newer one the grower sent
        since (the ordering bug of a timeout shorter than Komet's slowest answer); then the grower syncs."""
        if self.confirm_twice(po, line, first, then, "late"):
            self.do("release", {})
            self.do("asinfo.sync", {})

    def confirm_twice(self, po: int, line: int, first: int, then: int, kind: str | None) -> bool:
        """Two different counts on one line (some boxes first, so the two are told apart), the first
        through a fault of `kind`; whether both were sent."""
        po = self.po(po)
        line, ordered = self.line(po, line)
        first = self.some(first, ordered)
        then = self.count(first + 1 + then % max(ordered, 1), ordered)
        if kind:
            self.add_fault(kind, "purchase.order.item.confirm")
        if self.do("asinfo.confirm", {"po": po, "line": line, "boxes": first}) is None:
            return False
        return self.do("asinfo.confirm", {"po": po, "line": line, "boxes": then}) is not None

    @precondition(lambda self: self.on("ship"))
    @rule(po=PO)
    def create_awb(self, po: int) -> None:
        po = self.po(po)
        name = f"awb{len(self.awbs) + 1}"
        awb = self.do("asinfo.create_awb", {"po": po, "airline": "729"}, save=name)
        if awb:
            self.awbs.append({**awb, "var": name})

    @precondition(lambda self: self.on("ship") and self.awbs)
    @rule(data=st.data(), po=PO)
    def assign(self, data, po: int) -> None:
        po = self.po(po)
        awb = data.draw(st.sampled_from(self.awbs))
        self.do("asinfo.assign_boxes", {"awb": awb, "po": po}, {"awb": f"${{{awb['var']}}}", "po": po})

    @precondition(lambda self: self.on("ship") and self.awbs)
    @rule(data=st.data())
    def print_labels(self, data) -> None:
        awb = data.draw(st.sampled_from(self.awbs))
        self.do(
            "asinfo.print_labels",
            {"awb": awb, "format": "zpl"},
            {"awb": f"${{{awb['var']}}}", "format": "zpl"},
        )

    @precondition(lambda self: self.on("ship") and self.awbs)
    @rule(data=st.data())
    def ship(self, data) -> None:
        awb = data.draw(st.sampled_from(self.awbs))
        self.do("asinfo.ship", {"awb": awb}, {"awb": f"${{{awb['var']}}}"})

    @precondition(lambda self: self.on("ship"))
    @rule(po=PO)
    def ship_whole_po(self, po: int) -> None:
        """The common path in one rule (confirm all, AWB, boxes, labels, ship), so runs reach shipping often."""
        po = self.po(po)
        if self.do("asinfo.confirm", {"po": po, "boxes": "all"}) is None:
            return
        self.ship_on_a_new_awb(po)

    def ship_on_a_new_awb(self, po: int) -> None:
        """What was confirmed of the PO goes on a new AWB, labelled and shipped (not a rule: rules call it)."""
        self.create_awb(po)
        if not self.awbs:
            return
        awb = self.awbs[-1]
        ref = f"${{{awb['var']}}}"
        self.do("asinfo.assign_boxes", {"awb": awb, "po": po}, {"awb": ref, "po": po})
        self.do("asinfo.print_labels", {"awb": awb, "format": "zpl"}, {"awb": ref, "format": "zpl"})
        self.do("asinfo.ship", {"awb": awb}, {"awb": ref})

    @precondition(lambda self: self.on("ship-faults"))
    @rule(po=PO, kind=st.sampled_from(WRITE_FAULTS))
    def ship_whole_po_through_a_fault(self, po: int, kind: str) -> None:
        """The push meets a fault: the case the outbox and reconciliation exist for."""
        self.add_fault(kind, "purchase.order.items.awb.add")
        self.ship_whole_po(po)

    @precondition(lambda self: self.on("ship"))
    @rule(po=PO, boxes=st.integers(1, 3))
    def ship_part_of_a_line(self, po: int, boxes: int) -> None:
        """A partial shipment: Komet splits the line (the shipped part keeps it, the rest is a new line)."""
        po = self.po(po)
        _, ordered = self.line(po, 0)
        boxes = 1 + (boxes - 1) % max(ordered - 1, 1)  # fewer than ordered where the line holds two or more
        if self.do("asinfo.confirm", {"po": po, "line": 0, "boxes": boxes}) is None:
            return
        self.ship_on_a_new_awb(po)

    @precondition(lambda self: self.on("ship-faults"))
    @rule(po=PO, other=PO, kind=st.sampled_from(WRITE_FAULTS))
    def ship_several_pos_through_a_fault(self, po: int, other: int, kind: str) -> None:
        """One AWB carrying the boxes of two POs, pushed through a fault (reconciliation reads both back)."""
        po, other = self.po(po), self.po(other)
        if po == other or self.do("asinfo.confirm", {"po": po, "boxes": "all"}) is None:
            return
        self.do("asinfo.confirm", {"po": other, "boxes": "all"})
        self.create_awb(po)
        if not self.awbs:
            return
        awb = self.awbs[-1]
        ref = f"${{{awb['var']}}}"
        for p in (po, other):
            self.do("asinfo.assign_boxes", {"awb": awb, "po": p}, {"awb": ref, "po": p})
        self.do("asinfo.print_labels", {"awb": awb, "format": "zpl"}, {"awb": ref, "format": "zpl"})
        self.add_fault(kind, "purchase.order.items.awb.add")
        self.do("asinfo.ship", {"awb": awb}, {"awb": ref})

    @precondition(lambda self: self.on("interleave"))
    @rule(po=PO, line=LINE, boxes=st.integers(0, 10), ship=st.booleans())
    def sync_overtaken_by_a_write(self, po: int, line: int, boxes: int, ship: bool) -> None:
        """A controlled interleaving: the sync has read Komet (its reply held) when a confirmation, or a
        whole shipment, completes; then the sync applies its older read."""
        po = self.po(po)
        line, ordered = self.line(po, line)
        boxes = self.some(boxes, ordered)  # a confirmation of 0 would look like no change in the sync's read
        hold = self.add_fault("hold", "purchase.order.list", seconds=5)
        self.do("background", {"asinfo.sync": {}})
        if ship:
            self.ship_whole_po(po)
        else:
            self.do("asinfo.confirm", {"po": po, "line": line, "boxes": boxes})
        self.do("release", {})
        if (
            hold is not None
        ):  # a sync that never read (refused first) leaves it: it must not catch a later read
            with self.ctx.looking_up():
                self.ctx.komet.remove_fault(hold["id"])

    @precondition(lambda self: self.on("relabel"))
    @rule(data=st.data(), po=PO, kind=st.sampled_from((None, *WRITE_FAULTS)))
    def relabel(self, data, po: int, kind: str | None) -> None:
        """A damaged label: a shipped box gets a new code (box.code.change), perhaps through a fault. With
        nothing shipped yet, a PO ships first."""
        boxes = self.shipped_boxes()
        if not boxes:
            self.ship_whole_po(po)
            boxes = self.shipped_boxes()
        if not boxes:
            return
        box = data.draw(st.sampled_from(sorted(boxes, key=lambda b: b["boxCode"])))
        if kind:
            self.add_fault(kind, "box.code.change")
        self.relabels += 1
        new = f"RL{self.seed:03d}{self.relabels:05d}"
        self.do("asinfo.relabel", {"boxCode": box["boxCode"], "newBoxCode": new})
        self.do("asinfo.print_labels", {"boxCode": new, "format": "zpl"})

    def shipped_boxes(self) -> list[dict]:
        with self.ctx.looking_up():
            return [
                b
                for a in self.ctx.asinfo.awbs()
                for b in self.ctx.asinfo.awb(a["id"])["boxes"]
                if b.get("state") == "shipped"
            ]

    @precondition(lambda self: self.on("delete"))
    @rule(po=PO, line=LINE, kind=st.sampled_from((None, *WRITE_FAULTS)))
    def delete_line(self, po: int, line: int, kind: str | None) -> None:
        """The grower deletes a line it cannot fill, perhaps through a fault."""
        po = self.po(po)
        line, _ = self.line(po, line)
        if kind:
            self.add_fault(kind, "purchase.order.item.delete")
        self.do("asinfo.delete_line", {"po": po, "line": line})

    @precondition(lambda self: self.on("outbox") and self.ctx is not None and self.waiting())
    @rule(kind=st.sampled_from(OUTBOX_KINDS))
    def cancel_outbox_item(self, kind: str) -> None:
        """The grower withdraws a waiting write (some cannot be: the refusal says why)."""
        self.do("asinfo.cancel_outbox", {"kind": kind})

    @precondition(lambda self: self.ctx is not None and self.waiting())
    @rule()
    def retry(self) -> None:
        self.do("asinfo.retry", {})

    @precondition(lambda self: (self.on("relabel") or self.on("ship")) and self.awbs)
    @rule(data=st.data())
    def probe_a_reused_box_code(self, data) -> None:
        """A contract probe, as a grower system with a bug would send it: a box code Komet already holds, on
        another line of the grower's, confirmed first if it is not. Komet must refuse it (K8)."""
        pos = self.pos()
        held = [b["boxCode"] for p in pos for d in p["details"] for b in d.get("boxes") or []]
        open_lines = [
            d
            for p in pos
            for d in p["details"]
            if d["lineItemStatus"] in ("P", "C", "PC") and d["totalBoxes"]
        ]
        if not held or not open_lines:
            return
        code = data.draw(st.sampled_from(sorted(held)))
        line = data.draw(st.sampled_from(sorted(open_lines, key=lambda d: d["poItemId"])))
        if line["lineItemStatus"] == "P":
            confirm = {"poItemId": line["poItemId"], "quantity": 1}
            if self.do("komet.call", {"method": "purchase.order.item.confirm", "params": confirm}) is None:
                return
        awb = self.awbs[-1]
        self.do(
            "komet.call",
            {
                "method": "purchase.order.item.awb.add",
                "params": {
                    "poItemId": line["poItemId"],
                    "awb": awb["number"],
                    "shipDate": awb["shipDate"],
                    "boxCodes": [code],
                },
            },
        )
