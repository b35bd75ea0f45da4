"""Property-based exploration: a Hypothesis state machine whose rules are the integration's actions (the
grower's, the importer's) and faults, with the protocol invariants checked after every step and the two
sides' agreement checked once the sync is quiet. Every rule is also recorded as a scenario step, so the
shrunk failing run can be written out as a YAML scenario a person can read, replay and keep."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant

from . import start_cache
from .explorer_base import SWARM
from .explorer_grower import GrowerRules
from .explorer_world import WorldRules
from .invariants import check_all, quiet_and_compare, snapshots

# A run's world seed is the base seed plus an offset it draws below this: base seeds this far apart explore
# different worlds (kasim explore --jobs gives each job its own).
WORLD_OFFSETS = 10
SIZES = st.fixed_dictionaries(
    {
        "vendors": st.integers(1, 2),
        "shipDays": st.integers(1, 2),
        "posPerDay": st.integers(1, 3),
        "linesPerPo": st.integers(1, 3),
    }
)


class IntegrationMachine(GrowerRules, WorldRules):
    """The rules of both sides, the world each run starts from, and the promises checked."""

    @initialize(
        sizes=SIZES,
        offset=st.integers(0, WORLD_OFFSETS - 1),
        swarm=st.sets(st.sampled_from(SWARM), min_size=3, max_size=6),
    )
    def start(self, sizes: dict, offset: int, swarm: set[str]) -> None:
        self.swarm = frozenset(swarm)
        seed = self.base_seed + offset
        # The grower syncs the days its world has POs on (from tomorrow on, and the clock only moves forward):
        # a wider window would only ask Komet for days with no PO, at every sync.
        grower = {"syncDays": sizes["shipDays"]}
        self.world = {"komet": sizes, "grower": grower, **({"plant": self.plant} if self.plant else {})}
        self.topo, self.ctx = start_cache.start(seed, self.world, self.plant)
        self.seed = seed

    @invariant()
    def protocol_holds(self) -> None:
        # Hypothesis checks the invariants after the start and after every rule: the start counts as a step (as
        # the bench has always counted them: its checks less the one before the start of each example)
        self.counts["steps"] += 1
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
    counts = {"steps": 0}
    return type(
        "Integration",
        (IntegrationMachine,),
        {"base_seed": base_seed, "plant": plant or {}, "last": None, "counts": counts},
    )


def rule_steps(machine: type[IntegrationMachine]) -> int:
    """The rules a machine class has run, over all its examples."""
    return machine.counts["steps"]
