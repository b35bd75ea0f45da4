"""simkit.snapshot: a world restored from a snapshot is the world it was taken from (rows, journal, write counters,
ticks, seed); rewrite swaps exact texts; a snapshot that cannot make the world leaves it untouched."""

from __future__ import annotations

import pytest

from harness.clients import SimClient
from simkit import snapshot
from simkit.clock import VirtualClock

from .toykit import TOY_URL, ToyWorld, make_toy, notes


def _world_of(app) -> ToyWorld:
    return app.extensions["kasim.world"]


def _used(app) -> SimClient:
    """The toy app after a few journaled writes, one of them carrying a secret-looking value."""
    client = SimClient(TOY_URL, app=app, timeout=5)
    for text in ("one", "two at http://komet.test:5001/api"):
        client.json("POST", "/api/note", {"text": text, "authToken": "abcdefghijklmnop"})
    return client


def _world_with_a_longer_port() -> ToyWorld:
    """A used toy world whose notes also hold a port that starts with the one a rewrite swaps (50011, 5001)."""
    app = make_toy()
    _used(app)
    world = _world_of(app)
    with world.store.tx() as c:
        c.execute("INSERT INTO notes(namespace, text) VALUES ('a', 'port http://komet.test:50011 stays')")
    return world


def test_a_restored_world_holds_the_rows_journal_counters_ticks_and_seed():
    app = make_toy(seed=5)
    _used(app)
    world = _world_of(app)
    taken = snapshot.take(world)
    fresh = ToyWorld(seed=0)
    snapshot.restore(fresh, taken)
    assert fresh.store.dump() == world.store.dump()
    assert fresh.journal.entries() == world.journal.entries()
    assert fresh.journal.last_seq == world.journal.last_seq
    assert fresh.journal.bytes == world.journal.bytes
    assert fresh.versions.counts() == world.versions.counts()
    assert fresh.clock.ticks == world.clock.ticks
    assert fresh.seed == 5
    # and it goes on as the original would: the next entry is numbered after the restored ones
    fresh.journal.record({"request": {"method": "GET", "path": "/x"}})
    assert fresh.journal.entries()[-1]["seq"] == world.journal.last_seq + 1
    assert fresh.clock.tick() == world.clock.ticks + 1


def test_restored_secrets_are_still_blanked():
    """The world's secrets are read again after a restore (its pages came in without the triggers)."""
    app = make_toy()
    world = _world_of(app)
    with world.store.tx() as c:
        c.execute("INSERT INTO notes(namespace, text) VALUES ('a', 'the secret is s3cr3t-value-1234')")
    fresh = ToyWorld()
    fresh.secret_columns = (("notes", "text"),)
    assert "s3cr3t-value-1234" not in " ".join(fresh.secrets())
    snapshot.restore(fresh, snapshot.take(world))
    assert any("s3cr3t-value-1234" in s for s in fresh.secrets())


def test_rewrite_swaps_texts_in_rows_and_journal_but_not_the_start_of_longer_numbers():
    world = _world_with_a_longer_port()
    moved = snapshot.rewrite(snapshot.take(world), [("http://komet.test:5001", "http://komet.test:6100")])
    fresh = ToyWorld()
    snapshot.restore(fresh, moved)
    texts = [r["text"] for r in fresh.store.dump()["notes"]]
    assert "two at http://komet.test:6100/api" in texts
    assert "port http://komet.test:50011 stays" in texts
    assert "http://komet.test:6100/api" in str(fresh.journal.entries())
    assert "komet.test:5001/" not in str(fresh.journal.entries())


def test_swapper_replaces_all_at_once():
    swap = snapshot.swapper([("A1", "B1"), ("B1", "A1")])
    assert swap("A1 B1 A12") == "B1 A1 A12"


