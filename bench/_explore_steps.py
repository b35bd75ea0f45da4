"""Runs `kasim explore`'s machine once and prints {"steps", "examples", "seconds", "cpu", "failure"} as JSON: rule
steps are Hypothesis's invariant checks less one per example (it checks after the initialisation and after every
rule); seconds of wall time, and of this process's CPU (steadier on a shared machine).

    python bench/_explore_steps.py SEED EXAMPLES STEPS      # from the root of the tree to measure
    python bench/_explore_steps.py SEED EXAMPLES STEPS JOBS # as `kasim explore --jobs JOBS` runs (this tree's
                                                            # own count of steps; wall time only)
"""

from __future__ import annotations

import json
import os
import sys
import time

sys.path.insert(0, os.getcwd())

from harness import exploration, properties


def main() -> None:
    seed, examples, steps = (int(x) for x in sys.argv[1:4])
    if len(sys.argv) > 4:
        return jobs(seed, examples, steps, int(sys.argv[4]))
    counts = {"checks": 0, "examples": 0}
    make = properties.make_machine

    def counted(base_seed: int = 0, plant: dict | None = None):
        machine = make(base_seed, plant)
        check, teardown = machine.check_invariants, machine.teardown

        def check_invariants(self, *args, **kwargs):
            counts["checks"] += 1
            return check(self, *args, **kwargs)

        def ended(self):
            counts["examples"] += 1
            return teardown(self)

        # counting wrappers around the machine's own methods
        machine.check_invariants, machine.teardown = check_invariants, ended  # type: ignore[method-assign]
        return machine

    exploration.make_machine = counted
    t0, c0 = time.perf_counter(), time.process_time()
    _, failure = exploration.explore_once(seed, examples, steps, None)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        json.dumps(
            {
                "steps": counts["checks"] - counts["examples"],
                "examples": counts["examples"],
                "seconds": seconds,
                "cpu": cpu,
                "failure": None if failure is None else str(failure).splitlines()[0][:200],
            }
        )
    )


def jobs(seed: int, examples: int, steps: int, jobs: int) -> None:
    t0 = time.perf_counter()
    found = exploration.explore(seed, examples, steps, None, jobs)
    seconds = time.perf_counter() - t0
    print(
        json.dumps({"steps": found.steps, "examples": examples, "seconds": seconds, "failure": found.failure})
    )


if __name__ == "__main__":
    main()
