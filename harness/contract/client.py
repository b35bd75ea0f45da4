"""Calls to any Komet, as the contract documents them (never through kasim's own clients or code)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from .spec import Contract


@dataclass
class Exchange:
    method: str
    verb: str
    params: dict[str, Any]
    status: int | None  # HTTP status; None when no reply came
    body: Any  # parsed JSON, or the text when it was not JSON
    error: str | None = None

    @property
    def ok(self) -> bool:
        return isinstance(self.body, dict) and str(self.body.get("status")) == "1"

    @property
    def message(self) -> str:
        return str(self.body.get("message")) if isinstance(self.body, dict) else ""


class Komet:
    """One Komet base URL and token; the verb and transport of each method come from the document."""

    def __init__(
        self,
        base_url: str,
        token: str,
        contract: Contract,
        company_id: int | None = None,
        session: requests.Session | None = None,
        timeout: float = 30.0,
    ):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.contract = contract
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = "kasim-contract"
        if company_id is not None:
            self.session.headers["X-ACCOUNT"] = str(company_id)
        self.timeout = timeout
        self.exchanges: list[Exchange] = []

    def verb(self, method: str) -> str:
        for verb in ("get", "post"):
            if verb in self.contract.doc["paths"].get(f"/api/{method}", {}):
                return verb.upper()
        raise KeyError(f"the contract does not describe {method}")

    def in_query(self, method: str) -> bool:
        op = self.contract.doc["paths"][f"/api/{method}"][self.verb(method).lower()]
        return "requestBody" not in op

    def call(self, method: str, token: str | None = None, **params: Any) -> Exchange:
        """`token=""` leaves the token out; `None` sends this suite's token."""
        verb = self.verb(method)
        sent = dict(params)
        if token != "":
            sent["authenticationToken"] = self.token if token is None else token
        url = f"{self.base_url}/api/{method}"
        try:
            if self.in_query(method):
                query = {k: ",".join(map(str, v)) if isinstance(v, list) else v for k, v in sent.items()}
                resp = self.session.request(verb, url, params=query, timeout=self.timeout)
            else:
                resp = self.session.request(verb, url, json=sent, timeout=self.timeout)
        except requests.RequestException as exc:
            ex = Exchange(method, verb, params, None, None, f"no reply: {exc.__class__.__name__}: {exc}")
        else:
            try:
                body: Any = resp.json()
            except ValueError:
                body = resp.text[:2000]
            ex = Exchange(method, verb, params, resp.status_code, body)
        self.exchanges.append(ex)
        return ex
