"""The protocol verdict: each rule broken on purpose by a client that is not kasim's own harness, and the same
flow done right passes every rule."""

from __future__ import annotations

import pytest

from harness.clients import KometSimClient
from harness.topology import KOMET_IN_PROCESS, Topology

SEED = 5


@pytest.fixture
def komet():
    topo = Topology.in_process(seed=SEED)
    company = topo.komet.seed(seed=SEED, vendors=1, shipDays=1, posPerDay=1, linesPerPo=2)
    topo.komet.namespace = str(company["companyId"])
    token = topo.komet.create_token(vendor_id=company["vendors"][0]["id"], methods="asinfo")["token"]
    grower = KometSimClient(KOMET_IN_PROCESS, app=topo.apps[0])
    grower.session.headers["User-Agent"] = "test-grower/1.0"  # a client the verdict judges
    po = topo.komet.purchase_orders()[0]
    yield {"topo": topo, "grower": grower, "token": token, "po": po, "company": company}
    topo.close()


def verdict(k, **params) -> dict:
    return k["topo"].komet.verdict(**params)


def broken(k, **params) -> dict[str, list[dict]]:
    return {r["id"]: r["violations"] for r in verdict(k, **params)["rules"] if not r["ok"]}


def call(k, method: str, token=None, **params) -> dict:
    return k["grower"].api(method, k["token"] if token is None else token, **params)


def lines(k) -> list[dict]:
    return sorted(k["po"]["details"], key=lambda d: d["poItemId"])


def ship(k, item: dict, codes: list[str], lot: str = "100001") -> dict:
    return call(
        k, "purchase.order.item.awb.add", poItemId=item["poItemId"], awb="729-1234-5675",
        shipDate=k["po"]["shipDate"], boxCodes=codes, lotNumber=lot,
    )  # fmt: skip


def test_a_well_behaved_grower_keeps_every_rule(komet):
    line = lines(komet)[0]
    call(komet, "purchase.order.list", date=komet["po"]["shipDate"])
    call(
        komet, "purchase.order.item.confirm", poItemId=line["poItemId"], quantityConfirmed=line["totalBoxes"]
    )
    assert ship(komet, line, [f"GRW{i:05d}" for i in range(line["totalBoxes"])])["status"] == 1
    result = verdict(komet)
    assert result["ok"], broken(komet)
    assert result["calls"] == 3
    assert {r["id"] for r in result["rules"]} >= {
        "token-scope", "refused-token-backoff", "retry-after", "daily-quota", "no-blind-retry",
        "box-code-unique", "lot-number-range", "confirm-what-was-ordered", "use-new-line-after-split",
        "poll-interval",
    }  # fmt: skip
    assert all(r["rationale"].count("docs/") >= 1 for r in result["rules"])


def test_kasims_own_steps_are_not_judged(komet):
    komet["topo"].komet.api("purchase.order.list", komet["token"], date="2020-01-01")
    for _ in range(10):
        komet["topo"].komet.api("purchase.order.list", komet["token"], date=komet["po"]["shipDate"])
    assert verdict(komet)["calls"] == 0


def test_token_scope(komet):
    call(komet, "awb.list", fromDate=komet["po"]["shipDate"], toDate=komet["po"]["shipDate"])
    (v,) = broken(komet)["token-scope"]
    assert v["message"] == "called awb.list, which its token does not enable"
    assert v["evidence"][0]["method"] == "awb.list"


def test_refused_token_backoff(komet):
    token = komet["topo"].komet.create_token(vendor_id=komet["company"]["vendors"][0]["id"])
    komet["topo"].komet.delete_token(token["id"])
    for _ in range(3):
        call(komet, "purchase.order.list", token=token["token"], date=komet["po"]["shipDate"])
    assert "refused-token-backoff" not in broken(komet)
    call(komet, "purchase.order.list", token=token["token"], date=komet["po"]["shipDate"])
    (v,) = broken(komet)["refused-token-backoff"]
    assert "4 calls in under a minute" in v["message"]


def test_retry_after(komet):
    komet["topo"].komet.add_fault(kind="rate_limit", method="purchase.order.list", times=1, retryAfter=30)
    call_http = komet["grower"].api_response
    assert call_http("purchase.order.list", komet["token"], date=komet["po"]["shipDate"]).status_code == 429
    komet["topo"].clock_apply({"advance": "10s"})
    call(komet, "purchase.order.list", date=komet["po"]["shipDate"])
    (v,) = broken(komet)["retry-after"]
    assert v["message"] == "called purchase.order.list again 10s after a 429 asking 30s"
    komet["topo"].komet.journal(0)  # still readable
    komet["topo"].clock_apply({"advance": "1m"})
    assert [e["http"] for e in v["evidence"]] == [429, 200]


def test_daily_quota(komet):
    komet["topo"].komet.update_company(paidUsers=1, quotaPerUser=1)
    call(komet, "purchase.order.list", date=komet["po"]["shipDate"])
    for _ in range(4):
        assert call(komet, "purchase.order.list", date=komet["po"]["shipDate"])["status"] in (0, "0")
    assert "daily-quota" not in broken(komet, pollBurst=100)
    call(komet, "purchase.order.list", date=komet["po"]["shipDate"])
    (v,) = broken(komet, pollBurst=100)["daily-quota"]
    assert "after the daily quota of 1 was spent" in v["message"]


