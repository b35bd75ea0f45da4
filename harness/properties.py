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
from .invariants import check_all, quiet_and_compare
from .topology import Topology

PO = st.integers(0, 4)
LINE = st.integers(0, 2)
FAULT_KINDS = ("error", "timeout", "reset", "lost_response", "duplicate", "type_drift", "rate_limit")
FAULT_METHODS = ("purchase.order.list", "purchase.order.item.confirm", "purchase.order.items.awb.add")
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

    def __init__(self):
        super().__init__()
        self.topo: Topology | None = None
        self.ctx: Ctx | None = None
        self.steps: list[dict] = []
        self.world: dict = {}
        self.awbs: list[dict] = []
        self.faults = 0
        type(self).last = self

    # --- recording -------------------------------------------------------------------------------------
    def do(self, action: str, run_args: dict, yaml_args: dict | None = None, save: str | None = None) -> Any:
        """Run one action as a scenario step would; record it (with refused: when the app said no)."""
        step: dict = {action: yaml_args if yaml_args is not None else run_args}
        self.ctx.fresh()
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

    # --- the grower --------------------------------------------------------------------------------------
    @rule()
    def sync(self) -> None:
        self.do("asinfo.sync", {})

    @rule(po=PO, line=LINE, boxes=st.integers(0, 10))
    def confirm_line(self, po: int, line: int, boxes: int) -> None:
        self.do("asinfo.confirm", {"po": po, "line": line, "boxes": boxes})

    @rule(po=PO, how=st.sampled_from(["all", "none"]))
    def confirm_po(self, po: int, how: str) -> None:
        self.do("asinfo.confirm", {"po": po, "boxes": how})

    @rule(po=PO)
    def create_awb(self, po: int) -> None:
        name = f"awb{len(self.awbs) + 1}"
        awb = self.do("asinfo.create_awb", {"po": po, "airline": "729"}, save=name)
        if awb:
            self.awbs.append({**awb, "var": name})

    @precondition(lambda self: self.awbs)
    @rule(data=st.data(), po=PO)
    def assign(self, data, po: int) -> None:
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
        if self.do("asinfo.confirm", {"po": po, "boxes": "all"}) is None:
            return
        self.create_awb(po)
        if not self.awbs:
            return
        awb = self.awbs[-1]
        ref = f"${{{awb['var']}}}"
        self.do("asinfo.assign_boxes", {"awb": awb, "po": po}, {"awb": ref, "po": po})
        self.do("asinfo.print_labels", {"awb": awb, "format": "zpl"}, {"awb": ref, "format": "zpl"})
        self.do("asinfo.ship", {"awb": awb}, {"awb": ref})

    @rule(po=PO, kind=st.sampled_from(("lost_response", "reset", "timeout", "error", "duplicate")))
    def ship_whole_po_through_a_fault(self, po: int, kind: str) -> None:
        """The push meets a fault: the case the outbox and reconciliation exist for."""
        if self.do("fault", {"kind": kind, "method": "purchase.order.items.awb.add", "times": 1}) is not None:
            self.faults += 1
        self.ship_whole_po(po)

    @precondition(lambda self: self.ctx is not None and self.waiting())
    @rule()
    def retry(self) -> None:
        self.do("asinfo.retry", {})

    def waiting(self) -> bool:
        with self.ctx.looking_up():
            return bool(self.ctx.asinfo.outbox("pending"))

    # --- the importer -------------------------------------------------------------------------------------
    @rule(po=PO, line=LINE, boxes=st.integers(1, 10))
    def importer_changes_line(self, po: int, line: int, boxes: int) -> None:
        self.do("komet.change_line", {"po": po, "line": line, "totalBoxes": boxes})

    @rule(po=PO, line=LINE)
    def importer_cancels_line(self, po: int, line: int) -> None:
        self.do("komet.cancel_line", {"po": po, "line": line})

    # --- the network and time --------------------------------------------------------------------------
    @rule(kind=st.sampled_from(FAULT_KINDS), method=st.sampled_from(FAULT_METHODS))
    def fault(self, kind: str, method: str) -> None:
        if self.do("fault", {"kind": kind, "method": method, "times": 1}) is not None:
            self.faults += 1

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
        if self.ctx is None:
            return
        problems = check_all(self.ctx)
        assert not problems, "protocol invariant broken: " + "; ".join(problems[:5])  # noqa: S101 (Hypothesis reports a failed assert as the finding)

    def teardown(self) -> None:
        if self.ctx is None:
            return
        try:
            problems, _ = quiet_and_compare(self.ctx)
            assert not problems, "the sides disagree after a quiet sync: " + "; ".join(problems[:5])  # noqa: S101
        finally:
            self.topo.close()


def make_machine(base_seed: int = 0, plant: dict | None = None) -> type[IntegrationMachine]:
    return type(
        "Integration", (IntegrationMachine,), {"base_seed": base_seed, "plant": plant or {}, "last": None}
    )
