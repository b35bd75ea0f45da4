"""What a sync copies from Komet's purchase order onto ASINFO's order: the origin the grower ships from and
Komet's own last-change stamp (gaps mutation testing found: neither was ever compared)."""

from __future__ import annotations

from . import asinfokit


def test_a_synced_order_carries_komets_origin_and_last_change(ip):
    order = asinfokit.synced_order(ip)
    po = asinfokit.komet_po(ip, order["number"])
    assert order["origin"] == po["origin"] and po["origin"]
    [row] = [o for o in asinfokit.asinfo_state(ip)["tables"]["orders"] if o["id"] == order["id"]]
    assert row["komet_updated_on"] == po["updatedOn"] and po["updatedOn"]


def test_a_synced_order_carries_the_importers_comments(ip):
    ip.asinfo.sync()
    orders = ip.asinfo.orders()
    commented = [o for o in orders if asinfokit.komet_po(ip, o["number"]).get("comments")]
    assert commented, "the seed gives some purchase orders comments"
    for order in commented:
        assert order["comments"] == asinfokit.komet_po(ip, order["number"])["comments"]


def test_a_synced_order_carries_komets_location_and_each_lines_product_and_unit_type(ip):
    order = asinfokit.synced_order(ip)
    po = asinfokit.komet_po(ip, order["number"])
    assert order["location"] == po["locationName"] and po["locationName"]
    rows = {r["komet_item_id"]: r for r in asinfokit.asinfo_state(ip)["tables"]["lines"]}
    for ln in order["lines"]:
        komet = asinfokit.komet_line(ip, order["number"], ln["poItemId"])
        assert ln["product"] == komet["productDescription"] and komet["productDescription"]
        assert rows[ln["poItemId"]]["unit_type"] == komet["unitType"] and komet["unitType"]
        assert ln["customerName"] == komet["customerName"] and komet["customerName"]
