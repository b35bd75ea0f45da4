"""kasim plants lists every planted bug; kasim run --plant and kasim explore --plant take any of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from harness.plants import registry

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"


def test_kasim_plants_lists_each_plant_with_its_side_and_sentence(capsys):
    assert main(["plants"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(registry())
    for line, plant in zip(out, registry().values(), strict=True):
        assert line.split()[:2] == [plant.name, plant.side] and plant.sentence in line


def test_kasim_plants_names_only(capsys):
    assert main(["plants", "--names"]) == 0
    assert capsys.readouterr().out.split() == list(registry())


def test_kasim_run_with_a_plant_fails_the_scenario_that_catches_it(capsys):
    scenario = str(LIBRARY / "regressions" / "late-confirmation-overtakes-newer.yaml")
    assert main(["run", scenario, "--no-progress"]) == 0
    assert main(["run", scenario, "--no-progress", "--plant", "late-confirm-wins"]) == 1
    assert "1 failed" in capsys.readouterr().out


def test_a_plant_needs_the_in_process_simulators(capsys):
    code = main(
        ["run", str(LIBRARY / "hawb.yaml"), "--plant", "confirm-adds", "--komet-url", "http://x.test"]
    )
    assert code == 2 and "--plant needs the in-process simulators" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["run", "explore"])
def test_an_unknown_plant_is_refused(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--plant", "no-such-bug"])
    assert exit_.value.code == 2
