"""The grower's portal in a real browser, on a pair served over real sockets and prepared through the API:
previews never count as prints, each print is listed with its time and format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from harness.topology import Topology

from ..testkit import PASSWORD, wire

pytestmark = pytest.mark.browser


@pytest.fixture
def served() -> Iterator[Topology]:
    topo = wire("socket")
    try:
        yield topo
    finally:
        topo.close()


@pytest.fixture
def grower(chromium, served) -> Iterator[Page]:
    context = chromium.new_context(base_url=served.servers[1].url, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        yield page
    finally:
        context.close()


def awb_with_boxes(topo) -> dict:
    """Sync, confirm a PO's first line, put its boxes on a new AWB (no label printed yet)."""
    topo.asinfo.sync()
    order = next(o for o in topo.asinfo.orders() if o["state"] == "open" and o["lines"])
    line = order["lines"][0]
    topo.asinfo.confirm_line(line["id"], line["orderedBoxes"])
    awb = topo.asinfo.create_awb(topo.grower["connection"]["id"], order["shipDate"], airline="729")
    return topo.asinfo.assign(awb["id"], [(line["id"], line["orderedBoxes"])])


def download(page, locator) -> bytes:
    with page.expect_download() as info:
        locator.click()
    return Path(info.value.path()).read_bytes()


def test_previews_in_both_formats_then_a_zpl_print_prints_first_labels_not_reprints(
    grower: Page, served: Topology
):
    page, awb = grower, awb_with_boxes(served)
    page.goto(f"/labels?awbId={awb['id']}")
    expect(page.locator("#no-prints")).to_be_visible()
    assert download(page, page.locator("#preview-pdf"))[:5] == b"%PDF-"
    assert download(page, page.locator("#preview-zpl")).startswith(b"^XA")
    page.reload()
    expect(page.locator("#no-prints")).to_be_visible()  # the previews printed nothing

    zpl = download(page, page.get_by_role("button", name="Print ZPL"))
    assert zpl.count(b"^XA") == awb["assignedBoxes"] and b"^FDR^FS" not in zpl  # first physical labels
    page.reload()
    jobs = page.locator("#print-jobs tbody tr")
    expect(jobs).to_have_count(1)
    expect(jobs.first).to_contain_text("ZPL")
    expect(jobs.first.locator(".reprinted")).to_contain_text("first print")
    expect(page.locator("#label-boxes .last-printed").first).to_contain_text("ZPL")

    pdf = download(page, page.get_by_role("button", name="Print PDF"))
    assert pdf[:5] == b"%PDF-"
    page.reload()
    expect(jobs).to_have_count(2)
    expect(jobs.first).to_contain_text("PDF")
    expect(jobs.first.locator(".reprinted .box-chip")).to_have_count(awb["assignedBoxes"])


def test_ship_on_an_empty_awb_looks_disabled_and_says_why(grower, served):
    page, topo = grower, served
    topo.asinfo.sync()
    order = topo.asinfo.orders()[0]
    empty = topo.asinfo.create_awb(topo.grower["connection"]["id"], order["shipDate"], airline="729")
    page.goto(f"/awbs/{empty['id']}")
    ship = page.get_by_role("button", name="Ship to Komet")
    expect(ship).to_be_disabled()
    expect(page.locator("#ship-blocked")).to_contain_text("add confirmed boxes to it first")
    assert ship.get_attribute("aria-describedby") == "ship-blocked"
    looks = ship.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).cursor]")
    page.goto("/awbs")  # an enabled primary button, for comparison
    brand = page.locator("#new-awb").evaluate("b => getComputedStyle(b).backgroundColor")
    assert looks[1] == "not-allowed" and looks[0] != brand


def test_stock_added_on_the_stock_page_makes_its_airline_choosable(grower, served):
    page = grower
    page.goto("/awbs/new")
    fedex = page.locator('#airline option[value="023"]')
    expect(fedex).to_be_disabled()
    expect(fedex).to_contain_text("no numbers left")
    page.locator("#add-stock-link").click()
    expect(page.get_by_role("heading", name="AWB number stock")).to_be_visible()
    page.get_by_label("Airline").select_option("023")
    page.get_by_label("First serial").fill("1234567")
    page.get_by_label("How many numbers").fill("3")
    page.get_by_role("button", name="Add stock").click()
    expect(page.locator(".flash-success")).to_contain_text("3 AWB number(s) of 023 added")
    expect(page.locator('#stock-table tr[data-prefix="023"]')).to_contain_text("023-1234-5675")
    page.goto("/awbs/new")
    expect(fedex).to_be_enabled()
    expect(fedex).to_contain_text("3 numbers left")


def test_a_refused_typed_number_keeps_the_airline_chosen(grower, served):
    page = grower
    page.goto("/awbs/new")
    page.get_by_label("Airline (next number from your stock)").select_option("985")
    page.get_by_label("or AWB number typed by hand").fill("729-12345676")
    page.get_by_role("button", name="Create AWB").click()
    expect(page.locator('.field-error[data-field="number"]')).to_contain_text("Check digit should be 5")
    expect(page.get_by_label("Airline (next number from your stock)")).to_have_value("985")


# --- long lists ----------------------------------------------------------------------------------------
PER_DAY = 30  # more than one page of the default 25


@pytest.fixture
def many():
    """One vendor with PER_DAY purchase orders on one ship date, synced into ASINFO."""
    topo = Topology.served(seed=7)
    try:
        topo.world = topo.komet.seed(seed=7, vendors=1, shipDays=1, posPerDay=PER_DAY, linesPerPo=1)
        topo.komet.namespace = str(topo.world["companyId"])
        topo.grower = topo.connect_grower(topo.world)
        topo.asinfo.sync()
        yield topo
    finally:
        topo.close()


