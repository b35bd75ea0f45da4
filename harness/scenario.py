"""Scenario files → runnable scenarios: schema check, includes spliced in, cases expanded, every variable
checked to be defined before it is used. Every problem is a file:line Problem; nothing runs until none is left."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .actions import load_all
from .interpolate import roots
from .schema import STEP_KEYS, problems
from .source import Problem, Source, load

BUILTINS = {"world", "grower", "seed", "today", "last", "case"}
DEFAULT_SEED = 7


@dataclass
class Step:
    action: str
    args: Any
    file: str
    first: int
    last: int
    source: Source
    save: Any = None
    expect: Any = None
    refused: str | None = None
    name: str | None = None
    final: bool = False  # one of the scenario's closing `expect:` checks

    @property
    def title(self) -> str:
        return self.name or self.action

    def excerpt(self) -> str:
        return self.source.excerpt(self.first, self.last)


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


def discover(paths: list[str]) -> list[Path]:
    """Scenario files under the given paths (fragments are included by others, never run alone)."""
    found: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found += sorted(f for f in path.rglob("*.y*ml") if f.suffix in (".yaml", ".yml") and not is_fragment(f))
        elif path.exists():
            found.append(path)
        else:
            raise Problem(str(path), 1, "no such file or directory")
    return found


def load_file(path: str | Path) -> list[Scenario]:
    """All scenarios of one file (one per case), or raise ProblemList with every problem found."""
    file = str(path)
    try:
        src = load(path, file)
    except Problem as exc:
        raise ProblemList([exc]) from None
    if not isinstance(src.data, dict):
        raise ProblemList([Problem(file, 1, "a scenario file is a mapping with name:, steps: and more")])
    found = problems(src)
    if found:
        raise ProblemList(found)
    data = src.data
    errors: list[Problem] = []
    steps = _steps(src, data["steps"], ("steps",), Path(file).parent, errors, set())
    finals = _steps(src, data.get("expect", []), ("expect",), Path(file).parent, errors, set())
    for s in finals:
        s.final = True
    cases = data.get("cases") or [None]
    scenarios = []
    for case in cases:
        scope = set(BUILTINS) | set(data.get("vars", {})) | (set(case) - {"name"} if case else set())
        _check_defined(steps + finals, scope, errors)
        scenarios.append(Scenario(
            name=data["name"], file=file, line=1, seed=data.get("seed", DEFAULT_SEED),
            steps=copy.deepcopy(steps + finals) if case else steps + finals, description=data.get("description", ""),
            tags=data.get("tags", []), world=data.get("world", {}),
            vars={**data.get("vars", {}), **({k: v for k, v in case.items() if k != "name"} if case else {})},
            case=case["name"] if case else None, skip=data.get("skip"), xfail=data.get("xfail")))
    if errors:
        raise ProblemList(_dedupe(errors))
    return scenarios


class ProblemList(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _steps(src: Source, raw: list, path: tuple, base: Path, errors: list, seen: set,
           params: dict | None = None) -> list[Step]:
    actions = load_all()
    out = []
    for i, item in enumerate(raw):
        spath = path + (i,)
        first, last = src.span(spath)
        keys = [k for k in item if k not in STEP_KEYS and k != "include"]
        if "include" in item:
            if keys:
                errors.append(Problem(src.file, first, f"an include step takes only include: and with:, not {keys[0]!r}"))
                continue
            out += _include(src, item, spath, base, errors, seen)
            continue
        if "with" in item:
            errors.append(Problem(src.file, src.line(spath + ("with",)), "with: belongs to an include step"))
            continue
        if len(keys) != 1:
            what = "no action" if not keys else f"{len(keys)} actions ({', '.join(keys)})"
            errors.append(Problem(src.file, first, f"a step names exactly one action; this one has {what}"))
            continue
        action = keys[0]
        if action not in actions:
            continue  # the schema already reported it
        args = item[action]
        if args is None:
            args = {}
        out.append(Step(action=action, args=args, file=src.file, first=first, last=last, source=src,
                        save=item.get("save"), expect=item.get("expect"), refused=item.get("refused"),
                        name=item.get("name")))
    return out


def _include(src: Source, item: dict, spath: tuple, base: Path, errors: list, seen: set) -> list[Step]:
    target = (base / item["include"]).resolve()
    line = src.line(spath + ("include",))
    if target in seen:
        errors.append(Problem(src.file, line, f"include cycle: {item['include']} includes itself"))
        return []
    try:
        frag = load(target, str(Path(src.file).parent / item["include"]))
    except Problem as exc:
        errors.append(Problem(src.file, line, f"cannot include {item['include']}: {exc.message}")
                      if exc.message == "file not found" else exc)
        return []
    if not isinstance(frag.data, dict):
        errors.append(Problem(frag.file, 1, "a fragment is a mapping with steps: (and optional params:)"))
        return []
    found = problems(frag, "fragment")
    if found:
        errors.extend(found)
        return []
    params = {**frag.data.get("params", {}), **(item.get("with") or {})}
    unknown = set(item.get("with") or {}) - set(frag.data.get("params", {}))
    if unknown:
        errors.append(Problem(src.file, src.line(spath + ("with",)), f"{item['include']} has no parameter "
                              f"{sorted(unknown)[0]!r} (params: {', '.join(frag.data.get('params', {})) or 'none'})"))
    steps = _steps(frag, frag.data["steps"], ("steps",), target.parent, errors, seen | {target})
    for s in steps:  # bind the fragment's params: ${param} inside it becomes the value given by with:
        s.args = _bind(s.args, params)
        s.expect = _bind(s.expect, params)
    return steps


def _bind(value: Any, params: dict) -> Any:
    from .interpolate import REF
    if isinstance(value, str):
        whole = REF.fullmatch(value.strip())
        if whole and whole.group(1).strip() in params:
            return params[whole.group(1).strip()]
        return REF.sub(lambda m: str(params[m.group(1).strip()]) if m.group(1).strip() in params else m.group(0), value)
    if isinstance(value, dict):
        return {k: _bind(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [_bind(v, params) for v in value]
    return value


def _check_defined(steps: list[Step], scope: set, errors: list) -> None:
    defined = set(scope)
    for s in steps:
        for name in roots(s.args) + roots(s.expect) + roots(s.refused or ""):
            if name not in defined:
                errors.append(Problem(s.file, s.first, f"undefined variable {name!r} in {s.action} "
                                      f"(defined so far: {', '.join(sorted(defined - BUILTINS)) or 'none'}; "
                                      "save: a value in an earlier step)"))
        if isinstance(s.save, str):
            defined.add(s.save)
        elif isinstance(s.save, dict):
            defined.update(s.save)


def _dedupe(items: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in sorted(items, key=lambda p: (p.file, p.line)):
        if (p.file, p.line, p.message) not in seen:
            seen.add((p.file, p.line, p.message))
            out.append(p)
    return out
