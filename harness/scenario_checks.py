"""Scenario checks that need more than the schema: every ${...} readable and defined before it is used,
every matcher known and given an argument it can use, every pattern a valid regular expression. Each
problem is a file:line Problem at the line of the key that is wrong."""

from __future__ import annotations

import contextvars
import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import jmespath
from jmespath.exceptions import JMESPathError

from .interpolate import REF, jmespath_error, names, static_problems
from .matching import MATCHERS, TYPES
from .schema_messages import where_in
from .source import Problem, Source

if TYPE_CHECKING:
    from .scenario_steps import Step

BUILTINS = {"world", "grower", "seed", "today", "last", "case"}
# Whether asinfo.* results are ASINFO's (whose fields are documented) or another grower adapter's own view.
_ASINFO_VIEWS = contextvars.ContextVar("asinfo_views", default=True)


@contextmanager
def grower_results(grower: str) -> Iterator[None]:
    """Scenarios loaded inside are for this grower: with another than asinfo, the expect: keys of asinfo.* steps
    are its own fields and are not checked against ASINFO's."""
    token = _ASINFO_VIEWS.set(grower == "asinfo")
    try:
        yield
    finally:
        _ASINFO_VIEWS.reset(token)


def check_step(src: Source, s: Step, errors: list) -> None:
    def fail(sub: tuple, message: str) -> None:
        errors.append(Problem(src.file, src.line(s.path + sub), message))

    for sub, text in (
        strings(s.args, (s.action,)) + strings(s.expect, ("expect",)) + strings(s.refused, ("refused",))
    ):
        for expr in REF.findall(text):
            for problem in static_problems(expr):
                hint = (
                    "; write ${name}, ${name.field[0]} or ${length(name)}"
                    if "cannot be read" in problem
                    else ""
                )
                fail(sub, f"{where_in(s.path + sub)}: {problem}{hint}")
        if "${" in REF.sub("", text):
            fail(sub, f"{where_in(s.path + sub)}: a ${{ without its closing }} in {text!r}")
    if isinstance(s.refused, str) and len(s.refused) > 2 and s.refused[0] == s.refused[-1] == "/":
        try:
            re.compile(s.refused[1:-1])
        except re.error as exc:
            fail(
                ("refused",),
                f"{where_in(s.path)}.refused: {s.refused} is not a valid regular expression ({exc})",
            )
    saved = [s.save] if isinstance(s.save, str) else list(s.save or {})
    for name in saved:
        if name in BUILTINS:
            fail(
                ("save",),
                f"{where_in(s.path)}.save: {name!r} is a built-in variable ({', '.join(sorted(BUILTINS))})"
                "; save under another name",
            )
    for name, expr in s.save.items() if isinstance(s.save, dict) else []:
        if expr in ("@", "$"):
            continue
        try:
            jmespath.compile(expr)
        except JMESPathError as exc:
            fail(
                ("save", name),
                f"{where_in(s.path)}.save.{name}: {expr!r} is not a JMESPath expression "
                f"({jmespath_error(exc)}); e.g. number, lines[0].id",
            )
            continue
        for problem in static_problems(expr):
            fail(
                ("save", name),
                f"{where_in(s.path)}.save.{name}: {problem.replace('${', '').replace('}', '')}",
            )
    _check_expect(src, s.expect, (*s.path, "expect"), errors)
    if s.refused is None:
        _check_fields(src, s, errors)


def _check_fields(src: Source, s: Step, errors: list) -> None:
    """expect: keys a step never returns (a typo, or a name from before a rename) are found before anything runs:
    the fields each step returns are documented where it is registered."""
    from .actions import load_all

    if s.action.startswith("asinfo.") and not _ASINFO_VIEWS.get():
        return
    returns = load_all()[s.action].returns
    if returns is None or "…" in returns.all_fields():
        return
    fields = {k.rstrip("?") for k in returns.all_fields()}
    top = {k for k in fields if not k.startswith("[].") and "." not in k and "[]" not in k}
    items = {k[3:] for k in fields if k.startswith("[].") and "." not in k[3:]}

    def check(expected: Any, names: set, path: tuple, what: str) -> None:
        if not isinstance(expected, dict) or not names:
            return
        for key in expected:
            if isinstance(key, str) and key.startswith("$"):
                inner = expected[key]
                if key in ("$each", "$contains", "$not"):
                    check(inner, names, (*path, key), what)
                elif key in ("$exactly", "$ordered") and isinstance(inner, list):
                    for i, item in enumerate(inner):
                        check(item, names, (*path, key, i), what)
                continue
            if key not in names:
                near = difflib.get_close_matches(str(key), sorted(names), n=1, cutoff=0.6)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                errors.append(
                    Problem(
                        src.file,
                        src.line((*path, key)),
                        f"{where_in((*path, key))}: {s.action} returns no field {key!r}{what}{hint} "
                        f"(kasim actions {s.action} lists them)",
                    )
                )

    path = (*s.path, "expect")
    if top:
        check(s.expect, top, path, "")
    if items:
        if isinstance(s.expect, list):
            for i, item in enumerate(s.expect):
                check(item, items, (*path, i), " in its items")
        elif isinstance(s.expect, dict):
            for key in ("$each", "$contains", "$not"):
                check(s.expect.get(key), items, (*path, key), " in its items")
            for key in ("$exactly", "$ordered"):
                for i, item in enumerate(s.expect.get(key) or []):
                    check(item, items, (*path, key, i), " in its items")


