"""simkit.store: SQLite transactions, savepoints, sequences, snapshots, and durability on disk."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from simkit.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents(id),
                                     n INTEGER NOT NULL CHECK (n >= 0));
"""


@pytest.fixture
def store():
    s = Store(None, SCHEMA)
    yield s
    s.close()


def _names(store) -> list[str]:
    return [r["name"] for r in store.all("SELECT name FROM parents ORDER BY id")]


class Boom(Exception):
    pass


def test_a_transaction_commits_when_it_ends():
    s = Store(None, SCHEMA)
    with s.tx() as c:
        c.execute("INSERT INTO parents(name) VALUES ('a')")
    assert _names(s) == ["a"]


def test_a_failed_transaction_writes_nothing(store):
    with pytest.raises(Boom), store.tx() as c:
        c.execute("INSERT INTO parents(name) VALUES ('a')")
        raise Boom
    assert _names(store) == []


def test_row_returns_the_row_a_caller_knows_exists_and_refuses_a_missing_one(store):
    with store.tx() as c:
        c.execute("INSERT INTO parents(id, name) VALUES (7, 'a')")
    assert store.row("SELECT name FROM parents WHERE id = ?", (7,))["name"] == "a"
    with pytest.raises(LookupError, match="no row"):
        store.row("SELECT name FROM parents WHERE id = ?", (8,))


def test_a_nested_transaction_joins_the_outer_one(store):
    with pytest.raises(Boom), store.tx() as c:
        c.execute("INSERT INTO parents(name) VALUES ('outer')")
        with store.tx() as inner:
            inner.execute("INSERT INTO parents(name) VALUES ('inner')")
        raise Boom
    assert _names(store) == []


def test_a_failed_nested_transaction_undoes_the_outer_one_when_it_propagates(store):
    with pytest.raises(Boom), store.tx() as c:
        c.execute("INSERT INTO parents(name) VALUES ('outer')")
        with store.tx() as inner:
            inner.execute("INSERT INTO parents(name) VALUES ('inner')")
            raise Boom
    assert _names(store) == []


def test_a_failed_savepoint_undoes_only_its_part(store):
    with store.tx():
        for name in ("a", "b", "c"):
            try:
                with store.savepoint() as c:
                    c.execute("INSERT INTO parents(name) VALUES (?)", (name,))
                    if name == "b":
                        raise Boom
            except Boom:
                pass
    assert _names(store) == ["a", "c"]


def test_a_constraint_failure_in_a_savepoint_leaves_the_rest(store):
    with store.tx() as c:
        c.execute("INSERT INTO parents(id, name) VALUES (1, 'p')")
        with pytest.raises(sqlite3.IntegrityError), store.savepoint() as sp:
            sp.execute("INSERT INTO children(parent_id, n) VALUES (1, -1)")
        c.execute("INSERT INTO children(parent_id, n) VALUES (1, 2)")
    assert [r["n"] for r in store.all("SELECT n FROM children")] == [2]


def test_a_savepoint_outside_a_transaction_is_refused(store):
    with pytest.raises(RuntimeError), store.savepoint():
        pass


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError), store.tx() as c:
        c.execute("INSERT INTO children(parent_id, n) VALUES (99, 1)")


@pytest.fixture(params=[True, False], ids=["returning", "read-then-write"])
def sequences(request, monkeypatch, store):
    """A store stepping its sequences in one INSERT … RETURNING, and as SQLite before 3.35 must."""
    monkeypatch.setattr("simkit.store._RETURNING", request.param)
    return store


def test_sequences_start_where_asked_and_never_repeat(sequences):
    store = sequences
    assert [store.next_value("po", 500) for _ in range(3)] == [500, 501, 502]
    assert store.next_value("box", 1) == 1
    assert store.next_value("po", 7) == 503  # a start is only where a new sequence begins
    assert store.dump(["sequences"]) == {
        "sequences": [{"name": "po", "value": 503}, {"name": "box", "value": 1}]
    }


