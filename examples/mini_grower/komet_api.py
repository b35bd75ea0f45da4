"""A small client for the documented Komet Sales API (https://…/api/<method>): reads are GET with the
parameters in the query string, writes are POST with a JSON body, the token is `authenticationToken` in
both, and every reply is an envelope whose `status` is 1 (or "1") on success and 0 with a `message` on a
refusal. Written from the API's documentation only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import requests

READS = frozenset(
    {
        "purchase.order.list",
        "boxtype.list",
        "product.list",
        "vendor.list",
        "carrier.list",
        "location.list",
        "customer.list",
        "awb.list",
        "awb.details.list",
    }
)


class Refused(Exception):
    """Komet answered status 0: the message says why."""


class Unavailable(Exception):
    """No usable answer: the connection failed, timed out, or Komet answered an HTTP error."""


class RateLimited(Unavailable):
    def __init__(self, retry_after: int):
        super().__init__(f"HTTP 429: retry after {retry_after}s")
        self.retry_after = retry_after


class KometApi:
    def __init__(self, base_url: str, token: str, now: Callable[[], datetime], timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.now = now
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "mini-grower/1.0"
        self.not_before: datetime | None = None  # a 429's Retry-After, kept until it has passed
        self.honour_retry_after = True

    def call(self, method: str, **params) -> dict:
        if self.honour_retry_after and self.not_before is not None and self.now() < self.not_before:
            raise RateLimited(int((self.not_before - self.now()).total_seconds()) + 1)
        url = f"{self.base_url}/api/{method}"
        try:
            if method in READS:
                resp = self.session.get(
                    url, params={**params, "authenticationToken": self.token}, timeout=self.timeout
                )
            else:
                resp = self.session.post(
                    url, json={**params, "authenticationToken": self.token}, timeout=self.timeout
                )
        except requests.RequestException as exc:
            raise Unavailable(f"{type(exc).__name__}: no reply from Komet") from None
        if resp.status_code == 429:
            wait = int(resp.headers.get("Retry-After") or 60)
            self.not_before = self.now() + timedelta(seconds=wait)
            raise RateLimited(wait)
        if resp.status_code >= 500:
            raise Unavailable(f"HTTP {resp.status_code}")
        try:
            body = resp.json()
        except ValueError:
            raise Unavailable(f"HTTP {resp.status_code}: not JSON") from None
        if str(body.get("status")) != "1":
            raise Refused(str(body.get("message") or "refused"))
        return body
