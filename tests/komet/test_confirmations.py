"""Who confirmed a line and where (docs/decisions.md K27): every confirmation, in the vendor portal or through the
API, is recorded with its caller; the importer sees it in its portal and under /__sim; the API reply does not
change. Also the vendor's Confirm POs as JSON actions (K26)."""

from __future__ import annotations

import pytest

from harness.clients import SimError

from ..testkit import html
from .importer_portal_kit import sign_in
from .kometkit import Kit


@pytest.fixture
def kit(komet_local, seeded) -> Kit:
    return Kit(komet_local, seeded)


@pytest.fixture
def line(kit, vendor) -> dict:
    return next(x for x in kit.lines(vendor_id=vendor["id"], first=True) if x["totalBoxes"] > 1)


def test_a_portal_confirmation_names_the_vendors_login(kit, vendor, line, seeded):
    kit.komet.vendor_confirm(vendor["id"], line["poItemId"], 1)
    [entry] = kit.komet.line_confirmations(line["poItemId"])
    assert entry["via"] == "portal"
    assert (entry["callerType"], entry["login"], entry["tokenId"]) == (
        "Vendor",
        seeded["vendorUsers"][0]["username"],
        None,
    )
    assert (entry["previous"], entry["quantityConfirmed"]) == (0, 1)
    assert entry["where"] == "Komet's vendor portal"


def test_an_api_confirmation_names_the_token_and_its_maker(kit, vendor, line):
    token = kit.komet.create_token(vendor_id=vendor["id"], description="ASINFO integration")
    kit.komet.api(
        "purchase.order.item.confirm", token["token"], poItemId=line["poItemId"], quantityConfirmed=2
    )
    [entry] = kit.komet.line_confirmations(line["poItemId"])
    assert (entry["via"], entry["callerType"], entry["tokenId"], entry["tokenMadeBy"]) == (
        "api",
        "Vendor",
        token["id"],
        "importer",
    )
    assert entry["who"] == f"Vendor token #{token['id']} “ASINFO integration”"


def test_a_company_token_confirmation_is_the_importers(kit, line):
    kit.komet.api(
        "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=1
    )
    [entry] = kit.komet.line_confirmations(line["poItemId"])
    assert (entry["callerType"], entry["tokenMadeBy"]) == ("Company", "importer")


def test_the_history_outlives_the_token(kit, vendor, line):
    token = kit.komet.vendor_create_token(vendor["id"], "mine", "asinfo")
    kit.komet.api(
        "purchase.order.item.confirm", token["token"], poItemId=line["poItemId"], quantityConfirmed=1
    )
    kit.komet.vendor_revoke_token(vendor["id"], token["id"])
    [entry] = kit.komet.line_confirmations(line["poItemId"])
    assert (entry["tokenId"], entry["tokenMadeBy"]) == (token["id"], "vendor")
    assert "made by the vendor" in entry["who"]


def test_a_refused_confirmation_is_not_recorded(kit, vendor, line):
    with pytest.raises(SimError):
        kit.komet.vendor_confirm(vendor["id"], line["poItemId"], line["totalBoxes"] + 1)
    assert kit.komet.line_confirmations(line["poItemId"]) == []


def test_every_confirmation_is_kept_in_order(kit, vendor, line):
    kit.komet.vendor_confirm(vendor["id"], line["poItemId"], 1)
    kit.komet.api(
        "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=2
    )
    history = kit.komet.line_confirmations(line["poItemId"])
    assert [(e["via"], e["previous"], e["quantityConfirmed"]) for e in history] == [
        ("portal", 0, 1),
        ("api", 1, 2),
    ]


def test_the_api_reply_carries_nothing_more_after_a_portal_confirmation(kit, vendor, line):
    """K27: purchase.order.list keeps its documented fields; who confirmed is not among them."""
    before = kit.orders(number=str(line["poNumber"]))
    kit.komet.vendor_confirm(vendor["id"], line["poItemId"], 1)
    after = kit.orders(number=str(line["poNumber"]))
    assert after[0].keys() == before[0].keys()
    for old, new in zip(before[0]["details"], after[0]["details"], strict=True):
        assert new.keys() == old.keys()


def test_another_companys_line_has_no_history_here(kit, komet_world, seeded, line):
    other = komet_world.seed_world({"seed": 8, "reset": False, "vendors": 1, "shipDays": 1})
    with pytest.raises(SimError) as caught:
        kit.komet.json(
            "GET",
            f"/__sim/komet/lines/{line['poItemId']}/confirmations",
            params={"namespace": other["companyId"]},
        )
    assert caught.value.status == 404


def test_the_importers_po_page_shows_who_confirmed_and_where(komet_app, kit, vendor, line, seeded):
    kit.komet.vendor_confirm(vendor["id"], line["poItemId"], 1)
    kit.komet.api(
        "purchase.order.item.confirm", kit.company_token, poItemId=line["poItemId"], quantityConfirmed=2
    )
    page = html(sign_in(komet_app.test_client(), seeded).get(f"/purchase-orders/{line['poId']}"))
    assert 'id="confirmations-table"' in page
    assert f'<tr data-line-id="{line["poItemId"]}" data-via="portal">' in page
    assert f'<tr data-line-id="{line["poItemId"]}" data-via="api">' in page
    assert seeded["vendorUsers"][0]["username"] in page


def test_a_page_without_confirmations_has_no_history(komet_app, seeded):
    po = seeded["purchaseOrders"][0]
    page = html(sign_in(komet_app.test_client(), seeded).get(f"/purchase-orders/{po['id']}"))
    assert 'id="confirmations-table"' not in page


def test_resetting_the_importer_takes_its_confirmations_with_it(kit, komet_world, vendor, line, seeded):
    kit.komet.vendor_confirm(vendor["id"], line["poItemId"], 1)
    assert komet_world.export_state(str(seeded["companyId"]))["tables"]["confirmations"]
    komet_world.reset(str(seeded["companyId"]))
    assert komet_world.store.all("SELECT * FROM confirmations") == []


# --- Confirm POs as JSON (K26) ------------------------------------------------------------------------------


def test_the_vendors_search_finds_only_its_pos(kit, vendor):
    found = kit.komet.vendor_purchase_orders(vendor["id"], shipDate=kit.seeded["shipDates"][0])
    assert found and {po["vendorId"] for po in found} == {vendor["id"]}


def test_confirm_shipments_as_json_reports_what_it_confirmed(kit, vendor):
    day = kit.seeded["shipDates"][0]
    pending = kit.lines(vendor_id=vendor["id"], date_only=day)
    done = kit.komet.vendor_confirm_shipments(vendor["id"], shipDate=day)
    assert sorted(d["poItemId"] for d in done["confirmed"]) == sorted(x["poItemId"] for x in pending)
    assert done["refused"] == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("lines/{item}/confirm", {"boxes": -1}, "boxes"),
        ("lines/{item}/confirm", {"boxes": "two"}, "boxes"),
        ("lines/{item}/confirm", {}, "boxes"),
        ("lines/{item}/confirm", {"boxes": 1, "extra": 1}, "extra"),
        ("confirm-shipments", {"status": "Z"}, "status"),
        ("confirm-shipments", {"shipDate": "tomorrow"}, "shipDate"),
    ],
)
def test_bad_vendor_actions_are_400_naming_the_field(kit, vendor, line, path, body, field):
    with kit.unchanged(), pytest.raises(SimError) as caught:
        kit.komet.json(
            "POST", f"/__sim/komet/vendors/{vendor['id']}/" + path.format(item=line["poItemId"]), body
        )
    assert (caught.value.status, caught.value.body["error"]["field"]) == (400, field)
