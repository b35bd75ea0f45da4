"""Secrets out of a recording before anything is written: each token becomes a stable placeholder.

A placeholder is `token-` and the first 8 hex digits of the token's SHA-256: the same token always gets the
same placeholder (in one file, across files, across proxy restarts), so one token's calls stay linked, and
`login`'s apiKey, used as a token afterwards, links to the calls made with it. Eight hex digits of a hash of a
26-character random token give nothing back. Passwords and other secrets become "[redacted]".
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from simkit.journal import REDACTED

TOKEN_KEYS = re.compile(r"token|apikey|api_key", re.IGNORECASE)  # values used as a token: linkable
SECRET_KEYS = re.compile(r"password|secret", re.IGNORECASE)  # values never needed again
PLACEHOLDER = re.compile(r"^token-[0-9a-f]{8}$")


def placeholder(token: str) -> str:
    return "token-" + hashlib.sha256(token.encode()).hexdigest()[:8]


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and PLACEHOLDER.match(value) is not None


def redact(value: Any) -> Any:
    """`value` with every token-like key's value replaced by its placeholder and every other secret blanked,
    at any depth. An empty token stays empty (a call without one is part of what was recorded)."""
    if isinstance(value, dict):
        return {k: _redact_item(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def _redact_item(key: Any, value: Any) -> Any:
    if isinstance(key, str) and isinstance(value, str) and value:
        if TOKEN_KEYS.search(key):
            return value if is_placeholder(value) else placeholder(value)
        if SECRET_KEYS.search(key):
            return REDACTED
    if isinstance(key, str) and isinstance(value, list) and TOKEN_KEYS.search(key):
        return [placeholder(v) if isinstance(v, str) and v and not is_placeholder(v) else v for v in value]
    return redact(value)
