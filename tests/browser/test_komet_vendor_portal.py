"""A vendor in a real browser: signs in, selects the importer, confirms lines in Confirm POs (docs/decisions.md
K24, K26)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from komet_sim.domain import orders

pytestmark = pytest.mark.browser
PASSWORD = "komet123"


@pytest.fixture
def partner(komet_world, seeded) -> dict:
    """A second importer buying from the first vendor too (made before the server starts serving)."""
    return komet_world.seed_world(
        {"seed": 7, "reset": False, "vendors": 2, "shipDays": 1, "linkCompany": seeded["companyId"]}
    )


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def confirmed(world, company_id: int, item_id: int) -> tuple[int, str]:
    with world.store.read() as c:
        row = orders.get_item(c, orders.importer(world, company_id), item_id)
    return row["quantity_confirmed"], row["status"]


def test_a_vendor_of_two_importers_selects_one_and_sees_only_its_pos(
    portal_page: Page, seeded, partner, komet_server
):
    page = portal_page
    sign_in(page, seeded["vendorUsers"][0]["username"])
    expect(page.get_by_role("heading", name="Select the company")).to_be_visible()
    rows = page.locator("#importers-table tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_role("button", name=f"Work for {partner['companyName']}").click()

    expect(page.get_by_role("heading", name="Confirm POs")).to_be_visible()
    expect(page.locator("#current-importer")).to_have_text(partner["companyName"])
    mine = [po["number"] for po in partner["purchaseOrders"] if po["vendorId"] == partner["vendors"][0]["id"]]
    numbers = page.locator("section.vendor-po").evaluate_all("els => els.map(e => e.dataset.poNumber)")
    assert numbers == mine

    page.locator("#current-importer").click()  # change the importer from the top bar
    page.get_by_role("button", name=f"Work for {seeded['companyName']}").click()
    expect(page.locator("#current-importer")).to_have_text(seeded["companyName"])


def test_a_vendor_confirms_part_of_a_line_with_enter_then_the_rest_with_confirm_shipments(
    portal_page: Page, seeded, komet_world
):
    page = portal_page
    vendor = seeded["vendors"][0]
    sign_in(page, seeded["vendorUsers"][0]["username"])
    expect(page.get_by_role("heading", name="Confirm POs")).to_be_visible()
    po = next(p for p in seeded["purchaseOrders"] if p["vendorId"] == vendor["id"])
    me = orders.importer(komet_world, seeded["companyId"])
    detail = orders.get_purchase_order(komet_world, me, po["id"])
    line = next(d for d in detail["details"] if d["totalBoxes"] > 1)

    to_confirm = page.get_by_label(f"To Confirm, line {line['poItemId']}")
    to_confirm.fill("1")
    to_confirm.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text(f"Line {line['poItemId']}: 1 box(es) confirmed")
    row = page.locator(f"tr[data-line-id='{line['poItemId']}']")
    expect(row.locator(".line-status")).to_have_text("Partially Confirmed")
    assert confirmed(komet_world, seeded["companyId"], line["poItemId"]) == (1, "PC")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Confirm Shipments").click()
    expect(page.locator(".flash-success")).to_contain_text("pending line(s) confirmed in full")
    expect(row.locator(".line-status")).to_have_text("Partially Confirmed")  # a partial count is kept
    for other in detail["details"]:
        if other["poItemId"] != line["poItemId"]:
            assert confirmed(komet_world, seeded["companyId"], other["poItemId"]) == (
                other["totalBoxes"],
                "C",
            )