def test_a_sequence_step_inside_a_failed_transaction_is_undone(sequences):
    store = sequences
    store.next_value("po", 500)
    with pytest.raises(Boom), store.tx():
        store.next_value("po", 500)
        raise Boom
    assert store.next_value("po", 500) == 501


def test_meta_values_round_trip_as_json(store):
    store.set_meta("clock", {"now": "2026-11-26T06:00:00", "running": False})
    assert store.get_meta("clock") == {"now": "2026-11-26T06:00:00", "running": False}
    assert store.get_meta("missing", 5) == 5


def test_dump_and_load_round_trip(store):
    with store.tx() as c:
        c.execute("INSERT INTO parents(id, name) VALUES (1, 'p'), (2, 'q')")
        c.execute("INSERT INTO children(parent_id, n) VALUES (2, 3), (1, 4)")
    snapshot = store.dump()
    other = Store(None, SCHEMA)
    other.load(snapshot)
    assert other.dump() == snapshot


def test_load_replaces_everything(store):
    with store.tx() as c:
        c.execute("INSERT INTO parents(name) VALUES ('old')")
    store.load({"parents": [{"id": 7, "name": "new"}]})
    assert _names(store) == ["new"]


@pytest.mark.parametrize(
    "snapshot",
    [
        {"nope": []},
        {"parents": [{"id": 1, "colour": "red"}]},
        {"parents": ["row"]},
        {"children": [{"id": 1, "parent_id": 9, "n": 1}]},
    ],
)
def test_a_bad_snapshot_loads_nothing(store, snapshot):
    with store.tx() as c:
        c.execute("INSERT INTO parents(name) VALUES ('kept')")
    before = store.dump()
    with pytest.raises((ValueError, sqlite3.IntegrityError)):
        store.load(snapshot)
    assert store.dump() == before


def test_a_file_store_keeps_commits_across_connections(tmp_path):
    path = tmp_path / "s.sqlite3"
    first = Store(path, SCHEMA)
    with first.tx() as c:
        c.execute("INSERT INTO parents(name) VALUES ('durable')")
    second = Store(path, SCHEMA)  # the first one never closed: as after a crash
    assert _names(second) == ["durable"]


def test_backup_copies_the_store_to_a_file(store, tmp_path):
    with store.tx() as c:
        c.execute("INSERT INTO parents(name) VALUES ('b')")
    store.backup_to(tmp_path / "copy.sqlite3")
    assert _names(Store(tmp_path / "copy.sqlite3", SCHEMA)) == ["b"]


def test_concurrent_increments_lose_no_update(store):
    with store.tx() as c:
        c.execute("INSERT INTO parents(id, name) VALUES (1, 'counter')")
        c.execute("INSERT INTO children(id, parent_id, n) VALUES (1, 1, 0)")

    def bump():
        for _ in range(100):
            with store.tx() as c:
                n = c.execute("SELECT n FROM children WHERE id = 1").fetchone()["n"]
                c.execute("UPDATE children SET n = ? WHERE id = 1", (n + 1,))

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.one("SELECT n FROM children WHERE id = 1")["n"] == 800


def test_in_memory_stores_of_one_schema_start_as_the_schema_makes_them_and_share_nothing():
    made = sqlite3.connect(":memory:")
    made.executescript(SCHEMA)
    schema = made.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    first, second = Store(None, SCHEMA), Store(None, SCHEMA)  # the second is a copy of the first's start
    try:
        for s in (first, second):
            assert [
                tuple(r) for r in s.all("SELECT type, name, sql FROM sqlite_master ORDER BY name")
            ] == schema
        with first.tx() as c:
            c.execute("INSERT INTO parents(name) VALUES ('only in the first')")
        assert _names(first) == ["only in the first"] and _names(second) == []
        assert Store(None, SCHEMA).all("SELECT * FROM parents") == []
        with pytest.raises(sqlite3.IntegrityError), second.tx() as c:  # each copy enforces foreign keys
            c.execute("INSERT INTO children(parent_id, n) VALUES (99, 1)")
    finally:
        first.close()
        second.close()
