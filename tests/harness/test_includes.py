"""include: paths resolve the same way wherever the including file lives: next to it first, then at the root of
its scenario library (the nearest directory named scenarios), then in kasim's own library."""

from __future__ import annotations

import re
from pathlib import Path

from harness.cli import main
from harness.scenario import ProblemList, load_file
from harness.scenario_steps import LIBRARY, find_include

ROOT = Path(__file__).resolve().parents[2]
HEAD = "name: x\nworld: {grower: connected}\nsteps:\n"


def test_kasims_own_library_is_the_scenarios_directory():
    assert LIBRARY.resolve() == (ROOT / "scenarios").resolve()


def test_an_include_next_to_the_file_comes_first(tmp_path):
    (tmp_path / "fragments").mkdir()
    mine = tmp_path / "fragments" / "ship-po.yaml"
    mine.write_text("steps:\n  - asinfo.sync: {}\n")
    found, _ = find_include("fragments/ship-po.yaml", tmp_path / "s.yaml")
    assert found == mine.resolve()


def test_a_file_deeper_in_a_library_includes_from_the_library_root(tmp_path):
    root = tmp_path / "scenarios"
    (root / "fragments").mkdir(parents=True)
    (root / "nightly" / "deep").mkdir(parents=True)
    (root / "fragments" / "mine.yaml").write_text("steps:\n  - asinfo.sync: {}\n")
    scenario = root / "nightly" / "deep" / "s.yaml"
    scenario.write_text(HEAD + "  - include: fragments/mine.yaml\n")
    [loaded] = load_file(scenario)
    assert [s.action for s in loaded.steps] == ["asinfo.sync"]


def test_a_file_outside_any_library_includes_kasims_own_fragments(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        HEAD + "  - asinfo.confirm: {po: 0, boxes: all}\n  - include: fragments/ship-po.yaml\n"
    )
    [loaded] = load_file(scenario)
    assert [s.action for s in loaded.steps][-1] == "asinfo.ship"
    assert loaded.steps[-1].file.endswith("fragments/ship-po.yaml")


def test_an_include_found_nowhere_names_every_place_looked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text(HEAD + "  - include: fragments/nothing-here.yaml\n")
    try:
        load_file("s.yaml")
    except ProblemList as exc:
        [problem] = exc.problems
    assert problem.line == 4
    assert "cannot include fragments/nothing-here.yaml: there is no fragments/nothing-here.yaml nor " in (
        problem.message
    )
    assert str(LIBRARY.resolve() / "fragments" / "nothing-here.yaml") in problem.message


def test_a_near_miss_is_suggested_from_kasims_library_too(tmp_path):
    (tmp_path / "s.yaml").write_text(HEAD + "  - include: fragments/ship_po.yaml\n")
    try:
        load_file(tmp_path / "s.yaml")
    except ProblemList as exc:
        [problem] = exc.problems
    assert problem.message.endswith("did you mean 'ship-po.yaml'?")


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"A scenario reads like the flow it tests:\n\n```yaml\n(.*?)```", text, re.S)
    assert found, "README.md has no scenario example"
    return found.group(1)


def test_the_readme_example_runs_from_any_directory(tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "my-tests"
    elsewhere.mkdir()
    (elsewhere / "partial.yaml").write_text(readme_example(), encoding="utf-8")
    cwd = tmp_path / "somewhere" / "else"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    assert main(["run", str(elsewhere / "partial.yaml"), "--no-progress"]) == 0, capsys.readouterr().out
