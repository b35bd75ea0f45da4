"""simkit.journal: secrets redacted before anything is stored; entries in order, filtered, bounded."""

from __future__ import annotations

import json
import threading
import uuid

import pytest

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


def test_since_gives_every_later_entry_in_order_however_far_back_or_filtered():
    journal = _journal(limit=6)
    for n in range(10):
        journal.record({"namespace": str(n % 2), "n": n})
    kept = [e["seq"] for e in journal.entries()]
    assert kept == [5, 6, 7, 8, 9, 10]
    for since in range(0, 12):
        assert [e["seq"] for e in journal.entries(since=since)] == [s for s in kept if s > since]
        assert [e["seq"] for e in journal.entries(namespace="1", since=since)] == [
            s for s in kept if s > since and (s - 1) % 2 == 1
        ]


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


# --- by value, compact, bounded by bytes (docs/decisions.md S3) ------------------------------------------

SECRET = "k2x9q7w3m5n8p1r4t6y0z2a4b6"


def _with_secrets(*secrets: str, **kw) -> Journal:
    return Journal("toy", VirtualClock(), secrets=lambda: frozenset(secrets), **kw)


@pytest.mark.parametrize(
    "entry",
    [
        {"request": {"body": {"unknownKey": SECRET}}},
        {"request": {"query": {"date": f"2026-11-27;authenticationToken={SECRET}"}}},
        {"request": {"body": f"text around {SECRET} it"}},
        {"response": {"status": 200, "body": {"list": [{"note": f"x{SECRET}x"}]}}},
    ],
    ids=["unknown-key", "semicolon-query", "text", "reply"],
)
def test_every_secret_the_world_holds_is_blanked_wherever_it_is(entry):
    journal = _with_secrets(SECRET)
    journal.record(entry)
    text = json.dumps(journal.entries())
    assert SECRET not in text and REDACTED in text


def test_a_reply_body_kept_as_bytes_is_blanked_too():
    journal = _with_secrets(SECRET)
    journal.record({"response": {"status": 200}}, body=json.dumps({"token": SECRET, "n": 1}).encode())
    assert journal.entries()[0]["response"]["body"] == {"token": REDACTED, "n": 1}


def test_a_secret_with_characters_json_escapes_is_blanked_in_either_spelling():
    odd = 'tok"en\\é-0123456789'
    journal = _with_secrets(odd)
    journal.record({"request": {"body": {"x": odd}}}, body=json.dumps({"y": odd}).encode())
    text = json.dumps(journal.entries(), ensure_ascii=False)
    assert "0123456789" not in text


def test_short_values_are_not_blanked_everywhere():
    """A one-letter "token" would blank every such letter: values this short are hidden by key only."""
    journal = _with_secrets("t")
    journal.record({"request": {"path": "/api/test"}})
    assert journal.entries()[0]["request"]["path"] == "/api/test"


def test_an_entry_is_stored_serialised_not_as_the_objects_it_was_given():
    journal = _journal()
    reply = {"purchaseOrders": [{"id": 1}]}
    journal.record({"response": {"status": 200, "body": reply}})
    reply["purchaseOrders"].append({"id": 2})
    assert journal.entries()[0]["response"]["body"] == {"purchaseOrders": [{"id": 1}]}


def test_the_journal_is_bounded_by_bytes_keeping_the_newest():
    journal = _with_secrets(max_bytes=20_000)
    for n in range(100):
        journal.record({"n": n}, body=json.dumps({"filler": "x" * 1000}).encode())
    kept = [e["n"] for e in journal.entries()]
    assert journal.bytes <= 20_000
    assert kept == list(range(100 - len(kept), 100)) and 10 <= len(kept) < 20


def test_one_reply_larger_than_a_quarter_of_the_bound_is_kept_as_its_size():
    journal = _with_secrets(max_bytes=8_000)
    journal.record({"n": 1}, body=b"[" + b"1," * 2000 + b"1]")
    assert journal.entries()[0]["response"]["body"]["bytes"] == 4003


