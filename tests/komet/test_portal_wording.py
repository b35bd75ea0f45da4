"""The importer's pages say what happened in words a user reads: a remainder line is marked as split (and the
line it came from says where the rest went); a received box shows its rack position, not only in a tooltip."""

from __future__ import annotations

import re

from ..testkit import html
from .importer_portal_kit import ship_first_line


def line_cell(page: str, item_id: int) -> str:
    found = re.search(rf'<tr data-line-id="{item_id}"[^>]*>\s*(.*?)</td>', page, re.S)
    assert found
    return found.group(1)


def test_a_split_remainder_line_is_marked_split_on_the_po_page(client, seeded):
    po, _ = ship_first_line(client, seeded, boxes=2)  # fewer than ordered: Komet splits the line (K8)
    shipped = po["poItemIds"][0]
    detail = client.get(f"/__sim/komet/purchase-orders/{po['id']}").get_json()
    [remainder] = [d["poItemId"] for d in detail["details"] if d["poItemId"] not in po["poItemIds"]]
    page = html(client.get(f"/purchase-orders/{po['id']}"))
    assert f"split: remainder of line {shipped}" in line_cell(page, remainder)
    assert f"split: the rest is line {remainder}" in line_cell(page, shipped)
    assert "split" not in line_cell(page, po["poItemIds"][1])


def test_a_received_box_shows_its_rack_position_on_the_page(client, seeded):
    po, codes = ship_first_line(client, seeded)
    client.post("/in-transit/receive", data={"boxCode": codes[0], "position": "B7"})
    for path in ("/in-transit", f"/purchase-orders/{po['id']}"):
        page = html(client.get(path))
        chip = re.search(
            rf'<span class="box-chip received"[^>]*>{codes[0]} <span class="rack">([^<]*)</span>', page
        )
        assert chip and chip.group(1) == "@ B7", path