def test_a_snapshot_of_another_kind_or_a_damaged_one_leaves_the_world_untouched():
    app = make_toy()
    _used(app)
    taken = snapshot.take(_world_of(app))
    other = ToyWorld()
    other.name = "other"
    with pytest.raises(ValueError, match="cannot make"):
        snapshot.restore(other, taken)
    fresh = ToyWorld()
    with pytest.raises(ValueError):
        snapshot.restore(fresh, snapshot.Snapshot(**{**taken.__dict__, "database": b"not a database" * 100}))
    assert notes(fresh) == 0 and fresh.journal.entries() == []


def test_a_snapshot_of_other_tables_is_refused():
    app = make_toy()
    taken = snapshot.take(_world_of(app))

    class Wider(ToyWorld):
        schema = ToyWorld.schema + "CREATE TABLE IF NOT EXISTS more (id INTEGER PRIMARY KEY);"

    with pytest.raises(ValueError, match="not this world's"):
        snapshot.check(Wider(), taken)


def test_json_round_trip():
    app = make_toy(seed=3)
    _used(app)
    taken = snapshot.take(_world_of(app))
    assert snapshot.from_json(snapshot.to_json(taken)) == taken
    apart = snapshot.to_json(taken, database=False)  # the pages kept apart (the start-up cache's file)
    assert "database" not in apart
    assert snapshot.from_json(apart, taken.database) == taken


def test_ticks_resume_from_the_later_of_both():
    clock = VirtualClock()
    for _ in range(9):
        clock.tick()
    app = make_toy()
    world = ToyWorld(clock=clock)
    snapshot.restore(world, snapshot.take(_world_of(app)))  # the toy's clock gave fewer ticks
    assert clock.ticks == 9


def test_restore_checks_unless_told_the_snapshot_was_checked():
    taken = snapshot.take(_world_of(make_toy()))

    class Wider(ToyWorld):
        schema = ToyWorld.schema + "CREATE TABLE IF NOT EXISTS more (id INTEGER PRIMARY KEY);"

    with pytest.raises(ValueError, match="not this world's"):
        snapshot.restore(Wider(), taken)
    snapshot.restore(Wider(), taken, checked=True)  # the caller's word is taken: no second check


def test_rewrite_at_the_places_found_is_rewrite_everywhere():
    world = _world_with_a_longer_port()
    taken = snapshot.take(world)
    swaps = [("http://komet.test:5001", "http://komet.test:6100")]
    where = snapshot.places(taken, ["http://komet.test:5001"])
    assert where == {"notes": {"text": [4, 5]}}  # the note holding the URL, and the one holding a longer port
    everywhere, there = ToyWorld(), ToyWorld()
    snapshot.restore(everywhere, snapshot.rewrite(taken, swaps))
    snapshot.restore(there, snapshot.rewrite(taken, swaps, where))
    assert there.store.dump() == everywhere.store.dump()
    assert there.journal.entries() == everywhere.journal.entries()


def test_rewrite_with_places_reads_only_those_values():
    app = make_toy()
    _used(app)
    taken = snapshot.take(_world_of(app))
    untouched = ToyWorld()
    snapshot.restore(untouched, snapshot.rewrite(taken, [("http://komet.test:5001", "http://x.test:1")], {}))
    assert "two at http://komet.test:5001/api" in [r["text"] for r in untouched.store.dump()["notes"]]


@pytest.mark.parametrize("where", [{"nope": {"text": [1]}}, {"notes": {'text" = 1; --': [1]}}])
def test_places_the_database_does_not_have_are_refused(where):
    taken = snapshot.take(_world_of(make_toy()))
    with pytest.raises(ValueError, match="cannot be rewritten"):
        snapshot.rewrite(taken, [("a", "b")], where)


def test_a_snapshot_of_tables_declared_otherwise_is_refused():
    """Same names and columns, another declaration (a constraint): not this world's tables."""
    taken = snapshot.take(_world_of(make_toy()))

    class Stricter(ToyWorld):
        schema = ToyWorld.schema.replace("text TEXT NOT NULL", "text TEXT NOT NULL UNIQUE")

    assert "UNIQUE" in Stricter.schema
    with pytest.raises(ValueError, match="not this world's"):
        snapshot.check(Stricter(), taken)
