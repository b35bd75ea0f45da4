"""The same seed gives the same journals: a scenario run twice in process exchanges exactly the same
messages, in the same order, with the same ids, codes and timestamps."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.engine import run_scenario
from harness.runner import Options, topology_factory
from harness.scenario import load_file

ROOT = Path(__file__).resolve().parents[2]


def journals(path: Path, seed: int | None = None) -> dict:
    scenario = load_file(path)[0]
    result = run_scenario(scenario, topology_factory(Options()), seed)
    assert result.status == "passed", result.failure
    return result.journals


@pytest.mark.parametrize(
    "name", ["partial-confirmation-split.yaml", "reply-lost-during-ship.yaml", "daily-quota-exhausted.yaml"]
)
def test_the_same_seed_gives_the_same_journals(name):
    first, second = journals(ROOT / "scenarios" / name), journals(ROOT / "scenarios" / name)
    assert first["komet"] and first["asinfo"]
    assert first == second


def test_another_seed_gives_another_world():
    path = ROOT / "scenarios" / "partial-confirmation-split.yaml"
    assert journals(path, seed=7)["komet"] != journals(path, seed=8)["komet"]
