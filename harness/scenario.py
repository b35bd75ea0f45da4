"""Scenario files → runnable scenarios: schema check, includes spliced in, cases expanded, and the checks of
scenario_checks (variables defined before use, matchers and patterns that make sense). Every problem is a
file:line Problem, at the line of the very key that is wrong; nothing runs until none is left. The steps and
their includes are read in scenario_steps.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .grower.requirements import KOMET_OBSERVABLE, observability_problems
from .interpolate import REF, names
from .scenario_checks import BUILTINS, strings, undefined
from .scenario_steps import Step, kind_in_words, load_steps
from .schema_messages import problems, where_in
from .source import Problem, Source, load

DEFAULT_SEED = 7


@dataclass
class Scenario:
    name: str
    file: str
    line: int
    seed: int
    steps: list[Step]
    description: str = ""
    tags: list[str] = field(default_factory=list)
    world: dict = field(default_factory=dict)
    vars: dict = field(default_factory=dict)
    case: str | None = None
    skip: str | None = None
    xfail: str | None = None

    @property
    def id(self) -> str:
        return f"{self.name}[{self.case}]" if self.case else self.name


def is_fragment(path: Path) -> bool:
    return "fragments" in path.parts or path.name.startswith("_")


def discover(paths: list[str], fragments: bool = False) -> list[Path]:
    """Scenario files under the given paths; fragments (included by others, never run alone) only if asked."""
    found: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found += sorted(
                f
                for f in path.rglob("*.y*ml")
                if f.suffix in (".yaml", ".yml") and (fragments or not is_fragment(f))
            )
        elif path.exists():
            found.append(path)
        else:
            raise Problem(str(path), None, "no such file or directory")
    return found


class ProblemList(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def load_file(path: str | Path) -> list[Scenario]:
    """All scenarios of one file (one per case), or raise ProblemList with every problem found."""
    file = str(path)
    try:
        src = load(path, file)
    except Problem as exc:
        if exc.message.startswith("the file is empty"):
            exc.message += "; a scenario needs name: and steps:"
        raise ProblemList([exc]) from None
    if not isinstance(src.data, dict):
        raise ProblemList(
            [
                Problem(
                    file,
                    src.line(()),
                    "expected a mapping (name:, steps: and more) at the top of "
                    f"the file, got {kind_in_words(src.data)}",
                )
            ]
        )
    found = problems(src)
    if found:
        raise ProblemList(found)
    data = src.data
    errors: list[Problem] = []
    chain = (Path(file).resolve(),)
    steps = load_steps(src, data["steps"], ("steps",), errors, chain)
    finals = load_steps(src, data.get("expect", []), ("expect",), errors, chain)
    world = _check_world(src, data, errors)
    cases = data.get("cases") or [None]
    scenarios: list[Scenario] = []
    misses: dict[tuple[str, int, str], dict[str, Any]] = {}
    for case in cases:
        given = {k: v for k, v in case.items() if k != "name"} if case else {}
        scope = set(BUILTINS) | set(data.get("vars") or {}) | set(given)
        for key, miss in undefined(steps + finals, scope).items():
            misses.setdefault(key, {**miss, "cases": []})["cases"].append(case["name"] if case else None)
        scenarios.append(
            Scenario(
                name=data["name"],
                file=file,
                line=1,
                seed=data.get("seed", DEFAULT_SEED),
                steps=steps + finals,
                description=data.get("description", ""),  # cases share the (unchanging) steps
                tags=data.get("tags", []),
                world=world,
                vars={**(data.get("vars") or {}), **given},
                case=case["name"] if case else None,
                skip=data.get("skip"),
                xfail=data.get("xfail"),
            )
        )
    for (file_, line, name), miss in misses.items():
        named = [c for c in miss["cases"] if c]
        which = f" in case {', '.join(map(repr, named))}" if named and len(named) < len(cases) else ""
        errors.append(
            Problem(file_, line, f"{miss['where']}: undefined variable {name!r}{which}{miss['hint']}")
        )
    if scenarios and KOMET_OBSERVABLE in scenarios[0].tags:  # the tag must hold: every grower can run it
        for step, why in observability_problems(scenarios[0]):
            errors.append(Problem(step.file, step.first, f"tagged {KOMET_OBSERVABLE}, but {why}"))
    if errors:
        raise ProblemList(_dedupe(errors))
    return scenarios


def _check_world(src: Source, data: dict, errors: list) -> dict:
    """The world is set up before any step runs: only seed, case and vars (and a case's values) exist then.
    A state snapshot is found next to the scenario file, like an include."""
    world = dict(data.get("world") or {})
    known = {"seed", "case", *(data.get("vars") or {})} | {k for c in data.get("cases") or [] for k in c}
    for sub, text in strings(world, ("world",)):
        for name in [n for expr in REF.findall(text) for n in names(expr)]:
            if name not in known:
                errors.append(
                    Problem(
                        src.file,
                        src.line(sub),
                        f"{where_in(sub)}: undefined variable {name!r} "
                        "(the world is made before any step: only seed, case and vars exist)",
                    )
                )
    if "state" in world:
        snapshot = Path(src.file).parent / world["state"]
        if not snapshot.is_file():
            errors.append(
                Problem(
                    src.file,
                    src.line(("world", "state")),
                    f"world.state: no snapshot file {world['state']} next to this scenario",
                )
            )
        world["state"] = str(snapshot)
    return world


def load_fragment(path: str | Path) -> list[Problem]:
    """A fragment checked on its own (kasim validate of a fragments directory): schema and includes."""
    file = str(path)
    try:
        frag = load(path, file)
    except Problem as exc:
        return [exc]
    if not isinstance(frag.data, dict):
        return [Problem(file, 1, "expected a mapping with steps: (and optional params:, description:)")]
    found = problems(frag, "fragment")
    if found:
        return found
    errors: list[Problem] = []
    load_steps(frag, frag.data["steps"], ("steps",), errors, (Path(file).resolve(),))
    return _dedupe(errors)


def _dedupe(items: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in sorted(items, key=lambda p: (p.file, p.line or 0)):
        if (p.file, p.line, p.message) not in seen:
            seen.add((p.file, p.line, p.message))
            out.append(p)
    return out
