"""Every request and response, in order, compact, with secrets redacted before anything is stored
(docs/decisions.md S3).

An entry is serialised once, when it is recorded: its metadata as JSON bytes and the reply body as the bytes the
app sent, never a copy of the objects behind them. Redaction happens then, twice over:
- by key, on the request as parsed (query string, JSON or form body): `authenticationToken`, `password`, …;
- by value, on the stored bytes: every token the world holds (its `secrets()`), every value the request carried
  under a secret key, and every value the app said was a secret (`environ["kasim.secrets"]`), wherever it
  appears and however the request spelt its key.
The journal is bounded by entries and by bytes (the `journal_bytes` setting): the oldest entries go first.
"""

from __future__ import annotations

import builtins
import functools
import json
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

from .clock import VirtualClock

REDACTED = "[redacted]"
DEFAULT_MAX_ENTRIES = 20_000
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
# A value shorter than this is not redacted by value wherever it appears (a token "t" would blank every "t");
# the parsed request still hides it under its key.
MIN_SECRET_LENGTH = 8
MAX_TEXT_KEPT = 4000  # characters of a text body kept
MAX_MEMO_LENGTH = 2048  # longer query strings and secrets are not remembered (the memos stay small)
SECRETS_ENV = "kasim.secrets"  # environ: values the app learnt are secrets while serving (a set of str)

_ENTRY_JSON = json.JSONEncoder(ensure_ascii=False, default=str)  # made once: json.dumps makes one per call
_SECRET_KEY = re.compile(r"token|password|apikey|secret", re.IGNORECASE)
SECRET_WORDS = ("token", "password", "apikey", "secret")


_SECRET_WORD_BYTES = tuple(word.encode() for word in SECRET_WORDS)


def may_hold_secrets(raw: bytes | str) -> bool:
    """Cheap pre-check on a raw body: no secret word, no secret key to redact by key (large replies skip the
    walk). Never the only defence: stored entries are also redacted by value."""
    if isinstance(raw, bytes):
        # The words are ASCII, so bytes' own lowering folds their case; a lowered copy searched once per word is
        # some twenty times faster than one case-blind regular expression (a 28 KB reply: 70 µs, not 1.2 ms).
        low = raw.lower()
        return any(word in low for word in _SECRET_WORD_BYTES)
    text = raw.lower()
    return any(word in text for word in SECRET_WORDS)


# From just after a secret word to the end of the JSON string it is in, and a colon if that string is a key.
_REST_OF_STRING = re.compile(rb'(?:[^"\\]|\\.)*"\s*(:)?', re.DOTALL)


def secret_word_in_a_key(raw: bytes) -> bool:
    """Whether a secret word appears inside a JSON key of `raw` (what `redact` would blank) rather than only in
    values (a rose called "Secret Garden"), so that walking and re-encoding the reply can be skipped. Not JSON, or
    in doubt: True. A \\u escape anywhere is doubt: a key may spell a secret word with one ("\\u0074oken")."""
    if b"\\u" in raw:
        return True
    low = raw.lower()
    for word in _SECRET_WORD_BYTES:
        at = low.find(word)
        while at >= 0:
            rest = _REST_OF_STRING.match(low, at + len(word))
            if rest is None or rest.group(1) is not None:
                return True
            at = low.find(word, rest.end())  # the rest of that string is read: on from there
    return False


def redact(value: Any, found: set[str] | None = None) -> Any:
    """Replace the value of every secret-looking key, at any depth; add what was hidden to `found`."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(k, str) and _SECRET_KEY.search(k) and v not in (None, ""):
                if found is not None:
                    found.update(_strings(v))
                out[k] = REDACTED
            else:
                out[k] = redact(v, found)
        return out
    if isinstance(value, list):
        return [redact(v, found) for v in value]
    return value


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if value is not None else []


def redact_query(query: str, found: set[str] | None = None) -> dict[str, str]:
    items, hidden = (_redacted_query if len(query) <= MAX_MEMO_LENGTH else _redacted_query.__wrapped__)(query)
    if found is not None:
        found.update(hidden)
    return dict(items)


@functools.lru_cache(maxsize=1024)  # a client repeats its query strings (the same read, the same token)
def _redacted_query(query: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The query's items with secret keys redacted, and the values hidden."""
    found: set[str] = set()
    redacted: dict[str, str] = redact(dict(parse_qsl(query, keep_blank_values=True)), found)
    return tuple(redacted.items()), tuple(found)


_SECRET_IN_TEXT = re.compile(
    r"""((?:token|password|apikey|secret)[\w-]*["']?\s*[:=]\s*["']?)([^"'&,;\s}]+)""", re.IGNORECASE
)


def redact_text(text: str, found: set[str] | None = None) -> str:
    """A body kept as text (malformed JSON, text/plain): secrets after a secret-looking key are blanked."""

    def blank(m: re.Match[str]) -> str:
        if found is not None:
            found.add(m.group(2))
        return str(m.group(1)) + REDACTED

    return _SECRET_IN_TEXT.sub(blank, text)


