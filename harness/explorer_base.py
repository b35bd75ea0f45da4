"""The explorer's machine, as the rules see it: what it records, what it can refer to in the world, the
faults it adds. The rules live in explorer_grower.py (the grower's actions) and explorer_world.py (the
importer, the network and time); properties.py puts them together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine

from .actions import load_all
from .context import Ctx, Refused, StepError

if TYPE_CHECKING:
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
# Swarm testing: each run draws which groups of rules it may use (the rest wait for another run). A run
# with few kinds of actions repeats them more, and deep interleavings of two or three kinds (two
# confirmations through a fault, a sync overtaken by a write) come up far more often than when every
# rule competes in every run. Syncing, releasing, retrying and the clock are always on.
SWARM = (
    "confirm",
    "confirm-again",
    "ship",
    "ship-faults",
    "interleave",
    "relabel",
    "delete",
    "outbox",
    "token",
    "importer-edits",
    "importer-cancels",
    "faults",
)


class MachineBase(RuleBasedStateMachine):
    """Configured by make_machine(); `last` is the most recent run (the shrunk one, after a failure)."""

    base_seed = 0
    plant: ClassVar[dict] = {}
    counts: ClassVar[dict[str, int]] = {"steps": 0}  # rule steps of all runs of one class (make_machine)
    last: MachineBase | None = None

    def __init__(self) -> None:
        super().__init__()
        self.topo: Topology = None  # type: ignore[assignment]  # initialize(), run before any rule, sets both
        self.ctx: Ctx = None  # type: ignore[assignment]  # (teardown checks: a run may stop before it)
        self.steps: list[dict] = []
        self.world: dict = {}
        self.seed = self.base_seed  # start() adds the drawn offset
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
        self.swarm: frozenset[str] = frozenset()  # the rule groups this run may use (start() draws them)
        type(self).last = self

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

    def on(self, group: str) -> bool:
        return group in self.swarm

    # What a rule can refer to: drawn numbers are taken modulo what the world holds, so a rule acts on a PO,
    # a line and a count that exist (drawn as they are, most would name a PO or line the world does not
    # have, or more boxes than a line holds, and the step would never run); the recorded step has the
    # numbers used.
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
    def some(drawn: int, ordered: int) -> int:
        """A box count from 1 to what the line holds (0 when it holds none)."""
        return 1 + drawn % ordered if ordered else 0

    @staticmethod
    def count(drawn: int, ordered: int) -> int:
        """A box count from 0 to what the line holds."""
        return drawn % (ordered + 1)

    def add_fault(self, kind: str, method: str, **extra) -> dict | None:
        args = {"kind": kind, "method": method, "times": 1, **extra}
        self.may_hold = self.may_hold or kind in ("late", "hold")
        if kind == "rate_limit":
            args["retryAfter"] = RETRY_AFTER
        rule = self.do("fault", args)
        if rule is not None:
            self.faults += 1
        return rule

    def waiting(self) -> bool:
        if self.pending_at is not None and self.pending_at[0] == self.acted:
            return self.pending_at[1]  # the outbox as the last check read it, and nothing acted since
        with self.ctx.looking_up():
            return bool(self.ctx.asinfo.outbox("pending"))

    def held(self) -> bool:
        if not self.may_hold:
            return False
        with self.ctx.looking_up():
            return bool(self.ctx.komet.faults().get("held"))
