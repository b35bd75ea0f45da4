"""jsonschema's errors on a scenario file turned into file:line messages a person can act on: each names the
field, says what is expected and what it got (`steps[3].asinfo.confirm.boxes: expected a whole number or
all/none, got "five"`), and suggests the name meant when a key, step or choice is a near miss."""

from __future__ import annotations

import difflib
import json
from typing import Any, cast

from jsonschema.exceptions import ValidationError

from .actions import DATE, VAR, load_all
from .scenario_schema import DATE_FORMAT, NAME, validator
from .source import Problem, Source

STEP_KEYS = {"name", "save", "expect", "refused", "with"}
# Validators that judge a value itself, not its inside: an anyOf branch failing only these was not the one meant.
SHALLOW = {
    "type",
    "enum",
    "const",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "format",
}


def problems(src: Source, kind: str = "scenario") -> list[Problem]:
    errors = [_pick(e) for e in validator(kind).iter_errors(src.data)]
    # A typo'd key also makes the key it meant "missing": say it once, where the typo is.
    typos = {
        (tuple(e.absolute_path), _guess(str(k), _allowed(e)))
        for e in errors
        if e.validator == "additionalProperties"
        for k in _extra(e)
    }
    found: list[Problem] = []
    for err in errors:
        if err.validator == "required" and (tuple(err.absolute_path), _missing(err)) in typos:
            continue
        found += _explain(src, err, kind)
    unique: dict[tuple, Problem] = {}
    for p in sorted(found, key=lambda p: p.line or 0):
        unique.setdefault((p.line, p.message), p)
    return list(unique.values())


def _schema(err: ValidationError) -> dict[str, Any]:
    """The (sub)schema that failed: always one of kasim's own objects (jsonschema's stubs also allow a bool, or
    Unset, which a schema of ours never produces)."""
    return cast("dict[str, Any]", err.schema)


def _value(err: ValidationError) -> Any:
    """The failed keyword's value in that schema (the stubs add Unset, which a failed keyword never has)."""
    return err.validator_value


def _given(err: ValidationError) -> Any:
    """The value the failed schema judged (the stubs add Unset, which a failed validation never has)."""
    return err.instance


def _pick(err: ValidationError) -> ValidationError:
    """For anyOf/oneOf, the error of the branch the author meant (never the ${var} one) when one branch is
    clearly meant (its error lies deeper than the value's own type); else the anyOf, to list every shape."""
    while err.validator in ("anyOf", "oneOf") and err.context:
        branches: dict[str | int, list[ValidationError]] = {}
        for e in err.context:
            i = e.relative_schema_path[0]
            if _value(err)[i] != VAR:
                branches.setdefault(i, []).append(e)
        meant = [
            es
            for es in branches.values()
            if len(branches) == 1
            or any(
                e.relative_path or e.validator not in SHALLOW or "propertyNames" in e.relative_schema_path
                for e in es
            )
        ]
        if not meant and isinstance(err.instance, str):  # text of the wrong form beats another type entirely
            meant = [es for es in branches.values() if all(e.validator == "pattern" for e in es)]
        if len(meant) != 1:
            return err
        err = max(meant[0], key=lambda e: (len(e.relative_path), e.validator not in SHALLOW))
    return err