def decode_body(raw: bytes, content_type: str, found: set[str] | None = None) -> Any:
    """What the journal keeps of a request body, parsed as the apps parse it: JSON whatever the content type
    says (Komet reads any body as JSON), else form data, else text, else a size; secrets under their keys
    redacted (and added to `found`)."""
    if not raw:
        return None
    ctype = (content_type or "").split(";")[0].strip().lower()
    if raw.lstrip()[:1] in (b"{", b"["):
        try:
            return redact(json.loads(raw), found)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than anyone parses
            return redact_text(raw[:MAX_TEXT_KEPT].decode("utf-8", "replace"), found)
    if ctype == "application/x-www-form-urlencoded":
        return redact_query(raw.decode("utf-8", "replace"), found)
    if (ctype.startswith("text/") and "html" not in ctype) or ctype.endswith(("json", "+json")):
        return redact_text(raw[:MAX_TEXT_KEPT].decode("utf-8", "replace"), found)
    return {"contentType": ctype or "application/octet-stream", "bytes": len(raw)}


def secret_forms(secrets: Iterable[str]) -> list[bytes]:
    """Each secret as it may appear in stored bytes: UTF-8, and JSON-escaped when that differs. Longest first,
    so a secret that contains another is blanked whole."""
    forms: set[bytes] = set()
    for s in secrets:
        if isinstance(s, str) and len(s) >= MIN_SECRET_LENGTH and s != REDACTED:
            forms.update((_forms_of if len(s) <= MAX_MEMO_LENGTH else _forms_of.__wrapped__)(s))
    return sorted(forms, key=len, reverse=True)


@functools.lru_cache(maxsize=4096)  # a caller's token comes back call after call
def _forms_of(secret: str) -> tuple[bytes, ...]:
    return (
        secret.encode("utf-8"),
        json.dumps(secret)[1:-1].encode("ascii"),
        json.dumps(secret, ensure_ascii=False)[1:-1].encode("utf-8"),
    )


def blank_values(data: bytes, forms: Iterable[bytes]) -> bytes:
    """Every occurrence of each secret form replaced by [redacted]."""
    for form in forms:
        if form in data:
            data = data.replace(form, REDACTED.encode())
    return data


