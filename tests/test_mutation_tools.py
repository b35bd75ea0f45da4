"""The mutation tools' own arithmetic: the sample they draw and the interval the report prints."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_meta(work: Path, module: str, names: list[str]) -> None:
    path = work / "mutants" / f"{module}.py.meta"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"exit_code_by_key": dict.fromkeys(names)}))


def test_the_sample_takes_the_same_number_from_each_module_and_repeats_with_its_seed(tmp_path: Path) -> None:
    sample = load("mutation_sample").sample
    write_meta(tmp_path, "a/sync", [f"a.sync.x_f__mutmut_{i}" for i in range(40)])
    write_meta(tmp_path, "b/orders", [f"b.orders.x_g__mutmut_{i}" for i in range(3)])
    drawn = sample(tmp_path, 5, seed=7)
    assert sum(name.startswith("a.sync") for name in drawn) == 5
    assert sum(name.startswith("b.orders") for name in drawn) == 3  # a module with fewer gives them all
    assert drawn == sample(tmp_path, 5, seed=7)
    assert drawn != sample(tmp_path, 5, seed=8)


def test_the_wilson_interval_holds_the_observed_score_and_narrows_with_more_mutants() -> None:
    wilson = load("mutation_report").wilson
    low, high = wilson(45, 50)
    assert low < 0.9 < high
    assert 0.78 < low < 0.80 and 0.95 < high < 0.97  # the textbook interval for 45 of 50
    wide, narrow = wilson(9, 10), wilson(900, 1000)
    assert narrow[1] - narrow[0] < wide[1] - wide[0]
    assert wilson(10, 10)[1] > 0.999 and wilson(10, 10)[0] < 0.75  # ten of ten is no proof of 100 %


def _rule(original: str, mutant: str) -> str | None:
    """The equivalence rule's verdict on two versions of one function."""
    import ast

    reason = load("mutation_equivalence").reason
    return reason(ast.parse(original).body[0], ast.parse(mutant).body[0])


def test_an_sql_string_only_upper_or_lower_cased_is_equivalent_by_rule() -> None:
    original = "def f(c):\n    return c.execute('UPDATE lines SET state = ? WHERE id = ?', (1, 2))\n"
    assert _rule(original, original.replace("UPDATE lines SET state", "update lines set state"))
    assert _rule(original, original.replace("WHERE id", "WHERE ID"))


def test_a_quoted_sql_value_changing_case_is_a_real_mutant() -> None:
    original = "def f(c):\n    return c.execute(\"SELECT * FROM outbox WHERE state = 'pending'\")\n"
    assert _rule(original, original.replace("state = 'pending'", "STATE = 'PENDING'")) is None


def test_a_select_list_changing_case_is_a_real_mutant_since_it_names_the_columns() -> None:
    original = "def f(c):\n    return dict(c.execute('SELECT profile FROM companies').fetchone())\n"
    assert (
        _rule(original, original.replace("SELECT profile FROM companies", "SELECT PROFILE FROM COMPANIES"))
        is None
    )
    assert _rule(original, original.replace("FROM companies", "FROM COMPANIES"))


def test_text_that_is_not_sql_changing_case_is_a_real_mutant() -> None:
    original = "def f(row):\n    return row['status'], 'box(es) have no label yet'\n"
    assert _rule(original, original.replace("'status'", "'STATUS'")) is None
    assert _rule(original, original.replace("no label yet", "NO LABEL YET")) is None


def test_anything_else_changing_with_the_sql_makes_a_real_mutant() -> None:
    original = "def f(c, n):\n    c.execute('DELETE FROM boxes WHERE id = ?', (n,))\n    return n + 1\n"
    assert _rule(original, original.replace("n + 1", "n - 1")) is None
    assert _rule(original, original.replace("(n,)", "(None,)")) is None
    assert _rule(original, original.replace("DELETE FROM", "XXDELETE FROMXX")) is None


def test_the_sample_leaves_out_the_mutants_known_to_be_equivalent(tmp_path: Path) -> None:
    sample = load("mutation_sample").sample
    write_meta(tmp_path, "a/sync", [f"a.sync.x_f__mutmut_{i}" for i in range(6)])
    known = {f"a.sync.x_f__mutmut_{i}" for i in range(4)}
    assert sorted(sample(tmp_path, 5, seed=1, known=known)) == [
        "a.sync.x_f__mutmut_4",
        "a.sync.x_f__mutmut_5",
    ]


def test_renaming_a_planted_bugs_switch_is_equivalent_with_no_plant() -> None:
    original = "def f(world):\n    blind = world.plant == 'relabel-blind-retry'\n    return not blind\n"
    assert _rule(original, original.replace("'relabel-blind-retry'", "'RELABEL-BLIND-RETRY'"))
    assert _rule(original, original.replace("world.plant == 'relabel-blind-retry'", "None"))
    unequal = "def f(world):\n    return world.plant != 'skip-reconcile'\n"
    assert _rule(unequal, unequal.replace("'skip-reconcile'", "'XXskip-reconcileXX'"))


def test_a_switch_turned_around_or_a_mutant_beside_it_is_real() -> None:
    original = "def f(world, n):\n    return n > 0 and world.plant != 'skip-reconcile'\n"
    assert _rule(original, original.replace("!=", "==")) is None  # on without the plant
    assert _rule(original, original.replace("world.plant != 'skip-reconcile'", "None")) is None
    assert _rule(original, original.replace(" and ", " or ")) is None
    assert _rule(original, original.replace("n > 0", "n >= 0")) is None
