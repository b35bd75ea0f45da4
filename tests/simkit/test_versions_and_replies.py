"""simkit.versions (a write counter per namespace, kept by SQLite) and simkit.reply_cache (replies filed under a
namespace's state, bounded by bytes)."""

from __future__ import annotations

from simkit.reply_cache import ReplyCache
from simkit.store import Store
from simkit.versions import Versions
from simkit.world import World

from .toykit import ToyWorld

SCHEMA = """
CREATE TABLE notes (id INTEGER PRIMARY KEY, ns INTEGER NOT NULL, text TEXT);
CREATE TABLE hits (ns INTEGER PRIMARY KEY, n INTEGER NOT NULL);
"""


def test_every_kind_of_write_bumps_the_namespace_it_touches_only():
    store = Store(None, SCHEMA)
    versions = Versions(store, ["notes"], "ns")
    with store.tx() as c:
        c.execute("INSERT INTO notes(id, ns, text) VALUES (1, 1, 'a')")
    assert (versions.of(1), versions.of(2)) == (1, 0)
    with store.tx() as c:
        c.execute("UPDATE notes SET text = 'b' WHERE id = 1")
    assert versions.of(1) == 3  # an update counts its row before and after
    with store.tx() as c:
        c.execute("UPDATE notes SET ns = 2 WHERE id = 1")  # a row moving namespace touches both
    assert (versions.of(1), versions.of(2)) == (4, 1)
    with store.tx() as c:
        c.execute("DELETE FROM notes")
    assert versions.of(2) == 2
    store.load({"notes": [{"id": 5, "ns": 3, "text": "restored"}]})
    assert versions.of(3) == 1
    assert versions.total == 7


def test_a_table_left_out_is_not_counted():
    store = Store(None, SCHEMA)
    versions = Versions(store, ["notes"], "ns")
    with store.tx() as c:
        c.execute("INSERT INTO hits(ns, n) VALUES (1, 1)")
    assert versions.of(1) == 0


def test_a_reply_is_kept_for_its_state_only():
    cache = ReplyCache()
    assert cache.get("1", (0, "d"), "k") is None
    cache.put("1", (0, "d"), "k", b"reply")
    assert cache.get("1", (0, "d"), "k") == b"reply"
    assert cache.get("1", (1, "d"), "k") is None  # a write: the old state's replies are gone
    assert cache.get("1", (0, "d"), "k") is None
    assert cache.bytes == 0


def test_a_reply_computed_before_a_write_is_not_kept_after_it():
    cache = ReplyCache()
    cache.get("1", (0, "d"), "k")
    cache.get("1", (1, "d"), "other")  # another call saw the newer state first
    cache.put("1", (0, "d"), "k", b"stale")
    assert cache.get("1", (1, "d"), "k") is None


def test_namespaces_keep_their_own_replies():
    cache = ReplyCache()
    for ns in ("1", "2"):
        cache.get(ns, 0, "k")
        cache.put(ns, 0, "k", ns.encode())
    cache.get("1", 1, "k")
    assert cache.get("2", 0, "k") == b"2"


def test_the_oldest_replies_go_first_past_the_bound():
    cache = ReplyCache(max_bytes=40)
    cache.get("1", 0, "a")
    for key in "abcde":
        cache.put("1", 0, key, key.encode() * 10)
    assert cache.bytes <= 40
    assert cache.get("1", 0, "a") is None
    assert cache.get("1", 0, "e") == b"e" * 10


def test_each_table_of_a_namespace_counts_its_own_writes():
    store = Store(None, SCHEMA + "CREATE TABLE tags (id INTEGER PRIMARY KEY, ns INTEGER NOT NULL);")
    versions = Versions(store, ["notes", "tags"], "ns")
    with store.tx() as c:
        c.execute("INSERT INTO notes(id, ns, text) VALUES (1, 1, 'a')")
        c.execute("INSERT INTO tags(id, ns) VALUES (1, 2)")
    assert [versions.of_table(ns, t)[1] for ns in (1, 2) for t in ("notes", "tags")] == [1, 0, 0, 1]
    epoch = versions.of_table(1, "notes")[0]
    versions.restore({"1": 5}, 5)  # rows that came in without the triggers: every table's count starts again
    assert versions.of_table(1, "notes") == (epoch + 1, 0)


class _TwoTables(ToyWorld):
    """The toy world (notes) with a second table, and a call counter."""

    name = "two"
    schema = (
        ToyWorld.schema
        + """
    CREATE TABLE IF NOT EXISTS tags (id INTEGER PRIMARY KEY, namespace TEXT NOT NULL, tag TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS hits (namespace TEXT PRIMARY KEY, n INTEGER NOT NULL);
    """
    )
    call_counter_tables = ("hits",)


def _write(world: World, sql: str, *args: object) -> None:
    with world.store.tx() as c:
        c.execute(sql, args)


def test_a_namespace_snapshot_rereads_only_the_tables_written_since_and_always_shows_them_as_stored():
    world = _TwoTables()
    _write(world, "INSERT INTO notes(namespace, text) VALUES ('a', 'one')")
    _write(world, "INSERT INTO tags(namespace, tag) VALUES ('a', 'red')")
    first = world.export_state("a")["tables"]
    _write(world, "UPDATE notes SET text = 'two' WHERE namespace = 'a'")
    _write(world, "INSERT INTO tags(namespace, tag) VALUES ('b', 'blue')")  # another namespace's row
    _write(world, "INSERT INTO hits(namespace, n) VALUES ('a', 1)")  # a call counter: no version of its own
    second = world.export_state("a")["tables"]
    assert second["tags"] is first["tags"]  # not written in this namespace: the rows read before
    assert second["notes"] is not first["notes"]
    assert second == world.store.dump(["notes", "tags", "hits"], "namespace", "a")
    assert second["hits"] == [{"namespace": "a", "n": 1}]
    _write(world, "DELETE FROM tags WHERE namespace = 'a'")
    assert world.export_state("a")["tables"]["tags"] == []
    assert world.export_state("b")["tables"]["tags"] == [{"id": 2, "namespace": "b", "tag": "blue"}]


def test_a_restored_world_reads_its_tables_again():
    world = _TwoTables()
    _write(world, "INSERT INTO notes(namespace, text) VALUES ('a', 'one')")
    world.export_state("a")
    with world.store.read() as c:  # rows written past the triggers, as a snapshot's restore brings them
        c.execute("DROP TRIGGER temp.kasim_written_notes_1")
        c.execute("UPDATE notes SET text = 'restored'")
    world.versions.restore(*world.versions.counts())
    assert world.export_state("a")["tables"]["notes"][0]["text"] == "restored"


def test_a_world_keeps_the_rows_of_a_few_namespaces_only():
    world = _TwoTables()
    for n in range(20):
        world.export_state(str(n))
    assert len(world._dumps) == 8
