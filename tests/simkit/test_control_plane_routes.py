"""The /__sim control plane as simkit provides it, on the toy simulator: reset, seed, state, clock,
faults, journal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from harness.clients import SimClient

from .toykit import TOY_URL, notes


def test_health(toy):
    assert toy.health()["status"] == "ok" and toy.health()["app"] == "toy"


def test_reset_of_one_namespace_keeps_the_others(toy, toy_world):
    assert toy.reset("a") == {"status": "ok", "reset": "a"}
    assert toy_world.namespaces() == ["b"]


def test_reset_of_an_unknown_namespace_is_404(toy):
    assert toy.request("POST", "/__sim/reset", params={"namespace": "zzz"}).status_code == 404


def test_reset_of_everything_clears_state_journal_and_faults(toy, toy_world):
    toy.request("POST", "/api/note", json={})
    toy.add_fault(kind="error", route="/nothing")
    toy.reset()
    assert notes(toy_world) == 0
    assert toy.journal()["entries"] == [] and toy.json("GET", "/__sim/faults")["faults"] == []


def test_state_of_one_namespace_holds_only_its_rows(toy):
    state = toy.state("b")
    assert state["namespace"] == "b"
    assert [r["namespace"] for r in state["tables"]["notes"]] == ["b"]


def test_a_namespace_snapshot_restores_only_that_namespace(toy, toy_world):
    snapshot = toy.state("a")
    toy.request("POST", "/api/note", json={"text": "later"}, headers={"X-Kasim-Namespace": "a"})
    toy.request("POST", "/api/note", json={"text": "kept"}, headers={"X-Kasim-Namespace": "b"})
    toy.put_state(snapshot)
    assert toy.state("a") == snapshot
    assert len(toy.state("b")["tables"]["notes"]) == 2


def test_a_namespace_snapshot_with_a_foreign_row_is_refused(toy):
    snapshot = toy.state("a")
    snapshot["tables"]["notes"].append({"id": 99, "namespace": "b", "text": "sneaky"})
    before = toy.state()
    assert toy.request("PUT", "/__sim/state", json=snapshot).status_code == 400
    assert toy.state() == before


def test_seed_answers_what_the_world_made(toy):
    assert toy.seed(seed=4) == {"seed": 4}


def test_housekeeping_routes_are_not_journaled(toy):
    toy.health()
    toy.state()
    toy.clock()
    toy.request("GET", "/api/notes")
    assert [e["request"]["path"] for e in toy.journal()["entries"]] == ["/api/notes"]


def test_the_journal_since_and_last(toy):
    for _ in range(3):
        toy.request("GET", "/api/notes")
    journal = toy.journal()
    assert journal["last"] == 3
    assert [e["seq"] for e in toy.journal(since=1)["entries"]] == [2, 3]


@pytest.mark.parametrize("query", ["since=abc", "since=-1"])
def test_a_bad_journal_query_is_400(toy, query):
    assert toy.request("GET", f"/__sim/journal?{query}").status_code == 400


def test_the_journal_is_filtered_by_correlation(toy):
    toy.request("GET", "/api/notes", headers={"X-Kasim-Correlation": "run-1"})
    toy.request("GET", "/api/notes", headers={"X-Kasim-Correlation": "run-2"})
    entries = toy.json("GET", "/__sim/journal", params={"correlation": "run-1"})["entries"]
    assert [e["correlation"] for e in entries] == ["run-1"]


def test_faults_are_cleared_by_id(toy):
    first = toy.add_fault(kind="error", route="/a")
    second = toy.add_fault(kind="error", route="/b")
    assert toy.json("DELETE", f"/__sim/faults?id={first['id']}") == {"removed": 1}
    assert [f["id"] for f in toy.json("GET", "/__sim/faults")["faults"]] == [second["id"]]


def test_several_faults_are_added_at_once(toy):
    added = toy.json("POST", "/__sim/faults", {"faults": [{"kind": "error"}, {"kind": "reset"}]})
    assert [f["kind"] for f in added["faults"]] == ["error", "reset"]


def test_the_clock_persists_with_the_state_dir(tmp_path):
    from .toykit import ToyWorld

    world = ToyWorld(state_dir=tmp_path)
    world.clock.apply(advance=timedelta(days=2))
    assert ToyWorld(state_dir=tmp_path).clock.stamp() == "2026-11-28T06:00:00"


CLOCK_REFUSALS = [
    ({}, "advance"),
    ({"speed": 2}, "speed"),
    ({"advance": "1h", "colour": "red"}, "colour"),
    ({"running": "yes"}, "running"),
    ({"advance": "later"}, "advance"),
    ({"advance": True}, "advance"),
    ({"advance": 10**20}, "advance"),
    ({"advance": "99999999w"}, "advance"),
    ({"set": "tomorrow"}, "set"),
    ({"set": 20261201}, "set"),
    ({"set": "2026-12-01T00:00:00", "advance": "later"}, "advance"),
    ({"set": "9999-12-31T00:00:00", "advance": "2d"}, "advance"),
]


@pytest.mark.parametrize(("body", "field"), CLOCK_REFUSALS, ids=[str(b) for b, _ in CLOCK_REFUSALS])
def test_a_clock_body_it_cannot_read_is_400_naming_the_field_and_the_clock_stays(toy, body, field):
    before = toy.clock()
    resp = toy.request("POST", "/__sim/clock", json=body)
    assert resp.status_code == 400 and resp.json()["error"]["field"] == field
    assert toy.clock() == before


def test_one_namespace_clock_cannot_be_started_on_its_own(toy):
    resp = toy.request("POST", "/__sim/clock", params={"namespace": "a"}, json={"running": True})
    assert resp.status_code == 400 and resp.json()["error"]["field"] == "running"


@pytest.mark.parametrize(
    ("data", "ctype"),
    [
        ("advance=1h", "application/x-www-form-urlencoded"),
        ('{"advance": "1h"}', "text/plain"),
        ("[1]", "application/json"),
        ("{not json", "application/json"),
    ],
)
def test_a_body_that_is_not_a_json_object_sent_as_json_is_refused_at_body(toy, data, ctype):
    resp = toy.request("POST", "/__sim/clock", data=data, headers={"Content-Type": ctype})
    assert resp.status_code == 400 and resp.json()["error"]["field"] == "body"
    assert toy.clock()["now"] == "2026-11-26T06:00:00"


# --- GET /__sim/state?namespace= carries an ETag; If-None-Match answers 304 while nothing changed -------------


def _tag(toy, namespace: str, tag: str | None = None):
    return toy.state_if_changed(tag, namespace=namespace)


def test_an_unchanged_namespace_answers_304_without_a_body(toy):
    tag, state = _tag(toy, "a")
    assert tag and state["tables"]["notes"]
    resp = toy.request("GET", "/__sim/state", params={"namespace": "a"}, headers={"If-None-Match": tag})
    assert resp.status_code == 304 and resp.content == b"" and resp.headers["ETag"] == tag
    assert _tag(toy, "a", tag) == (tag, None)


def test_a_write_to_the_namespace_changes_its_tag_and_not_the_others(toy):
    tag_a, _ = _tag(toy, "a")
    tag_b, _ = _tag(toy, "b")
    toy.request("POST", "/api/note", json={"text": "new"}, headers={"X-Kasim-Namespace": "a"})
    new_a, state = _tag(toy, "a", tag_a)
    assert new_a != tag_a and [n["text"] for n in state["tables"]["notes"]] == ["hello a", "new"]
    assert _tag(toy, "b", tag_b) == (tag_b, None)


def test_the_clock_and_the_seed_change_the_tag(toy, toy_world):
    tag, _ = _tag(toy, "a")
    toy.clock(advance="1m")
    moved, state = _tag(toy, "a", tag)
    assert moved != tag and state["clock"] == toy_world.clock.to_json()
    toy_world.set_seed(toy_world.seed + 1)
    reseeded, state = _tag(toy, "a", moved)
    assert reseeded != moved and state["seed"] == toy_world.seed


def test_a_tag_of_another_world_is_not_taken_for_this_ones(toy):
    from .toykit import make_toy

    tag, _ = _tag(toy, "a")
    other = SimClient(TOY_URL, app=make_toy(), timeout=5)
    assert _tag(other, "a", tag)[1] is not None


def test_the_whole_world_snapshot_has_no_tag(toy):
    resp = toy.request("GET", "/__sim/state")
    assert resp.status_code == 200 and "ETag" not in resp.headers
