"""Limits (K5): a 64 KB request body, and a daily quota per company on the virtual clock (UTC day)."""

from __future__ import annotations

import json

import pytest

from .kometkit import refusal

LIMIT = 64 * 1024


def _confirm_body(token: str, item_id: int, size: int) -> bytes:
    """A confirm request padded with whitespace to exactly `size` bytes."""
    body = json.dumps({"authenticationToken": token, "poItemId": item_id, "quantityConfirmed": 1})
    return (body[:-1] + " " * (size - len(body)) + "}").encode()


def _raw(komet, body: bytes):
    return komet.request(
        "POST", "/api/purchase.order.item.confirm", data=body, headers={"Content-Type": "application/json"}
    )


def test_a_body_over_64_kb_is_refused_and_changes_nothing(komet, kit):
    line = kit.new_line()
    with kit.unchanged():
        resp = _raw(komet, _confirm_body(kit.company_token, line["poItemId"], LIMIT + 1))
    assert (resp.status_code, resp.json()) == (200, refusal("request_too_large"))
    assert resp.json()["message"] == "Request size exceeds the maximum of 64 KB."


def test_a_body_of_exactly_64_kb_is_accepted(komet, kit):
    line = kit.new_line()
    resp = _raw(komet, _confirm_body(kit.company_token, line["poItemId"], LIMIT))
    assert resp.json() == {"status": "1", "message": "OK"}


def test_a_huge_body_is_refused_without_being_processed(komet, kit):
    with kit.unchanged():
        resp = _raw(komet, b'{"boxes": [' + b'{"currentBoxCode": "A", "newBoxCode": "B"},' * 30000 + b"{}]}")
    assert resp.json() == refusal("request_too_large")


def test_an_oversize_body_is_refused_even_for_an_unknown_token(komet, kit):
    body = json.dumps({"authenticationToken": "nope", "poItems": [{"poItemId": 1}] * 8000}).encode()
    assert len(body) > LIMIT
    with kit.unchanged():
        resp = komet.request(
            "POST",
            "/api/purchase.order.items.awb.add",
            data=body,
            headers={"Content-Type": "application/json"},
        )
    assert resp.json() == refusal("request_too_large")


# --- daily quota ----------------------------------------------------------------------------------------


@pytest.fixture
def small_quota(komet):
    """Two calls a day for the company: 1 paid user x 2."""
    komet.json("PATCH", "/__sim/komet/company", {"paidUsers": 1, "quotaPerUser": 2})
    return 2


def _call(komet, token):
    return komet.api("boxtype.list", token)


def test_the_quota_is_paid_users_times_the_quota_per_user(komet, seeded):
    company = komet.company()
    assert company["dailyLimit"] == company["paidUsers"] * company["quotaPerUser"] == 3 * 1000


def test_calls_beyond_the_daily_quota_are_refused(komet, kit, small_quota):
    token = kit.company_token
    assert [_call(komet, token)["status"] for _ in range(2)] == ["1", "1"]
    with kit.unchanged():
        reply = _call(komet, token)
    assert reply == refusal("daily_limit", limit=2)
    assert reply["message"] == (
        "Daily API request limit reached (2 requests per day for this company). Try again tomorrow."
    )


def test_every_method_is_refused_once_the_quota_is_spent(komet, kit, small_quota, seeded):
    token = kit.company_token
    for _ in range(2):
        _call(komet, token)
    assert komet.api("purchase.order.list", token, date=seeded["shipDates"][0]) == refusal(
        "daily_limit", limit=2
    )
    assert komet.api(
        "purchase.order.item.delete", token, poItemId=seeded["purchaseOrders"][0]["poItemIds"][0]
    ) == refusal("daily_limit", limit=2)


def test_the_quota_comes_back_the_next_day_on_the_virtual_clock(komet, kit, small_quota):
    token = kit.company_token
    for _ in range(3):
        _call(komet, token)
    komet.clock(advance="24h")
    assert _call(komet, token)["status"] == "1"


def test_the_quota_day_is_the_utc_calendar_day(komet, kit, small_quota):
    token = kit.company_token
    komet.clock(set="2026-11-26T23:59:00")
    for _ in range(2):
        _call(komet, token)
    assert _call(komet, token) == refusal("daily_limit", limit=2)
    komet.clock(advance="61s")
    assert _call(komet, token)["status"] == "1"


def test_the_quota_is_pooled_across_the_companys_tokens(komet, kit, small_quota, vendor):
    vendor_token = kit.vendor_token(vendor["id"])
    assert _call(komet, kit.company_token)["status"] == "1"
    assert _call(komet, vendor_token)["status"] == "1"
    assert _call(komet, kit.company_token) == refusal("daily_limit", limit=2)
    assert _call(komet, vendor_token) == refusal("daily_limit", limit=2)


def test_refused_calls_do_not_count_against_the_quota(komet, kit, small_quota):
    token = kit.company_token
    for _ in range(5):
        komet.api("boxtype.list", token, code="TOOLONG")
    assert komet.company()["callsToday"] == 0
    assert [_call(komet, token)["status"] for _ in range(2)] == ["1", "1"]


def test_one_companys_quota_does_not_touch_another(komet, kit, small_quota):
    token = kit.company_token  # made while there is one company
    other = komet.seed(seed=8, reset=False)
    other_token = komet.json(
        "POST",
        "/__sim/komet/tokens",
        {"type": "Company", "methods": "all", "description": "other"},
        params={"namespace": other["companyId"]},
    )["token"]
    for _ in range(3):
        _call(komet, token)
    assert _call(komet, token) == refusal("daily_limit", limit=2)
    assert _call(komet, other_token)["status"] == "1"


def test_raising_the_quota_lets_calls_through_again(komet, kit, small_quota):
    token = kit.company_token
    for _ in range(3):
        _call(komet, token)
    komet.json("PATCH", "/__sim/komet/company", {"quotaPerUser": 3})
    assert _call(komet, token)["status"] == "1"


def test_a_query_string_over_64_kb_is_refused(komet_local, kit_local):
    with kit_local.unchanged():
        resp = komet_local.request(
            "GET",
            "/api/product.list",
            params={"authenticationToken": kit_local.company_token, "description": "x" * (LIMIT + 1)},
        )
    assert (resp.status_code, resp.json()) == (200, refusal("request_too_large"))
