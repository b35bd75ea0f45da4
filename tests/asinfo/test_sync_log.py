"""The sync log's reply: the newest entries first, a hundred at most (an account syncing every few minutes
would otherwise answer with its whole history)."""

from __future__ import annotations


def test_the_sync_log_answers_the_newest_hundred(ip):
    for _ in range(101):
        ip.asinfo.sync()
    entries = ip.asinfo.json("GET", "/api/sync-log")["entries"]
    assert len(entries) == 100
    ids = [e["id"] for e in entries]
    assert ids == sorted(ids, reverse=True)


def test_the_sync_log_of_one_connection(ip):
    ip.asinfo.sync()
    [connection] = ip.asinfo.connections()
    entries = ip.asinfo.json("GET", "/api/sync-log", params={"connectionId": connection["id"]})["entries"]
    assert entries and {e["connectionId"] for e in entries} == {connection["id"]}


def test_the_entry_a_sync_answers_is_the_one_the_log_keeps(ip, monkeypatch):
    """The entry is answered as it was written, not read back: the same, whatever the sync did (changes, more
    than the log keeps, a change that sends a confirmation again, a failure)."""
    from .test_sync import fail_from_third_call
    from .test_sync_fast_path import _late_confirmation
    from .test_sync_reading import ListedAs

    answered = []

    def sync():
        resp = ip.asinfo.request("POST", "/api/sync")
        answered.extend(resp.json()["syncs"])

    sync()
    _late_confirmation(
        ip, []
    )  # the next sync sends the newer confirmation again, between its apply and its log
    sync()
    first = ip.asinfo.orders()[0]
    many = [
        {"id": 900000 + i, "number": f"M{i}", "shipDate": first["shipDate"], "status": "A"}
        for i in range(501)
    ]
    world = ip.apps[1].extensions["kasim.world"]
    with monkeypatch.context() as m:
        m.setattr(world, "komet", lambda connection: ListedAs([many]))
        sync()
    fail_from_third_call(ip)
    sync()
    assert [e["result"] for e in answered] == ["ok", "ok", "ok", "error"]
    assert any(c.endswith("again.") for c in answered[1]["changes"])
    assert len(answered[2]["changes"]) == 500
    kept = {e["id"]: e for e in ip.asinfo.json("GET", "/api/sync-log")["entries"]}
    assert [kept[e["id"]] for e in answered] == answered
