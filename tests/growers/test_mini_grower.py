"""mini-grower (examples/), a grower system kasim did not write as a simulator: it passes the Komet-observable
library and the verdict, and each of its deliberately broken variants is caught, naming the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from examples.mini_grower.adapter import FLAWS_VARIABLE
from examples.mini_grower.grower import FLAWS
from harness import runner
from harness.engine import run_scenario
from harness.scenario import discover, load_file

ROOT = Path(__file__).resolve().parents[2]
ADAPTER = "examples.mini_grower.adapter:MiniGrowerAdapter"
ANY_GROWER = ROOT / "scenarios" / "any-grower"

# variant -> (the scenario that meets it, what names the catch in the failure)
CAUGHT_BY = {
    "blind-retry": ("reply-lost-on-ship.yaml", "no-blind-retry"),
    "komet-lots": ("confirm-and-ship.yaml", "lot-number-range"),
    "reuse-codes": ("partial-shipment-split.yaml", "box-code-unique"),
    "ignore-retry-after": ("rate-limited-retry-after.yaml", "retry-after"),
    "ignore-split": ("partial-shipment-split.yaml", "use-new-line-after-split"),
    "confirm-cancelled": ("importer-cancels-after-sync.yaml", "confirm-what-was-ordered"),
}


def _run(path: Path):
    scenario = load_file(path)[0]
    return run_scenario(scenario, runner.topology_factory(runner.Options(grower=ADAPTER)))


def test_every_variant_has_its_catch():
    assert set(CAUGHT_BY) == FLAWS


@pytest.mark.parametrize("path", sorted(discover([str(ANY_GROWER)])), ids=lambda p: p.name)
def test_mini_grower_passes_the_komet_observable_library(path, monkeypatch):
    monkeypatch.delenv(FLAWS_VARIABLE, raising=False)
    result = _run(path)
    assert result.status == "passed", result.failure


@pytest.mark.parametrize("flaw", sorted(CAUGHT_BY))
def test_each_broken_variant_is_caught_naming_the_rule_and_the_request(flaw, monkeypatch):
    monkeypatch.setenv(FLAWS_VARIABLE, flaw)
    scenario, rule = CAUGHT_BY[flaw]
    result = _run(ANY_GROWER / scenario)
    assert result.status == "failed"
    text = "\n".join([result.failure["message"], *result.failure["details"]])
    line = next((d for d in text.splitlines() if f"{rule}: " in d), None)
    assert line is not None, text
    assert " — #" in line  # the offending request, by its journal position
