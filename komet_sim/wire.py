"""How replies look on the wire (K2): `status` and ids typed as each method's published sample shows.

The Komet samples disagree with each other ("status": "1" here, 1 there; "id": "1" here, 1360 there).
We follow each method's own sample; this table is the one place that says which.
"""

from __future__ import annotations

from typing import Any

STRING, NUMBER = "string", "number"

# Type of `status` on success replies. Refusals are always {"status": "0", ...} (K3).
STATUS_TYPE: dict[str, str] = {
    "login": STRING,
    "purchase.order.list": STRING,
    "purchase.order.item.confirm": STRING,
    "purchase.order.item.awb.add": NUMBER,
    "purchase.order.items.awb.add": NUMBER,
    "purchase.order.item.delete": STRING,
    "purchase.order.create": STRING,
    "box.code.change": STRING,
    "boxtype.list": STRING,
    "product.list": STRING,
    "vendor.list": STRING,
    "carrier.list": STRING,
    "location.list": STRING,
    "customer.list": STRING,
    "awb.list": NUMBER,
    "awb.details.list": NUMBER,
    "box.warehouse.receive": STRING,
}

# Keys whose values the sample quotes, inside the method's list items (any depth).
QUOTED_KEYS: dict[str, frozenset[str]] = {
    "product.list": frozenset({"id", "divisionId"}),
    "vendor.list": frozenset({"id"}),
    "location.list": frozenset({"id"}),
    "customer.list": frozenset({"id", "active"}),
    "box.code.change": frozenset({"status"}),
}


def _quote(value: Any, keys: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {
            k: (str(v) if k in keys and v is not None and not isinstance(v, dict | list) else _quote(v, keys))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_quote(v, keys) for v in value]
    return value


def success(method: str, message: str, payload: dict | None = None, ok: bool = True) -> dict:
    """The envelope of a processed call; `ok=False` for a batch in which nothing succeeded."""
    flag = 1 if ok else 0
    status: Any = str(flag) if STATUS_TYPE.get(method, STRING) == STRING else flag
    body: dict = {"status": status, "message": message}
    if payload:
        keys = QUOTED_KEYS.get(method)
        body.update(_quote(payload, keys) if keys else payload)
    return body


def failure(message: str) -> dict:
    return {"status": "0", "message": message}
