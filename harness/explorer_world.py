"""The explorer's rules for everyone but the grower: the importer's edits, cancellations and tokens, and the
network and the clock."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from .explorer_base import FAULT_KINDS, FAULT_METHODS, LINE, PO, MachineBase


class WorldRules(MachineBase):
    @precondition(lambda self: self.on("importer-edits"))
    @rule(po=PO, line=LINE, boxes=st.one_of(st.just(1), st.integers(1, 10)))
    def importer_changes_line(self, po: int, line: int, boxes: int) -> None:
        """Any legal count, 1 box included (drawn on its own: the smallest order is where splits and
        resets meet)."""
        po = self.po(po)
        line, _ = self.line(po, line)
        self.do("komet.change_line", {"po": po, "line": line, "boxes": boxes})

    @precondition(lambda self: self.on("importer-edits"))
    @rule(po=PO, line=LINE, notes=st.sampled_from(["", "Extra long stems", "1234"]))
    def importer_changes_notes(self, po: int, line: int, notes: str) -> None:
        po = self.po(po)
        line, _ = self.line(po, line)
        self.do("komet.change_line", {"po": po, "line": line, "notes": notes})

    @precondition(lambda self: self.on("importer-cancels"))
    @rule(po=PO, line=LINE)
    def importer_cancels_line(self, po: int, line: int) -> None:
        po = self.po(po)
        line, _ = self.line(po, line)
        self.do("komet.cancel_line", {"po": po, "line": line})

    @precondition(lambda self: self.on("token") and self.ctx is not None and not self.token_revoked)
    @rule(po=PO, line=LINE, boxes=st.integers(0, 10))
    def importer_revokes_the_token(self, po: int, line: int, boxes: int) -> None:
        """The importer deletes the grower's token; the grower's next write is refused about the connection
        and waits (it is not the write's fault)."""
        po = self.po(po)
        line, ordered = self.line(po, line)
        boxes = self.count(boxes, ordered)
        if self.do("komet.delete_token", {}) is None:
            return
        self.token_revoked = True
        self.do("asinfo.confirm", {"po": po, "line": line, "boxes": boxes})

    @precondition(lambda self: self.token_revoked)
    @rule()
    def importer_reissues_the_token(self) -> None:
        self.tokens += 1
        name = f"token{self.tokens}"
        if self.do("komet.create_token", {"description": "ASINFO integration (reissued)"}, save=name) is None:
            return
        self.do("asinfo.update_connection", {"token": self.ctx.tokens[-1]}, {"token": f"${{{name}}}"})
        self.token_revoked = False

    @precondition(lambda self: self.on("faults"))
    @rule(kind=st.sampled_from(FAULT_KINDS), method=st.sampled_from(FAULT_METHODS))
    def fault(self, kind: str, method: str) -> None:
        self.add_fault(kind, method)

    @precondition(lambda self: self.ctx is not None and self.held())
    @rule()
    def release(self) -> None:
        """Komet finishes what a late fault kept: after the client gave up, and after what came since."""
        self.do("release", {})

    @precondition(lambda self: self.faults)
    @rule()
    def clear_faults(self) -> None:
        self.do("clear_faults", {})
        self.faults = 0

    @rule(amount=st.sampled_from(["1m", "1h", "1d"]))
    def clock(self, amount: str) -> None:
        self.do("clock", {"advance": amount})
