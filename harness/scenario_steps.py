"""The steps of a scenario file (or fragment) as Step objects: each step checked (one action, its keys), each
include: found (next to the including file, then the library roots), its fragment checked and its params: bound
to the values given with:. Problems are file:line, as in scenario.py."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .actions import load_all
from .interpolate import REF
from .scenario_checks import check_step
from .schema_messages import STEP_KEYS, problems, where_in
from .source import Problem, Source, load


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


def load_steps(
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
                f"description:) at the top of a fragment, got {kind_in_words(frag.data)}",
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
    steps = load_steps(frag, frag.data["steps"], ("steps",), errors, (*chain, target), f"{src.file}:{line}")
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


def kind_in_words(value: Any) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
