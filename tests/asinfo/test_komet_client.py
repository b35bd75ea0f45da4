"""ASINFO's Komet API client on its own: how it calls Komet, how it reads Komet's (inconsistently typed)
replies, and how every failure becomes KometRefused (don't retry blindly) or KometUnavailable (retry later)."""

from __future__ import annotations

import pytest
import requests
from flask import Flask, Response, jsonify, request

import komet_sim
from asinfo_sim.komet_client import KometClient, KometRefused, KometUnavailable, as_int, is_ok
from harness.clients import KometSimClient as KometControl
from simkit.clock import VirtualClock
from simkit.journal import Journal
from simkit.transport import mount

from .asinfokit import closed_port

URL = "http://komet.client.test"
FAKE = "http://fake.komet.test"


@pytest.fixture(scope="module")
def komet():
    """A seeded komet_sim, a Vendor token with the ASINFO preset, and a Company token."""
    app = komet_sim.create_app({"seed": 7})
    control = KometControl(URL, app=app)
    world = control.seed(seed=7)
    control.namespace = str(world["companyId"])
    vendor = control.create_token(vendor_id=world["vendors"][0]["id"])["token"]
    return {"app": app, "control": control, "world": world, "vendor": vendor}


def client(komet, token: str | None = None, journal=None) -> KometClient:
    session = mount(requests.Session(), URL, komet["app"])
    return KometClient(
        URL, token or komet["vendor"], komet["world"]["companyId"], session=session, journal=journal
    )


def fake(handler, timeout: float = 10.0) -> KometClient:
    """A client whose Komet is `handler` (a Flask view for /api/<method>), for replies komet_sim never gives."""
    app = Flask("fake-komet")
    app.add_url_rule("/api/<path:method>", view_func=handler, methods=["GET", "POST"])
    return KometClient(
        FAKE, "t" * 26, 42, session=mount(requests.Session(), FAKE, app.wsgi_app), timeout=timeout
    )


# --- tolerant reading ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "ok"),
    [
        ({"status": "1"}, True),
        ({"status": 1}, True),
        ({"status": "0"}, False),
        ({"status": 0}, False),
        ({}, False),
    ],
)
def test_status_one_is_success_as_a_string_or_a_number(reply, ok):
    assert is_ok(reply) is ok


@pytest.mark.parametrize(
    ("value", "number"), [(5, 5), ("5", 5), ("0", 0), (None, None), ("", None), ("x", None), ([1], None)]
)
def test_ids_and_counts_read_as_numbers_or_numeric_strings(value, number):
    assert as_int(value) == number


def test_a_list_call_returns_komets_reply(komet):
    date = komet["world"]["shipDates"][0]
    reply = client(komet).call("purchase.order.list", date=date)
    assert reply["purchaseOrders"]
    assert {po["shipDate"] for po in reply["purchaseOrders"]} == {date}


def test_get_methods_send_the_token_in_the_query_and_post_methods_in_the_body():
    seen = []

    def view(method):
        seen.append(
            (
                request.method,
                "authenticationToken" in request.args,
                "authenticationToken" in (request.get_json(silent=True) or {}),
                request.headers.get("X-ACCOUNT"),
            )
        )
        return jsonify({"status": "1", "message": "OK"})

    c = fake(view)
    c.call("purchase.order.list", date="2026-11-27")
    c.call("purchase.order.item.confirm", poItemId=1, quantityConfirmed=2)
    assert seen == [("GET", True, False, "42"), ("POST", False, True, "42")]


def test_parameters_left_as_none_are_not_sent():
    seen = {}

    def view(method):
        seen.update(request.get_json())
        return jsonify({"status": 1, "message": "OK"})

    fake(view).call("purchase.order.items.awb.add", poItems=[], houseAWB=None)
    assert "houseAWB" not in seen and "poItems" in seen


# --- refusals -------------------------------------------------------------------------------------


def test_komet_saying_no_is_a_refusal_carrying_komets_message(komet):
    with pytest.raises(KometRefused) as caught:
        client(komet, token="z" * 26).call("purchase.order.list", date="2026-11-27")
    assert caught.value.message == "Invalid authentication token."
    assert caught.value.method == "purchase.order.list"
    assert not caught.value.quota_exhausted


def test_a_refusal_keeps_the_whole_reply_for_per_line_results():
    def view(method):
        return jsonify(
            {
                "status": "0",
                "message": "No line shipped",
                "purchaseOrderItemDetailsAWBAddAPIResultList": [{"poItemId": 1, "status": 0}],
            }
        )

    with pytest.raises(KometRefused) as caught:
        fake(view).call("purchase.order.items.awb.add", poItems=[])
    assert caught.value.payload["purchaseOrderItemDetailsAWBAddAPIResultList"][0]["poItemId"] == 1


def test_the_daily_limit_is_recognised_as_quota_exhaustion():
    def view(method):
        return jsonify({"status": "0", "message": "Daily API request limit reached. Try again tomorrow."})

    with pytest.raises(KometRefused) as caught:
        fake(view).call("boxtype.list")
    assert caught.value.quota_exhausted