def pages_through(page, table: str) -> None:
    """Page 1 holds 25 rows of PER_DAY, Next shows the rest, 50 per page shows them all."""
    rows = page.locator(f"{table} tbody tr")
    pager = page.locator("nav.pager")
    expect(rows).to_have_count(25)
    expect(pager).to_contain_text(f"1–25 of {PER_DAY}")
    expect(pager).to_contain_text("Page 1 of 2")
    first_page = set(rows.evaluate_all("rs => rs.map(r => r.textContent)"))
    pager.get_by_role("link", name="Next ›").click()
    expect(rows).to_have_count(PER_DAY - 25)
    expect(pager).to_contain_text(f"26–{PER_DAY} of {PER_DAY}")
    assert not first_page & set(rows.evaluate_all("rs => rs.map(r => r.textContent)"))
    pager.get_by_role("link", name="50", exact=True).click()
    expect(rows).to_have_count(PER_DAY)
    expect(pager.get_by_role("link", name="Next ›")).to_have_count(0)


def test_asinfo_orders_paginate_with_a_page_size_and_counts(chromium, many):
    context = chromium.new_context(base_url=many.servers[1].url)
    try:
        page = context.new_page()
        page.goto(f"/orders?shipDate={many.world['shipDates'][0]}")
        expect(page.locator("h1 .count")).to_have_text(str(PER_DAY))
        pages_through(page, "#orders-table")
    finally:
        context.close()


def test_komet_purchase_orders_paginate_with_a_page_size_and_counts(chromium, many):
    context = chromium.new_context(base_url=many.servers[0].url)
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Username").fill(many.world["users"][0]["username"])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"/purchase-orders?shipDate={many.world['shipDates'][0]}")
        expect(page.locator("h1 .count")).to_have_text(str(PER_DAY))
        pages_through(page, "#po-table")
    finally:
        context.close()


# --- narrow screens ------------------------------------------------------------------------------------
PHONE = {"width": 390, "height": 844}


def overflowing(page) -> list[str]:
    """What sticks out past the viewport's right edge (wide tables scroll inside their card instead)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.card.flush, .table-scroll'))
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className);
        }"""
    )


def test_every_grower_page_fits_a_390px_wide_screen(chromium, served):
    awb = awb_with_boxes(served)
    order = served.asinfo.orders()[0]
    served.asinfo.print_labels("zpl", awbId=awb["id"])
    served.asinfo.ship(awb["id"])
    cid = served.grower["connection"]["id"]
    paths = [
        "/orders?shipDate=all",
        f"/orders/{order['id']}",
        "/awbs",
        "/awbs/new",
        f"/awbs/{awb['id']}",
        "/awb-stock",
        "/labels",
        f"/labels?awbId={awb['id']}",
        "/shipments",
        "/connections",
        "/connections/new",
        f"/connections/{cid}/edit",
        "/sync-log",
    ]
    context = chromium.new_context(base_url=served.servers[1].url, viewport=PHONE)
    try:
        page = context.new_page()
        wide = {}
        for path in paths:
            page.goto(path)
            if sticking_out := overflowing(page):
                wide[path] = sticking_out
        assert wide == {}
    finally:
        context.close()


def test_every_importer_page_fits_a_390px_wide_screen(chromium, served):
    awb = awb_with_boxes(served)
    served.asinfo.print_labels("zpl", awbId=awb["id"])
    served.asinfo.ship(awb["id"])
    po = served.world["purchaseOrders"][0]
    context = chromium.new_context(base_url=served.servers[0].url, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/login")
        wide = {"/login": overflowing(page)} if overflowing(page) else {}
        page.get_by_label("Username").fill(served.world["users"][0]["username"])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        for path in [
            "/purchase-orders",
            f"/purchase-orders/{po['id']}",
            "/purchase-orders/new",
            "/in-transit",
            "/setup/tokens",
            "/setup/tokens/new",
            "/profile",
        ]:
            page.goto(path)
            if sticking_out := overflowing(page):
                wide[path] = sticking_out
        assert wide == {}
    finally:
        context.close()


def test_the_last_column_of_a_po_lines_its_borders_up_with_the_row(grower, served):
    """The stacked line buttons sit in a box inside the cell: the cell stays a table cell, its border on the
    row's (a cell made a flex box left its bottom border above the others')."""
    served.asinfo.sync()
    order = next(o for o in served.asinfo.orders() if len(o["lines"]) >= 2)
    grower.goto(f"/orders/{order['id']}")
    rows = grower.locator("#lines-table tbody tr")
    expect(rows).to_have_count(len(order["lines"]))
    cells = rows.evaluate_all(
        """rows => rows.map(r => [...r.cells].map(c =>
             [getComputedStyle(c).display, Math.round(c.getBoundingClientRect().bottom)]))"""
    )
    for row in cells:
        assert {display for display, _ in row} == {"table-cell"}
        assert len({bottom for _, bottom in row}) == 1


def test_every_vendor_page_fits_a_390px_wide_screen(chromium, served):
    login = served.world["vendorUsers"][0]["username"]
    context = chromium.new_context(base_url=served.servers[0].url, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Username").fill(login)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        wide = {}
        for path in ["/vendor/importers", "/vendor/purchase-orders", "/vendor/tokens", "/vendor/tokens/new"]:
            page.goto(path)
            if sticking_out := overflowing(page):
                wide[path] = sticking_out
        assert wide == {}
    finally:
        context.close()
