"""Property-based exploration: a Hypothesis state machine whose rules are the integration's actions (the
grower's, the importer's) and faults, with the protocol invariants checked after every step and the two
sides' agreement checked once the sync is quiet. Every rule is also recorded as a scenario step, so the
shrunk failing run can be written out as a YAML scenario a person can read, replay and keep."""

from __future__ import annotations

from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from .actions import load_all
from .context import Ctx, Refused, StepError
from .engine import setup_world
from .invariants import check_all, quiet_and_compare, snapshots
from .topology import Topology

PO = st.integers(0, 4)
LINE = st.integers(0, 2)
# Every kind but hold (whose reply waits for a release: interleave() uses it on purpose) and latency (real
# seconds; in process a late reply is the `late` kind).
FAULT_KINDS = ("error", "timeout", "reset", "lost_response", "duplicate", "type_drift", "rate_limit", "late")
WRITE_FAULTS = ("lost_response", "reset", "timeout", "error", "duplicate", "rate_limit", "late")
FAULT_METHODS = (
    "purchase.order.list",
    "purchase.order.item.confirm",
    "purchase.order.items.awb.add",
    "box.code.change",
    "purchase.order.item.delete",
)
RETRY_AFTER = 90  # distinct from any backoff step, so a write that ignores it shows
OUTBOX_KINDS = ("confirm", "delete", "ship", "box_code")
SIZES = st.fixed_dictionaries(
    {
        "vendors": st.integers(1, 2),
        "shipDays": st.integers(1, 2),
        "posPerDay": st.integers(1, 3),
        "linesPerPo": st.integers(1, 3),
    }
)


