"""Scenario files → runnable scenarios: schema check, includes spliced in, cases expanded, and the checks of
scenario_checks (variables defined before use, matchers and patterns that make sense). Every problem is a
file:line Problem, at the line of the very key that is wrong; nothing runs until none is left."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .actions import load_all
from .grower.requirements import KOMET_OBSERVABLE, observability_problems
from .interpolate import REF, names
from .scenario_checks import BUILTINS, check_step, strings, undefined
from .schema_messages import STEP_KEYS, problems, where_in
from .source import Problem, Source, load

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
    path: tuple = ()  # where the step is in its file (("steps", 3)), for the line of any key inside it
    via: str | None = None  # "file:line" of the include step that brought it in (a fragment's step)

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


LIBRARY = (
    Path(__file__).resolve().parent / "library"
)  # kasim's own scenario library (scenarios/, in the wheel)


def library_roots(including: Path) -> list[Path]:
    """Where an include: path is looked for after the including file's own directory: the root of the scenario
    library the file is in (its nearest ancestor directory named scenarios), then kasim's own library. So
    `include: fragments/ship-po.yaml` means the same file from scenarios/, scenarios/regressions/, or a file of
    the user's anywhere."""
    roots = [d for d in including.resolve().parents if d.name == "scenarios"][:1]
    if LIBRARY.is_dir():
        roots.append(LIBRARY.resolve())
    return [r for i, r in enumerate(roots) if r not in roots[:i]]


def find_include(name: str, including: Path) -> tuple[Path, list[Path]]:
    """The file an include: names, and every place that was looked at (the first of them if none has it)."""
    looked = [(including.parent / name).resolve()] + [
        (root / name).resolve() for root in library_roots(including)
    ]
    looked = [p for i, p in enumerate(looked) if p not in looked[:i]]
    return next((p for p in looked if p.is_file()), looked[0]), looked


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
                    f"the file, got {_kind(src.data)}",
                )
            ]
        )
    found = problems(src)
    if found:
        raise ProblemList(found)
    data = src.data
    errors: list[Problem] = []
    chain = (Path(file).resolve(),)
    steps = _steps(src, data["steps"], ("steps",), errors, chain)
    finals = _steps(src, data.get("expect", []), ("expect",), errors, chain)
    world = _check_world(src, data, errors)
    cases = data.get("cases") or [None]
    scenarios, misses = [], {}
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
    _steps(frag, frag.data["steps"], ("steps",), errors, (Path(file).resolve(),))
    return _dedupe(errors)


def _steps(
    src: Source, raw: list, path: tuple, errors: list, chain: tuple, via: str | None = None
) -> list[Step]:
    actions = load_all()
    out = []
    for i, item in enumerate(raw):
        spath = (*path, i)
        first, last = src.span(spath)
        keys = [k for k in item if k not in STEP_KEYS and k != "include"]
        if "include" in item:
            out += _include(src, item, spath, errors, chain)
            continue
        if "with" in item:
            errors.append(
                Problem(
                    src.file,
                    src.line((*spath, "with")),
                    f"{where_in(spath)}.with: belongs to an "
                    "include step (include: fragment.yaml, with: {param: value})",
                )
            )
            continue
        if len(keys) != 1:
            what = (
                f"none, only {', '.join(item)} (e.g. `- asinfo.sync: {{}}` with `{next(iter(item))}:` under it)"
                if not keys
                else f"{len(keys)} ({', '.join(keys)}); split it into one step per action"
            )
            errors.append(
                Problem(
                    src.file,
                    first,
                    f"{where_in(spath)}: a step names exactly one action; this one has {what}",
                )
            )
            continue
        action = keys[0]
        if action not in actions:
            continue  # the schema already reported it
        step = Step(
            action=action,
            args=item[action] if item[action] is not None else {},
            file=src.file,
            first=first,
            last=last,
            source=src,
            save=item.get("save"),
            expect=item.get("expect"),
            refused=item.get("refused"),
            name=item.get("name"),
            path=spath,
            via=via,
        )
        check_step(src, step, errors)
        out.append(step)
    return out


