"""simkit.journal: secrets redacted before anything is stored; entries in order, filtered, bounded."""

from __future__ import annotations

import threading

from simkit.clock import VirtualClock
from simkit.journal import REDACTED, Journal, redact, redact_query, redact_text


def test_secret_looking_keys_are_redacted_at_any_depth():
    data = {
        "authenticationToken": "abc",
        "nested": [{"password": "p", "apiKey": "k", "ok": 1}],
        "client_secret": "s",
        "Token": "t",
    }
    assert redact(data) == {
        "authenticationToken": REDACTED,
        "nested": [{"password": REDACTED, "apiKey": REDACTED, "ok": 1}],
        "client_secret": REDACTED,
        "Token": REDACTED,
    }


def test_ordinary_keys_and_empty_secrets_are_kept():
    assert redact({"boxCode": "KS1", "token": None, "password": ""}) == {
        "boxCode": "KS1",
        "token": None,
        "password": "",
    }


def test_a_list_of_tokens_under_a_secret_key_is_redacted_whole():
    assert redact({"tokens": [{"token": "a"}]}) == {"tokens": REDACTED}


def test_query_strings_are_redacted():
    assert redact_query("authenticationToken=abc&date=2026-11-27") == {
        "authenticationToken": REDACTED,
        "date": "2026-11-27",
    }


def test_secrets_in_text_are_redacted():
    text = '{"authenticationToken": "qcz9ib308j6m6mp6136gv24mby", "poItemId": 1,'
    assert redact_text(text) == '{"authenticationToken": "[redacted]", "poItemId": 1,'
    assert (
        redact_text("username=a%40b.example&password=komet123")
        == "username=a%40b.example&password=[redacted]"
    )
    assert redact_text("token: abc def") == "token: [redacted] def"


def test_text_without_secrets_is_kept():
    assert redact_text('{"poItemId": 1, "boxCodes": ["A"]}') == '{"poItemId": 1, "boxCodes": ["A"]}'


def _journal(limit: int = 100) -> Journal:
    return Journal("toy", VirtualClock(), limit=limit)


def test_entries_are_numbered_in_order_with_the_virtual_time():
    journal = _journal()
    journal.record({"op": "a"})
    journal.record({"op": "b"})
    assert [(e["seq"], e["op"], e["at"], e["app"]) for e in journal.entries()] == [
        (1, "a", "2026-11-26T06:00:00", "toy"),
        (2, "b", "2026-11-26T06:00:00", "toy"),
    ]
    assert journal.last_seq == 2


def test_entries_filter_by_namespace_correlation_and_since():
    journal = _journal()
    journal.record({"namespace": "1", "correlation": "x"})
    journal.record({"namespace": "2", "correlation": "x"})
    journal.record({"namespace": "1", "correlation": "y"})
    assert [e["seq"] for e in journal.entries(namespace="1")] == [1, 3]
    assert [e["seq"] for e in journal.entries(correlation="x")] == [1, 2]
    assert [e["seq"] for e in journal.entries(since=2)] == [3]


def test_clearing_one_namespace_keeps_the_others():
    journal = _journal()
    for ns in ("1", "2", "1"):
        journal.record({"namespace": ns})
    assert journal.clear("1") == 2
    assert [e["namespace"] for e in journal.entries()] == ["2"]
    assert journal.clear() == 1 and journal.entries() == []


def test_the_journal_is_bounded_keeping_the_newest():
    journal = _journal(limit=3)
    for n in range(5):
        journal.record({"n": n})
    assert [e["n"] for e in journal.entries()] == [2, 3, 4]
    assert journal.last_seq == 5


def test_concurrent_records_get_distinct_numbers():
    journal = _journal(limit=10_000)

    def write():
        for _ in range(200):
            journal.record({})

    threads = [threading.Thread(target=write) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seqs = [e["seq"] for e in journal.entries()]
    assert sorted(seqs) == list(range(1, 1601))
