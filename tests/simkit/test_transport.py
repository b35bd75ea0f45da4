"""simkit.transport: requests routed straight into the WSGI app, with faults surfacing as the same
requests exceptions a real socket gives."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
import requests

from simkit import fault_kinds
from simkit.transport import mount

from .toykit import TOY_URL, notes


def test_requests_reach_the_app_in_process(toy, toy_world):
    resp = toy.request("POST", "/api/note", json={"text": "hi"}, params={"x": "1"})
    assert resp.status_code == 200 and resp.json()["count"] == notes(toy_world) == 3
    assert resp.headers["Content-Type"] == "application/json"
    assert resp.url == f"{TOY_URL}/api/note?x=1"


def test_only_the_mounted_base_url_is_routed(toy_app):
    session = mount(requests.Session(), TOY_URL, toy_app)
    with pytest.raises(requests.exceptions.ConnectionError):
        session.get("http://unmounted.invalid/api/notes", timeout=1)


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    """What the fault layer waits for, recorded instead of slept."""
    waited: list[float] = []
    monkeypatch.setattr(fault_kinds, "time", SimpleNamespace(sleep=waited.append))
    return waited


def test_a_timeout_fault_is_a_read_timeout_in_process_at_once(toy, toy_world, sleeps):
    toy.add_fault(kind="timeout", route="/api/note", times=1)  # 30 s: in process nobody waits for it
    with pytest.raises(requests.exceptions.ReadTimeout):
        toy.request("POST", "/api/note", json={"text": "never"})
    assert sleeps == []
    assert notes(toy_world) == 2


def test_a_reset_fault_is_a_connection_error_in_process(toy, toy_world):
    toy.add_fault(kind="reset", route="/api/note", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        toy.request("POST", "/api/note", json={})
    assert notes(toy_world) == 2


def test_a_lost_response_in_process_is_processed_then_a_connection_error(toy, toy_world):
    toy.add_fault(kind="lost_response", route="/api/note", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        toy.request("POST", "/api/note", json={})
    assert notes(toy_world) == 3


def test_latency_beyond_the_client_timeout_is_a_read_timeout_but_the_work_is_done(toy, toy_world, sleeps):
    toy.add_fault(kind="latency", route="/api/note", delay="5s", times=1)
    with pytest.raises(requests.exceptions.ReadTimeout):
        toy.request("POST", "/api/note", json={}, timeout=0.1)
    assert sleeps == [0.1]  # the client's timeout, not the 5 s delay
    assert notes(toy_world) == 3


def test_latency_within_the_client_timeout_delays_the_reply_by_the_rule_s_delay(toy, sleeps):
    toy.add_fault(kind="latency", route="/api/notes", delay="250ms", times=1)
    assert toy.request("GET", "/api/notes", timeout=5).status_code == 200
    assert sleeps == [0.25]


def test_a_streamed_body_is_sent_in_process_as_over_a_socket(toy, toy_world):
    resp = toy.request(
        "POST",
        "/api/note",
        data=iter([b'{"text": ', b'"streamed"}']),
        headers={"Content-Type": "application/json"},
    )
    assert resp.status_code == 200 and resp.json()["count"] == 3


def test_a_file_body_is_sent_in_process(toy):
    resp = toy.request(
        "POST",
        "/api/note",
        data=io.BytesIO(b'{"text": "file"}'),
        headers={"Content-Type": "application/json"},
    )
    assert resp.status_code == 200 and resp.json()["count"] == 3


def test_the_journal_records_in_process_calls_with_secrets_redacted(toy):
    toy.request("POST", "/api/note", json={"text": "x", "authToken": "s3cret"})
    [entry] = toy.journal()["entries"]
    assert entry["request"]["body"] == {"text": "x", "authToken": "[redacted]"}
    assert entry["response"]["body"]["authToken"] == "[redacted]"
    assert "s3cret" not in str(toy.journal())