def _explain(src: Source, err: ValidationError, kind: str) -> list[Problem]:
    path = tuple(err.absolute_path)
    where = where_in(path)
    at = f"{where}: " if where else ""
    line = src.line(path)
    got = _show(err.instance)
    v = err.validator
    if v == "additionalProperties":
        return _unknown(src, err, path, where)
    if v == "required":
        key = _missing(err)
        if not path:
            whole = (
                "a scenario needs name: (what the flow is) and steps: (what happens)"
                if kind == "scenario"
                else "a fragment is steps: with optional params: and description:"
            )
            return [Problem(src.file, line, f"missing {key!r}: {whole}")]
        what = (
            "every case needs a name; it tells the case apart in reports and -k"
            if path[0] == "cases"
            else describe(_schema(err)["properties"][key])
        )
        return [Problem(src.file, line, f"{at}missing {key!r} ({what})")]
    if v == "type" and err.instance is None and _is_action(path):
        return [
            Problem(
                src.file,
                line,
                f"{at}needs its arguments ({', '.join(_schema(err).get('required', []))}), got nothing",
            )
        ]
    if v == "type" and _is_step(path):
        hint = (
            f"; write `{err.instance}: {{}}`"
            if isinstance(err.instance, str) and _is_action((0, 0, err.instance))
            else ""
        )
        return [Problem(src.file, line, f"{at}expected a step (action: arguments), got {got}{hint}")]
    if v == "type" and path in (("steps",), ("expect",)) and isinstance(err.instance, dict):
        return [
            Problem(src.file, line, f"{at}expected a list of steps, got a mapping: start each step with '- '")
        ]
    if v in ("type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return [Problem(src.file, line, f"{at}expected {describe(_schema(err), bounds=True)}, got {got}")]
    if v in ("anyOf", "oneOf"):
        bounds = any(e.validator in ("minimum", "maximum") for e in err.context)
        shapes = [describe(s, bounds) for s in _value(err) if s != VAR]
        return [Problem(src.file, line, f"{at}expected {_join(shapes)}, got {got}{_choice_hint(err)}")]
    if v == "enum":
        return [
            Problem(
                src.file,
                line,
                f"{at}expected one of {', '.join(map(str, _value(err)))}, got {got}{_choice_hint(err)}",
            )
        ]
    if v == "format":
        why = f" ({err.cause})" if err.cause else ""
        return [
            Problem(src.file, line, f"{at}{got} is not a real date{why}; expected YYYY-MM-DD, today or +1d")
        ]
    if v == "pattern":
        return [_pattern(src, err, path, at, got)]
    if v == "minItems":
        what = {"steps": "at least one step", "cases": "at least one case (or no cases: at all)"}.get(
            str(path[-1]) if path else "",
            "at least one item" if _value(err) == 1 else f"at least {_value(err)} items",
        )
        return [Problem(src.file, line, f"{at}expected {what}, got an empty list")]
    if v == "minLength":
        what = (
            "the refusal's message to look for (text it contains, or /regex/)"
            if path[-1:] == ("refused",)
            else "some text"
        )
        return [Problem(src.file, line, f"{at}expected {what}, got empty text")]
    if v == "minProperties" and _is_step(path):
        return [Problem(src.file, line, f"{at}empty step: a step names one action, e.g. asinfo.sync: {{}}")]
    return [Problem(src.file, line, f"{at}{err.message}")]


def _unknown(src: Source, err: ValidationError, path: tuple, where: str) -> list[Problem]:
    allowed = _allowed(err)
    out = []
    for key in _extra(err):
        line = src.line((*path, key))
        guess = _guess(str(key), allowed)
        family = str(key).split(".")[0] + "."
        names = [a.split(".", 1)[1] for a in allowed if a.startswith(family)] if "." in str(key) else []
        if names:  # asinfo.shipp: compare with the asinfo steps' own names, not the shared prefix
            guess = _guess(str(key).split(".", 1)[1], names)
            guess = family + guess if guess else None
        hint = f"; did you mean {guess!r}?" if guess else ""
        if _is_step(path) and (guess is None or guess not in STEP_KEYS | {"include"}):
            more = (
                f" ({family[:-1]} steps: {', '.join(names)})"
                if names and not guess
                else " (see `kasim actions`)"
            )
            out.append(Problem(src.file, line, f"{where}: unknown step {key!r}{hint}{more}"))
        elif _is_step(path):
            out.append(
                Problem(
                    src.file,
                    line,
                    f"unknown key {key!r} in {where}{hint} (a step is one action with "
                    "optional name, save, expect, refused; or include: with with:)",
                )
            )
        else:
            out.append(
                Problem(
                    src.file,
                    line,
                    f"unknown key {key!r}{' in ' + where if where else ''}{hint} "
                    f"(allowed: {', '.join(allowed)})",
                )
            )
    return out


def _pattern(src: Source, err: ValidationError, path: tuple, at: str, got: str) -> Problem:
    pattern = _value(err)
    if "propertyNames" in err.relative_schema_path or "propertyNames" in err.schema_path:
        return Problem(
            src.file,
            src.line((*path, err.instance)),
            f"{at}{got} is not a variable name (letters, digits and _, not starting with a digit)",
        )
    if pattern == NAME:
        return Problem(
            src.file,
            src.line(path),
            f"{at}{got} is not a variable name (letters, digits and _, not starting with a digit)",
        )
    if pattern == DATE["anyOf"][0]["pattern"]:
        word = {"tomorrow": " (for tomorrow write +1d)", "yesterday": " (for yesterday write -1d)"}.get(
            str(err.instance).strip().lower(), ""
        )
        return Problem(
            src.file, src.line(path), f"{at}expected a date (2026-11-27, today or +1d), got {got}{word}"
        )
    if path and path[0] == "tags":
        return Problem(
            src.file, src.line(path), f"{at}{got} is not a tag (letters, digits, - and _; no spaces)"
        )
    return Problem(src.file, src.line(path), f"{at}{got} does not have the expected form ({pattern})")


def _choice_hint(err: ValidationError) -> str:
    if not isinstance(err.instance, str):
        return ""
    guess = _guess(err.instance, [str(c) for c in _choices(_schema(err))])
    return f"; did you mean {guess!r}?" if guess else ""


def _choices(schema) -> list:
    if not isinstance(schema, dict):
        return []
    out = list(schema.get("enum", []))
    for branch in schema.get("anyOf", []) + schema.get("oneOf", []):
        out += _choices(branch)
    return out


def describe(s: dict, bounds: bool = False) -> str:
    """A schema in words: 'a whole number or all/none', 'a date (2026-11-27, today or +1d)'."""
    if s == VAR:
        return "a ${variable}"
    if "anyOf" in s or "oneOf" in s:
        return _join([describe(b, bounds) for b in (s["anyOf"] if "anyOf" in s else s["oneOf"]) if b != VAR])
    if "enum" in s:
        return "/".join(map(str, s["enum"]))
    if s.get("format") == DATE_FORMAT or s.get("pattern") == DATE["anyOf"][0]["pattern"]:
        return "a date (2026-11-27, today or +1d)"
    if s.get("pattern") == NAME:
        return "a variable name"
    types = s.get("type")
    if not types:
        return "anything"
    words = []
    for t in [types] if isinstance(types, str) else types:
        if t in ("integer", "number"):
            word = "a whole number" if t == "integer" else "a number"
            lo, hi = s.get("minimum"), s.get("maximum")
            if bounds and lo is not None:
                word += f" ({lo} or more)" if hi is None else f" (between {lo} and {hi})"
            words.append(word)
        elif t == "array":
            item = describe(s["items"]) if isinstance(s.get("items"), dict) else "anything"
            item = "a step" if "$ref" in s.get("items", {}) else item
            words.append(
                "a list of text"
                if item == "text"
                else f"a list (each {item})"
                if item != "anything"
                else "a list"
            )
        elif t == "object":
            keys = list(s.get("properties") or {})
            words.append(f"an object ({', '.join(keys)})" if 0 < len(keys) <= 6 else "an object (key: value)")
        else:
            words.append({"string": "text", "boolean": "true or false", "null": "nothing"}.get(t, t))
    return _join(words)


def _join(words: list[str]) -> str:
    words = list(dict.fromkeys(words))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _show(value) -> str:
    if isinstance(value, dict):
        return "an object" if value else "an empty object {}"
    if value is None:
        return "nothing"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


def _allowed(err: ValidationError) -> list[str]:
    return sorted((_schema(err).get("properties") or {}).keys())


def _extra(err: ValidationError) -> list:
    allowed = set(_allowed(err))
    return [k for k in _given(err) if k not in allowed]


def _missing(err: ValidationError) -> str:
    for key in _value(err):
        if err.message == f"{key!r} is a required property":
            return key
    return next((k for k in _value(err) if k not in _given(err)), "?")


# Arguments renamed so that every step says one thing one way (boxes for a count, boxCode for a code): an old
# name gets the new one as its suggestion.
RENAMED = {"totalBoxes": "boxes", "newCode": "newBoxCode", "box": "boxCode", "confirmed": "confirmedBoxes"}


def _guess(word: str, options: list[str]) -> str | None:
    if RENAMED.get(word) in options:
        return RENAMED[word]
    found = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return found[0] if found else None


def _is_step(path: tuple) -> bool:
    return len(path) == 2 and path[0] in ("steps", "expect") and isinstance(path[1], int)


def _is_action(path: tuple) -> bool:
    return len(path) == 3 and path[2] in load_all()


def where_in(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
