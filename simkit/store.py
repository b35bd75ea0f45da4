"""SQLite from the standard library: in memory by default, a file with --state.

One connection per world guarded by a re-entrant lock: every domain operation is one transaction, so
nothing is ever half-written and concurrent requests never lose an update. Reads take the same lock
(a sqlite3 connection is not safe to share between threads without it).

A state file holds tokens and passwords: it is created readable by its owner only (0600, and SQLite gives its
-wal and -shm files the same mode), and one process at a time may serve it (docs/decisions.md S4).
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class StateInUse(RuntimeError):
    """Another process serves this state file."""


_held: dict[str, list[int]] = {}  # lock file path -> [fd, users in this process]
_held_guard = threading.Lock()


def _lock_state(path: str) -> str:
    """An exclusive lock beside the state file for this process; shared by the stores of this process (a
    restart in a test opens the same file again), refused to any other process with who holds it."""
    lock_path = path + ".lock"
    with _held_guard:
        if lock_path in _held:
            _held[lock_path][1] += 1
            return lock_path
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise StateInUse(
                f"{Path(path).parent} is in use by another kasim server (pid {holder}, lock {lock_path}): "
                "stop it, or give this one another --state directory"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        _held[lock_path] = [fd, 1]
        return lock_path


def _unlock_state(lock_path: str) -> None:
    with _held_guard:
        held = _held.get(lock_path)
        if held is None:
            return
        held[1] -= 1
        if held[1] == 0:
            del _held[lock_path]
            os.close(held[0])  # closing the file releases the flock


def _check_type(where: str, declared: str, value: Any) -> None:
    """A snapshot's value must have its column's declared type (SQLite itself would store "abc" in an INTEGER
    column, and every later read of it would fail); NULL is left to the column's NOT NULL."""
    if value is None:
        return
    declared = declared.upper()
    if "INT" in declared:
        ok, kind = (
            isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63,
            "an integer",
        )
    elif any(t in declared for t in ("REAL", "FLOA", "DOUB", "NUM", "DEC")):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value  # not NaN
        ok, kind = ok and abs(value) != float("inf"), "a number"
    elif any(t in declared for t in ("CHAR", "CLOB", "TEXT")):
        ok, kind = isinstance(value, str), "a string"
    else:
        ok, kind = isinstance(value, int | float | str) and not isinstance(value, bool), "a plain value"
    if not ok:
        raise ValueError(f"{where} must be {kind}, not {json.dumps(value, default=str)[:40]}")


_RETURNING = sqlite3.sqlite_version_info >= (3, 35)  # INSERT … RETURNING (older SQLite: two statements)

_EMPTY: dict[str, bytes] = {}  # schema text -> the empty database it makes, as sqlite3 serializes it


def _empty_database(schema: str) -> bytes:
    """A new database of `schema`, made once per process and then copied: every scenario and every explored run
    starts in-memory worlds afresh, and running the schema costs ten times what a copy does."""
    made = _EMPTY.get(schema)
    if made is None:
        scratch = sqlite3.connect(":memory:")
        try:
            scratch.executescript(schema)
            made = _EMPTY[schema] = scratch.serialize()
        finally:
            scratch.close()
    return made


