"""The `late` and `hold` fault kinds: a request processed only after its client gave up, and a reply held
while other requests run. They make a busy server's orderings happen on purpose."""

from __future__ import annotations

import threading

import pytest
import requests

from simkit.fault_kinds import Held

from .toykit import notes


def test_a_late_request_times_out_at_once_and_is_processed_only_when_released(toy, toy_world):
    toy.add_fault(kind="late", route="/api/note", times=1)
    with pytest.raises(requests.exceptions.ReadTimeout):
        toy.request("POST", "/api/note", json={"text": "late"})
    assert notes(toy_world) == 2
    assert [h["kind"] for h in toy.json("GET", "/__sim/faults")["held"]] == ["late"]
    toy.request("POST", "/api/note", json={"text": "newer"})  # a newer request overtakes it
    assert notes(toy_world) == 3
    assert toy.json("POST", "/__sim/faults/release") == {"released": 1}
    assert notes(toy_world) == 4
    assert toy.json("GET", "/__sim/faults")["held"] == []
    late = [e for e in toy_world.journal.entries() if e.get("late")]
    assert len(late) == 1 and late[0]["response"]["status"] == 200


def test_release_with_nothing_held_releases_nothing(toy):
    assert toy.json("POST", "/__sim/faults/release") == {"released": 0}


def test_a_held_reply_waits_for_release_while_other_requests_run(toy, toy_world):
    toy.add_fault(kind="hold", route="/api/notes", times=1)
    replies: list = []
    reader = threading.Thread(target=lambda: replies.append(toy.json("GET", "/api/notes")))
    reader.start()
    while not toy.json("GET", "/__sim/faults")["held"]:
        reader.join(0.005)
    toy.request("POST", "/api/note", json={"text": "in between"})
    assert not replies  # still held
    toy.json("POST", "/__sim/faults/release")
    reader.join(5)
    assert replies and notes(toy_world) == 3
    assert replies[0]["count"] == 2, "the held reply was read before the write in between"


def test_a_held_reply_past_the_clients_timeout_is_lost(toy_app):
    from harness.clients import SimClient

    from .toykit import TOY_URL

    impatient = SimClient(TOY_URL, app=toy_app, timeout=0.05)
    impatient.add_fault(kind="hold", route="/api/note", times=1)
    with pytest.raises(requests.exceptions.ReadTimeout):
        impatient.request("POST", "/api/note", json={"text": "processed, reply lost"})
    assert notes(toy_app.extensions["kasim.world"]) == 3


def test_a_waiter_for_a_held_request_wakes_when_one_is_held_and_not_before(toy_world):
    faults = toy_world.faults
    assert faults.wait_held(0, 0) == 0  # none held: the count at once
    woke: list[int] = []
    waiter = threading.Thread(target=lambda: woke.append(faults.wait_held(0, None)))  # no time limit
    waiter.start()
    waiter.join(0.05)
    assert waiter.is_alive() and woke == []  # nothing held yet: still waiting
    faults.hold(Held(1, "hold", None, lambda: None))
    waiter.join(10)  # a waiter nobody wakes would wait forever
    assert woke == [1]
