"""An importer in a real browser: signs in, makes the ASINFO Vendor token, reads the company ID."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from komet_sim.domain import tokens
from komet_sim.methods import ASINFO_PRESET, TOKEN_METHODS

pytestmark = pytest.mark.browser
PASSWORD = "komet123"


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Purchase Orders")).to_be_visible()


def ticked(page: Page) -> list[str]:
    return page.eval_on_selector_all("input[name=methods]:checked", "boxes => boxes.map(b => b.value)")


def test_importer_makes_the_asinfo_vendor_token_and_reads_the_company_id(
    portal_page: Page, seeded, komet_world
):
    page = portal_page
    vendor = seeded["vendors"][0]
    sign_in(page, seeded["users"][0]["username"])

    page.get_by_text("Setup", exact=True).click()
    page.get_by_role("link", name="Tokens").click()
    expect(page.get_by_role("heading", name="Tokens")).to_be_visible()
    page.get_by_role("link", name="New Token").click()

    expect(page.get_by_label("Vendor", exact=True)).to_be_hidden()  # shown only for Vendor tokens
    page.get_by_label("Token Type").select_option("Vendor")
    page.get_by_label("Vendor", exact=True).select_option(str(vendor["id"]))
    page.get_by_label("Description").fill("ASINFO integration")
    page.get_by_role("button", name="ASINFO integration").click()
    expect(page.locator("#preset-note")).to_contain_text(f"{len(ASINFO_PRESET)} methods")
    assert ticked(page) == [m for m in TOKEN_METHODS if m in ASINFO_PRESET]

    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_role("heading", name="Token generated")).to_be_visible()
    value = page.locator("#token-value").input_value()
    assert re.fullmatch(r"[a-z0-9]{26}", value)
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == value

    page.get_by_role("link", name="Back to Tokens").click()
    row = page.locator("#tokens-table tbody tr", has_text="ASINFO integration")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(vendor["name"])
    expect(row).to_contain_text("Vendor")
    expect(row.locator(".masked-token")).to_contain_text(value[:4])

    made = tokens.list_tokens(komet_world, seeded["companyId"])
    assert [(t["type"], t["vendorId"], t["token"]) for t in made] == [("Vendor", vendor["id"], value)]
    assert sorted(made[0]["methods"]) == sorted(ASINFO_PRESET)

    page.get_by_role("link", name="My Profile").click()
    assert page.locator("#company-id").inner_text() == str(seeded["companyId"])


def test_the_token_form_works_without_javascript(no_js_page: Page, seeded, komet_world):
    page = no_js_page
    vendor = seeded["vendors"][1]
    page.goto("/login")
    page.get_by_label("Username").fill(seeded["users"][1]["username"])  # the Setup user
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/setup/tokens/new")

    page.get_by_label("Token Type").select_option("Vendor")
    page.get_by_label("Vendor", exact=True).select_option(str(vendor["id"]))
    page.get_by_role("button", name="Generate").click()  # no description: refused, nothing made
    expect(page.locator('[data-field="description"]')).to_contain_text("needs a description")
    assert tokens.list_tokens(komet_world, seeded["companyId"]) == []

    page.get_by_label("Description").fill("ASINFO, no JS")
    page.get_by_role("button", name="ASINFO integration").click()  # the server ticks the preset
    assert ticked(page) == [m for m in TOKEN_METHODS if m in ASINFO_PRESET]
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_role("heading", name="Token generated")).to_be_visible()
    made = tokens.list_tokens(komet_world, seeded["companyId"])
    assert [(t["description"], t["vendorId"]) for t in made] == [("ASINFO, no JS", vendor["id"])]
    assert sorted(made[0]["methods"]) == sorted(ASINFO_PRESET)
