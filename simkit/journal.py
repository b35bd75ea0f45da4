"""Every request and response, in order, with secrets redacted before anything is stored."""

from __future__ import annotations

import re
import threading
from collections import deque
from typing import Any
from urllib.parse import parse_qsl

REDACTED = "[redacted]"

_SECRET_KEY = re.compile(r"token|password|apikey|secret", re.IGNORECASE)


SECRET_WORDS = ("token", "password", "apikey", "secret")


def may_hold_secrets(raw: bytes | str) -> bool:
    """Cheap pre-check on a raw body: no secret word, no secret key, nothing to redact (large replies such as
    purchase.order.list skip the walk)."""
    text = raw.lower() if isinstance(raw, str) else raw.lower().decode("utf-8", "ignore")
    return any(word in text for word in SECRET_WORDS)


def redact(value: Any) -> Any:
    """Replace the value of every secret-looking key, at any depth."""
    if isinstance(value, dict):
        return {
            k: (
                REDACTED
                if isinstance(k, str) and _SECRET_KEY.search(k) and v not in (None, "")
                else redact(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def redact_query(query: str) -> dict[str, str]:
    return redact(dict(parse_qsl(query, keep_blank_values=True)))


_SECRET_IN_TEXT = re.compile(
    r"""((?:token|password|apikey|secret)[\w-]*["']?\s*[:=]\s*["']?)([^"'&,;\s}]+)""", re.IGNORECASE
)


def redact_text(text: str) -> str:
    """A body kept as text (malformed JSON, text/plain): secrets after a secret-looking key are blanked."""
    return _SECRET_IN_TEXT.sub(lambda m: m.group(1) + REDACTED, text)


class Journal:
    """Bounded, thread-safe, in memory. Entries carry the virtual time, never the wall time, so the same
    seed gives the same journal."""

    def __init__(self, app: str, clock, limit: int = 20000):
        self.app = app
        self.clock = clock
        self._lock = threading.Lock()
        self._entries: deque[dict] = deque(maxlen=limit)
        self._seq = 0

    def record(self, entry: dict) -> dict:
        with self._lock:
            self._seq += 1
            full = {"seq": self._seq, "at": self.clock.stamp(), "app": self.app, **entry}
            self._entries.append(full)
            return full

    def entries(
        self, namespace: str | None = None, correlation: str | None = None, since: int = 0
    ) -> list[dict]:
        with self._lock:
            items = list(self._entries)
        return [
            e
            for e in items
            if e["seq"] > since
            and (namespace is None or str(e.get("namespace")) == str(namespace))
            and (correlation is None or e.get("correlation") == correlation)
        ]

    def clear(self, namespace: str | None = None) -> int:
        with self._lock:
            before = len(self._entries)
            if namespace is None:
                self._entries.clear()
            else:
                kept = [e for e in self._entries if str(e.get("namespace")) != str(namespace)]
                self._entries.clear()
                self._entries.extend(kept)
            return before - len(self._entries)

    @property
    def last_seq(self) -> int:
        with self._lock:
            return self._seq