def _include(src: Source, item: dict, spath: tuple, errors: list, chain: tuple) -> list[Step]:
    line = src.line((*spath, "include"))
    at = f"{where_in(spath)}.include: "
    for key in [k for k in item if k not in ("include", "with", "name")]:
        why = {
            "expect": "an include step checks nothing itself: put expect: on a step inside the fragment, "
            "or on a step after the include (check: {value: ${saved}})",
            "save": "an include step has no result to save: save: inside the fragment (what it saves is in "
            "scope after the include)",
            "refused": "an include step is never refused itself: put refused: on the fragment's step",
        }
        errors.append(
            Problem(
                src.file,
                src.line((*spath, key)),
                f"{where_in((*spath, key))}: "
                + why.get(
                    key,
                    f"an include step takes only include:, with: and name:, not {key!r} (one step per action)",
                ),
            )
        )
    target, looked = find_include(str(item["include"]), Path(src.file))
    shown = _shown(target)
    if target in chain:
        names = [p.name for p in chain[chain.index(target) :]] + [target.name]
        errors.append(Problem(src.file, line, f"{at}include cycle: {' → '.join(names)}"))
        return []
    try:
        frag = load(target, shown)
    except Problem as exc:
        if exc.message == "file not found":
            files = {p.name for place in looked for p in place.parent.glob("*.y*ml")}
            near = difflib.get_close_matches(target.name, sorted(files), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            places = " nor ".join(_shown(p) for p in looked)
            exc = Problem(src.file, line, f"{at}cannot include {item['include']}: there is no {places}{hint}")
        elif exc.line in (None, 1) and not exc.message.startswith("YAML"):
            exc = Problem(src.file, line, f"{at}cannot include {item['include']}: {exc.message}")
        errors.append(exc)
        return []
    if not isinstance(frag.data, dict):
        errors.append(
            Problem(
                frag.file,
                frag.line(()),
                "expected a mapping with steps: (and optional params:, "
                f"description:) at the top of a fragment, got {_kind(frag.data)}",
            )
        )
        return []
    found = problems(frag, "fragment")
    if found:
        errors.extend(found)
        return []
    declared = frag.data.get("params") or {}
    given = item.get("with") or {}
    for name in given:
        if name not in declared:
            near = difflib.get_close_matches(str(name), list(declared), n=1, cutoff=0.6)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            errors.append(
                Problem(
                    src.file,
                    src.line((*spath, "with", name)),
                    f"{where_in((*spath, 'with', name))}: "
                    f"{item['include']} has no parameter "
                    f"{name!r}{hint} (its params: {', '.join(declared) or 'none'})",
                )
            )
    for name, default in declared.items():
        if default is None and name not in given:  # declared without a default: the include must give it
            errors.append(
                Problem(
                    src.file,
                    line,
                    f"{where_in(spath)}.include: {item['include']} needs parameter "
                    f"{name!r} (give it with: {{{name}: ...}})",
                )
            )
    params = {**declared, **given}
    steps = _steps(frag, frag.data["steps"], ("steps",), errors, (*chain, target), f"{src.file}:{line}")
    for s in steps:  # bind the fragment's params: ${param} inside it becomes the value given by with:
        s.args, s.expect, s.refused = _bind(s.args, params), _bind(s.expect, params), _bind(s.refused, params)
    return steps


def _shown(path: Path) -> str:
    """A path as a person would type it: relative to where kasim runs when it is below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _bind(value: Any, params: dict) -> Any:
    if isinstance(value, str):
        whole = REF.fullmatch(value.strip())
        if whole and whole.group(1).strip() in params:
            return params[whole.group(1).strip()]
        return REF.sub(
            lambda m: str(params[m.group(1).strip()]) if m.group(1).strip() in params else m.group(0), value
        )
    if isinstance(value, dict):
        return {k: _bind(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [_bind(v, params) for v in value]
    return value


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _dedupe(items: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in sorted(items, key=lambda p: (p.file, p.line or 0)):
        if (p.file, p.line, p.message) not in seen:
            seen.add((p.file, p.line, p.message))
            out.append(p)
    return out
