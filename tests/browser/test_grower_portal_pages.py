"""The grower's portal in a real browser, on a pair served over real sockets and prepared through the API:
previews never count as prints, each print is listed with its time and format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.topology import Topology

from ..testkit import wire

pytestmark = pytest.mark.browser


@pytest.fixture
def served() -> Iterator[Topology]:
    topo = wire("socket")
    try:
        yield topo
    finally:
        topo.close()


@pytest.fixture
def grower(chromium: Browser, served: Topology) -> Iterator[Page]:
    context = chromium.new_context(base_url=served.servers[1].url, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        yield page
    finally:
        context.close()


def awb_with_boxes(topo: Topology) -> dict:
    """Sync, confirm a PO's first line, put its boxes on a new AWB (no label printed yet)."""
    topo.asinfo.sync()
    order = next(o for o in topo.asinfo.orders() if o["state"] == "open" and o["lines"])
    line = order["lines"][0]
    topo.asinfo.confirm_line(line["id"], line["ordered"])
    awb = topo.asinfo.create_awb(topo.grower["connection"]["id"], order["shipDate"], airline="729")
    return topo.asinfo.assign(awb["id"], [(line["id"], line["ordered"])])


def download(page: Page, locator) -> bytes:
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
    assert zpl.count(b"^XA") == awb["boxCount"] and b"^FDR^FS" not in zpl  # first physical labels
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
    expect(jobs.first.locator(".reprinted .box-chip")).to_have_count(awb["boxCount"])


def test_ship_on_an_empty_awb_looks_disabled_and_says_why(grower: Page, served: Topology):
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


def test_stock_added_on_the_stock_page_makes_its_airline_choosable(grower: Page, served: Topology):
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


def test_a_refused_typed_number_keeps_the_airline_chosen(grower: Page, served: Topology):
    page = grower
    page.goto("/awbs/new")
    page.get_by_label("Airline (next number from your stock)").select_option("985")
    page.get_by_label("or AWB number typed by hand").fill("729-12345676")
    page.get_by_role("button", name="Create AWB").click()
    expect(page.locator('.field-error[data-field="number"]')).to_contain_text("Check digit should be 5")
    expect(page.get_by_label("Airline (next number from your stock)")).to_have_value("985")
