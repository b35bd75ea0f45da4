"""A vendor in a real browser: signs in, selects the importer, makes, sends and revokes its own token, confirms
lines in Confirm POs (docs/decisions.md K24–K26)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from komet_sim.decisions import VENDOR_MADE_METHODS
from komet_sim.domain import errors, orders, tokens
from komet_sim.methods import ASINFO_PRESET

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


def ticked(page: Page) -> list[str]:
    return page.eval_on_selector_all("input[name=methods]:checked", "boxes => boxes.map(b => b.value)")


def test_a_vendor_makes_its_own_asinfo_token_copies_and_sends_it_and_the_importer_sees_it(
    portal_page: Page, chromium, komet_server, seeded, komet_world
):
    page = portal_page
    sign_in(page, seeded["vendorUsers"][0]["username"])
    page.get_by_role("link", name="Tokens").click()
    expect(page.get_by_role("heading", name="Tokens")).to_be_visible()
    page.get_by_role("link", name="New Token").click()
    page.get_by_role("button", name="ASINFO integration").click()
    assert ticked(page) == [m for m in VENDOR_MADE_METHODS if m in ASINFO_PRESET]
    page.get_by_role("button", name="Generate").click()

    expect(page.get_by_role("heading", name="Token generated")).to_be_visible()
    expect(page.locator("#company-id")).to_have_text(str(seeded["companyId"]))
    value = page.locator("#token-value").input_value()
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == value
    assert tokens.authenticate(komet_world, value).vendor_id == seeded["vendors"][0]["id"]

    page.get_by_role("button", name=f"Send to {seeded['companyName']}").click()
    expect(page.locator(".flash-success")).to_contain_text("sent to")
    row = page.locator("#vendor-tokens-table tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".made-by")).to_contain_text("You")
    expect(row.locator(".sent")).not_to_have_text("—")

    importer = chromium.new_context(base_url=komet_server.url)
    try:
        other = importer.new_page()
        other.goto("/login")
        other.get_by_label("Username").fill(seeded["users"][0]["username"])
        other.get_by_label("Password").fill(PASSWORD)
        other.get_by_role("button", name="Sign in").click()
        other.goto("/setup/tokens")
        listed = other.locator("#tokens-table tbody tr")
        expect(listed).to_have_count(1)
        expect(listed.locator(".made-by")).to_contain_text("the vendor")
        expect(listed.locator(".made-by")).to_contain_text(seeded["vendorUsers"][0]["username"])
    finally:
        importer.close()


def test_a_vendor_revokes_its_token(portal_page: Page, seeded, komet_world):
    page = portal_page
    sign_in(page, seeded["vendorUsers"][0]["username"])
    page.goto("/vendor/tokens/new")
    page.get_by_role("button", name="ASINFO integration").click()
    page.get_by_role("button", name="Generate").click()
    value = page.locator("#token-value").input_value()
    page.get_by_role("link", name="Done").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(".flash-success")).to_contain_text("revoked")
    expect(page.locator("#vendor-tokens-table")).to_have_count(0)
    with pytest.raises(errors.InvalidToken):
        tokens.authenticate(komet_world, value)
