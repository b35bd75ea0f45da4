"""Reads are answered from the replies of the company's current state (simkit.reply_cache): every kind of write
makes the next read compute again, the day a read depends on does too, and the quota, faults and journal still
apply to every call. Each test reads, writes, and checks the read that follows is what the state now gives (the
cache emptied first), and that it changed: a stale cache fails both ways."""

from __future__ import annotations

import pytest

from ..testkit import PASSWORD
from .importer_portal_kit import sign_in
from .kometkit import SAMPLE_AWB, Kit


@pytest.fixture
def kit(komet_local, seeded) -> Kit:
    return Kit(komet_local, seeded)


@pytest.fixture
def read(komet_local, kit, seeded):
    """GET purchase.order.list (or another read) for the first ship date: the bytes as served."""

    def call(method: str = "purchase.order.list", token: str | None = None, **params) -> bytes:
        if method == "purchase.order.list" and not params:
            params = {"date": seeded["shipDates"][0]}
        reply = komet_local.api_response(method, token or kit.company_token, **params)
        assert reply.status_code == 200, reply.text
        return reply.content

    return call


@pytest.fixture
def fresh(read, komet_world):
    """The same read with every stored reply dropped first: what the state gives now."""

    def call(*args, **params) -> bytes:
        komet_world.replies.clear()
        return read(*args, **params)

    return call


def first_line(kit: Kit, vendor_id: int) -> dict:
    return kit.lines(vendor_id=vendor_id, first=True)[0]


def test_a_repeated_read_is_served_from_the_store(read, komet_world):
    first = read()
    hits = komet_world.replies.hits
    assert read() == first
    assert komet_world.replies.hits == hits + 1


def test_an_api_write_makes_the_next_read_compute_again(komet_local, kit, read, fresh, seeded):
    line = first_line(kit, seeded["vendors"][0]["id"])
    before = read()
    reply = komet_local.api(
        "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=1
    )
    assert reply["status"] == "1", reply
    after = read()
    assert after != before
    assert after == fresh()


def test_an_importer_action_makes_the_next_read_compute_again(komet_local, kit, read, fresh, seeded):
    line = first_line(kit, seeded["vendors"][0]["id"])
    before = read()
    komet_local.cancel_line(line["poItemId"])
    after = read()
    assert after != before
    assert after == fresh()


def test_the_importer_portal_makes_the_next_read_compute_again(komet_app, kit, read, fresh, seeded):
    po = seeded["purchaseOrders"][0]
    before = read(date=po["shipDate"])
    page = sign_in(komet_app.test_client(), seeded).post(
        f"/purchase-orders/{po['id']}/lines/{po['poItemIds'][0]}/cancel"
    )
    assert page.status_code in (200, 302)
    after = read(date=po["shipDate"])
    assert after != before
    assert after == fresh(date=po["shipDate"])


def test_a_confirmation_in_the_vendor_portal_makes_the_next_read_compute_again(
    komet_app, kit, read, fresh, seeded
):
    line = first_line(kit, seeded["vendors"][0]["id"])
    before = read()
    vendor = komet_app.test_client()
    signed = vendor.post(
        "/login", data={"username": seeded["vendorUsers"][0]["username"], "password": PASSWORD}
    )
    assert signed.status_code == 302
    vendor.post(f"/vendor/lines/{line['poItemId']}/confirm", data={"boxes": "1"})
    after = read()
    assert after != before
    assert after == fresh()


def test_a_vendor_action_makes_the_next_read_compute_again(komet_local, kit, read, fresh, seeded):
    vendor = seeded["vendors"][0]
    line = first_line(kit, vendor["id"])
    before = read()
    komet_local.vendor_confirm(vendor["id"], line["poItemId"], 1)
    after = read()
    assert after != before
    assert after == fresh()


@pytest.fixture
def shipped(kit, seeded) -> dict:
    line = kit.new_line(seeded["vendors"][0]["id"], boxes=1)
    kit.confirm(line)
    kit.ship(line, ["KS1000001"], awb=SAMPLE_AWB)
    return line


def _awb_open(read, shipped) -> int:
    import json

    [awb] = json.loads(read("awb.list", shipDate=shipped["shipDate"]))["awbs"]
    return awb["status"]


def test_the_clock_closes_an_awb_in_the_next_read(komet_local, read, fresh, shipped):
    """AWB closing depends on the day, not on a write: moving the clock is enough."""
    assert _awb_open(read, shipped) == 1
    komet_local.clock(advance="10d")
    assert _awb_open(read, shipped) == 0
    assert read("awb.list", shipDate=shipped["shipDate"]) == fresh("awb.list", shipDate=shipped["shipDate"])


def test_one_companys_clock_closes_its_awb_in_the_next_read(komet_local, read, shipped, seeded):
    assert _awb_open(read, shipped) == 1
    komet_local.clock(namespace=str(seeded["companyId"]), advance="10d")
    assert _awb_open(read, shipped) == 0


