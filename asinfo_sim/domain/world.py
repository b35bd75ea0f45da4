"""AsinfoWorld: the grower portal's state (a set of grower accounts) and its way out to Komet."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from simkit.clock import VirtualClock
from simkit.context import CORRELATION
from simkit.world import World

from ..decisions import KOMET_TIMEOUT_SECONDS
from ..komet_client import KometClient, ReplyMemo

if TYPE_CHECKING:
    import requests

ID_STARTS = {
    "account": 501,
    "connection": 1,
    "order": 1,
    "line": 1,
    "awb_stock": 1,
    "awb": 1,
    "box": 1,
    "print_job": 1,
    "shipment": 1,
    "shipment_line": 1,
    "outbox": 1,
    "sync_log": 1,
    "write": 1,
}


class AsinfoWorld(World):
    name = "asinfo"
    schema = (files("asinfo_sim.domain") / "schema.sql").read_text()
    namespace_column = "account_id"
    namespace_type = int
    secret_columns = (("connections", "token"),)

    def __init__(
        self,
        *,
        seed: int = 0,
        state_dir: str | Path | None = None,
        clock: VirtualClock | None = None,
        session_factory=None,
        komet_timeout: float = KOMET_TIMEOUT_SECONDS,
    ):
        super().__init__(seed=seed, state_dir=state_dir, clock=clock)
        # In tests and scenarios the harness passes a factory whose sessions route Komet's base URL into the
        # komet_sim WSGI app (no sockets); served, it is a plain requests.Session.
        self.session_factory = session_factory or _session
        self.komet_timeout = komet_timeout
        self._sync_locks: dict[int, threading.Lock] = {}
        self._delivery_locks: dict[tuple[str, int], threading.Lock] = {}
        self._locks_guard = threading.Lock()
        # connection id -> until when Komet asked us to wait (HTTP 429 Retry-After): no write goes before
        self.komet_wait: dict[int, datetime] = {}
        self.komet_reads = ReplyMemo()  # Komet's replies to syncs, decoded and read (domain/sync_listing.py)

    def reset(self, namespace: str | None = None) -> dict:
        self.komet_wait.clear()  # a Retry-After belongs to connections that are gone now
        return super().reset(namespace)

    def import_state(self, data: dict) -> dict:
        self.komet_wait.clear()
        return super().import_state(data)

    def next_id(self, kind: str) -> int:
        return self.store.next_value(kind, ID_STARTS[kind])

    def namespaces(self) -> list[str]:
        return [
            str(r["account_id"])
            for r in self.store.all("SELECT account_id FROM accounts ORDER BY account_id")
        ]

    def resolve(self, environ: dict, body: bytes) -> tuple[str | None, str | None]:
        """The operation is the endpoint's name (the middleware reads it from the URL map), as the journal has it."""
        return None, environ.get("HTTP_X_KASIM_NAMESPACE")

    def komet(self, connection) -> KometClient:
        """A Komet API client for one importer connection, journaled in this world."""
        return KometClient(
            connection["komet_url"],
            connection["token"],
            connection["company_id"],
            session=self.session_factory(),
            timeout=self.komet_timeout,
            journal=self.journal,
            namespace=str(connection["account_id"]),
            correlation=CORRELATION.get(),
            hold=lambda: self.komet_hold(connection["id"]),
            on_retry_after=lambda seconds: self.wait_for_komet(connection["id"], seconds),
        )

    def komet_hold(self, connection_id: int) -> str | None:
        """Why the connection must not call Komet now (its Retry-After is in force), or None."""
        until = self.komet_wait.get(connection_id)
        if until is None or self.clock.now() >= until:  # (wait_for_komet keeps none under the planted bug)
            return None
        return f"Komet asked to wait before the next request (HTTP 429 Retry-After), until {until:%H:%M:%S}."

    def wait_for_komet(self, connection_id: int, seconds: float) -> None:
        """A 429's Retry-After holds every request of the connection (a sync, a test, each write), so each
        waiting write says so: its next attempt is no earlier (the outbox shows when it will really go)."""
        if self.plant == "ignore-retry-after":  # planted bug: Retry-After ignored
            return
        until = self.clock.now() + timedelta(seconds=seconds)
        self.komet_wait[connection_id] = max(until, self.komet_wait.get(connection_id, until))
        with self.store.tx() as c:
            c.execute(
                "UPDATE outbox SET next_attempt_on = max(next_attempt_on, ?) WHERE connection_id = ? "
                "AND state = 'pending'",
                (until.strftime("%Y-%m-%dT%H:%M:%S"), connection_id),
            )

    def sync_lock(self, connection_id: int) -> threading.Lock:
        """One sync at a time per connection (background polling and "Sync now" may race)."""
        with self._locks_guard:
            return self._sync_locks.setdefault(connection_id, threading.Lock())

    def delivery_lock(self, kind: str, ref_id: int) -> threading.Lock:
        """One outbox delivery at a time per thing written (see domain/outbox.deliver)."""
        with self._locks_guard:
            return self._delivery_locks.setdefault((kind, ref_id), threading.Lock())

    def seed_world(self, params: dict) -> dict:
        from ..seeding import seed_world

        return seed_world(self, params)


def _session() -> requests.Session:
    """A plain requests.Session, requests imported on first use: a served ASINFO answers before it calls Komet."""
    import requests

    return requests.Session()