class Store:
    def __init__(self, path: str | Path | None, schema: str):
        self.path = str(path) if path else ":memory:"
        self._lock = threading.RLock()
        self._depth = 0
        self._savepoints = 0
        self._state_lock: str | None = None
        if self.path != ":memory:":
            self._state_lock = _lock_state(self.path)
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            os.chmod(self.path, 0o600)  # a file from an older kasim may have been readable by all
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
            # Acknowledged means durable: a reply is only sent after its commit reached the disk.
            self.conn.execute("PRAGMA synchronous = FULL")
        if self.path == ":memory:":
            self.conn.deserialize(_empty_database(schema))
        else:
            self.conn.executescript(schema)
        self.tables = [
            r["name"]
            for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
            )
        ]

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; nested calls join the outer transaction."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self.conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self.conn
            except BaseException:
                self._depth -= 1
                if outer:
                    self.conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    # A failed COMMIT (a deferred foreign key) leaves the transaction open: end it, or the
                    # half-loaded data stays visible and every later BEGIN fails.
                    self.conn.execute("ROLLBACK")
                    raise

    @contextmanager
    def savepoint(self) -> Iterator[sqlite3.Connection]:
        """Inside tx(): a part that fails alone (one line of a batch) without undoing the rest."""
        with self._lock:
            if self._depth == 0:
                raise RuntimeError("savepoint() must be used inside tx()")
            self._savepoints += 1
            name = f"sp{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            self.conn.execute(f"RELEASE {name}")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self.conn

    def one(self, sql: str, args: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Row | None:
        with self.read() as c:
            row: sqlite3.Row | None = c.execute(sql, args).fetchone()
            return row

    def row(self, sql: str, args: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Row:
        """The row a caller knows exists (it wrote it, or a foreign key holds it); LookupError if it does not."""
        found = self.one(sql, args)
        if found is None:
            raise LookupError(f"no row for {sql!r} {tuple(args)!r}")
        return found

    def all(self, sql: str, args: Sequence[Any] | Mapping[str, Any] = ()) -> list[sqlite3.Row]:
        with self.read() as c:
            return c.execute(sql, args).fetchall()

    def next_value(self, name: str, start: int) -> int:
        """A persistent sequence: ids survive restarts and never repeat."""
        with self.tx() as c:
            if _RETURNING:  # one statement instead of a read and a write: seeding takes ~90 ids
                row = c.execute(
                    "INSERT INTO sequences(name, value) VALUES(?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value",
                    (name, start),
                ).fetchall()  # stepped to its end: the statement is finished before any COMMIT
                return int(row[0][0])
            row = c.execute("SELECT value FROM sequences WHERE name = ?", (name,)).fetchone()
            value = (row["value"] + 1) if row else start
            c.execute(
                "INSERT INTO sequences(name, value) VALUES(?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                (name, value),
            )
            return value

    def get_meta(self, key: str, default: Any = None) -> Any:
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return json.loads(row["value"]) if row else default

    def set_meta(self, key: str, value: Any) -> None:
        with self.tx() as c:
            c.execute(
                "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    def dump(
        self, tables: list[str] | None = None, column: str | None = None, value: object = None
    ) -> dict[str, list[dict[str, Any]]]:
        """Tables as rows of plain values, in insertion order: the /__sim/state snapshot. With a column, only the
        rows holding `value` in it (one namespace), read with an indexed WHERE, not filtered afterwards."""
        where = f' WHERE "{column}" = ?' if column else ""
        args = (value,) if column else ()
        out: dict[str, list[dict[str, Any]]] = {}
        with self.read() as c:
            for t in tables or self.tables:
                # plain tuples zipped with the column names: a third cheaper than dict() of each Row
                cursor = c.execute(f'SELECT * FROM "{t}"{where} ORDER BY rowid', args)
                cursor.row_factory = None
                names = [d[0] for d in cursor.description]
                out[t] = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        return out

    def load(self, data: dict[str, list[dict[str, Any]]]) -> None:
        """Replace everything with a snapshot taken by dump(); all or nothing."""
        if not isinstance(data, dict):
            raise ValueError("tables must be an object of table name to rows")
        unknown = set(data) - set(self.tables)
        if unknown:
            raise ValueError(f"unknown table {sorted(unknown)[0]!r} in state")
        with self.tx() as c:
            c.execute("PRAGMA defer_foreign_keys = ON")
            for t in reversed(self.tables):
                c.execute(f'DELETE FROM "{t}"')
            for t in self.tables:
                self.insert_rows(c, t, data.get(t, []))

    def insert_rows(
        self,
        c: sqlite3.Connection,
        table: str,
        rows: list[dict[str, Any]],
        check: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        """Snapshot rows into a table, inside the caller's transaction; each must be an object of known
        columns whose values have the column's type (and pass `check`, if given), else ValueError and the
        caller's transaction rolls back. The schema's own constraints (NOT NULL, CHECK) apply on insert."""
        if not isinstance(rows, list):
            raise ValueError(f"table {table!r} must be a list of rows")
        if not rows:
            return  # nothing to check the columns of (a reset loads every table empty)
        cols = {r["name"]: r["type"] for r in c.execute(f'PRAGMA table_info("{table}")')}
        for n, row in enumerate(rows):
            if not isinstance(row, dict):
                raise ValueError(f"rows of {table!r} must be objects")
            bad = set(row) - set(cols)
            if bad:
                raise ValueError(f"unknown column {sorted(bad)[0]!r} in table {table!r}")
            for column, value in row.items():
                _check_type(f"{table}[{n}].{column}", cols[column], value)
            if check is not None:
                check(table, row)
            names = ", ".join(f'"{k}"' for k in row)
            c.execute(
                f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(row))})', tuple(row.values())
            )

    def backup_to(self, path: str | Path) -> None:
        with self.read() as c:
            dest = sqlite3.connect(str(path))
            try:
                c.backup(dest)
            finally:
                dest.close()

    def watch(self, table: str, column: str, changed: Callable[[], None]) -> None:
        """Call `changed` whenever a row of `table` is written that may change `column` (temporary triggers:
        nothing is added to the state file). A rolled-back write calls it too: it must only mark a cache stale."""
        name = f"kasim_changed_{table}_{column}"
        with self._lock:
            self.conn.create_function(name, 0, changed)
            for n, event in enumerate(("INSERT", f'UPDATE OF "{column}"', "DELETE")):
                self.conn.execute(
                    f'CREATE TEMP TRIGGER IF NOT EXISTS "{name}_{n}" AFTER {event} ON main."{table}" '
                    f"BEGIN SELECT {name}(); END"
                )

    def close(self) -> None:
        with self._lock:
            self.conn.close()
            if self._state_lock is not None:
                _unlock_state(self._state_lock)
                self._state_lock = None