# --- transport failures -----------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "maybe"), [(500, True), (502, True), (503, False)])
def test_a_5xx_is_unavailable_and_says_whether_komet_may_have_acted(status, maybe):
    c = fake(lambda method: Response("<h1>down</h1>", status=status, mimetype="text/html"))
    with pytest.raises(KometUnavailable) as caught:
        c.call("purchase.order.item.confirm", poItemId=1, quantityConfirmed=1)
    assert (caught.value.kind, caught.value.maybe_processed) == ("http", maybe)
    assert f"HTTP {status}" in caught.value.message


def test_a_429_is_rate_limited_with_komets_retry_after():
    c = fake(lambda method: Response("slow down", status=429, headers={"Retry-After": "30"}))
    with pytest.raises(KometUnavailable) as caught:
        c.call("boxtype.list")
    assert (caught.value.kind, caught.value.retry_after, caught.value.maybe_processed) == (
        "rate_limited",
        30.0,
        False,
    )


@pytest.mark.parametrize("body", ["<html>maintenance</html>", "[1, 2]", '{"message": "no status"}'])
def test_a_200_that_is_not_the_envelope_is_a_bad_reply(body):
    c = fake(lambda method: Response(body, status=200, mimetype="application/json"))
    with pytest.raises(KometUnavailable) as caught:
        c.call("boxtype.list")
    assert caught.value.kind == "bad_reply"


def test_a_reset_connection_is_reset_and_may_have_been_processed(komet):
    komet["control"].add_fault(kind="reset", method="boxtype.list", times=1)
    with pytest.raises(KometUnavailable) as caught:
        client(komet).call("boxtype.list")
    assert (caught.value.kind, caught.value.maybe_processed) == ("reset", True)


def test_a_lost_reply_looks_like_a_reset(komet):
    komet["control"].add_fault(kind="lost_response", method="boxtype.list", times=1)
    with pytest.raises(KometUnavailable) as caught:
        client(komet).call("boxtype.list")
    assert caught.value.kind == "reset"


def test_a_timeout_is_timeout_and_may_have_been_processed(komet):
    komet["control"].add_fault(kind="timeout", method="boxtype.list", times=1)
    with pytest.raises(KometUnavailable) as caught:
        client(komet).call("boxtype.list")
    assert (caught.value.kind, caught.value.maybe_processed) == ("timeout", True)


def test_nobody_listening_is_unreachable_and_certainly_not_processed():
    c = KometClient(f"http://127.0.0.1:{closed_port()}", "t" * 26, 1, timeout=2)
    with pytest.raises(KometUnavailable) as caught:
        c.call("boxtype.list")
    assert (caught.value.kind, caught.value.maybe_processed) == ("unreachable", False)


def test_type_drift_in_replies_is_read_the_same(komet):
    date = komet["world"]["shipDates"][0]
    plain = client(komet).call("purchase.order.list", date=date)["purchaseOrders"]
    komet["control"].add_fault(kind="type_drift", method="purchase.order.list", times=1)
    drifted = client(komet).call("purchase.order.list", date=date)["purchaseOrders"]
    assert [as_int(po["id"]) for po in drifted] == [as_int(po["id"]) for po in plain]
    assert [as_int(d["totalBoxes"]) for po in drifted for d in po["details"]] == [
        as_int(d["totalBoxes"]) for po in plain for d in po["details"]
    ]


# --- the journal ----------------------------------------------------------------------------------


def test_every_call_is_journaled_without_the_token(komet):
    journal = Journal("asinfo", VirtualClock())
    client(komet, journal=journal).call("purchase.order.list", date="2026-11-27")
    [entry] = journal.entries()
    assert (entry["direction"], entry["op"], entry["response"]["status"]) == (
        "out",
        "purchase.order.list",
        200,
    )
    assert komet["vendor"] not in str(entry)


def test_a_failed_call_is_journaled_with_its_error(komet):
    journal = Journal("asinfo", VirtualClock())
    komet["control"].add_fault(kind="error", method="boxtype.list", times=1)
    with pytest.raises(KometUnavailable):
        client(komet, journal=journal).call("boxtype.list")
    [entry] = journal.entries()
    assert entry["error"]["kind"] == "http"


def test_a_reply_is_journaled_as_komet_sent_it(komet):
    journal = Journal("asinfo", VirtualClock())
    reply = client(komet, journal=journal).call("purchase.order.list", date=komet["world"]["shipDates"][0])
    [entry] = journal.entries()
    assert reply["purchaseOrders"] and entry["response"]["body"] == reply


def test_a_secret_in_a_reply_is_redacted_in_the_journal():
    journal = Journal("asinfo", VirtualClock())
    app = Flask("fake-komet")
    app.add_url_rule(
        "/api/purchase.order.list",
        view_func=lambda: jsonify(
            {"status": 1, "purchaseOrders": [], "apiKey": "k3y-v4lue", "user": {"Token": "tk"}}
        ),
    )
    session = mount(requests.Session(), FAKE, app.wsgi_app)
    KometClient(FAKE, "t" * 26, 42, session=session, journal=journal).call(
        "purchase.order.list", date="2030-01-01"
    )
    [entry] = journal.entries()
    assert entry["response"]["body"]["purchaseOrders"] == []
    assert "k3y-v4lue" not in str(entry) and '"tk"' not in str(entry) and "t" * 26 not in str(entry)
