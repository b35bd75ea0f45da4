"""KometWorld: the Komet simulator's state (a set of importer companies) and its id sequences."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from simkit.clock import VirtualClock
from simkit.ids import token_hash
from simkit.world import World

from ..decisions import DEFAULT_QUOTA_PER_USER, PROFILES

if TYPE_CHECKING:
    from .tokens import Caller

# Where each id sequence starts: realistic magnitudes, as in the docs' samples.
ID_STARTS = {
    "company": 2870,
    "user": 1,
    "vendor_user": 1,
    "confirmation": 1,
    "token": 1,
    "vendor": 3401,
    "customer": 23401,
    "product": 10001,
    "boxtype": 1056,
    "carrier": 1360,
    "location": 11,
    "po": 500001,
    "po_number": 10001,
    "po_item": 265001,
    "breakdown": 1,
    "custom_field": 1,
    "awb": 148801,
    "box": 1,
    "box_code": 1,
}


class KometWorld(World):
    name = "komet"
    schema = (files("komet_sim.domain") / "schema.sql").read_text()
    namespace_column = "company_id"
    namespace_type = int
    secret_columns = (("tokens", "token"),)
    call_counter_tables = ("quota",)

    def __init__(
        self,
        *,
        seed: int = 0,
        state_dir: str | Path | None = None,
        clock: VirtualClock | None = None,
        profile: str = "documented",
        quota_per_user: int = DEFAULT_QUOTA_PER_USER,
    ):
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {', '.join(PROFILES)}")
        super().__init__(seed=seed, state_dir=state_dir, clock=clock)
        self.profile = profile
        self.callers: dict[
            str, tuple[int, Caller]
        ] = {}  # token -> (writes seen, Caller): tokens.authenticate
        self.quota_per_user = quota_per_user

    def next_id(self, kind: str) -> int:
        return self.store.next_value(kind, ID_STARTS[kind])

    def namespaces(self) -> list[str]:
        return [
            str(r["company_id"])
            for r in self.store.all("SELECT company_id FROM companies ORDER BY company_id")
        ]

    def resolve(self, environ: dict, body: bytes) -> tuple[str | None, str | None]:
        """API method and company of a request, before it is processed (for namespaced faults)."""
        path = environ.get("PATH_INFO", "")
        op = path[len("/api/") :] if path.startswith("/api/") else None
        token = parse_qs(environ.get("QUERY_STRING", "")).get("authenticationToken", [None])[0]
        if token is None and body:
            try:
                data = json.loads(body)
                token = data.get("authenticationToken") if isinstance(data, dict) else None
            except (ValueError, RecursionError):  # not JSON, or nested beyond parsing: no token to route by
                token = None
        namespace = environ.get("HTTP_X_KASIM_NAMESPACE")
        if isinstance(token, str):
            row = self.store.one("SELECT company_id FROM tokens WHERE token_hash = ?", (token_hash(token),))
            if row:
                namespace = str(row["company_id"])
        return op, namespace

    def seed_world(self, params: dict) -> dict:
        from ..seeding import seed_world

        return seed_world(self, params)