def test_restoring_a_state_makes_the_next_read_compute_again(komet_local, kit, read, seeded):
    line = first_line(kit, seeded["vendors"][0]["id"])
    snapshot = komet_local.state()
    before = read()
    komet_local.api(
        "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=1
    )
    assert read() != before
    komet_local.put_state(snapshot)
    assert read() == before


def test_a_reset_and_a_new_seed_make_the_next_read_compute_again(komet_local, komet_world, read):
    """The same company id and the same token after a whole reset and a smaller seed: only the rows differ."""
    komet_local.reset(None)
    made = komet_local.seed(seed=7, vendors=1, shipDays=1, posPerDay=3, linesPerPo=2)
    komet_local.namespace = str(made["companyId"])
    token = komet_local.create_token(type="Company", methods="all", description="one")["token"]
    before = read(token=token, date=made["shipDates"][0])
    komet_local.reset(None)
    again = komet_local.seed(seed=7, vendors=1, shipDays=1, posPerDay=2, linesPerPo=2)
    assert (again["companyId"], again["shipDates"][0]) == (made["companyId"], made["shipDates"][0])
    assert komet_local.create_token(type="Company", methods="all", description="one")["token"] == token
    after = read(token=token, date=made["shipDates"][0])
    assert after != before
    komet_world.replies.clear()
    assert after == read(token=token, date=made["shipDates"][0])


def test_the_quota_still_counts_every_read(komet_local, kit, read):
    kit.company_token  # noqa: B018 (made before the quota is lowered)
    komet_local.update_company(paidUsers=1, quotaPerUser=3)
    for _ in range(3):
        read()
    refused = komet_local.api("purchase.order.list", kit.company_token, date=kit.seeded["shipDates"][0])
    assert refused["status"] == "0"
    assert "limit" in refused["message"].lower()


def test_faults_and_the_journal_still_apply_to_every_read(komet_local, kit, read):
    read()
    komet_local.add_fault(kind="error", status=503, method="purchase.order.list", times=1)
    faulted = komet_local.api_response(
        "purchase.order.list", kit.company_token, date=kit.seeded["shipDates"][0]
    )
    assert faulted.status_code == 503
    since = komet_local.journal()["last"]
    read()
    read()
    entries = [
        e
        for e in komet_local.journal(since=since)["entries"]
        if e["request"]["path"] == "/api/purchase.order.list"
    ]
    assert len(entries) == 2
    assert all(e["response"]["body"]["status"] == "1" for e in entries)


def test_a_vendor_token_is_not_given_the_companys_reply(komet_local, kit, read, seeded):
    """What a token may see is part of what a reply is filed under."""
    company = read()
    vendor = read(token=kit.vendor_token(seeded["vendors"][0]["id"]))
    assert vendor != company


# --- what a repeated read no longer does per call -------------------------------------------------------


def test_a_read_answered_from_the_store_is_not_parsed_again(read, monkeypatch):
    from komet_sim.api import routes

    parsed: list[dict] = []
    real = routes.parse
    monkeypatch.setattr(
        routes, "parse", lambda specs, raw, **kw: parsed.append(dict(raw)) or real(specs, raw, **kw)
    )
    first = read()
    assert read() == first and read() == first
    assert len(parsed) == 1


def test_a_bad_parameter_is_refused_though_the_same_read_was_stored(komet_local, kit, read):
    """Only the parameters of a stored reply skip parsing: other ones are parsed, and refused, as ever."""
    read()
    refused = komet_local.api(
        "purchase.order.list", kit.company_token, date=kit.seeded["shipDates"][0], status="nonsense"
    )
    assert refused["status"] == "0" and "status" in refused["message"]
    unknown = komet_local.api(
        "purchase.order.list", kit.company_token, date=kit.seeded["shipDates"][0], x="1"
    )
    assert unknown["status"] == "0"


def test_a_query_string_seen_before_is_read_once_and_its_first_value_wins(komet_local, kit, monkeypatch):
    from werkzeug.wrappers import Request

    from komet_sim.api import routes

    reads: list[str] = []
    real = Request.args.fget  # werkzeug's cached_property is a property

    def counted(self):
        reads.append(self.environ.get("QUERY_STRING", ""))
        return real(self)

    monkeypatch.setattr(Request, "args", property(counted))
    monkeypatch.setattr(routes, "_QUERIES", {})
    query = f"authenticationToken={kit.company_token}&date={kit.seeded['shipDates'][0]}&date=2001-01-01"
    replies = [komet_local.request("GET", f"/api/purchase.order.list?{query}") for _ in range(3)]
    assert reads.count(query) == 1
    assert all(r.json()["status"] == "1" and r.json()["purchaseOrders"] for r in replies)