def test_a_reply_recorded_again_with_its_request_secret_as_a_new_set_is_redacted_by_key_once(monkeypatch):
    """The same reply bytes (a cached read) with the caller's token given afresh each call: the walk for secret
    keys runs once, not per call."""
    import simkit.journal as journal_module

    scans: list[int] = []
    real = journal_module.may_hold_secrets
    monkeypatch.setattr(journal_module, "may_hold_secrets", lambda raw: scans.append(1) or real(raw))
    journal = _with_secrets(SECRET)
    body = json.dumps({"token": "x" * 20, "n": 1}).encode()
    for _ in range(3):
        journal.record({"response": {"status": 200}}, body=body, secrets={SECRET})
    assert len(scans) == 1
    assert [e["response"]["body"] for e in journal.entries()] == [{"token": REDACTED, "n": 1}] * 3


def test_the_same_reply_recorded_with_another_secret_is_blanked_of_that_one():
    journal = _with_secrets()
    other = "another-secret-value-42"
    body = json.dumps({"note": f"{SECRET} and {other}"}).encode()
    journal.record({"response": {"status": 200}}, body=body, secrets={SECRET})
    journal.record({"response": {"status": 200}}, body=body, secrets={other})
    first, second = (e["response"]["body"]["note"] for e in journal.entries())
    assert SECRET not in first and other in first
    assert other not in second and SECRET in second


def test_a_secret_word_in_any_case_marks_a_reply_for_the_walk():
    from simkit.journal import may_hold_secrets

    assert may_hold_secrets(b'{"ApiKey": 1}') and may_hold_secrets(b'{"x": "PassWord"}')
    assert not may_hold_secrets(b'{"purchaseOrders": []}')


@pytest.mark.parametrize(
    ("raw", "in_a_key"),
    [
        (b'{"description": "Rose Secret Garden 60cm"}', False),
        (b'["secret", {"n": "a token\\\\"}]', False),  # an escaped backslash, then the end
        (b'{"note": "token\\": 1", "n": 2}', False),  # an escaped quote does not end the value
        (b'{"ApiKey": 1}', True),
        (b'{"x": {"myToken" \n : "v"}}', True),
        (b'{"a\\"PASSWORD": 1}', True),
        (b'{"a": "secret", "secretive": 1}', True),
        (b'{"a": "token', True),  # not JSON: in doubt
        (b"token=abc", True),
        (b'{"note": "Secret Garden", "\\u0074oken": "abcdefgh1"}', True),  # a key spelled with an escape
    ],
)
def test_only_a_secret_word_in_a_key_sends_a_reply_to_the_walk(raw, in_a_key):
    from simkit.journal import secret_word_in_a_key

    assert secret_word_in_a_key(raw) is in_a_key


def test_a_reply_with_a_secret_word_only_in_its_values_is_kept_as_sent_and_reads_back_the_same():
    journal = _with_secrets()
    body = b'{"purchaseOrders":[{"productDescription":"Rose Secret Garden 60cm","boxes":2}],"n":1.0}'
    journal.record({"response": {"status": 200}}, body=body)
    assert journal._entries[-1].body is body
    assert journal.entries()[0]["response"]["body"] == json.loads(body)
    keyed = b'{"purchaseOrders":[{"productDescription":"Rose Secret Garden 60cm","token":"abcdefgh1"}]}'
    journal.record({"response": {"status": 200}}, body=keyed)
    assert journal.entries()[1]["response"]["body"]["purchaseOrders"][0]["token"] == REDACTED


def test_a_query_string_seen_before_is_not_parsed_again_and_still_reports_its_secrets(monkeypatch):
    import simkit.journal as journal_module

    parsed: list[str] = []
    real = journal_module.parse_qsl
    monkeypatch.setattr(journal_module, "parse_qsl", lambda q, **kw: parsed.append(q) or real(q, **kw))
    token = f"a-token-seen-twice-{uuid.uuid4().hex}"  # a query the process has not seen (the memo is global)
    query = f"authenticationToken={token}&date=2026-11-27"
    first, second = set(), set()
    one, two = redact_query(query, first), redact_query(query, second)
    assert one == two == {"authenticationToken": REDACTED, "date": "2026-11-27"} and one is not two
    assert first == second == {token}
    assert parsed == [query]
