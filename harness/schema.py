"""The JSON Schema of a scenario file, built from the action registry (so a new action is never missing
from it), and jsonschema's errors turned into file:line messages a person can act on."""

from __future__ import annotations

import difflib
import json

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .actions import DATE, INT, STR, VAR, load_all, obj, typed
from .source import Problem, Source

STEP_KEYS = {"name", "save", "expect", "refused", "with"}
SIZES = {k: typed(INT) for k in ("vendors", "customers", "products", "shipDays", "posPerDay", "linesPerPo",
                                 "paidUsers", "firstShipDay", "quotaPerUser")}


def step_schema() -> dict:
    actions = load_all()
    props = {name: a.args for name, a in actions.items()}
    props.update({
        "include": STR,
        "with": {"type": "object"},
        "name": STR,
        "save": {"anyOf": [{"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"},
                           {"type": "object", "propertyNames": {"pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"},
                            "additionalProperties": STR}]},
        "expect": {},
        "refused": {"type": "string", "minLength": 1},
    })
    return {"type": "object", "properties": props, "additionalProperties": False, "minProperties": 1}


def scenario_schema() -> dict:
    step = {"$ref": "#/$defs/step"}
    world = obj({
        "komet": obj({**SIZES, "profile": {"enum": ["documented", "strict"]}, "companyName": STR}),
        "state": STR,
        "purchaseOrders": {"type": "array", "items": load_all()["komet.create_po"].args},
        "grower": {"anyOf": [{"enum": ["connected", "token", "none"]}, obj({
            "vendor": typed({"type": ["integer", "string"]}), "methods": load_all()["komet.create_token"].args[
                "properties"]["methods"], "connect": {"type": "boolean"}, "sync": {"type": "boolean"},
            "syncDays": typed(INT)})]},
    })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://kasim.dev/scenario.schema.json",
        "title": "kasim scenario",
        "type": "object",
        "required": ["name", "steps"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "description": STR,
            "tags": {"type": "array", "items": {"type": "string", "pattern": r"^[A-Za-z0-9_-]+$"}},
            "seed": {"type": "integer"},
            "world": world,
            "vars": {"type": "object"},
            "cases": {"type": "array", "minItems": 1, "items": obj({"name": STR}, required=("name",), extra=True)},
            "steps": {"type": "array", "minItems": 1, "items": step},
            "expect": {"type": "array", "items": step},
            "skip": STR,
            "xfail": STR,
        },
        "$defs": {"step": step_schema()},
    }


def fragment_schema() -> dict:
    return {"type": "object", "required": ["steps"], "additionalProperties": False,
            "properties": {"description": STR, "params": {"type": "object"},
                           "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}}},
            "$defs": {"step": step_schema()}}


_validators: dict[str, Draft202012Validator] = {}


def validator(kind: str = "scenario") -> Draft202012Validator:
    if kind not in _validators:
        _validators[kind] = Draft202012Validator(scenario_schema() if kind == "scenario" else fragment_schema())
    return _validators[kind]


def problems(src: Source, kind: str = "scenario") -> list[Problem]:
    found = []
    for err in validator(kind).iter_errors(src.data):
        found.append(_explain(src, err))
    found.sort(key=lambda p: p.line)
    unique, seen = [], set()
    for p in found:
        if (p.line, p.message) not in seen:
            seen.add((p.line, p.message))
            unique.append(p)
    return unique


def _pick(err: ValidationError) -> ValidationError:
    """For anyOf/oneOf, the error of the branch the author most likely meant (never the ${var} branch)."""
    while err.validator in ("anyOf", "oneOf") and err.context:
        branches = [e for e in err.context if e.schema is not VAR and e.schema != VAR]
        if not branches:
            break
        deepest = max(branches, key=lambda e: (len(e.relative_path), e.validator != "type"))
        err = deepest
    return err


def _explain(src: Source, err: ValidationError) -> Problem:
    err = _pick(err)
    path = tuple(err.absolute_path)
    where = _where(path)
    if err.validator == "additionalProperties":
        allowed = sorted((err.schema.get("properties") or {}).keys())
        extra = sorted(set(err.instance) - set(allowed))
        key = extra[0] if extra else "?"
        is_step = "steps" in path or "expect" in path and len(path) == 2
        guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean {guess[0]!r}?" if guess else ""
        if is_step and "." in key or is_step and key not in STEP_KEYS and len(path) == 2:
            return Problem(src.file, src.line(path + (key,)), f"unknown step {key!r}{hint} (see `kasim actions`)")
        return Problem(src.file, src.line(path + (key,)),
                       f"unknown key {key!r}{' in ' + where if where else ''}{hint} (allowed: {', '.join(allowed)})")
    if err.validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return Problem(src.file, src.line(path), f"missing {missing!r}{' in ' + where if where else ''}")
    if err.validator == "type":
        want = err.validator_value if isinstance(err.validator_value, str) else " or ".join(err.validator_value)
        return Problem(src.file, src.line(path), f"{where or 'value'}: expected {_article(want)}, got "
                       f"{json.dumps(err.instance) if not isinstance(err.instance, dict) else 'an object'}")
    if err.validator == "enum":
        return Problem(src.file, src.line(path), f"{where or 'value'}: must be one of "
                       f"{', '.join(map(str, err.validator_value))}, not {err.instance!r}")
    if err.validator == "pattern" and err.schema is DATE["anyOf"][0]:
        return Problem(src.file, src.line(path), f"{where}: expected a date (2026-11-27, today or +1d), "
                       f"got {err.instance!r}")
    if err.validator == "minProperties" and len(path) == 2:
        return Problem(src.file, src.line(path), "empty step: a step names one action, e.g. asinfo.sync: {}")
    return Problem(src.file, src.line(path), f"{where or 'value'}: {err.message}")


def _where(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _article(word: str) -> str:
    return {"object": "an object (key: value)", "array": "a list", "integer": "a whole number",
            "string": "text", "number": "a number", "boolean": "true or false"}.get(word, word)
