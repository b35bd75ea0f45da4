"""Serialised replies of reads, kept until the state they were computed from changes.

A read of a namespace depends on that namespace's rows and, for some replies (an AWB closes after its ship
date), on the namespace's day; nothing else. Each namespace's entries are therefore filed under its write
counter (`simkit.versions`) and its day: when either moves, the next lookup finds another state and drops
every entry of the old one. What is kept is bounded by bytes; past the bound the oldest entries go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

DEFAULT_MAX_BYTES = 32 * 1024 * 1024


class ReplyCache:
    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._states: dict[str, Hashable] = {}  # namespace -> the (version, day) its entries belong to
        self._entries: OrderedDict[tuple[str, Hashable], bytes] = (
            OrderedDict()
        )  # (namespace, key) -> reply, oldest first
        self._keys: dict[str, set[tuple[str, Hashable]]] = {}  # namespace -> its entries' keys
        self._bytes = 0
        self.hits = self.misses = 0

    def get(self, namespace: str, state: Hashable, key: Hashable) -> bytes | None:
        with self._lock:
            if self._states.get(namespace) != state:
                self._drop(namespace)
                self._states[namespace] = state
                self.misses += 1
                return None
            found = self._entries.get((namespace, key))
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
                self._entries.move_to_end((namespace, key))
            return found

    def put(self, namespace: str, state: Hashable, key: Hashable, reply: bytes) -> None:
        """Keep `reply` if `state` is still the namespace's current one (a write in between makes it moot)."""
        if len(reply) > self.max_bytes // 4:
            return  # one huge reply may not push out everything else
        with self._lock:
            if self._states.get(namespace) != state:
                return
            old = self._entries.pop((namespace, key), None)
            if old is not None:
                self._bytes -= len(old)
            self._entries[(namespace, key)] = reply
            self._keys.setdefault(namespace, set()).add((namespace, key))
            self._bytes += len(reply)
            while self._bytes > self.max_bytes and self._entries:
                gone, dropped = self._entries.popitem(last=False)
                self._keys[gone[0]].discard(gone)
                self._bytes -= len(dropped)

    def _drop(self, namespace: str) -> None:  # caller holds the lock
        for k in self._keys.pop(namespace, ()):
            self._bytes -= len(self._entries.pop(k))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._keys.clear()
            self._states.clear()
            self._bytes = 0

    @property
    def bytes(self) -> int:
        with self._lock:
            return self._bytes