def test_no_blind_retry_after_a_lost_ship_reply(komet):
    line = lines(komet)[0]
    call(
        komet, "purchase.order.item.confirm", poItemId=line["poItemId"], quantityConfirmed=line["totalBoxes"]
    )
    komet["topo"].komet.add_fault(kind="lost_response", method="purchase.order.item.awb.add", times=1)
    codes = [f"GRW{i:05d}" for i in range(line["totalBoxes"])]
    with pytest.raises(Exception):  # the connection drops after Komet did the work  # noqa: B017
        ship(komet, line, codes)
    ship(komet, line, codes)
    found = broken(komet)
    assert "no-blind-retry" in found and "box-code-unique" in found
    assert [e.get("fault") for e in found["no-blind-retry"][0]["evidence"]] == ["lost_response", None]


def test_reading_the_lines_back_makes_a_retry_safe(komet):
    line = lines(komet)[0]
    call(
        komet, "purchase.order.item.confirm", poItemId=line["poItemId"], quantityConfirmed=line["totalBoxes"]
    )
    komet["topo"].komet.add_fault(kind="timeout", method="purchase.order.item.awb.add", times=1)
    with pytest.raises(Exception):  # noqa: B017
        ship(komet, line, ["GRW00001"])
    call(komet, "purchase.order.list", number=komet["po"]["number"])
    ship(komet, line, ["GRW00001"])
    assert "no-blind-retry" not in broken(komet)


def test_box_code_unique(komet):
    first, second = lines(komet)
    for line in (first, second):
        call(komet, "purchase.order.item.confirm", poItemId=line["poItemId"], quantityConfirmed=1)
    ship(komet, first, ["SAME0001"])
    ship(komet, second, ["SAME0001"])
    (v,) = broken(komet)["box-code-unique"]
    assert v["message"] == "sent box code SAME0001, which Komet already holds"


def test_lot_number_range(komet):
    line = lines(komet)[0]
    call(komet, "purchase.order.item.confirm", poItemId=line["poItemId"], quantityConfirmed=1)
    ship(komet, line, ["LOT00001"], lot="4242")
    (v,) = broken(komet)["lot-number-range"]
    assert "lot number 4242" in v["message"]


def test_confirming_more_than_ordered(komet):
    line = lines(komet)[0]
    call(komet, "purchase.order.list", date=komet["po"]["shipDate"])
    call(
        komet,
        "purchase.order.item.confirm",
        poItemId=line["poItemId"],
        quantityConfirmed=line["totalBoxes"] + 1,
    )
    (v,) = broken(komet)["confirm-what-was-ordered"]
    assert f"ordered {line['totalBoxes']}" in v["message"]


def test_confirming_a_line_komet_showed_cancelled(komet):
    line = lines(komet)[0]
    komet["topo"].komet.cancel_line(line["poItemId"])
    call(komet, "purchase.order.list", date=komet["po"]["shipDate"])
    call(komet, "purchase.order.item.confirm", poItemId=line["poItemId"], quantityConfirmed=1)
    (v,) = broken(komet)["confirm-what-was-ordered"]
    assert "had shown it cancelled" in v["message"]


def test_confirming_a_line_after_deleting_it(komet):
    line = lines(komet)[0]
    call(komet, "purchase.order.item.delete", poItemId=line["poItemId"])
    call(komet, "purchase.order.item.confirm", poItemId=line["poItemId"], quantityConfirmed=1)
    (v,) = broken(komet)["confirm-what-was-ordered"]
    assert "after deleting it" in v["message"]


def test_using_the_old_line_after_a_split(komet):
    line = lines(komet)[0]
    assert line["totalBoxes"] > 1
    call(komet, "purchase.order.item.confirm", poItemId=line["poItemId"], quantityConfirmed=1)
    reply = ship(komet, line, ["SPLIT001"])
    assert reply.get("newPOItemId")
    assert "use-new-line-after-split" not in broken(komet)
    call(komet, "purchase.order.item.confirm", poItemId=line["poItemId"], quantityConfirmed=1)
    (v,) = broken(komet)["use-new-line-after-split"]
    assert f"moved its rest to line {reply['newPOItemId']}" in v["message"]


def test_poll_interval(komet):
    for _ in range(3):
        call(komet, "purchase.order.list", date=komet["po"]["shipDate"])
    assert "poll-interval" not in broken(komet, pollBurst=3)
    call(komet, "purchase.order.list", date=komet["po"]["shipDate"])
    (v,) = broken(komet, pollBurst=3)["poll-interval"]
    assert "4 times within 180s" in v["message"]
    komet["topo"].clock_apply({"advance": "10m"})
    call(komet, "purchase.order.list", date=komet["po"]["shipDate"])
    assert len(broken(komet, pollBurst=3)["poll-interval"]) == 1


def test_since_and_namespace_narrow_the_journal(komet):
    call(komet, "awb.list", fromDate=komet["po"]["shipDate"], toDate=komet["po"]["shipDate"])
    last = komet["topo"].komet.journal(0, namespace=None)["entries"][-1]["seq"]
    assert not verdict(komet, since=last)["calls"]
    assert verdict(komet, namespace=komet["topo"].komet.namespace)["calls"] == 1
    assert verdict(komet, namespace="999999")["calls"] == 0


def test_a_bad_query_is_a_named_400(komet):
    resp = komet["topo"].komet.request("GET", "/__sim/komet/verdict", params={"since": "soon"})
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "since"


def test_since_a_time_on_komets_clock(komet):
    call(komet, "awb.list", fromDate=komet["po"]["shipDate"], toDate=komet["po"]["shipDate"])
    now = komet["topo"].komet.clock()["now"]
    assert verdict(komet, since=now)["calls"] == 1
    komet["topo"].clock_apply({"advance": "1h"})
    later = komet["topo"].komet.clock()["now"]
    assert verdict(komet, since=later)["calls"] == 0
    resp = komet["topo"].komet.request("GET", "/__sim/komet/verdict", params={"since": "yesterday"})
    assert resp.status_code == 400
    assert "journal position" in resp.json()["error"]["message"]
