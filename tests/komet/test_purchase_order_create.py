"""purchase.order.create (docs/komet-api.md A7, K11): the sample, the line fields, vendors by id or code, an
AWB that ships at once, and every refusal naming its field."""

from __future__ import annotations

import pytest

from .kometkit import refusal


@pytest.fixture
def item(kit):
    """Builds a purchase-order line; the product code is read once, before any unchanged() block."""
    code = kit.product_code()

    def build(**extra) -> dict:
        return _item(code, **extra)

    return build


def _item(code: str, **extra) -> dict:
    return {
        "productCode": code,
        "boxTypeCode": "HB",
        "boxes": 3,
        "unitType": "Stem",
        "bunches": 12,
        "stemsBunch": 25,
        "cost": 0.42,
        "markCode": "ABC-MIA",
        "notes": "Food included",
        **extra,
    }


def _create(komet, token, **order) -> dict:
    return komet.api("purchase.order.create", token, **order)


def test_create_sample_request_makes_an_approved_po(item, komet, kit, vendor, seeded):
    reply = _create(
        komet,
        kit.company_token,
        shipDate=seeded["shipDates"][0],
        vendorId=vendor["id"],
        purchaseOrderItems=[item()],
    )
    assert reply["status"] == "1" and reply["message"] == "Purchase order was successfully created."
    assert isinstance(reply["purchaseOrderId"], int) and isinstance(reply["purchaseOrderNumber"], str)
    assert [type(i) for i in reply["purchaseOrderItemIds"]] == [int]
    po = kit.orders(number=reply["purchaseOrderNumber"])[0]
    assert (po["id"], po["status"], po["vendorId"]) == (reply["purchaseOrderId"], "A", vendor["id"])


def test_created_lines_carry_the_given_fields(item, komet, kit, vendor, seeded):
    reply = _create(
        komet,
        kit.company_token,
        shipDate=seeded["shipDates"][0],
        vendorId=vendor["id"],
        purchaseOrderItems=[item()],
    )
    line = kit.line(reply["purchaseOrderItemIds"][0])
    assert {
        k: line[k]
        for k in (
            "boxType",
            "totalBoxes",
            "unitType",
            "bunches",
            "stemsBunch",
            "units",
            "unitCost",
            "markCode",
            "notes",
            "lineItemStatus",
        )
    } == {
        "boxType": "HB",
        "totalBoxes": 3,
        "unitType": "Stem",
        "bunches": 12,
        "stemsBunch": 25,
        "units": 300,
        "unitCost": 0.42,
        "markCode": "ABC-MIA",
        "notes": "Food included",
        "lineItemStatus": "P",
    }


def test_create_takes_the_vendor_by_code(item, komet, kit, vendor, seeded):
    reply = _create(
        komet,
        kit.company_token,
        shipDate=seeded["shipDates"][0],
        vendorCode=vendor["code"].lower(),
        purchaseOrderItems=[item()],
    )
    assert kit.orders(number=reply["purchaseOrderNumber"])[0]["vendorId"] == vendor["id"]


def test_a_vendor_tokens_po_is_its_own_whatever_vendor_id_says(
    item, komet, kit, vendor, other_vendor, vendor_token, seeded
):
    reply = _create(
        komet,
        vendor_token,
        shipDate=seeded["shipDates"][0],
        vendorId=other_vendor["id"],
        purchaseOrderItems=[item()],
    )
    po = kit.orders(number=reply["purchaseOrderNumber"])[0]
    assert (po["vendorId"], po["status"]) == (vendor["id"], "A")


def test_create_with_an_awb_number_ships_the_lines(item, komet, kit, vendor, seeded):
    reply = _create(
        komet,
        kit.company_token,
        shipDate=seeded["shipDates"][0],
        vendorId=vendor["id"],
        purchaseOrderItems=[item()],
        **{"AWB Number": "729-5555-1234"},
    )
    line = kit.line(reply["purchaseOrderItemIds"][0])
    assert line["lineItemStatus"] == "S" and len(line["boxes"]) == 3
    awbs = komet.api("awb.list", kit.company_token, awb="1234")["awbs"]
    assert [a["pieces"] for a in awbs] == [3]


def test_create_adds_lines_to_an_existing_po_by_number(item, komet, kit, vendor, seeded):
    po = next(p for p in seeded["purchaseOrders"] if p["vendorId"] == vendor["id"])
    reply = _create(
        komet,
        kit.company_token,
        shipDate=po["shipDate"],
        vendorId=vendor["id"],
        purchaseOrderNumber=po["number"],
        purchaseOrderItems=[item()],
    )
    assert reply["purchaseOrderId"] == po["id"]
    assert len(kit.orders(number=po["number"])[0]["details"]) == len(po["poItemIds"]) + 1


def test_an_unmapped_product_code_makes_an_unknown_product_that_cannot_ship(item, komet, kit, vendor, seeded):
    reply = _create(
        komet,
        kit.company_token,
        shipDate=seeded["shipDates"][0],
        vendorId=vendor["id"],
        purchaseOrderItems=[item(productCode="NEW1", productDescription="Rose Novelty 50cm")],
    )
    line = kit.line(reply["purchaseOrderItemIds"][0])
    assert line["productDescription"] == "Rose Novelty 50cm"
    kit.confirm(line)
    shipped = komet.api(
        "purchase.order.item.awb.add",
        kit.company_token,
        poItemId=line["poItemId"],
        awb="729-5555-1234",
        shipDate=line["shipDate"],
    )
    assert shipped == refusal("product_unknown", product="Rose Novelty 50cm")


