"""The property machine: it holds on the real simulators, and it finds and minimises planted bugs into
YAML scenarios that replay the failure (and pass once the bug is gone)."""

from __future__ import annotations

import yaml

from harness.engine import run_scenario
from harness.exploration import explore_once, minimise, regression_yaml, write_regression
from harness.runner import Options, topology_factory
from harness.scenario import load_file


def replay(path) -> str:
    scenario = load_file(path)[0]
    return run_scenario(scenario, topology_factory(Options())).status


def test_no_property_breaks_on_the_simulators_as_they_are():
    machine, failure = explore_once(base_seed=3, examples=12, steps=20, plant=None)
    assert failure is None, f"{failure}\n{yaml.safe_dump(machine.last.steps)}"


def test_a_planted_confirmation_bug_is_found_and_minimised_to_a_replayable_scenario(tmp_path):
    machine, failure = explore_once(base_seed=0, examples=40, steps=25, plant={"komet": "confirm-adds"})
    assert failure is not None and "disagree" in str(failure)
    found = yaml.safe_load(regression_yaml(machine, failure))
    text = minimise(regression_yaml(machine, failure))
    doc = yaml.safe_load(text)
    assert len(doc["steps"]) < len(found["steps"])  # shrunk to the steps the failure needs
    # Komet adding shows once a line's confirmation reaches it twice: a second confirmation, or one sent again
    # (a late request Komet still processes after the grower's retry, a duplicated one)
    confirms = sum("asinfo.confirm" in step for step in doc["steps"])
    faults = {step["fault"]["kind"] for step in doc["steps"] if "fault" in step}
    assert confirms >= 2 or (
        confirms == 1 and faults & {"late", "duplicate", "lost_response", "timeout", "reset"}
    )
    assert doc["steps"][-1] == {"check": "invariants"}
    path = write_regression(text, tmp_path)
    assert replay(path) == "failed"
    doc["world"].pop("plant")
    (tmp_path / "fixed.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    assert replay(tmp_path / "fixed.yaml") == "passed"


def test_a_planted_blind_retry_after_a_lost_reply_is_found(tmp_path):
    machine, failure = explore_once(base_seed=0, examples=60, steps=30, plant={"asinfo": "skip-reconcile"})
    assert failure is not None and "does not know it shipped" in str(failure)
    doc = yaml.safe_load(minimise(regression_yaml(machine, failure)))
    kinds = [next(iter(step)) for step in doc["steps"]]
    assert "fault" in kinds and "asinfo.ship" in kinds
    # a push whose reply never came though Komet took it (lost, duplicated, or processed after the client gave up)
    landed_unheard = ("lost_response", "duplicate", "late", "timeout", "reset")
    assert any(step.get("fault", {}).get("kind") in landed_unheard for step in doc["steps"])


def test_the_explorers_grower_syncs_every_day_its_world_has_pos_on_and_no_later_one():
    machine, _ = explore_once(base_seed=1, examples=3, steps=2, plant=None)
    ctx = machine.last.ctx
    _, entries = ctx.journals_read["komet"]  # what the checks read of Komet's journal, kept after the run
    asked: list[str] = []
    for e in entries:
        if e["op"] == "purchase.order.list":
            if e["request"]["query"]["date"] in asked:
                break  # the next sync
            asked.append(e["request"]["query"]["date"])
    assert asked[1:] == sorted(ctx.company["shipDates"])  # the first is today: POs start tomorrow
