"""While the explorer runs, Hypothesis draws from the machine's strategies only, not from literals it finds in
the source tree (harness.exploration.own_draws_only): a seed explores the same runs whatever the tree holds."""

from __future__ import annotations

from hypothesis.internal.conjecture import providers

from harness import exploration


def test_the_explorer_runs_without_the_literals_of_local_modules(monkeypatch):
    seen = {}

    def run(machine, settings):  # stands in for Hypothesis's runner: what would its draws see?
        seen["during"] = len(providers._get_local_constants().integers)

    monkeypatch.setattr(exploration, "run_state_machine_as_test", run)
    assert exploration.explore_once(base_seed=0, examples=1, steps=1, plant=None)[1] is None
    assert seen["during"] == 0
    assert len(providers._get_local_constants().integers) > 0  # kasim's own literals, back once it is done
