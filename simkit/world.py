"""The state of one simulator: store, clock, journal, faults and seed, with the hooks the control plane calls."""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .clock import VirtualClock, parse_datetime, within_range
from .errors import BadInput
from .faults import FaultSet
from .journal import Journal
from .reply_cache import ReplyCache
from .store import Store
from .versions import Versions

_DUMPS_KEPT = 8  # namespaces whose last snapshot's rows a world keeps (a served world may hold hundreds)
_GENERATIONS = itertools.count(1)  # each world of this process gets its own number (state tags never collide)


class World(ABC):
    """Base for KometWorld and AsinfoWorld. Subclasses own the domain; this owns the plumbing.

    Every domain table carries the namespace column (a Komet company, an ASINFO grower account), so
    reset, export and import of one namespace are the same few queries for every table.
    """

    name = "sim"
    schema = ""
    namespace_column = "namespace"
    # How the namespace column holds a namespace (both simulators: an integer id; namespaces travel as text).
    namespace_type: Callable[[str], object] = str
    # (table, column) pairs holding secrets (tokens): the journal blanks their values wherever they appear.
    secret_columns: tuple[tuple[str, str], ...] = ()
    # Tables that count calls rather than hold anything a reply shows (Komet's daily quota, written by every
    # call): their writes leave cached replies valid.
    call_counter_tables: tuple[str, ...] = ()
    # A known bug switched on on purpose (config "plant"), to prove the scenarios and property checks catch it
    # (each simulator lists its own in PLANTS). None in normal use.
    plant: str | None = None

    def __init__(
        self, *, seed: int = 0, state_dir: str | Path | None = None, clock: VirtualClock | None = None
    ):
        path = None
        if state_dir:
            Path(state_dir).mkdir(mode=0o700, parents=True, exist_ok=True)  # its files hold tokens
            path = Path(state_dir) / f"{self.name}.sqlite3"
        self.store = Store(path, self.schema)
        saved_seed = self.store.get_meta("seed", seed)
        self.seed = saved_seed if isinstance(saved_seed, int) and not isinstance(saved_seed, bool) else seed
        self.clock = clock or VirtualClock()
        self._restore_clock(self.store.get_meta("clock"))
        self.clock.listeners.append(self._save_clock)
        self._seeding = 0
        self._seeding_guard = threading.Lock()
        self._secrets: frozenset[str] = frozenset()
        self._secrets_stale = True
        for table, column in self.secret_columns:
            self.store.watch(table, column, self._secrets_changed)
        self.journal = Journal(self.name, self.clock, secrets=self.secrets)
        self.faults = FaultSet(lambda: self.seed)
        self._ns_tables = _namespaced(self.store, self.schema, self.namespace_column)
        versioned = [t for t in self._ns_tables if t not in self.call_counter_tables]
        self.versions = Versions(self.store, versioned, self.namespace_column)
        self.generation = next(_GENERATIONS)
        # namespace -> table -> (its write counter when read, its rows): see _namespace_tables
        self._dumps: dict[str, dict[str, tuple[tuple[int, int], list[dict[str, Any]]]]] = {}
        self.replies = ReplyCache()

    def reply_state(self, namespace: str) -> tuple[int, date]:
        """What a namespace's cached replies are filed under: its write counter and its day (reply_cache.py)."""
        return (self.versions.of(namespace), self.clock.today())

    def cached_reply(self, namespace: str, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        """The reply kept for `key` in the namespace's current state, or compute()'s, kept under that state.
        Called inside the store's transaction, so no write lands between the state read and the reply."""
        state = self.reply_state(namespace)
        found = self.replies.get(namespace, state, key)
        if found is None:
            found = compute()
            self.replies.put(namespace, state, key, found)
        return found

    def _restore_clock(self, saved: Any) -> None:
        """A restart with --state comes back to the time it had (a running clock kept running). A saved time
        the clock cannot show (a file an older kasim wrote) is left aside, with a warning, never a crash."""
        if not saved:
            return
        try:
            now = parse_datetime(saved["now"])
            if saved.get("running") and saved.get("wall"):
                now += datetime.utcnow() - parse_datetime(saved["wall"])
            self.clock.set(now, bool(saved.get("running", False)))
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            logging.getLogger(f"kasim.{self.name}").warning(
                "the saved clock of %s is unusable (%s): starting from %s",
                self.store.path,
                exc,
                self.clock.stamp(),
            )

    def _secrets_changed(self) -> None:
        self._secrets_stale = True

    def secrets(self) -> frozenset[str]:
        """Every secret value the world holds (the same set object until one is written)."""
        if self._secrets_stale:
            self._secrets_stale = False  # before reading: a write during the read marks it stale again
            found: set[str] = set()
            with self.store.read() as c:
                for table, column in self.secret_columns:
                    found.update(r[0] for r in c.execute(f'SELECT "{column}" FROM "{table}"') if r[0])
            self._secrets = frozenset(found)
        return self._secrets

    def _save_clock(self, clock: VirtualClock) -> None:
        if self.store.path != ":memory:":
            self.store.set_meta(
                "clock", {**clock.to_json(), "wall": datetime.utcnow().isoformat(timespec="seconds")}
            )

    def set_seed(self, seed: int) -> None:
        self.seed = int(seed)
        self.store.set_meta("seed", self.seed)

    # --- hooks for the control plane ------------------------------------------------------------
    def resolve(self, environ: dict[str, Any], body: bytes) -> tuple[str | None, str | None]:
        """(operation name, namespace) of a request, for fault matching before it is processed."""
        return None, None

    def apply_seed(self, params: dict[str, Any]) -> dict[str, Any]:
        """Seed as one step (S7): the whole seed, a reset it asks for included, is one transaction, so two
        seeds at once leave exactly one world, and no request sees a half-made one. Not `ready` meanwhile."""
        with self._seeding_guard:
            self._seeding += 1
        try:
            with self.store.tx():
                return self.seed_world(params)
        finally:
            with self._seeding_guard:
                self._seeding -= 1

    @property
    def ready(self) -> bool:
        """No seed is being made (GET /__sim/health says so)."""
        return self._seeding == 0

    @abstractmethod
    def seed_world(self, params: dict[str, Any]) -> dict[str, Any]:
        """Generate a deterministic world from {"seed": int, ...sizes}; return the ids made."""

    def namespaces(self) -> list[str]:
        return []

    def reset(self, namespace: str | None = None) -> dict[str, str]:
        """Empty world, or remove one namespace's rows (other namespaces untouched)."""
        if namespace is None:
            self.store.load({})
            self.journal.clear()
            self.faults.clear()
            self.clock.clear_offsets()
            return {"status": "ok", "reset": "all"}
        if str(namespace) not in self.namespaces():
            raise BadInput("namespace", f"no such namespace {namespace!r}", code="not_found")
        with self.store.tx() as c:
            for t in reversed(self._ns_tables):
                c.execute(f'DELETE FROM "{t}" WHERE "{self.namespace_column}" = ?', (namespace,))
        self.journal.clear(namespace)
        self.faults.clear(namespace)
        self.clock.clear_offsets(namespace)
        return {"status": "ok", "reset": str(namespace)}

    def export_state(self, namespace: str | None = None) -> dict[str, Any]:
        if namespace is None:
            tables = self.store.dump()
        else:
            try:
                key = self.namespace_type(str(namespace))
            except ValueError:  # not an id at all: no row is its
                key = namespace
            tables = self._namespace_tables(str(namespace), key)
        state: dict[str, Any] = {
            "app": self.name,
            "seed": self.seed,
            "clock": self.clock.to_json(),
            "tables": tables,
        }
        if namespace is not None:
            state["namespace"] = str(namespace)
        return state

    def _namespace_tables(self, namespace: str, key: object) -> dict[str, list[dict[str, Any]]]:
        """One namespace's tables, re-reading only those written since this namespace's last snapshot: the
        explorer takes one after every step, and a step writes a table or two. The rows kept are shared by the
        snapshots that show them (nothing may change one). Call-counting tables are not versioned: always read."""
        # Under the store's lock: no write lands between a table's counter and its rows, and two served threads
        # reading snapshots at once do not share the bookkeeping.
        with self.store.read():
            kept = self._dumps.pop(namespace, {})
            self._dumps[namespace] = kept  # the most recently read last: the least recent goes first
            while len(self._dumps) > _DUMPS_KEPT:
                del self._dumps[next(iter(self._dumps))]
            marks = {t: self.versions.of_table(namespace, t) for t in self._ns_tables}
            stale = [
                t
                for t in self._ns_tables
                if t in self.call_counter_tables or t not in kept or kept[t][0] != marks[t]
            ]
            for t, rows in (self.store.dump(stale, self.namespace_column, key) if stale else {}).items():
                kept[t] = (marks[t], rows)
            return {t: kept[t][1] for t in self._ns_tables}

    def state_tag(self, namespace: str) -> str:
        """A tag that changes whenever export_state(namespace) would answer differently (GET /__sim/state's ETag):
        this world, the namespace's write counter (SQLite triggers bump it on every row written, docs above), the
        rows of its call-counting tables (which the counter leaves out), the seed and the clock."""
        try:
            key: object = self.namespace_type(str(namespace))
        except ValueError:
            key = namespace
        with self.store.read() as c:
            counted = [
                [
                    tuple(r)
                    for r in c.execute(f'SELECT * FROM "{t}" WHERE "{self.namespace_column}" = ?', (key,))
                ]
                for t in self.call_counter_tables
                if t in self._ns_tables
            ]
        text = json.dumps([counted, self.seed, self.clock.to_json()], default=str)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        return f"{self.generation}.{self.versions.of(namespace)}.{digest}"

    def import_state(self, data: dict[str, Any]) -> dict[str, str]:
        """Restore a snapshot from export_state: the whole world, or one namespace if it names one."""
        if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
            raise BadInput(
                "tables", "a state snapshot is an object with a 'tables' object (GET /__sim/state)"
            )
        if data.get("app") not in (None, self.name):
            raise BadInput("app", f"this snapshot is of {data.get('app')!r}, not {self.name!r}")
        namespace = data.get("namespace")
        seed, when, running = self._snapshot_seed_and_clock(data, namespace)  # read before anything is loaded
        self._check_meta(data["tables"].get("meta"))
        try:
            if namespace is None:
                self.store.load(data["tables"])
            else:
                self._load_namespace(str(namespace), data["tables"])
        except ValueError as exc:
            raise BadInput("tables", str(exc)) from None
        except Exception as exc:  # sqlite3 constraint errors: the snapshot does not fit
            raise BadInput("tables", f"the snapshot does not fit the schema: {exc}") from None
        if seed is not None:
            self.seed = (
                seed  # its meta row, if the snapshot had one, came back with the tables: exact round trip
            )
        if when is not None:
            self.clock.set(when, running)
        return {"status": "ok"}

    @staticmethod
    def _check_meta(rows: object) -> None:
        """The meta rows a restart reads back (seed, clock) must be what it can use."""
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict) or not isinstance(row.get("value"), str):
                continue  # the store refuses these with the row's own words
            try:
                value = json.loads(row["value"])
            except ValueError:
                continue  # the schema's CHECK refuses it
            if row.get("key") == "seed" and (not isinstance(value, int) or isinstance(value, bool)):
                raise BadInput("tables", "meta seed must be an integer")
            if row.get("key") == "clock":
                try:
                    within_range(parse_datetime(value["now"]))
                except (TypeError, KeyError, ValueError) as exc:
                    raise BadInput("tables", f"meta clock: {exc}") from None

    @staticmethod
    def _snapshot_seed_and_clock(
        data: dict[str, Any], namespace: object
    ) -> tuple[int | None, datetime | None, bool]:
        seed = data.get("seed") if namespace is None else None
        if seed is not None:
            try:
                seed = int(seed)
            except (TypeError, ValueError):
                raise BadInput("seed", "must be an integer") from None
        clock, when = data.get("clock"), None
        if isinstance(clock, dict) and "now" in clock:
            try:
                when = within_range(parse_datetime(clock["now"]))
            except ValueError as exc:
                raise BadInput("clock", str(exc)) from None
        running = bool(clock.get("running", False)) if when is not None and isinstance(clock, dict) else False
        return seed, when, running

    def _load_namespace(self, namespace: str, tables: dict[str, Any]) -> None:
        bad = set(tables) - set(self._ns_tables)
        if bad:
            raise ValueError(f"table {sorted(bad)[0]!r} is not per-namespace")
        with self.store.tx() as c:
            c.execute("PRAGMA defer_foreign_keys = ON")
            for t in reversed(self._ns_tables):
                c.execute(f'DELETE FROM "{t}" WHERE "{self.namespace_column}" = ?', (namespace,))

            def ours(table: str, row: dict[str, Any]) -> None:
                if str(row.get(self.namespace_column)) != namespace:
                    raise ValueError(f"a row of {table!r} belongs to another namespace")

            for t in self._ns_tables:
                self.store.insert_rows(c, t, tables.get(t, []), ours)


_NAMESPACED: dict[tuple[str, str], list[str]] = {}


def _namespaced(store: Store, schema: str, column: str) -> list[str]:
    """The tables with the namespace column; asked of the database once per schema for in-memory stores (each
    scenario and explored run makes new ones), and of each state file, which an older kasim may have written."""
    key = (schema, column)
    if store.path == ":memory:" and key in _NAMESPACED:
        return list(_NAMESPACED[key])
    with store.read() as c:
        found = [
            t
            for t in store.tables
            if any(r["name"] == column for r in c.execute(f'PRAGMA table_info("{t}")'))
        ]
    if store.path == ":memory:":
        _NAMESPACED[key] = list(found)
    return found
