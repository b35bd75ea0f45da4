"""A write counter per namespace, kept by SQLite itself: every row written to a watched table bumps the
counter of the namespace the row belongs to (before and after an update), whoever writes it — the API, a
portal, the importer actions, seeding, a state restore or a reset. A cache keyed by a namespace's counter is
therefore never stale, and nothing that writes has to remember to say so.

The triggers are temporary (nothing is added to a --state file) and call back into Python. A write that is
rolled back bumps the counter all the same: a cache then recomputes once, which is only slower, never wrong.
"""

from __future__ import annotations

import threading

from .store import Store


class Versions:
    def __init__(self, store: Store, tables: list[str], column: str):
        self._counts: dict[str, int] = {}
        # The same per table of a namespace: what a namespace's snapshot re-reads (World.export_state). Counted in
        # this process only: a restore, which brings rows in without the triggers, starts a new epoch instead.
        self._table_counts: dict[tuple[str, str], int] = {}
        self.epoch = 0
        self.total = 0  # rows written in every namespace together
        self._lock = threading.Lock()
        name = "kasim_written"
        script = []
        for table in tables:
            for n, (event, rows) in enumerate(
                (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",)))
            ):
                calls = "; ".join(f"SELECT {name}({row}.\"{column}\", '{table}')" for row in rows)
                script.append(
                    f'CREATE TEMP TRIGGER IF NOT EXISTS "{name}_{table}_{n}" AFTER {event} '
                    f'ON main."{table}" BEGIN {calls}; END;'
                )
        with store.read() as c:
            c.create_function(name, 2, self._bump, deterministic=False)
            # one script, not a statement each: a world is made for every scenario and every explored run
            c.executescript("\n".join(script))

    def _bump(self, namespace: object, table: str) -> None:
        key = str(namespace)
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + 1
            self._table_counts[key, table] = self._table_counts.get((key, table), 0) + 1
            self.total += 1

    def of(self, namespace: object) -> int:
        """How many rows of this namespace were ever written in this process (0: none yet)."""
        return self._counts.get(str(namespace), 0)

    def of_table(self, namespace: object, table: str) -> tuple[int, int]:
        """(epoch, rows of this table in this namespace written in it): equal twice, the rows are the same."""
        return self.epoch, self._table_counts.get((str(namespace), table), 0)

    def counts(self) -> tuple[dict[str, int], int]:
        """(rows written per namespace, in all): what a snapshot of the world keeps."""
        with self._lock:
            return dict(self._counts), self.total

    def restore(self, counts: dict[str, int], total: int) -> None:
        """The counters a snapshot kept: a restored world tags its states as the world it copies did."""
        with self._lock:
            self._counts = {str(k): int(v) for k, v in counts.items()}
            self.total = int(total)
            self._table_counts = {}
            self.epoch += 1
