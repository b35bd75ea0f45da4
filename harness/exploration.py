"""The engine of kasim explore: run the property machine; a failure is minimised (replaying the recorded steps, dropping
each that is not needed) and written as a YAML scenario under scenarios/regressions/ (replay it with kasim
run; keep it as a regression test)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis.stateful import run_state_machine_as_test
from rich.console import Console

from .properties import make_machine


@contextmanager
def own_draws_only() -> Iterator[None]:
    """Hypothesis (6.1xx) now and then draws a literal it found in the source of any local module loaded,
    kasim's own included: an edit anywhere in the tree would change what a seed explores (and which planted
    bug a CI budget finds). While the explorer runs, it draws from its strategies only. Private API, so
    guarded: where Hypothesis differs, it is left as it is."""
    try:
        from hypothesis.internal import constants_ast
        from hypothesis.internal.conjecture import providers

        get, cache, empty = (
            providers._get_local_constants,
            providers.CONSTANTS_CACHE,
            constants_ast.Constants(),
        )
        cache.cache.clear()
    except (ImportError, AttributeError):
        yield
        return
    providers._get_local_constants = lambda: empty
    try:
        yield
    finally:
        providers._get_local_constants = get
        cache.cache.clear()


def explore_once(base_seed: int, examples: int, steps: int, plant: dict | None):
    """(machine class, failure or None). Deterministic for a given seed, sizes and rules: Hypothesis draws from
    the seed given, not from a digest of the machine's source (an edited comment would change the search)."""
    machine = seed(base_seed)(make_machine(base_seed, plant))
    # Hypothesis's own shrinking of a stateful run is slow when every step is an HTTP exchange with two apps
    # (minutes); minimise() below does it on the recorded scenario instead, in seconds, by replaying it.
    config = settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
        phases=[Phase.explicit, Phase.generate],
    )
    try:
        with own_draws_only():
            run_state_machine_as_test(machine, settings=config)
    except Exception as exc:  # any failure (a broken property, a crash) is a finding
        return machine, exc
    return machine, None


def regression_yaml(machine, failure: Exception) -> str:
    last = machine.last
    first_line = str(failure).strip().splitlines()[0] if str(failure).strip() else type(failure).__name__
    doc = {
        "name": f"Regression: {first_line[:90]}",
        "description": (
            f"Found by kasim explore (seed {last.seed}) and shrunk to the fewest steps that still fail. "
            f"What broke: {first_line}"
        ),
        "tags": ["regression", "explore"],
        "seed": last.seed,
        "world": last.world,
        "steps": [*last.steps, {"check": "invariants"}],
    }
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)


def minimise(text: str, console: Console | None = None) -> str:
    """Drops every step whose removal keeps the same failure (Hypothesis found the run; its own shrinking is
    off, see explore_once), replaying
    each candidate through the scenario engine (so the file kept is exactly what reproduces)."""
    doc = yaml.safe_load(text)
    target = _failure_kind(doc)
    if target is None:
        return text  # the engine does not reproduce it: keep the run as Hypothesis found it
    steps = doc["steps"]
    changed = True
    while changed:  # greedy, from the end, until no single step can go
        changed = False
        i = len(steps) - 2  # never drop the final check
        while i >= 0:
            candidate = {**doc, "steps": steps[:i] + steps[i + 1 :]}
            if _failure_kind(candidate) == target:
                steps, changed = candidate["steps"], True
                if console:
                    console.print(f"  dropped a step; {len(steps) - 1} left", style="dim")
            i -= 1
    doc["steps"] = steps
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)


def _failure_kind(doc: dict) -> str | None:
    """How the replay of `doc` fails, digits left out (None: it passes). Replayed as the explorer ran it: its
    checks, not Komet's verdict on the grower's traffic (the explorer's own "Sync now" presses can poll more
    often than the verdict allows, which would hide the finding and have the shrinking chase that instead)."""
    import tempfile

    from .engine import run_scenario
    from .runner import Options, topology_factory
    from .scenario import ProblemList, load_file

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
        yaml.safe_dump(doc, fh, sort_keys=False)
    try:
        scenario = load_file(fh.name)[0]
    except ProblemList:
        return None
    finally:
        Path(fh.name).unlink(missing_ok=True)
    build = topology_factory(Options())

    def unjudged(seed: int, plant: dict | None = None):
        topo = build(seed, plant)
        topo.judges = False
        return topo

    result = run_scenario(scenario, unjudged)
    if result.status != "failed" or not result.failure:
        return None
    details = result.failure["details"][0] if result.failure["details"] else ""
    return result.failure["message"] + " | " + re.sub(r"\d+", "N", details)[:60]


def write_regression(text: str, out_dir: str | Path) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    from .runner import slug

    name = slug(yaml.safe_load(text)["name"].removeprefix("Regression: "))[:50].strip("-")
    path = out / f"{date.today().isoformat()}-{name}-{digest}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
