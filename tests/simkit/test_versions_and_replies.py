"""simkit.versions (a write counter per namespace, kept by SQLite) and simkit.reply_cache (replies filed under a
namespace's state, bounded by bytes)."""

from __future__ import annotations

from simkit.reply_cache import ReplyCache
from simkit.store import Store
from simkit.versions import Versions

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
