"""Helpers for the harness tests: tiny scenario files written to tmp_path, run in process."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from harness import runner
from harness.context import Ctx
from harness.engine import ScenarioResult, run_scenario
from harness.scenario import load_file

from ..testkit import wire

SMALL_WORLD = "world:\n  komet: {vendors: 1, shipDays: 1, posPerDay: 1, linesPerPo: 2}\n  grower: connected\n"


@pytest.fixture
def write(tmp_path):
    """write(text, name="s.yaml") -> the path of a scenario file in tmp_path."""

    def _write(text: str, name: str = "s.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def run_yaml(write):
    """run_yaml(text) -> the ScenarioResult of the file's (first) scenario, run in process."""

    def _run(text: str, seed: int | None = None) -> ScenarioResult:
        scenario = load_file(write(text))[0]
        return run_scenario(scenario, runner.topology_factory(runner.Options()), seed)

    return _run


@pytest.fixture
def quiet_console() -> Console:
    return Console(file=io.StringIO(), width=200, color_system=None)


@pytest.fixture
def ctx():
    """A scenario context over both simulators wired in process (testkit.wire): the seed-7 company and a grower
    connected, as a scenario's world: section leaves them."""
    topo = wire()
    ctx = Ctx(topo, 7)
    ctx.company, ctx.grower = topo.world, topo.grower
    yield ctx
    topo.close()
