"""The served journal keeps to its byte bound, a setting (docs/decisions.md S3). RSS over thousands of calls is
measured by bench/journal_memory.py, not here."""

from __future__ import annotations

import komet_sim
from harness.clients import KometSimClient


def test_the_journal_keeps_to_its_byte_bound_over_many_large_replies():
    bound = 300_000
    app = komet_sim.create_app({"seed": 7, "seed_world": {"seed": 7}, "journal_bytes": bound})
    komet = KometSimClient("http://komet.test", app=app)
    seeded = app.extensions["kasim.seeded"]
    token = komet.create_token(type="Company", methods="all")["token"]
    journal = app.extensions["kasim.world"].journal
    for _ in range(40):
        reply = komet.api("purchase.order.list", token, date=seeded["shipDates"][0])
        assert reply["status"] == "1"
    assert journal.max_bytes == bound
    assert 0 < journal.bytes <= bound
    entries = komet.journal()["entries"]
    assert entries[-1]["seq"] == journal.last_seq  # the newest is kept, the oldest went
    assert entries[0]["seq"] > 1
    assert entries[-1]["response"]["body"]["purchaseOrders"] == reply["purchaseOrders"]
