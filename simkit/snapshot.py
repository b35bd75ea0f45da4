"""A world's whole state as data, and back: a world restored from a snapshot answers every request as the world
it was taken from did. It holds SQLite's own pages (every row, rowid and id sequence), the journal as stored (its
entries, their numbering), the write counters that tag states (ETags), the clock's logical ticks and the seed.
It holds no faults (a world just set up has none), no caches (rebuilt on use) and not the clock's time, which the
caller sets.

`kasim serve` keeps one on disk instead of seeding at every start (harness/serve_cache.py). `rewrite` swaps
exact texts wherever they appear (the instant the world was set up at, the URLs it was reached at), so that one
snapshot serves a later start on other ports, at another time of the same day; `places` finds once where those
texts are, so that each rewrite touches only those values.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .journal import _Stored

if TYPE_CHECKING:
    from .world import World

Entry = tuple[int, str | None, str | None, bytes, bytes | None]  # seq, namespace, correlation, meta, body


@dataclass(frozen=True)
class Snapshot:
    """A world's whole state, as take() makes it and restore() puts it back."""

    app: str
    seed: int
    database: bytes  # sqlite3's serialize() of the main database
    journal: tuple[Entry, ...]
    journal_seq: int
    versions: dict[str, int]
    versions_total: int
    ticks: int


def take(world: World) -> Snapshot:
    """The world as it is now (no request may be running: kasim serve and the explorer take it before serving)."""
    with world.store.read() as c:
        database = c.serialize()
    journal = world.journal
    with journal._lock:  # the journal keeps its entries as stored bytes: copied as they are, never re-made
        entries = tuple((e.seq, e.namespace, e.correlation, e.meta, e.body) for e in journal._entries)
        seq = journal._seq
    counts, total = world.versions.counts()
    return Snapshot(world.name, world.seed, database, entries, seq, counts, total, world.clock.ticks)


def check(world: World, snap: Snapshot) -> None:
    """ValueError when the snapshot cannot make this world: another kind of world, or a database that is not
    sound or has other tables, or tables declared otherwise (it was taken by other code)."""
    if snap.app != world.name:
        raise ValueError(f"a snapshot of {snap.app!r} cannot make a {world.name!r} world")
    scratch = _open(snap.database)
    try:
        _check(world, scratch)
    finally:
        scratch.close()


def _check(world: World, scratch: sqlite3.Connection) -> None:
    try:
        sound = scratch.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.Error:
        sound = False
    if not sound:
        raise ValueError("the snapshot's database is damaged")
    with world.store.read() as c:
        if _tables(scratch) != _tables(c):
            raise ValueError("the snapshot's tables are not this world's")


def restore(world: World, snap: Snapshot, *, checked: bool = False) -> None:
    """Make a world just built (empty, nothing served yet) the snapshot's world. ValueError, and the world
    untouched, when check() refuses the snapshot; `checked`: the caller has just had check() accept it (kasim
    serve checks both worlds before restoring either), so it is not checked twice."""
    if snap.app != world.name:
        raise ValueError(f"a snapshot of {snap.app!r} cannot make a {world.name!r} world")
    scratch = _open(snap.database)
    try:
        if not checked:
            _check(world, scratch)
        with world.store.read() as c:
            scratch.backup(c)
    finally:
        scratch.close()
    world.seed = snap.seed
    world._secrets_stale = True  # the pages came in without the triggers that mark it
    journal = world.journal
    with journal._lock:
        journal._entries = deque(_Stored(*e) for e in snap.journal)
        journal._seq = snap.journal_seq
        journal._bytes = sum(e.size for e in journal._entries)
    world.versions.restore(snap.versions, snap.versions_total)
    world.clock.resume_ticks(max(world.clock.ticks, snap.ticks))


def swapper(swaps: Sequence[tuple[str, str]]) -> Callable[[str], str]:
    """A function replacing every `old` text of `swaps` by its `new` one, all in one pass. A match must not run on
    into a digit (an old URL's port 5001 is not the start of port 50011)."""
    table = {old: new for old, new in swaps if old != new}
    if not table:
        return lambda value: value
    pattern = re.compile("(?:" + "|".join(re.escape(old) for old in table) + ")(?![0-9])")
    return lambda value: pattern.sub(lambda m: table[m.group(0)], value)


Places = dict[str, dict[str, list[int]]]  # table -> column -> the rowids of the values holding a text


def places(snap: Snapshot, texts: Sequence[str]) -> Places:
    """Where in the database's text values any of `texts` appears: what rewrite() swaps in, found once (kasim
    serve's cache finds them when it saves a snapshot, instead of searching every table at every start)."""
    scratch = _open(snap.database)
    try:
        found: Places = {}
        for name, columns in _text_columns(scratch).items():
            for column in columns:
                rowids = [
                    r[0]
                    for r in scratch.execute(
                        f'SELECT rowid FROM "{name}" WHERE '  # noqa: S608 (names from the database's own schema)
                        + " OR ".join(f'instr("{column}", ?) > 0' for _ in texts),
                        list(texts),
                    )
                ]
                if rowids:
                    found.setdefault(name, {})[column] = rowids
        return found
    finally:
        scratch.close()


