"""The reference for scenario authors cannot drift from the code: every step is documented where it is
registered (each argument, what it returns, an example), every example runs, the fields documented are the
fields returned, every matcher's example matches, and docs/scenarios.md is what the code renders."""

from __future__ import annotations

import pytest
import yaml

from harness import runner
from harness.actions import load_all
from harness.cli import main
from harness.engine import run_scenario
from harness.matching import MATCHER_DOCS, match
from harness.reference import DOC, example_file, markdown
from harness.scenario import load_file
from harness.scenario_schema import scenario_schema

ACTIONS = load_all()


def test_docs_scenarios_md_is_what_the_code_renders():
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/scenarios.md is out of date: run python -m harness.reference"
    )


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_step_is_documented_where_it_is_registered(name):
    a = ACTIONS[name]
    assert a.help and a.example and a.returns and a.returns.fields, name
    schema_args = set(a.args.get("properties", {})) if "anyOf" not in a.args else {"value"}
    if name != "background":  # its one argument is any step, named by the step
        assert schema_args == set(a.params), f"{name}: documented {set(a.params)}, takes {schema_args}"
    for arg_name, arg in a.params.items():
        assert arg.doc, f"{name}.{arg_name} has no meaning"


def _paths(value, prefix: str = "") -> set[str]:
    """Documented-style field names of a result: `x`, and `x[].y` for the items of a list of objects."""
    if isinstance(value, list):
        items = [v for v in value if isinstance(v, dict)]
        return {p for item in items for p in _paths(item, f"{prefix}[].")} if items else set()
    if not isinstance(value, dict):
        return set()
    out = set()
    for key, inner in value.items():
        out.add(f"{prefix}{key}")
        if isinstance(inner, list):
            out |= {p for item in inner if isinstance(item, dict) for p in _paths(item, f"{prefix}{key}[].")}
    return out


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_example_runs_and_returns_the_fields_documented(name, tmp_path):
    a = ACTIONS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(example_file(a), encoding="utf-8")
    [scenario] = load_file(path)
    result = run_scenario(scenario, runner.topology_factory(runner.Options()))
    failure = result.failure or {}
    assert result.status == "passed", (failure.get("message"), failure.get("details"))
    value = [s for s in result.steps if s.action == name and not s.step.refused][-1].result
    fields = a.returns.all_fields()
    documented = {k.rstrip("?") for k in fields}
    if isinstance(value, dict) and all(k.startswith("[].") for k in documented):
        value = [value]  # a list step asked for one item (komet.confirmations last: true)
    actual = _paths(value)
    top = {p for p in actual if "." not in p.removeprefix("[].") and "[]" not in p.removeprefix("[]")}
    documented_top = {k for k in documented if "." not in k.removeprefix("[].") and k != "…"}
    optional = {k.rstrip("?") for k in fields if k.endswith("?")}
    if a.returns.also:  # one shape or the other: the fields of the shape not returned are not missing
        shapes = [a.returns.fields, a.returns.also.all_fields()]
        chosen = max(shapes, key=lambda shape: len(top & {k.rstrip("?") for k in shape}))
        optional |= {k.rstrip("?") for shape in shapes if shape is not chosen for k in shape} - {
            k.rstrip("?") for k in chosen
        }
    if "…" not in documented:
        assert top <= documented_top, (
            f"{name} returns fields it does not document: {sorted(top - documented_top)}"
        )
    if value:  # an empty list has no item to read fields from
        missing = documented_top - top - optional
        assert not missing, f"{name} documents fields it does not return: {sorted(missing)}"
        nested = {k for k in documented if k not in documented_top and k != "…"}
        shown = {k for k in nested if any(p.startswith(k.rsplit(".", 1)[0] + ".") for p in actual)}
        assert shown <= actual, f"{name} documents fields it does not return: {sorted(shown - actual)}"


@pytest.mark.parametrize("name", sorted(MATCHER_DOCS))
def test_every_matcher_example_matches_its_sample(name):
    doc = MATCHER_DOCS[name]
    assert name in doc.expect
    assert match(yaml.safe_load(doc.expect), doc.actual) == []


def test_kasim_actions_name_shows_one_step_whole(capsys):
    assert main(["actions", "asinfo.confirm"]) == 0
    out = capsys.readouterr().out
    for part in ("| `boxes` |", "**Returns**", "`confirmedBoxes`", "**Refuses**", "**Example**", "steps:"):
        assert part in out


def test_kasim_actions_example_prints_a_scenario_file_that_validates(capsys, tmp_path):
    assert main(["actions", "komet.get_awb", "--example"]) == 0
    path = tmp_path / "example.yaml"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    assert [s.name for s in load_file(path)] == ["komet.get_awb example"]


def test_kasim_actions_lists_steps_grouped_by_side_one_line_each(capsys):
    assert main(["actions"]) == 0
    out = capsys.readouterr().out
    komet, vendor, grower, control = (
        out.index("Komet: the importer"),
        out.index("Komet's vendor portal"),
        out.index("The grower"),
        out.index("Control:"),
    )
    assert komet < out.index("komet.get_po") < vendor < out.index("komet.vendor_confirm") < grower
    assert grower < out.index("asinfo.confirm") < control < out.index("  clock")
    assert sum(1 for line in out.splitlines() if line.startswith("  ")) == len(ACTIONS)


def test_kasim_actions_of_an_unknown_step_suggests_the_near_ones(capsys):
    assert main(["actions", "asinfo.confrim"]) == 2
    assert "did you mean asinfo.confirm" in capsys.readouterr().out


def test_the_schema_describes_every_step_and_argument_for_editors():
    schema = scenario_schema()
    steps = schema["$defs"]["step"]["properties"]
    for name, a in ACTIONS.items():
        assert "kasim actions " + name in steps[name]["description"]
        for arg in a.params:
            props = steps[name].get("properties", {})
            if arg in props:
                assert props[arg].get("description"), f"{name}.{arg}"
    assert all(v.get("description") for v in schema["properties"].values())
    assert all(v.get("description") for v in schema["properties"]["world"]["properties"].values())
