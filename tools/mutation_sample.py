"""Print a random sample of mutant names, the same number from each mutated module, one per line.

    python tools/mutation_sample.py WORK_DIR PER_MODULE SEED [EQUIVALENTS_FILE]

The sample is drawn from the mutants not known to be equivalent: neither by rule (tools/mutation_equivalence.py)
nor by a person (the equivalents file), so every mutant drawn counts in the score. Mutants already run are drawn
like the others (a rerun with the same seed runs the same sample)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutation_equivalence import by_rule  # a sibling script, not a package
from mutation_report import equivalents


def sample(work: Path, per_module: int, seed: int, known: set[str] | None = None) -> list[str]:
    """`known`: names left out of the draw (equivalent mutants)."""
    rng = random.Random(seed)  # noqa: S311 (a reproducible sample, not a secret)
    chosen: list[str] = []
    for meta in sorted(work.joinpath("mutants").rglob("*.py.meta")):
        names = sorted(set(json.loads(meta.read_text())["exit_code_by_key"]) - (known or set()))
        chosen += rng.sample(names, min(per_module, len(names)))
    return chosen


if __name__ == "__main__":
    work = Path(sys.argv[1])
    known = {name for name, _ in by_rule(work)}
    if len(sys.argv) > 4:
        known |= set(equivalents(Path(sys.argv[4])))
    print("\n".join(sample(work, int(sys.argv[2]), int(sys.argv[3]), known)))