def test_create_refuses_vendor_id_and_vendor_code_together(item, komet, kit, vendor, seeded):
    with kit.unchanged():
        reply = _create(
            komet,
            kit.company_token,
            shipDate=seeded["shipDates"][0],
            vendorId=vendor["id"],
            vendorCode=vendor["code"],
            purchaseOrderItems=[item()],
        )
    assert reply == refusal("vendor_id_or_code")


def test_create_with_a_company_token_needs_a_vendor(item, komet, kit, seeded):
    with kit.unchanged():
        reply = _create(
            komet, kit.company_token, shipDate=seeded["shipDates"][0], purchaseOrderItems=[item()]
        )
    assert reply == refusal("missing_param", name="vendorId")


@pytest.mark.parametrize("missing", ["shipDate", "purchaseOrderItems"])
def test_create_names_a_missing_parameter(item, komet, kit, vendor, seeded, missing):
    order = {"shipDate": seeded["shipDates"][0], "vendorId": vendor["id"], "purchaseOrderItems": [item()]}
    order.pop(missing)
    with kit.unchanged():
        reply = _create(komet, kit.company_token, **order)
    assert reply == refusal("missing_param", name=missing)


def test_create_refuses_unknown_header_references(item, komet, kit, vendor, seeded):
    with kit.unchanged():
        for header, key, ref in [
            ({"vendorId": 1}, "vendor_not_found", 1),
            ({"vendorCode": "NOPE"}, "vendor_not_found", "NOPE"),
            ({"carrierId": 5}, "carrier_not_found", 5),
            ({"carrierCode": "ZZ"}, "carrier_not_found", "ZZ"),
            ({"companyLocationCode": "XYZ"}, "location_not_found", "XYZ"),
        ]:
            order = {
                "shipDate": seeded["shipDates"][0],
                "vendorId": vendor["id"],
                "purchaseOrderItems": [item()],
                **header,
            }
            if "vendorCode" in header:
                order.pop("vendorId")
            assert _create(komet, kit.company_token, **order) == refusal(key, ref=ref), header


def test_create_refuses_unknown_line_references(item, komet, kit, vendor, seeded):
    with kit.unchanged():
        for extra, key, ref in [
            ({"productId": 1}, "product_not_found", 1),
            ({"boxTypeCode": "XB"}, "boxtype_not_found", "XB"),
            ({"customerId": 3}, "customer_not_found", 3),
            ({"prebookItemId": 82397}, "prebook_item_not_found", 82397),
        ]:
            line = item(**extra)
            if "productId" in extra:
                line.pop("productCode")
            reply = _create(
                komet,
                kit.company_token,
                shipDate=seeded["shipDates"][0],
                vendorId=vendor["id"],
                purchaseOrderItems=[line],
            )
            assert reply == refusal(key, ref=ref), extra


def test_create_refuses_another_vendors_po_number(item, komet, kit, vendor, other_vendor, seeded):
    po = next(p for p in seeded["purchaseOrders"] if p["vendorId"] == other_vendor["id"])
    with kit.unchanged():
        reply = _create(
            komet,
            kit.company_token,
            shipDate=po["shipDate"],
            vendorId=vendor["id"],
            purchaseOrderNumber=po["number"],
            purchaseOrderItems=[item()],
        )
    assert reply == refusal("po_not_found", number=po["number"])


def test_create_refuses_lines_for_a_cancelled_po(item, komet, kit, vendor, seeded):
    po = next(p for p in seeded["purchaseOrders"] if p["vendorId"] == vendor["id"])
    komet.cancel(po["id"])
    with kit.unchanged():
        reply = _create(
            komet,
            kit.company_token,
            shipDate=po["shipDate"],
            vendorId=vendor["id"],
            purchaseOrderNumber=po["number"],
            purchaseOrderItems=[item()],
        )
    assert reply == refusal("po_cancelled", number=po["number"])


def test_one_bad_line_leaves_no_po_behind(item, komet, kit, vendor, seeded):
    with kit.unchanged():
        reply = _create(
            komet,
            kit.company_token,
            shipDate=seeded["shipDates"][0],
            vendorId=vendor["id"],
            purchaseOrderItems=[item(), item(boxTypeCode="XB")],
        )
    assert reply == refusal("boxtype_not_found", ref="XB")


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("boxes", 0, "must be a whole number, 1 or more"),
        ("unitType", "Box", "must be Stem or Bunch"),
    ],
)
def test_create_refuses_bad_line_values_naming_the_field(
    item, komet, kit, vendor, seeded, field, value, reason
):
    with kit.unchanged():
        reply = _create(
            komet,
            kit.company_token,
            shipDate=seeded["shipDates"][0],
            vendorId=vendor["id"],
            purchaseOrderItems=[item(**{field: value})],
        )
    assert reply == refusal("invalid_param", name=f"purchaseOrderItems[0].{field}", reason=reason)


def test_create_refuses_an_unknown_line_field(item, komet, kit, vendor, seeded):
    with kit.unchanged():
        reply = _create(
            komet,
            kit.company_token,
            shipDate=seeded["shipDates"][0],
            vendorId=vendor["id"],
            purchaseOrderItems=[item(color="red")],
        )
    assert reply == refusal("unknown_param", name="purchaseOrderItems[0].color")


def test_a_vendor_token_cannot_add_lines_to_another_vendors_po(item, komet, kit, other_vendor, vendor_token):
    po = next(p for p in kit.seeded["purchaseOrders"] if p["vendorId"] == other_vendor["id"])
    with kit.unchanged():
        reply = _create(
            komet,
            vendor_token,
            shipDate=po["shipDate"],
            purchaseOrderNumber=po["number"],
            purchaseOrderItems=[item()],
        )
    assert reply == refusal("po_not_found", number=po["number"])
