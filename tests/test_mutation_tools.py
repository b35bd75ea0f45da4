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
