"""Concurrency against the served app (threaded server, real sockets): several growers confirming and
shipping at once never lose an update, and no box is ever shipped twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from harness.clients import KometSimClient
from komet_sim import create_app
from simkit.server import ServerThread

from .kometkit import Kit, awb_for

THREADS = 8


@pytest.fixture
def served():
    app = create_app(
        {"seed": 11, "seed_world": {"seed": 11, "vendors": 4, "posPerDay": 8, "linesPerPo": 3, "shipDays": 1}}
    )
    with ServerThread(app) as server:
        client = KometSimClient(server.url)
        yield server, Kit(client, app.extensions["kasim.seeded"])


def _client(server) -> KometSimClient:
    return KometSimClient(server.url)  # one session (connection) per thread


def _run(jobs):
    barrier = Barrier(len(jobs))

    def run(job):
        barrier.wait()  # start together, to make the races real
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _boxes(kit: Kit) -> list[dict]:
    return kit.state()["tables"]["boxes"]


def test_threads_confirming_and_shipping_different_lines_lose_nothing(served):
    server, kit = served
    lines = kit.lines()[: THREADS * 2]
    token = kit.company_token

    def work(part):
        def job():
            client, shipped = _client(server), {}
            for ln in part:
                assert (
                    client.api(
                        "purchase.order.item.confirm",
                        token,
                        poItemId=ln["poItemId"],
                        quantityConfirmed=ln["totalBoxes"],
                    )["status"]
                    == "1"
                )
                codes = [f"C{ln['poItemId']}-{i}" for i in range(ln["totalBoxes"])]
                reply = client.api(
                    "purchase.order.item.awb.add",
                    token,
                    poItemId=ln["poItemId"],
                    awb=awb_for(ln["shipDate"]),
                    shipDate=ln["shipDate"],
                    boxCodes=codes,
                )
                assert reply["status"] == 1, reply
                shipped[ln["poItemId"]] = codes
            return shipped

        return job

    results = _run([work(lines[i::THREADS]) for i in range(THREADS)])
    shipped = {k: v for r in results for k, v in r.items()}
    assert len(shipped) == len(lines)
    boxes = _boxes(kit)
    assert sorted(b["code"] for b in boxes) == sorted(c for codes in shipped.values() for c in codes)
    for ln in lines:
        after = kit.line(ln["poItemId"])
        assert (after["lineItemStatus"], len(after["boxes"])) == ("S", ln["totalBoxes"])
    awb = kit.komet.api("awb.list", token, shipDate=lines[0]["shipDate"])["awbs"][0]
    assert awb["pieces"] == sum(ln["totalBoxes"] for ln in lines)


def test_threads_racing_to_ship_one_line_ship_it_once(served):
    server, kit = served
    line = kit.confirmed_line(min_boxes=2)
    token = kit.company_token

    def job(n):
        return lambda: _client(server).api(
            "purchase.order.item.awb.add",
            token,
            poItemId=line["poItemId"],
            awb=awb_for(line["shipDate"]),
            shipDate=line["shipDate"],
            boxCodes=[f"R{n}-{i}" for i in range(line["totalBoxes"])],
        )

    replies = _run([job(n) for n in range(THREADS)])
    winners = [r for r in replies if r["status"] == 1]
    assert len(winners) == 1
    assert {r["message"] for r in replies if r["status"] != 1} == {
        f"Purchase order item {line['poItemId']} has already been shipped."
    }
    assert sorted(b["code"] for b in _boxes(kit)) == sorted(winners[0]["boxCodes"])


def test_threads_racing_for_the_same_box_codes_use_each_code_once(served):
    server, kit = served
    lines = [kit.new_line(boxes=2) for _ in range(THREADS)]
    for ln in lines:
        kit.confirm(ln)
    token = kit.company_token

    def job(ln):
        return lambda: _client(server).api(
            "purchase.order.item.awb.add",
            token,
            poItemId=ln["poItemId"],
            awb=awb_for(ln["shipDate"]),
            shipDate=ln["shipDate"],
            boxCodes=["SAME-1", "SAME-2"],
        )

    replies = _run([job(ln) for ln in lines])
    assert sorted(str(r["status"]) for r in replies) == ["0"] * (THREADS - 1) + ["1"]
    codes = [b["code"] for b in _boxes(kit)]
    assert sorted(codes) == ["SAME-1", "SAME-2"]


def test_threads_racing_on_box_code_changes_rename_each_box_once(served):
    server, kit = served
    codes = kit.shipped_boxes(count=2, prefix="OLD")
    token = kit.company_token

    def job(n):
        return lambda: _client(server).api(
            "box.code.change", token, boxes=[{"currentBoxCode": codes[0], "newBoxCode": f"NEW{n}"}]
        )

    replies = _run([job(n) for n in range(THREADS)])
    assert sum(1 for r in replies if r["status"] == "1") == 1
    assert sorted(b["code"] for b in _boxes(kit)) == sorted(
        [codes[1], *(f"NEW{n}" for n, r in enumerate(replies) if r["status"] == "1")]
    )


def test_concurrent_confirmations_of_one_line_leave_one_of_the_values(served):
    server, kit = served
    line = kit.new_line(boxes=THREADS)
    token = kit.company_token

    def job(n):
        return lambda: _client(server).api(
            "purchase.order.item.confirm", token, poItemId=line["poItemId"], quantityConfirmed=n
        )

    replies = _run([job(n) for n in range(1, THREADS + 1)])
    assert all(r == {"status": "1", "message": "OK"} for r in replies)
    after = kit.line(line["poItemId"])
    assert 1 <= after["quantityConfirmed"] <= THREADS
    assert after["lineItemStatus"] == ("C" if after["quantityConfirmed"] == THREADS else "PC")


def test_the_quota_counts_every_concurrent_call_exactly(served):
    server, kit = served
    token = kit.company_token
    before = kit.komet.company()["callsToday"]
    per_thread = 10

    def job():
        client = _client(server)
        return [client.api("boxtype.list", token)["status"] for _ in range(per_thread)]

    results = _run([job] * THREADS)
    assert all(s == "1" for r in results for s in r)
    assert kit.komet.company()["callsToday"] == before + THREADS * per_thread
