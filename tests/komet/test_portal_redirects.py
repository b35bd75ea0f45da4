"""Post/Redirect/Get on the importer's forms: a refused or a done post answers 303, the page it leads to shows
the outcome once, and a refresh of that page posts nothing again."""

from __future__ import annotations

from komet_sim.domain import orders, tokens, tracking

from ..testkit import field_error, html, see_other
from .importer_portal_kit import ship_first_line


def test_a_refreshed_receive_page_receives_nothing_again(client, seeded, komet_world):
    _, codes = ship_first_line(client, seeded)
    page = html(see_other(client, client.post("/in-transit/receive", data={"boxCode": codes[0]})))
    assert 'id="receive-results"' in page
    refreshed = client.get("/in-transit")
    assert refreshed.status_code == 200 and 'id="receive-results"' not in html(refreshed)
    me = orders.importer(komet_world, seeded["companyId"])
    assert tracking.confirmed_and_in_transit(komet_world, me)["awbs"][0]["piecesReceived"] == 1


def test_a_refused_new_po_keeps_the_form_once_and_a_refresh_shows_a_clean_form(client, seeded):
    form = {"vendorId": "", "shipDate": seeded["shipDates"][0], "status": "Approved", "rows": "1"}
    reply = client.post("/purchase-orders/new", data={**form, "comments": "rush", "action": "create"})
    assert reply.status_code == 303
    page = html(client.get(reply.headers["Location"]))
    assert field_error(page, "vendorId") and 'value="rush"' in page
    again = html(client.get("/purchase-orders/new"))
    assert field_error(again, "vendorId") is None and 'value="rush"' not in again


def test_a_generated_token_is_shown_once_and_a_refresh_makes_no_second_one(client, seeded, komet_world):
    data = {"type": "Company", "description": "d", "methods": ["product.list"], "action": "generate"}
    shown = html(see_other(client, client.post("/setup/tokens/new", data=data)))
    [made] = tokens.list_tokens(komet_world, seeded["companyId"])
    assert made["token"] in shown
    again = client.get("/setup/tokens/created")
    assert again.status_code == 302 and again.headers["Location"].endswith("/setup/tokens")
    assert len(tokens.list_tokens(komet_world, seeded["companyId"])) == 1
