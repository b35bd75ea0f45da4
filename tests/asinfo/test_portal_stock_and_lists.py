"""The grower's AWB number stock from the portal: the stock page (list, add, refusals kept after a redirect),
the New AWB form's airlines (no numbers left: not choosable; a refused typed number keeps the airline)."""

from __future__ import annotations

import re

import pytest

from ..testkit import field_error, flashes, follow, html, input_value, see_other

pytestmark = pytest.mark.parametrize("transport", ["in-process"], indirect=True)


def stock_left(pair) -> dict[str, int]:
    return {a["prefix"]: a["stockLeft"] for a in pair.asinfo.json("GET", "/api/airlines")["airlines"]}


def option(page: str, prefix: str) -> str:
    found = re.search(rf'<option value="{prefix}"[^>]*>[^<]*</option>', page)
    assert found
    return found.group(0)


def test_the_stock_page_lists_what_the_api_lists(pair, portal):
    page = html(portal.get("/awb-stock"))
    stock = pair.asinfo.json("GET", "/api/awb-stock")["stock"]
    assert stock and all(f"{s['first']} – {s['last']}" in page for s in stock)


def test_stock_added_from_the_page_can_be_chosen_for_a_new_awb(pair, portal):
    assert stock_left(pair)["023"] == 0 and "disabled" in option(html(portal.get("/awbs/new")), "023")
    page = follow(
        portal, portal.post("/awb-stock", data={"prefix": "023", "firstSerial": "1234567", "count": "5"})
    )
    assert ("success", "5 AWB number(s) of 023 added: 023-1234-5675 to 023-1234-5712.") in flashes(page)
    assert stock_left(pair)["023"] == 5
    assert "disabled" not in option(html(portal.get("/awbs/new")), "023")


def test_a_refused_stock_is_shown_after_a_redirect_with_what_was_typed_and_once(pair, portal):
    before = pair.asinfo.json("GET", "/api/awb-stock")
    reply = portal.post("/awb-stock", data={"prefix": "023", "firstSerial": "99999999", "count": "5"})
    page = see_other(portal, reply)
    assert page.status_code == 400 and field_error(html(page), "firstSerial")
    assert input_value(html(page), "firstSerial") == "99999999" and 'value="023" selected' in html(page)
    again = portal.get("/awb-stock")  # a refresh: the page again, no post, no error
    assert again.status_code == 200 and field_error(html(again), "firstSerial") is None
    assert pair.asinfo.json("GET", "/api/awb-stock") == before


def test_the_new_awb_form_links_to_the_stock_page(portal):
    page = html(portal.get("/awbs/new"))
    href = re.search(r'id="add-stock-link" href="([^"]+)"', page).group(1)
    assert href.startswith("/awb-stock") and portal.get(href.replace("&amp;", "&")).status_code == 200


def test_an_airline_with_no_numbers_left_is_not_choosable_and_refused_if_posted(pair, portal):
    page = html(portal.get("/awbs/new"))
    assert "no numbers left" in option(page, "023") and "disabled" in option(page, "023")
    reply = see_other(
        portal,
        portal.post(
            "/awbs/new",
            data={
                "connectionId": str(pair.grower["connection"]["id"]),
                "airline": "023",
                "shipDate": "2026-11-27",
            },
        ),
    )
    assert "No AWB numbers left in stock for 023" in field_error(html(reply), "airline")


def test_a_bad_page_of_orders_is_a_readable_400(portal):
    reply = portal.get("/orders?shipDate=all&size=7")
    assert reply.status_code == 400 and "size: rows per page: one of 25, 50, 100, not 7" in html(reply)
