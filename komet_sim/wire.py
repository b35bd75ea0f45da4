"""How replies look on the wire (K2): `status` and ids typed as each method's published sample shows.

The Komet samples disagree with each other ("status": "1" here, 1 there; "id": "1" here, 1360 there).
We follow each method's own sample; the method table (`methods.py`: `status`, `quoted`) says which.
"""

from __future__ import annotations

from typing import Any

from .methods import METHODS, NUMBER, Method


def _quote(value: Any, keys: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {
            k: (str(v) if k in keys and v is not None and not isinstance(v, dict | list) else _quote(v, keys))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_quote(v, keys) for v in value]
    return value


def status_value(method: Method, ok: bool) -> str | int:
    flag = 1 if ok else 0
    return flag if method.status == NUMBER else str(flag)


def success(method: str, message: str, payload: dict | None = None, ok: bool = True) -> dict:
    """The envelope of a processed call; `ok=False` for a batch in which nothing succeeded."""
    spec = METHODS[method]
    body: dict = {"status": status_value(spec, ok), "message": message}
    if payload:
        body.update(_quote(payload, spec.quoted) if spec.quoted else payload)
    return body


def failure(message: str) -> dict:
    """Every refusal, on every method: the string "0" (K3)."""
    return {"status": "0", "message": message}
