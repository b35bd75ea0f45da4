"""A grower in a real browser, on both simulators served over real sockets: connects with the importer's
Vendor token, tests, syncs, confirms one line fully and one partly, makes an AWB, adds the boxes, previews and
prints the labels, ships, and Komet shows exactly those box codes in transit with the remainder pending."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.clients import AsinfoSimClient
from harness.topology import ServedTopology

pytestmark = pytest.mark.browser
SEED = 7


class Served(ServedTopology):
    """Both apps served, with what the fixture made: the Komet world, the grower's vendor and its token."""

    asinfo: AsinfoSimClient
    world: dict[str, Any]
    vendor: dict[str, Any]
    token: str


@pytest.fixture
def served() -> Iterator[Served]:
    """Komet seeded as an importer's company; an ASINFO grower account for its first vendor, not connected."""
    topo = cast(Served, Served.build(seed=SEED))  # build() makes the class it is called on
    try:
        world = topo.komet.seed(seed=SEED)
        topo.komet.namespace = str(world["companyId"])
        vendor = world["vendors"][0]
        topo.world = world
        topo.vendor = vendor
        topo.token = topo.komet.create_token(vendor_id=vendor["id"], methods="asinfo")["token"]
        topo.asinfo.seed(seed=SEED, farmName=vendor["name"], origin=vendor["portOrigin"])
        yield topo
    finally:
        topo.close()


@pytest.fixture
def grower_page(chromium: Browser, served: Served) -> Iterator[Page]:
    context = chromium.new_context(base_url=served.servers[1].url, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        yield page
    finally:
        context.close()


def flash(page: Page, kind: str):
    return page.locator(f".flash-{kind}")


def line_row(page: Page, line: dict):
    return page.locator(f'#lines-table tr[data-line-id="{line["id"]}"]')


def test_grower_connects_confirms_prints_and_ships_and_komet_sees_the_boxes(
    grower_page: Page, served: Served
):
    page, topo = grower_page, served

    # Connect: the token and company ID the importer sent.
    page.goto("/")
    expect(page.get_by_role("heading", name="Connections")).to_be_visible()
    expect(page.locator("#farm-name")).to_contain_text(topo.vendor["name"])
    page.get_by_role("link", name="New connection").first.click()
    page.get_by_label("Importer name").fill(topo.world["companyName"])
    page.get_by_label("Komet URL").fill(topo.komet_url)
    page.get_by_label("Vendor token").fill(topo.token)
    page.get_by_label("Importer company ID").fill(str(topo.world["companyId"]))
    page.get_by_role("button", name="Save connection").click()
    expect(flash(page, "success")).to_contain_text("saved")
    row = page.locator("#connections-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(str(topo.world["companyId"]))
    expect(row).not_to_contain_text(topo.token)

    row.get_by_role("button", name="Test connection").click()
    expect(flash(page, "success")).to_contain_text("Connected: Komet accepted the token")
    expect(row.locator(".connection-status")).to_contain_text("ok")
    row.get_by_role("button", name="Sync now").click()
    expect(flash(page, "success")).to_contain_text("new POs")

    # The orders inbox, then one PO: confirm one line fully and one partly.
    page.get_by_role("link", name="Orders", exact=True).click()
    order = next(
        o
        for o in topo.asinfo.orders()
        if o["shipDate"] == topo.world["shipDates"][0] and len(o["lines"]) >= 2
    )
    page.locator("#orders-table").get_by_role("link", name=order["number"], exact=True).click()
    expect(page.get_by_role("heading", name=f"Purchase order {order['number']}")).to_be_visible()
    first, second = order["lines"][:2]
    line_row(page, first).locator("input.boxes-input").fill(str(first["orderedBoxes"]))
    line_row(page, first).get_by_role("button", name="Confirm", exact=True).click()
    expect(line_row(page, first).locator(".confirm-state")).to_contain_text("accepted")
    partial = second["orderedBoxes"] - 1
    line_row(page, second).locator("input.boxes-input").fill(str(partial))
    line_row(page, second).get_by_role("button", name="Confirm", exact=True).click()
    expect(line_row(page, second).locator(".confirm-state")).to_contain_text("accepted")
    expect(line_row(page, second).locator(".line-status")).to_contain_text("Partially Confirmed")

    # An AWB for the PO's ship date, from Avianca's stock; then the PO's confirmed boxes on it.
    page.get_by_role("link", name=f"New AWB for {order['shipDate']}").click()
    page.get_by_label("Airline (next number from your stock)").select_option("729")
    expect(page.get_by_label("Ship date")).to_have_value(order["shipDate"])
    page.get_by_role("button", name="Create AWB").click()
    expect(page.get_by_role("heading", name=re.compile(r"AWB 729-"))).to_be_visible()
    page.get_by_role("button", name=f"All confirmed boxes of PO {order['number']}").click()
    boxes = first["orderedBoxes"] + partial
    expect(page.locator("#boxes-table tbody tr")).to_have_count(boxes)
    expect(page.locator("#unlabelled")).to_contain_text(f"{boxes} box(es) have no label yet")

    # Labels: the PDF previewed in the page, then printed.
    page.locator("#awb-labels").click()
    preview = page.locator("#label-preview")
    expect(preview).to_be_visible()
    src = preview.get_attribute("src")
    assert src is not None
    assert "/api/labels?" in src and "format=pdf" in src
    pdf = page.request.get(src)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    codes = page.locator("#label-boxes tbody tr").evaluate_all("rows => rows.map(r => r.dataset.boxCode)")
    assert len(codes) == boxes
    with page.expect_download() as download:
        page.get_by_role("button", name="Print PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # Ship, and see it shipped.
    page.locator("#awb-link").click()
    page.get_by_role("button", name="Ship to Komet").click()
    expect(page.get_by_role("heading", name="Shipments")).to_be_visible()
    shipment = page.locator("section.shipment").first
    expect(shipment.locator(".shipment-state")).to_have_text("shipped")
    expect(shipment).to_contain_text("remainder became line")

    # Komet: both lines shipped with exactly the labels' box codes; the remainder a new pending line.
    po = topo.komet.purchase_order(order["kometPoId"])
    details = {int(d["poItemId"]): d for d in po["details"]}
    shipped = {
        str(b["boxCode"]) for ln in (first, second) for b in details[ln["poItemId"]].get("boxes") or []
    }
    assert [details[ln["poItemId"]]["lineItemStatus"] for ln in (first, second)] == ["S", "S"]
    assert shipped == set(codes)
    new = [d for item, d in details.items() if item not in {ln["poItemId"] for ln in order["lines"]}]
    assert [(d["lineItemStatus"], int(d["totalBoxes"])) for d in new] == [("P", 1)]
    in_transit = topo.komet.api("purchase.order.list", token=topo.token, number=order["number"])
    listed = {int(d["poItemId"]): d for p in in_transit["purchaseOrders"] for d in p["details"]}
    assert {str(b["boxCode"]) for b in listed[second["poItemId"]]["boxes"]} <= set(codes)