def rewrite(snap: Snapshot, swaps: Sequence[tuple[str, str]], where: Places | None = None) -> Snapshot:
    """The snapshot with every `old` text replaced by its `new` one (swapper), in the database's text values and
    in the journal. `where`: the values that hold the old texts (places() of this snapshot and these texts), so
    that only they are read and written; without it every text value of every table is searched. ValueError
    when `where` names a table or column the database does not have."""
    if all(old == new for old, new in swaps):
        return snap
    text = swapper(swaps)

    def raw(value: bytes | None) -> bytes | None:
        return (
            None
            if value is None
            else text(value.decode(errors="surrogateescape")).encode(errors="surrogateescape")
        )

    scratch = _open(snap.database)
    try:
        scratch.create_function(
            "kasim_rewrite", 1, lambda v: text(v) if isinstance(v, str) else v, deterministic=True
        )
        olds = [old for old, new in swaps if old != new]
        try:
            if where is None:
                _rewrite_everywhere(scratch, olds)
            else:
                _rewrite_at(scratch, where)
        except sqlite3.Error as exc:
            raise ValueError(f"the snapshot's texts cannot be rewritten: {exc}") from None
        database = scratch.serialize()
    finally:
        scratch.close()
    journal = tuple((s, ns, corr, raw(meta) or b"", raw(body)) for s, ns, corr, meta, body in snap.journal)
    return replace(snap, database=database, journal=journal)


def _rewrite_everywhere(scratch: sqlite3.Connection, olds: list[str]) -> None:
    for name, columns in _text_columns(scratch).items():
        # One statement a table, for the rows holding a text to swap (names from the database's own schema)
        sets = ", ".join(f'"{c}" = kasim_rewrite("{c}")' for c in columns)
        found = " OR ".join(f'instr("{c}", ?) > 0' for c in columns for _ in olds)
        scratch.execute(
            f'UPDATE "{name}" SET {sets} WHERE {found}',  # noqa: S608
            [old for _ in columns for old in olds],
        )


def _rewrite_at(scratch: sqlite3.Connection, where: Places) -> None:
    for name, columns in where.items():
        for column, rowids in columns.items():
            table, col = _quoted(name), _quoted(column)  # names from a file: quoted, never run as SQL
            scratch.execute(
                f"UPDATE {table} SET {col} = kasim_rewrite({col}) "  # noqa: S608
                "WHERE rowid IN (SELECT value FROM json_each(?))",
                [json.dumps([int(r) for r in rowids])],
            )


def _quoted(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _open(database: bytes) -> sqlite3.Connection:
    scratch = sqlite3.connect(":memory:", isolation_level=None)
    try:
        scratch.deserialize(database)
    except sqlite3.Error as exc:
        scratch.close()
        raise ValueError(f"the snapshot's database cannot be read: {exc}") from None
    return scratch


def _text_columns(c: sqlite3.Connection) -> dict[str, list[str]]:
    """The columns of each table that may hold text (declared TEXT, CHAR, CLOB, or without a type)."""
    out = {}
    for name in _schema(c):
        declared = [(r[1], str(r[2]).upper()) for r in c.execute(f'PRAGMA main.table_info("{name}")')]
        texts = [n for n, t in declared if not t or any(k in t for k in ("TEXT", "CHAR", "CLOB"))]
        if texts:
            out[name] = texts
    return out


def _tables(c: sqlite3.Connection) -> list[tuple[str, str]]:
    """Each table as declared (its CREATE statement, as SQLite keeps it): one read, where a table's columns one
    by one (PRAGMA table_info) cost a read per table."""
    try:
        found = c.execute(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return [(str(name), str(sql)) for name, sql in found]  # plain tuples whatever the row factory
    except sqlite3.Error as exc:
        raise ValueError(f"the snapshot's database cannot be read: {exc}") from None


def _schema(c: sqlite3.Connection) -> dict[str, list[str]]:
    try:
        names = [
            r[0]
            for r in c.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {n: [r[1] for r in c.execute(f'PRAGMA main.table_info("{n}")')] for n in names}
    except sqlite3.Error as exc:
        raise ValueError(f"the snapshot's database cannot be read: {exc}") from None


# --- as JSON (the start-up cache's file) ---------------------------------------------------------------------
def to_json(snap: Snapshot, *, database: bool = True) -> dict[str, Any]:
    """`database=False`: without the database, which the caller keeps as it is (the start-up cache keeps the pages
    raw after its JSON: as base64 inside it, they cost a start ~2 ms to parse and decode) and gives from_json."""
    data: dict[str, Any] = {
        "app": snap.app,
        "seed": snap.seed,
        "journal": [
            [s, ns, corr, meta.decode(), None if body is None else base64.b64encode(body).decode("ascii")]
            for s, ns, corr, meta, body in snap.journal
        ],
        "journalSeq": snap.journal_seq,
        "versions": snap.versions,
        "versionsTotal": snap.versions_total,
        "ticks": snap.ticks,
    }
    if database:
        data["database"] = base64.b64encode(snap.database).decode("ascii")
    return data


def from_json(data: Any, database: bytes | None = None) -> Snapshot:
    """ValueError (KeyError, TypeError) for anything that is not what to_json wrote; `database`: the pages, when
    to_json left them out."""
    journal = tuple(
        (
            int(s),
            None if ns is None else str(ns),
            None if corr is None else str(corr),
            str(meta).encode(),
            None if body is None else base64.b64decode(body, validate=True),
        )
        for s, ns, corr, meta, body in data["journal"]
    )
    return Snapshot(
        app=str(data["app"]),
        seed=int(data["seed"]),
        database=base64.b64decode(data["database"], validate=True) if database is None else bytes(database),
        journal=journal,
        journal_seq=int(data["journalSeq"]),
        versions={str(k): int(v) for k, v in dict(data["versions"]).items()},
        versions_total=int(data["versionsTotal"]),
        ticks=int(data["ticks"]),
    )
