"""Problems the validator finds outside the steps: in the world, in includes, in fragments on their own."""

from __future__ import annotations

from harness.runner import collect
from harness.scenario import ProblemList, load_file, load_fragment


def problems_of(path) -> list[tuple[int | None, str]]:
    try:
        load_file(path)
    except ProblemList as exc:
        return [(p.line, p.message) for p in exc.problems]
    return []


def test_a_variable_in_the_world_must_exist_before_any_step(write):
    path = write(
        'name: x\nworld:\n  komet: {vendors: "${later}"}\nsteps:\n  - asinfo.sync: {}\n    save: later\n'
    )
    [(line, message)] = problems_of(path)
    assert line == 3 and "undefined variable 'later'" in message and "made before any step" in message


def test_a_world_variable_from_vars_is_fine(write):
    path = write('name: x\nvars: {n: 2}\nworld:\n  komet: {vendors: "${n}"}\nsteps:\n  - komet.company: {}\n')
    assert problems_of(path) == []


def test_a_state_snapshot_is_found_next_to_the_scenario(write, tmp_path):
    (tmp_path / "snap.json").write_text("{}")
    path = write("name: x\nworld: {state: snap.json}\nsteps:\n  - komet.company: {}\n")
    assert load_file(path)[0].world["state"] == str(tmp_path / "snap.json")


def test_a_missing_state_snapshot_is_reported_at_its_line(write):
    path = write("name: x\nworld:\n  state: gone.json\nsteps:\n  - komet.company: {}\n")
    assert problems_of(path) == [(3, "world.state: no snapshot file gone.json next to this scenario")]


def test_an_include_must_give_a_parameter_declared_without_default(write):
    write('params: {awb: null}\nsteps:\n  - asinfo.ship: {awb: "${awb}"}\n', "fragments/ship.yaml")
    path = write("name: x\nsteps:\n  - include: fragments/ship.yaml\n")
    [(line, message)] = problems_of(path)
    assert line == 3 and "needs parameter 'awb'" in message


def test_a_fragment_named_alone_is_checked_as_a_fragment(write):
    good = write(
        'params: {po: 0}\nsteps:\n  - asinfo.confirm: {po: "${po}", boxes: all}\n', "fragments/ok.yaml"
    )
    bad = write("steps:\n  - asinfo.print_labels: {awb: 0, format: png}\n", "fragments/bad.yaml")
    assert load_fragment(good) == []
    [problem] = load_fragment(bad)
    assert problem.line == 2 and "png" in problem.message


def test_validating_a_directory_checks_its_fragments_too(write, tmp_path):
    write("steps:\n  - asinfo.print_labels: {awb: 0, format: png}\n", "fragments/bad.yaml")
    scenarios, problems = collect([str(tmp_path)], fragments=True)
    assert scenarios == [] and [p.line for p in problems] == [2]
