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
