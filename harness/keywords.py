"""-k expressions as pytest reads them: words matched case-insensitively against a scenario's id, tags and
file, combined with and / or / not and parentheses ("split and not fault", "quota or token"). Words written
next to each other form one phrase, so a scenario's whole name selects it ("Komet down during a sync")."""

from __future__ import annotations

import re

TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")


class KeywordError(ValueError):
    pass


def compile_expr(expr: str):
    tokens = TOKEN.findall(expr)
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def parse_or():
        left = parse_and()
        while peek() == "or":
            take()
            right = parse_and()
            left = (lambda a, b: lambda hay: a(hay) or b(hay))(left, right)
        return left

    def parse_and():
        left = parse_not()
        while peek() == "and":
            take()
            right = parse_not()
            left = (lambda a, b: lambda hay: a(hay) and b(hay))(left, right)
        return left

    def parse_not():
        if peek() == "not":
            take()
            inner = parse_not()
            return lambda hay: not inner(hay)
        return parse_atom()

    def parse_atom():
        tok = peek()
        if tok is None:
            raise KeywordError(f"-k {expr!r}: expression ends too early")
        take()
        if tok == "(":
            inner = parse_or()
            if peek() != ")":
                raise KeywordError(f"-k {expr!r}: missing ')'")
            take()
            return inner
        if tok in (")", "and", "or"):
            raise KeywordError(f"-k {expr!r}: unexpected {tok!r}")
        words = [tok]
        while peek() is not None and peek() not in ("(", ")", "and", "or", "not"):
            words.append(take())
        phrase = " ".join(words).lower()
        return lambda hay: phrase in hay

    if not tokens:
        return lambda hay: True
    fn = parse_or()
    if pos != len(tokens):
        raise KeywordError(f"-k {expr!r}: unexpected {tokens[pos]!r}")
    return fn


def haystack(scenario) -> str:
    return " ".join([scenario.id, scenario.file, *scenario.tags]).lower()
