"""Background work when served (A2, A3): poll Komet on an interval and deliver due outbox items.
Off in tests and scenarios, where the harness drives sync and retries itself, deterministically."""

from __future__ import annotations

import contextvars
import logging
import threading
from typing import TYPE_CHECKING

from simkit.clock import parse_datetime
from simkit.context import NAMESPACE

from .domain import outbox, sync

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld

log = logging.getLogger("kasim.asinfo.worker")


class Worker:
    def __init__(self, world: AsinfoWorld, poll_interval: float, tick: float = 1.0):
        self.world = world
        self.poll_interval = poll_interval
        self.tick = tick
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Worker:
        self._thread = threading.Thread(target=self._run, name="asinfo-worker", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.tick):
            try:
                self.step()
            except Exception:  # a background failure must not kill the loop; it is logged and retried
                log.exception("background step failed")

    def step(self) -> None:
        """Each account's work runs in its own namespace, so its own clock offset applies."""
        accounts = [
            r["account_id"]
            for r in self.world.store.all("SELECT DISTINCT account_id FROM connections WHERE background = 1")
        ]
        for account_id in accounts:
            contextvars.copy_context().run(self._account_step, account_id)

    def _account_step(self, account_id: int) -> None:
        NAMESPACE.set(str(account_id))
        outbox.run(self.world, account_id, background_only=True)
        if self.poll_interval <= 0:
            return
        now = self.world.clock.now()
        for conn in self.world.store.all(
            "SELECT id, last_sync_on FROM connections WHERE account_id = ? AND background = 1", (account_id,)
        ):
            last = parse_datetime(conn["last_sync_on"]) if conn["last_sync_on"] else None
            if last is None or (now - last).total_seconds() >= self.poll_interval:
                sync.sync_connection(self.world, account_id, conn["id"], trigger="poll")
