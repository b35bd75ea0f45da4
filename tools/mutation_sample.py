"""Print a random sample of mutant names, the same number from each mutated module, one per line.

    python tools/mutation_sample.py WORK_DIR PER_MODULE SEED

Mutants already run are drawn like the others (a rerun with the same seed runs the same sample)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path


def sample(work: Path, per_module: int, seed: int) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 (a reproducible sample, not a secret)
    chosen: list[str] = []
    for meta in sorted(work.joinpath("mutants").rglob("*.py.meta")):
        names = sorted(json.loads(meta.read_text())["exit_code_by_key"])
        chosen += rng.sample(names, min(per_module, len(names)))
    return chosen


if __name__ == "__main__":
    print("\n".join(sample(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))))