def _check_expect(src: Source, value: Any, path: tuple, errors: list) -> None:
    if isinstance(value, list):
        for i, v in enumerate(value):
            _check_expect(src, v, (*path, i), errors)
        return
    if not isinstance(value, dict):
        return
    marks = [k for k in value if isinstance(k, str) and k.startswith("$")]
    plain = [k for k in value if k not in marks]
    for k in marks:
        if k not in MATCHERS:
            near = difflib.get_close_matches(k, MATCHERS, n=1, cutoff=0.6)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            errors.append(
                Problem(
                    src.file,
                    src.line((*path, k)),
                    f"{where_in(path)}: unknown matcher {k!r}{hint} (matchers: {', '.join(MATCHERS)})",
                )
            )
    if marks and plain:
        errors.append(
            Problem(
                src.file,
                src.line((*path, marks[0])),
                f"{where_in(path)}: {marks[0]} sits beside "
                f"plain keys ({', '.join(map(str, plain))}); a matcher goes under the key it checks, "
                f"e.g. lines: {{{marks[0]}: …}}",
            )
        )
    if not marks or plain:
        for k in plain:
            _check_expect(src, value[k], (*path, k), errors)
        return
    for k in marks:
        problem = _matcher_arg(k, value[k])
        if problem:
            errors.append(Problem(src.file, src.line((*path, k)), f"{where_in((*path, k))}: {problem}"))
        elif k in ("$each", "$eq", "$contains", "$exactly", "$ordered", "$len"):
            _check_expect(src, value[k], (*path, k), errors)


def _matcher_arg(name: str, arg: Any) -> str | None:
    """What is wrong with a matcher's argument, or None. ${...} arguments are only known when it runs."""
    if isinstance(arg, str) and REF.search(arg):
        return None
    if name == "$regex":
        if not isinstance(arg, str):
            return f"expected a regular expression (text), got {arg!r}"
        try:
            re.compile(arg)
        except re.error as exc:
            return f"/{arg}/ is not a valid regular expression ({exc})"
    if name == "$type" and arg is not None and arg not in TYPES:
        return f"expected one of {', '.join(TYPES)}, got {arg!r}"
    if name in ("$in", "$exactly", "$ordered") and not isinstance(arg, list):
        return f"expected a list, got {arg!r}"
    if name == "$len" and (isinstance(arg, bool) or not isinstance(arg, int | dict)):
        return f"expected a whole number or a matcher ({{$gt: 0}}), got {arg!r}"
    if name in ("$exists", "$any") and not isinstance(arg, bool):
        return f"expected true or false, got {arg!r}"
    if name in ("$gt", "$gte", "$lt", "$lte"):
        try:
            float(arg)
        except (TypeError, ValueError):
            return f"expected a number, got {arg!r}"
    return None


def undefined(steps: list[Step], scope: set) -> dict:
    """Every ${name} used before anything defines it: {(file, line, name): {action, hint}}."""
    later: dict[str, tuple[str, str]] = {}
    for s in steps:
        for name in [s.save] if isinstance(s.save, str) else list(s.save or {}):
            at = s.source.line((*s.path, "save"))
            later.setdefault(name, (s.file, f"line {at}" if s.file == steps[0].file else f"{s.file}:{at}"))
    defined = set(scope)
    out: dict[tuple[str, int, str], dict] = {}
    for s in steps:
        for sub, text in (
            strings(s.args, (s.action,)) + strings(s.expect, ("expect",)) + strings(s.refused, ("refused",))
        ):
            for name in [n for expr in REF.findall(text) for n in names(expr)]:
                if name in defined:
                    continue
                near = difflib.get_close_matches(name, sorted(defined), n=1, cutoff=0.7)
                hint = f" (did you mean {near[0]!r}? " if near else " ("
                hint += (
                    f"it is saved only later, on {later[name][1]})"
                    if name in later
                    else f"defined so far: {', '.join(sorted(defined - BUILTINS)) or 'none'}; "
                    "save: it in an earlier step)"
                )
                hint += f"; the step comes from the include at {s.via}" if s.via else ""
                out.setdefault(
                    (s.file, s.source.line(s.path + sub), name),
                    {"where": where_in(s.path + sub), "hint": hint},
                )
        defined.update([s.save] if isinstance(s.save, str) else list(s.save or {}))
    return out


def strings(value: Any, path: tuple) -> list[tuple[tuple, str]]:
    """(path, text) of every string inside a value."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in strings(v, (*path, k))]
    if isinstance(value, list):
        return [found for i, v in enumerate(value) for found in strings(v, (*path, i))]
    return []
