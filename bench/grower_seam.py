"""The scenario library through the grower adapter seam (issue 7), against the tree before it, side by side.

  before  a detached worktree of BASELINE (the last commit before every asinfo.* step went through
          harness.grower), made in a temporary folder and removed afterwards
  after   this working tree (the adapter seam, and the protocol verdict after every scenario)

Both run `python -m harness.cli run <files> --no-progress` in a subprocess, in process, on the SAME
scenario files: the baseline's own library (the files it has), so each tree runs exactly the same flows.
Rounds alternate (before, after, after, before, …) so both share the machine's noise; wall time and the
children's CPU time are reported, with medians and the ratio after/before.

    python bench/grower_seam.py            # 7 runs of each
    python bench/grower_seam.py --quick    # 2
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as bc

BASELINE = "dbf27d5"  # main just before the grower seam landed ("ASINFO's API split by resource")
RUN_TIMEOUT = 900.0


def scenario_files(tree: Path) -> list[str]:
    return sorted(
        str(p.relative_to(tree)) for p in (tree / "scenarios").rglob("*.yaml") if "fragments" not in p.parts
    )


def run_library(tree: Path, files: list[str]) -> tuple[float, float, str]:
    """(wall seconds, children's CPU seconds, the summary line) of one `kasim run` in `tree`."""
    env = dict(os.environ, PYTHONPATH=str(tree), NO_COLOR="1", COLUMNS="200")
    before = os.times()
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", "run", *files, "--no-progress"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    wall = time.perf_counter() - t0
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    lines = done.stdout.strip().splitlines()
    return wall, cpu, lines[-1] if lines else done.stderr.strip()[-200:]


def main() -> int:
    args = bc.parser(__doc__.splitlines()[0], runs=7, quick_runs=2).parse_args()
    runs = bc.runs_from(args)
    info = bc.machine()
    with tempfile.TemporaryDirectory(prefix="kasim-baseline-") as tmp:
        base = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), BASELINE], cwd=bc.ROOT, check=True,
                       capture_output=True)  # fmt: skip
        try:
            files = scenario_files(base)
            trees = {"before": base, "after": bc.ROOT}
            wall: dict[str, list[float]] = {k: [] for k in trees}
            cpu: dict[str, list[float]] = {k: [] for k in trees}
            outcome: dict[str, str] = {}
            for round_no in range(runs):
                order = ["before", "after"] if round_no % 2 == 0 else ["after", "before"]
                for name in order:
                    w, c, last = run_library(trees[name], files)
                    wall[name].append(w)
                    cpu[name].append(c)
                    outcome[name] = last
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=bc.ROOT, check=False,
                           capture_output=True)  # fmt: skip
            shutil.rmtree(base, ignore_errors=True)
    walls = bc.compare(wall["after"], wall["before"])
    cpus = bc.compare(cpu["after"], cpu["before"])
    rows = [
        bc.stat_row("before (" + BASELINE + ")", walls["baseline"], 1.0, cpus["baseline"], 1.0),
        bc.stat_row("after (this tree)", walls["case"], walls["ratio"], cpus["case"], cpus["ratio"]),
    ]
    print(bc.header("grower seam: the library before and after", info))
    print(f"{len(files)} scenario files, in process; last lines: before «{outcome['before']}», "
          f"after «{outcome['after']}»")  # fmt: skip
    print(bc.table(bc.STAT_HEADERS, rows))
    if not args.no_json:
        path = bc.write_json(
            "grower_seam",
            {
                "machine": info,
                "baseline": BASELINE,
                "files": files,
                "wall": {k: bc.summary(v) for k, v in wall.items()},
                "cpu": {k: bc.summary(v) for k, v in cpu.items()},
                "ratio": walls["ratio"],
                "cpu_ratio": cpus["ratio"],
                "outcome": outcome,
            },
        )
        print(f"\nwritten: {path.relative_to(bc.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
