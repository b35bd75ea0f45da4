"""Summarise a mutmut 3 run (its mutants/*.meta files) as Markdown: per module, the mutants killed out of
those that are not equivalent, the survivors by name, and the equivalents with their reasons.

    python tools/mutation_report.py WORK_DIR tools/mutation-equivalents.txt > reports/mutation.md"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutation_equivalence import by_rule  # a sibling script, not a package

# mutmut 3's exit codes: a failing run (or pytest's internal error) kills the mutant; so does a run that hangs
# (timeout) or a type error. Not run: not checked, interrupted, no tests, skipped.
KILLED = {1, 3, 36, 37, 24, -24, 152, 255}
NOT_RUN = {None, 2, 5, 33, 34}  # not checked, interrupted, no tests, skipped


def equivalents(path: Path) -> dict[str, str]:
    """`mutant-name  reason` per line; # comments and blank lines ignored."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            out[name] = reason.strip()
    return out


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion: honest for small samples and scores near 100 %."""
    p = successes / trials
    centre = p + z * z / (2 * trials)
    spread = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    denominator = 1 + z * z / trials
    return (centre - spread) / denominator, (centre + spread) / denominator


def main(work: str, equivalents_file: str) -> int:
    listed = equivalents(Path(equivalents_file))
    ruled = dict(by_rule(Path(work)))
    equivalent = {**ruled, **listed}
    rows, survivors, unchecked = [], defaultdict(list), defaultdict(list)
    total_killed = total_counted = 0
    for meta in sorted(Path(work, "mutants").rglob("*.py.meta")):
        module = str(meta.relative_to(Path(work, "mutants")))[: -len(".meta")]
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        if not codes:
            continue
        killed = counted = 0
        for name, code in sorted(codes.items()):
            if name in equivalent:
                continue
            if code in NOT_RUN:
                unchecked[module].append(name)
                continue
            counted += 1
            if code in KILLED:
                killed += 1
            else:
                survivors[module].append(f"{name} (exit {code})")
        total_killed += killed
        total_counted += counted
        eq = sum(1 for n in codes if n in equivalent)
        score = f"{100 * killed / counted:.1f} %" if counted else "-"
        rows.append(
            f"| {module} | {len(codes)} | {eq} | {killed} / {counted} | {score} | {len(unchecked[module])} |"
        )
    print("# Mutation testing of the integration logic\n")
    print(
        "Command: `tools/mutation.sh` (mutmut 3.8.1; kill test: the scenario library and the simulators' tests).\n"
    )
    print("| module | mutants | equivalent | killed / counted | score | not run yet |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    overall = f"{100 * total_killed / total_counted:.1f} %" if total_counted else "-"
    print(f"\n**Overall: {total_killed} / {total_counted} non-equivalent mutants killed ({overall}).**\n")
    not_run = sum(len(names) for names in unchecked.values())
    if not_run and total_counted:
        low, high = wilson(total_killed, total_counted)
        print(
            f"A sample: {not_run} mutants were not run. If the sample is random (tools/mutation_sample.py), the "
            f"score of all mutants lies between {100 * low:.1f} % and {100 * high:.1f} % (95 %, Wilson).\n"
        )
    for title, groups in (("Survivors", survivors),):
        if any(groups.values()):
            print(f"## {title}\n")
            for module, names in groups.items():
                for name in names:
                    print(f"- `{name}` ({module})")
            print()
    if ruled:
        print("## Equivalent by rule (left out of the score and of the sample)\n")
        for reason, count in Counter(ruled.values()).most_common():
            print(f"- {count} mutants. {reason} (tools/mutation_equivalence.py)")
        print()
    if listed:
        print("## Equivalent mutants judged one by one (left out of the score)\n")
        for name, reason in sorted(listed.items()):
            print(f"- `{name}`: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