class IntegrationMachine(RuleBasedStateMachine):
    """Configured by make_machine(); `last` is the most recent run (the shrunk one, after a failure)."""

    base_seed = 0
    plant: ClassVar[dict] = {}
    last: IntegrationMachine | None = None

    def __init__(self) -> None:
        super().__init__()
        self.topo: Topology = None  # type: ignore[assignment]  # initialize(), run before any rule, sets both
        self.ctx: Ctx = None  # type: ignore[assignment]  # (teardown checks: a run may stop before it)
        self.steps: list[dict] = []
        self.world: dict = {}
        self.awbs: list[dict] = []
        self.faults = 0
        self.relabels = 0
        self.tokens = 0
        self.token_revoked = False
        # Round trips the machine spares itself, from what it knows on its own: `acted` counts the actions
        # tried (nothing else changes either app); the checks remember at which count they last passed and
        # whether the outbox then had writes waiting; a request can be held only once a late or hold fault was
        # asked for.
        self.acted = 0
        self.checked_at: int | None = None
        self.pending_at: tuple[int, bool] | None = None
        self.may_hold = False
        self.view_at: int | None = None  # `acted` when the machine last read the grower's POs (see pos())
        self.pos_seen: list[dict] = []
        type(self).last = self

    # --- recording -------------------------------------------------------------------------------------
    def do(self, action: str, run_args: dict, yaml_args: dict | None = None, save: str | None = None) -> Any:
        """Run one action as a scenario step would; record it (with refused: when the app said no)."""
        step: dict = {action: yaml_args if yaml_args is not None else run_args}
        if self.view_at != self.acted:  # else the POs the rule just read are still what Komet holds
            self.ctx.fresh()
        self.acted += 1
        try:
            result = load_all()[action].run(self.ctx, run_args)
        except StepError:
            return None  # the reference does not resolve in this world (po: 4 of 2): not a step at all
        except Refused as exc:
            step["refused"] = exc.message
            self.steps.append(step)
            return None
        if save:
            step["save"] = save
        self.steps.append(step)
        return result

    # --- the world -------------------------------------------------------------------------------------
    @initialize(sizes=SIZES, offset=st.integers(0, 9))
    def start(self, sizes: dict, offset: int) -> None:
        seed = self.base_seed + offset
        self.topo = Topology.in_process(
            seed,
            komet_config={"plant": self.plant.get("komet")},
            asinfo_config={"plant": self.plant.get("asinfo")},
            reuse_apps=True,
        )
        self.ctx = Ctx(self.topo, seed)
        self.world = {"komet": sizes, "grower": "connected", **({"plant": self.plant} if self.plant else {})}
        setup_world(self.ctx, self.world, {})
        self.seed = seed

    # --- what a rule can refer to ----------------------------------------------------------------------------
    # Drawn numbers are taken modulo what the world holds, so a rule acts on a PO, a line and a count that
    # exist (drawn as they are, most would name a PO or line the world does not have, or more boxes than a
    # line holds, and the step would never run); the recorded step has the numbers used.
    def pos(self) -> list[dict]:
        if self.view_at != self.acted:
            self.ctx.fresh()
            self.pos_seen = self.ctx.grower_pos()
            self.view_at = self.acted
        return self.pos_seen

    def po(self, drawn: int) -> int:
        pos = self.pos()
        return drawn % len(pos) if pos else drawn

    def line(self, po: int, drawn: int) -> tuple[int, int]:
        """(line index, boxes it holds) for a drawn line of PO `po` (as po() returned it)."""
        pos = self.pos()
        lines = sorted(pos[po]["details"], key=lambda d: d["poItemId"]) if po < len(pos) else []
        if not lines:
            return drawn, 0
        index = drawn % len(lines)
        return index, int(lines[index]["totalBoxes"])

    @staticmethod
    def count(drawn: int, ordered: int) -> int:
        """A box count from 0 to what the line holds."""
        return drawn % (ordered + 1)

    # --- the grower --------------------------------------------------------------------------------------
    @rule()
    def sync(self) -> None:
        self.do("asinfo.sync", {})

    @rule(po=PO, line=LINE, boxes=st.integers(0, 10))
    def confirm_line(self, po: int, line: int, boxes: int) -> None:
        po = self.po(po)
        line, ordered = self.line(po, line)
        self.do("asinfo.confirm", {"po": po, "line": line, "boxes": self.count(boxes, ordered)})

    @rule(po=PO, how=st.sampled_from(["all", "none"]))
    def confirm_po(self, po: int, how: str) -> None:
        po = self.po(po)
        self.do("asinfo.confirm", {"po": po, "boxes": how})

    @rule(po=PO)
    def create_awb(self, po: int) -> None:
        po = self.po(po)
        name = f"awb{len(self.awbs) + 1}"
        awb = self.do("asinfo.create_awb", {"po": po, "airline": "729"}, save=name)
        if awb:
            self.awbs.append({**awb, "var": name})

    @precondition(lambda self: self.awbs)
    @rule(data=st.data(), po=PO)
    def assign(self, data, po: int) -> None:
        po = self.po(po)
        awb = data.draw(st.sampled_from(self.awbs))
        self.do("asinfo.assign_boxes", {"awb": awb, "po": po}, {"awb": f"${{{awb['var']}}}", "po": po})

    @precondition(lambda self: self.awbs)
    @rule(data=st.data())
    def print_labels(self, data) -> None:
        awb = data.draw(st.sampled_from(self.awbs))
        self.do(
            "asinfo.print_labels",
            {"awb": awb, "format": "zpl"},
            {"awb": f"${{{awb['var']}}}", "format": "zpl"},
        )

    @precondition(lambda self: self.awbs)
    @rule(data=st.data())
    def ship(self, data) -> None:
        awb = data.draw(st.sampled_from(self.awbs))
        self.do("asinfo.ship", {"awb": awb}, {"awb": f"${{{awb['var']}}}"})

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

    @rule(po=PO, kind=st.sampled_from(WRITE_FAULTS))
    def ship_whole_po_through_a_fault(self, po: int, kind: str) -> None:
        """The push meets a fault: the case the outbox and reconciliation exist for."""
        self.add_fault(kind, "purchase.order.items.awb.add")
        self.ship_whole_po(po)

    @rule(po=PO, boxes=st.integers(1, 3))
    def ship_part_of_a_line(self, po: int, boxes: int) -> None:
        """A partial shipment: Komet splits the line (the shipped part keeps it, the rest is a new line)."""
        po = self.po(po)
        _, ordered = self.line(po, 0)
        boxes = 1 + (boxes - 1) % max(ordered - 1, 1)  # fewer than ordered where the line holds two or more
        if self.do("asinfo.confirm", {"po": po, "line": 0, "boxes": boxes}) is None:
            return
        self.ship_on_a_new_awb(po)

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

    @rule(
        po=PO,
        line=LINE,
        first=st.integers(0, 4),
        then=st.integers(0, 4),
        kind=st.sampled_from((None, "late", *WRITE_FAULTS)),  # late twice: the ordering bug's own fault
    )
    def confirm_again(self, po: int, line: int, first: int, then: int, kind: str | None) -> None:
        """The grower confirms one count, then another, the first perhaps through a fault (a `late` one lands
        when released, after the newer one); the two counts differ when the line allows."""
        po = self.po(po)
        line, ordered = self.line(po, line)
        first = self.count(first, ordered)
        then = self.count(first + 1 + then % max(ordered, 1), ordered)
        if kind:
            self.add_fault(kind, "purchase.order.item.confirm")
        if self.do("asinfo.confirm", {"po": po, "line": line, "boxes": first}) is None:
            return
        self.do("asinfo.confirm", {"po": po, "line": line, "boxes": then})

    @rule(po=PO, line=LINE, boxes=st.integers(0, 10), ship=st.booleans())
    def sync_overtaken_by_a_write(self, po: int, line: int, boxes: int, ship: bool) -> None:
        """A controlled interleaving: the sync has read Komet (its reply held) when a confirmation, or a
        whole shipment, completes; then the sync applies its older read."""
        po = self.po(po)
        line, ordered = self.line(po, line)
        boxes = self.count(boxes, ordered)
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

    @precondition(lambda self: self.awbs)
    @rule(data=st.data(), kind=st.sampled_from((None, *WRITE_FAULTS)))
    def relabel(self, data, kind: str | None) -> None:
        """A damaged label: a shipped box gets a new code (box.code.change), perhaps through a fault."""
        with self.ctx.looking_up():
            boxes = [
                b
                for a in self.ctx.asinfo.awbs()
                for b in self.ctx.asinfo.awb(a["id"])["boxes"]
                if b.get("state") == "shipped"
            ]
        if not boxes:
            return
        box = data.draw(st.sampled_from(sorted(boxes, key=lambda b: b["boxCode"])))
        if kind:
            self.add_fault(kind, "box.code.change")
        self.relabels += 1
        new = f"RL{self.seed:03d}{self.relabels:05d}"
        self.do("asinfo.relabel", {"boxCode": box["boxCode"], "newBoxCode": new})
        self.do("asinfo.print_labels", {"boxCode": new, "format": "zpl"})

    @rule(po=PO, line=LINE, kind=st.sampled_from((None, *WRITE_FAULTS)))
    def delete_line(self, po: int, line: int, kind: str | None) -> None:
        """The grower deletes a line it cannot fill, perhaps through a fault."""
        po = self.po(po)
        line, _ = self.line(po, line)
        if kind:
            self.add_fault(kind, "purchase.order.item.delete")
        self.do("asinfo.delete_line", {"po": po, "line": line})

    @precondition(lambda self: self.ctx is not None and self.waiting())
    @rule(kind=st.sampled_from(OUTBOX_KINDS))
    def cancel_outbox_item(self, kind: str) -> None:
        """The grower withdraws a waiting write (some cannot be: the refusal says why)."""
        self.do("asinfo.cancel_outbox", {"kind": kind})

    @precondition(lambda self: self.ctx is not None and not self.token_revoked)
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

    @precondition(lambda self: self.awbs)
    @rule(data=st.data())
    def probe_a_reused_box_code(self, data) -> None:
        """A contract probe, as a grower system with a bug would send it: a box code Komet already holds, on
        another confirmed line. Komet must refuse it (K8)."""
        with self.ctx.looking_up():
            pos = self.ctx.komet.purchase_orders()
        held = [b["boxCode"] for p in pos for d in p["details"] for b in d.get("boxes") or []]
        open_lines = [d for p in pos for d in p["details"] if d["lineItemStatus"] in ("C", "PC")]
        if not held or not open_lines:
            return
        code = data.draw(st.sampled_from(sorted(held)))
        line = data.draw(st.sampled_from(sorted(open_lines, key=lambda d: d["poItemId"])))
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

    @precondition(lambda self: self.ctx is not None and self.waiting())
    @rule()
    def retry(self) -> None:
        self.do("asinfo.retry", {})

    def waiting(self) -> bool:
        if self.pending_at is not None and self.pending_at[0] == self.acted:
            return self.pending_at[1]  # the outbox as the last check read it, and nothing acted since
        with self.ctx.looking_up():
            return bool(self.ctx.asinfo.outbox("pending"))

    # --- the importer -------------------------------------------------------------------------------------
    @rule(po=PO, line=LINE, boxes=st.one_of(st.just(1), st.integers(1, 10)))
    def importer_changes_line(self, po: int, line: int, boxes: int) -> None:
        """Any legal count, 1 box included (drawn on its own: the smallest order is where splits and
        resets meet)."""
        po = self.po(po)
        line, _ = self.line(po, line)
        self.do("komet.change_line", {"po": po, "line": line, "boxes": boxes})

    @rule(po=PO, line=LINE, notes=st.sampled_from(["", "Extra long stems", "1234"]))
    def importer_changes_notes(self, po: int, line: int, notes: str) -> None:
        po = self.po(po)
        line, _ = self.line(po, line)
        self.do("komet.change_line", {"po": po, "line": line, "notes": notes})

    @rule(po=PO, line=LINE)
    def importer_cancels_line(self, po: int, line: int) -> None:
        po = self.po(po)
        line, _ = self.line(po, line)
        self.do("komet.cancel_line", {"po": po, "line": line})

    # --- the network and time --------------------------------------------------------------------------
    def add_fault(self, kind: str, method: str, **extra) -> dict | None:
        args = {"kind": kind, "method": method, "times": 1, **extra}
        self.may_hold = self.may_hold or kind in ("late", "hold")
        if kind == "rate_limit":
            args["retryAfter"] = RETRY_AFTER
        rule = self.do("fault", args)
        if rule is not None:
            self.faults += 1
        return rule

    @rule(kind=st.sampled_from(FAULT_KINDS), method=st.sampled_from(FAULT_METHODS))
    def fault(self, kind: str, method: str) -> None:
        self.add_fault(kind, method)

    @precondition(lambda self: self.ctx is not None and self.held())
    @rule()
    def release(self) -> None:
        """Komet finishes what a late fault kept: after the client gave up, and after what came since."""
        self.do("release", {})

    def held(self) -> bool:
        if not self.may_hold:
            return False
        with self.ctx.looking_up():
            return bool(self.ctx.komet.faults().get("held"))

    @precondition(lambda self: self.faults)
    @rule()
    def clear_faults(self) -> None:
        self.do("clear_faults", {})
        self.faults = 0

    @rule(amount=st.sampled_from(["1m", "1h", "1d"]))
    def clock(self, amount: str) -> None:
        self.do("clock", {"advance": amount})

    # --- the promises ------------------------------------------------------------------------------------
    @invariant()
    def protocol_holds(self) -> None:
        if self.ctx is None or self.checked_at == self.acted:
            return  # nothing was done since these very states and journals passed
        komet, asinfo = snapshots(self.ctx)
        problems = check_all(self.ctx, (komet, asinfo))
        if asinfo is not None:
            self.pending_at = (self.acted, any(item["state"] == "pending" for item in asinfo["outbox"]))
        self.checked_at = self.acted
        assert not problems, "protocol invariant broken: " + "; ".join(problems[:5])  # noqa: S101 (Hypothesis reports a failed assert as the finding)

    def teardown(self) -> None:
        if self.ctx is None:
            return
        try:
            if self.token_revoked:  # the sync can only go quiet once the importer has fixed the connection
                self.importer_reissues_the_token()
            problems, _ = quiet_and_compare(self.ctx)
            assert not problems, "the sides disagree after a quiet sync: " + "; ".join(problems[:5])  # noqa: S101
        finally:
            self.topo.close()


def make_machine(base_seed: int = 0, plant: dict | None = None) -> type[IntegrationMachine]:
    return type(
        "Integration", (IntegrationMachine,), {"base_seed": base_seed, "plant": plant or {}, "last": None}
    )