def redact_values(value: Any, secrets: Iterable[str]) -> Any:
    """A structure with every secret value blanked inside its strings (the harness's reports use this)."""
    ordered = sorted({s for s in secrets if isinstance(s, str) and len(s) >= MIN_SECRET_LENGTH}, key=len)[
        ::-1
    ]
    if not ordered:
        return value

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            for s in ordered:
                if s in v:
                    v = v.replace(s, REDACTED)
            return v
        if isinstance(v, int | float) and not isinstance(v, bool):  # a secret sent as a number
            return REDACTED if any(s in str(v) for s in ordered) else v
        if isinstance(v, dict):
            return {walk(k): walk(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [walk(x) for x in v]
        return v

    return walk(value)


class _Stored(NamedTuple):
    seq: int
    namespace: str | None
    correlation: str | None
    meta: bytes  # the entry as JSON, its response body left out
    body: bytes | None  # the response body as the app sent it (JSON), or None

    @property
    def size(self) -> int:
        return len(self.meta) + (len(self.body) if self.body is not None else 0) + 120  # + the tuple itself


class Journal:
    """Bounded (entries and bytes), thread-safe, in memory. Entries carry the virtual time, never the wall time,
    so the same seed gives the same journal. `secrets`: a callable giving every token the world holds."""

    def __init__(
        self,
        app: str,
        clock: VirtualClock,
        limit: int = DEFAULT_MAX_ENTRIES,
        max_bytes: int = DEFAULT_MAX_BYTES,
        secrets: Callable[[], Iterable[str]] | None = None,
    ):
        self.app = app
        self.clock = clock
        self.limit = limit
        self.max_bytes = max_bytes
        self._secrets = secrets or (lambda: ())
        self._lock = threading.Lock()
        self._entries: deque[_Stored] = deque()
        self._forms_cache: tuple[Any, list[bytes]] | None = None
        # the last reply kept: (as sent, the secret forms it was blanked of, as kept), and (as sent, by key)
        self._last_reply: tuple[bytes, list[bytes], bytes] | None = None
        self._last_keyed: tuple[bytes, bytes] | None = None
        self._bytes = 0
        self._seq = 0

    # (below, annotations say `builtins.bytes`: inside the class, `bytes` is this property)
    @property
    def bytes(self) -> int:
        """What the stored entries take (their serialised size)."""
        with self._lock:
            return self._bytes

    def record(
        self,
        entry: dict[str, Any],
        body: builtins.bytes | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        """Store one entry. `body`: the reply's JSON bytes, kept as sent (entry["response"] has the status);
        `secrets`: values to blank besides the world's."""
        forms = self._world_forms()
        if secrets:
            forms = forms + secret_forms(secrets)
        if body is not None:
            entry = {**entry, "response": {**(entry.get("response") or {}), "body": None}}
            if len(body) > self.max_bytes // 4:  # one reply may not push out everything else
                entry["response"]["body"] = {
                    "contentType": "application/json",
                    "bytes": len(body),
                    "kept": False,
                }
                body = None
        head = {"at": self.clock.stamp(), "app": self.app, **entry}
        try:
            meta = _ENTRY_JSON.encode(head).encode()
        except (ValueError, RecursionError):  # a structure nested too deep to write: say so instead
            head["request"] = {**(entry.get("request") or {}), "body": "[nested too deep to keep]"}
            meta = json.dumps(head, ensure_ascii=False, default=str).encode()
        if blank_values(meta, forms) is not meta:
            meta = _blanked_json(meta, head, [*self._secrets(), *secrets])
        body = None if body is None else self._kept_reply(body, forms, secrets)
        namespace = None if entry.get("namespace") is None else str(entry["namespace"])
        with (
            self._lock
        ):  # numbered and appended in one step: the deque stays in seq order for `since` readers
            self._seq += 1
            stored = _Stored(
                self._seq, namespace, entry.get("correlation"), b'{"seq": %d, ' % self._seq + meta[1:], body
            )
            self._entries.append(stored)
            self._bytes += stored.size
            while self._entries and (len(self._entries) > self.limit or self._bytes > self.max_bytes):
                self._bytes -= self._entries.popleft().size

    def _kept_reply(
        self, body: builtins.bytes, forms: list[builtins.bytes], secrets: Iterable[str]
    ) -> builtins.bytes:
        """A reply as kept: redacted by key where a secret word appears in it, then by value. A cached reply is
        the same bytes object call after call, so the last one's result is reused while the secrets are equal (the
        request's own token makes a new list each call, with the same values)."""
        last = self._last_reply
        if last is not None and last[0] is body and last[1] == forms:
            return last[2]
        keyed = self._last_keyed
        if keyed is not None and keyed[0] is body:
            kept = keyed[1]
        else:
            kept = body
            if may_hold_secrets(body) and secret_word_in_a_key(body):
                try:
                    kept = json.dumps(redact(json.loads(body)), ensure_ascii=False).encode()
                except (ValueError, RecursionError):  # not JSON after all: the value blanking below applies
                    kept = body
            self._last_keyed = (body, kept)
        if blank_values(kept, forms) is not kept:
            kept = _blanked_json(kept, None, [*self._secrets(), *secrets])
        self._last_reply = (body, forms, kept)
        return kept

    def _world_forms(self) -> list[builtins.bytes]:
        """The world's secrets as byte forms, recomputed only when its set of secrets is a new one."""
        current = self._secrets()
        cached = self._forms_cache
        if cached is None or cached[0] is not current:
            cached = (current, secret_forms(current))
            self._forms_cache = cached
        return cached[1]

    def entries(
        self, namespace: str | None = None, correlation: str | None = None, since: int = 0
    ) -> list[dict[str, Any]]:
        with self._lock:
            if since > 0:
                # Entries are kept in seq order: a reader asking for the newest few (the explorer checks after
                # every step) takes them from the end instead of copying the whole journal.
                newer: list[_Stored] = []
                for e in reversed(self._entries):
                    if e.seq <= since:
                        break
                    newer.append(e)
                items = newer[::-1]
            else:
                items = list(self._entries)
        return [
            _load(e)
            for e in items
            if e.seq > since
            and (namespace is None or e.namespace == str(namespace))
            and (correlation is None or e.correlation == correlation)
        ]

    def clear(self, namespace: str | None = None) -> int:
        with self._lock:
            before = len(self._entries)
            kept = [] if namespace is None else [e for e in self._entries if e.namespace != str(namespace)]
            self._entries = deque(kept)
            self._bytes = sum(e.size for e in kept)
            return before - len(self._entries)

    @property
    def last_seq(self) -> int:
        with self._lock:
            return self._seq

    def redact_text(self, text: str, secrets: Iterable[str] = ()) -> str:
        """A line about to be logged, with every secret the world holds blanked."""
        forms = self._world_forms() + secret_forms(secrets)
        return blank_values(text.encode(), forms).decode("utf-8", "replace")


def _blanked_json(data: bytes, value: Any, secrets: list[str]) -> bytes:
    """JSON bytes (of `value`, when given) in which a secret was found, blanked inside their values. Replacing
    bytes would also blank a secret that spells part of the JSON around the values (a number, `", "`, half an
    escape) and leave text no reader can parse. Data that is not JSON is blanked as text."""
    try:
        if value is None:
            value = json.loads(data)
        return json.dumps(redact_values(value, secrets), ensure_ascii=False, default=str).encode()
    except (ValueError, RecursionError):
        return blank_values(data, secret_forms(secrets))


def _load(stored: _Stored) -> dict[str, Any]:
    entry: dict[str, Any] = json.loads(stored.meta)
    if stored.body is not None:
        try:
            entry["response"]["body"] = json.loads(stored.body)
        except (ValueError, RecursionError):
            entry["response"]["body"] = stored.body[:MAX_TEXT_KEPT].decode("utf-8", "replace")
    return entry
