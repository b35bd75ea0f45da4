"""The grower side's Komet Sales API client: works against komet_sim or a real Komet at any base URL.

It tolerates the real service's typing inconsistency ("status": "1" or 1, ids as strings or numbers),
sends the importer's company ID as X-ACCOUNT, journals every call with the token redacted, and turns
every failure into one of two exceptions a caller can act on:
  KometRefused     Komet answered {"status": 0, "message": ...}: do not retry blindly, show the message.
  KometUnavailable the call did not get a usable answer (down, slow, reset, 5xx, 429): retry later.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simkit import __version__
from simkit.journal import redact

from .decisions import KOMET_TIMEOUT_SECONDS
from .komet_methods import GET_METHODS, QUERY_POSTS

if TYPE_CHECKING:
    import requests

# A8: refusals about the connection, not the request: the write waits for a fix.
CONNECTION_REFUSALS = ("invalid authentication token", "is not enabled for this token", "cannot be used with")


class KometRefused(Exception):
    def __init__(self, method: str, message: str, payload: dict | None = None):
        super().__init__(message)
        self.method = method
        self.message = message
        self.payload = payload or {}

    @property
    def quota_exhausted(self) -> bool:
        return "daily api request limit" in self.message.lower()

    @property
    def connection_problem(self) -> bool:
        """About the token, not the request: invalid, a method not enabled, a token type refused. Fixing the
        connection (a new token) makes the same request go through."""
        text = self.message.lower()
        return any(s in text for s in CONNECTION_REFUSALS)


class KometUnavailable(Exception):
    """kind: unreachable | timeout | reset | http | rate_limited | bad_reply."""

    def __init__(
        self,
        method: str,
        kind: str,
        message: str,
        retry_after: float | None = None,
        maybe_processed: bool = True,
    ):
        super().__init__(message)
        self.method = method
        self.kind = kind
        self.message = message
        self.retry_after = retry_after
        self.maybe_processed = maybe_processed


def is_ok(reply: dict) -> bool:
    return str(reply.get("status")) == "1"


def as_int(value: Any) -> int | None:
    """Ids and counts arrive as numbers or numeric strings."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass(eq=False)
class Reply:
    """A reply Komet gave with status 1, decoded; `derived`: what a caller made of it, kept with it (ReplyMemo)."""

    body: dict
    derived: Any = None


ReplyKey = tuple[int, "str | None", bytes]  # a reply's HTTP status, encoding and bytes


class ReplyMemo:
    """Replies already decoded, by the status, encoding and bytes they came with, the newest `max_bytes` of them:
    a read Komet answers as it did before (a sync reads again dates that have mostly not changed) is neither
    decoded again nor, by a caller that keeps what it derived from it, read again. The replies it hands out are
    shared: no caller may change one."""

    def __init__(self, max_bytes: int = 8 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._kept: dict[ReplyKey, Reply] = {}  # oldest first
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: ReplyKey) -> Reply | None:
        return self._kept.get(key)

    def put(self, key: ReplyKey, body: dict) -> Reply:
        reply = Reply(body)
        size = len(key[2])
        if size > self.max_bytes // 4:
            return reply  # one huge reply may not push out everything else
        with self._lock:
            if key in self._kept:
                return self._kept[key]  # decoded meanwhile by another call: what it derived is kept
            self._bytes += size
            self._kept[key] = reply
            while self._bytes > self.max_bytes:
                oldest = next(iter(self._kept))
                self._bytes -= len(oldest[2])
                del self._kept[oldest]
        return reply


class KometClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        company_id: int | None = None,
        session: requests.Session | None = None,
        timeout: float = KOMET_TIMEOUT_SECONDS,
        journal=None,
        namespace: str | None = None,
        correlation: str | None = None,
        hold: Callable[[], str | None] | None = None,
        on_retry_after: Callable[[float], None] | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.company_id = company_id
        if session is None:
            import requests  # on first use: a served ASINFO answers before it has called Komet at all

            session = requests.Session()
        self.session = session
        self.timeout = timeout
        self.journal = journal
        self.namespace = namespace
        self.correlation = correlation
        # Komet's Retry-After, kept by the caller for the whole connection: `hold` says why not to call now
        # (nothing is sent), `on_retry_after` hears every 429's wait
        self.hold = hold
        self.on_retry_after = on_retry_after

    def call(self, method: str, **params: Any) -> dict:
        """One API call; returns the reply on status 1, raises KometRefused or KometUnavailable."""
        return self._call(method, params, None).body

    def read(self, method: str, memo: ReplyMemo, /, **params: Any) -> Reply:
        """call(), the reply decoded once for every time Komet gives it (kept in `memo`): never change it."""
        return self._call(method, params, memo)

    def _call(self, method: str, params: dict[str, Any], memo: ReplyMemo | None) -> Reply:
        import requests  # imported once, by the first call (see __init__)

        from simkit import transport

        if self.hold is not None and (why := self.hold()):
            raise KometUnavailable(method, "rate_limited", why, maybe_processed=False)
        url = f"{self.base_url}/api/{method}"
        headers = {"Accept": "application/json", "User-Agent": f"asinfo-sim/{__version__}"}
        if self.company_id is not None:
            headers["X-ACCOUNT"] = str(self.company_id)
        if self.correlation:
            headers["X-Kasim-Correlation"] = self.correlation
        sent = {k: v for k, v in params.items() if v is not None}
        reply: Reply | None = None
        raw: bytes | None = None  # the reply's bytes as Komet sent them, journaled as they are
        status: int | None = None
        wait: str | None = None  # the Retry-After header as it came, for the journal
        begin = self.journal.clock.tick() if self.journal is not None else 0
        error: Exception | None = None
        try:
            if method in GET_METHODS or method in QUERY_POSTS:
                resp = transport.request(  # the session's own request, without its overhead in process
                    self.session,
                    "GET" if method in GET_METHODS else "POST",
                    url,
                    params={**sent, "authenticationToken": self.token},
                    headers=headers,
                    timeout=self.timeout,
                )
            else:
                resp = transport.request(
                    self.session,
                    "POST",
                    url,
                    json={"authenticationToken": self.token, **sent},
                    headers=headers,
                    timeout=self.timeout,
                )
            status, wait = resp.status_code, resp.headers.get("Retry-After")
            reply = self._interpret(method, resp, memo)
            raw = resp.content
            return reply
        except (KometRefused, KometUnavailable) as exc:
            error = exc
            if isinstance(exc, KometUnavailable) and exc.retry_after and self.on_retry_after is not None:
                self.on_retry_after(exc.retry_after)
            raise
        except requests.exceptions.ConnectTimeout:
            error = KometUnavailable(
                method,
                "timeout",
                f"Komet did not accept the connection within {self.timeout:g} s ({self.base_url}).",
                maybe_processed=False,
            )
            raise error from None
        except requests.exceptions.Timeout:
            error = KometUnavailable(
                method,
                "timeout",
                f"Komet did not answer within {self.timeout:g} s; "
                "the request may or may not have been processed.",
            )
            raise error from None
        except requests.exceptions.ConnectionError as exc:
            refused = (
                "refused" in str(exc).lower()
                or "name or service" in str(exc).lower()
                or "failed to establish" in str(exc).lower()
            )
            if refused:
                error = KometUnavailable(
                    method,
                    "unreachable",
                    f"Komet is unreachable at {self.base_url} (connection refused or unknown host).",
                    maybe_processed=False,
                )
            else:
                error = KometUnavailable(
                    method,
                    "reset",
                    "The connection to Komet was reset before the reply "
                    "arrived; the request may or may not have been processed.",
                )
            raise error from None
        except (
            requests.exceptions.RequestException,
            ValueError,
        ) as exc:  # ValueError: a URL no client can use
            error = KometUnavailable(
                method, "unreachable", f"Komet could not be reached: {exc}", maybe_processed=False
            )
            raise error from None
        finally:
            self._journal(method, sent, (status, wait), (reply, raw), error, begin)

    def _interpret(self, method: str, resp: requests.Response, memo: ReplyMemo | None) -> Reply:
        if resp.status_code == 429:
            retry = resp.headers.get("Retry-After")
            raise KometUnavailable(
                method,
                "rate_limited",
                "Komet is limiting requests (HTTP 429); retrying later.",
                retry_after=float(retry) if retry and retry.isdigit() else None,
                maybe_processed=False,
            )
        # What follows depends on the status and the body alone, the body on the bytes and their encoding: a reply
        # kept under all three passed it before.
        key = (resp.status_code, resp.encoding, resp.content)
        kept = memo.get(key) if memo is not None else None
        if kept is not None:
            return kept
        try:
            body = resp.json()
        except ValueError:
            body = None
        if resp.status_code >= 500 or (not isinstance(body, dict) and resp.status_code != 200):
            raise KometUnavailable(
                method,
                "http",
                f"Komet answered HTTP {resp.status_code} ({resp.reason or 'error'}).",
                maybe_processed=resp.status_code != 503,
            )
        if not isinstance(body, dict) or "status" not in body:
            raise KometUnavailable(
                method,
                "bad_reply",
                f"Komet's reply to {method} was not the JSON envelope (HTTP {resp.status_code}).",
            )
        if not is_ok(body):
            raise KometRefused(method, str(body.get("message") or "Komet refused the request."), body)
        return memo.put(key, body) if memo is not None else Reply(body)

    def _journal(
        self,
        method,
        sent,
        answer: tuple[int | None, str | None],
        replied: tuple[Reply | None, bytes | None],
        error,
        begin: int,
    ) -> None:
        """replied: the reply and its bytes. The bytes go to the journal as they are (it redacts them, and only
        when a secret word appears, instead of walking and re-encoding every PO list a sync reads)."""
        if self.journal is None:
            return
        status, wait = answer
        reply, raw = replied
        kept = raw if reply is not None else None  # a reply Komet gave with status 1: its bytes, as sent
        refusal = error.payload if isinstance(error, KometRefused) else None
        entry = {
            "direction": "out",
            "begin": begin,
            "end": self.journal.clock.tick(),
            "namespace": self.namespace,
            "correlation": self.correlation,
            "op": method,
            "request": {
                "method": "GET" if method in GET_METHODS else "POST",
                "path": f"/api/{method}",
                "url": self.base_url,
                "body": redact(sent if _plain(sent) else json.loads(json.dumps(sent, default=str))),
            },
            "response": None if status is None else {"status": status, "body": None if kept else refusal},
        }
        if isinstance(error, KometUnavailable):
            entry["error"] = {"kind": error.kind, "message": error.message}
        if entry["response"] is not None and wait is not None:
            entry["response"]["retryAfter"] = wait
        self.journal.record(entry, kept)


def _plain(sent: dict[str, Any]) -> bool:
    """Parameters of text and whole numbers only (a read's): JSON gives them back as they are."""
    return all(type(v) in (str, int, bool) for v in sent.values())
