"""Tokens a vendor makes itself (docs/decisions.md K25), through the vendor's JSON actions and the API: the same
rules as the importer's tokens, who may see, send and revoke what, and whose quota pays."""

from __future__ import annotations

import pytest

from harness.clients import SimError
from komet_sim.decisions import VENDOR_MADE_METHODS
from komet_sim.methods import ASINFO_PRESET, TOKEN_METHODS

from .kometkit import Kit, refusal


@pytest.fixture
def kit(komet_local, seeded) -> Kit:
    return Kit(komet_local, seeded)


def made(komet, vendor_id: int, methods="asinfo", description: str = "ASINFO (vendor)") -> dict:
    return komet.vendor_create_token(vendor_id, description, methods)


def refused(call, *args, **kwargs) -> SimError:
    with pytest.raises(SimError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_a_vendor_makes_a_vendor_token_of_its_own_vendor(komet_local, vendor, seeded):
    token = made(komet_local, vendor["id"])
    assert (token["type"], token["vendorId"], token["madeBy"]) == ("Vendor", vendor["id"], "vendor")
    assert token["madeByUser"] == seeded["vendorUsers"][0]["username"]
    assert token["methods"] == [m for m in TOKEN_METHODS if m in ASINFO_PRESET]
    assert token["sentOn"] is None


def test_the_vendors_token_sees_only_its_vendors_pos(kit, vendor):
    token = made(kit.komet, vendor["id"])["token"]
    found = kit.orders(token, date=kit.seeded["shipDates"][0])
    assert found and {int(po["vendorId"]) for po in found} == {vendor["id"]}


def test_the_importer_sees_it_marked_as_the_vendors_and_when_it_was_sent(komet_local, vendor):
    token = made(komet_local, vendor["id"])
    [listed] = komet_local.tokens()
    assert (listed["id"], listed["madeBy"], listed["sentOn"]) == (token["id"], "vendor", None)
    sent = komet_local.vendor_send_token(vendor["id"], token["id"])
    assert sent["sentOn"] is not None
    assert komet_local.tokens()[0]["sentOn"] == sent["sentOn"]


def test_the_importer_may_delete_a_vendors_token_and_it_fails_at_once(kit, vendor):
    token = made(kit.komet, vendor["id"])
    kit.komet.delete_token(token["id"])
    reply = kit.komet.api("purchase.order.list", token["token"], date=kit.seeded["shipDates"][0])
    assert reply == refusal("invalid_token")
    assert kit.komet.vendor_tokens(vendor["id"]) == []


def test_a_vendor_revokes_its_own_token_and_it_fails_at_once(kit, vendor):
    token = made(kit.komet, vendor["id"])
    assert kit.komet.vendor_revoke_token(vendor["id"], token["id"]) == {"deleted": token["id"]}
    reply = kit.komet.api("purchase.order.list", token["token"], date=kit.seeded["shipDates"][0])
    assert reply == refusal("invalid_token")
    assert kit.komet.tokens() == []


def test_a_vendor_cannot_revoke_or_send_the_importers_token(komet_local, vendor):
    theirs = komet_local.create_token(vendor_id=vendor["id"])
    for call in (komet_local.vendor_revoke_token, komet_local.vendor_send_token):
        error = refused(call, vendor["id"], theirs["id"])
        assert error.status == 409
        assert error.body["error"]["field"] == "id"
        assert "only the importer" in error.app_message
    assert [t["id"] for t in komet_local.tokens()] == [theirs["id"]]


def test_a_vendor_sees_the_importers_token_for_it_without_its_value(komet_local, vendor):
    theirs = komet_local.create_token(vendor_id=vendor["id"])
    [listed] = komet_local.vendor_tokens(vendor["id"])
    assert (listed["id"], listed["madeBy"]) == (theirs["id"], "importer")
    assert listed["token"] != theirs["token"] and theirs["token"] not in str(listed)


def test_a_vendor_never_reaches_another_vendors_token(komet_local, vendor, other_vendor):
    theirs = made(komet_local, other_vendor["id"])
    assert komet_local.vendor_tokens(vendor["id"]) == []
    for call in (komet_local.vendor_revoke_token, komet_local.vendor_send_token):
        assert refused(call, vendor["id"], theirs["id"]).status == 404
    assert len(komet_local.tokens()) == 1


def test_a_vendors_token_replaces_the_importers_for_that_vendor(kit, vendor):
    """K25: one token per vendor, the newest winning whoever made either."""
    theirs = kit.komet.create_token(vendor_id=vendor["id"])
    mine = made(kit.komet, vendor["id"])
    assert (mine["replaced"], mine["replacedMadeBy"]) == (theirs["id"], "importer")
    reply = kit.komet.api("purchase.order.list", theirs["token"], date=kit.seeded["shipDates"][0])
    assert reply == refusal("invalid_token")
    assert [t["id"] for t in kit.komet.tokens()] == [mine["id"]]


def test_the_importers_token_replaces_the_vendors(komet_local, vendor):
    mine = made(komet_local, vendor["id"])
    theirs = komet_local.create_token(vendor_id=vendor["id"])
    assert (theirs["replaced"], theirs["replacedMadeBy"]) == (mine["id"], "vendor")
    assert [t["madeBy"] for t in komet_local.tokens()] == ["importer"]


def test_all_means_everything_a_vendor_may_enable(komet_local, vendor):
    assert made(komet_local, vendor["id"], "all")["methods"] == list(VENDOR_MADE_METHODS)


@pytest.mark.parametrize("method", sorted(set(TOKEN_METHODS) - set(VENDOR_MADE_METHODS)))
def test_the_importers_own_methods_are_the_importers_to_grant(komet_local, vendor, method):
    error = refused(made, komet_local, vendor["id"], ["purchase.order.list", method])
    assert (error.status, error.body["error"]["field"]) == (400, "methods")
    assert f"{method} is the importer's to grant" in error.app_message
    assert komet_local.tokens() == []


@pytest.mark.parametrize(
    ("methods", "field"), [([], "methods"), (["no.such.method"], "methods"), (7, "methods")]
)
def test_bad_methods_are_refused_and_nothing_is_made(komet_local, vendor, methods, field):
    error = refused(made, komet_local, vendor["id"], methods)
    assert (error.status, error.body["error"]["field"]) == (400, field)
    assert komet_local.tokens() == []


def test_a_token_needs_a_description(komet_local, vendor):
    error = refused(
        komet_local.json, "POST", f"/__sim/komet/vendors/{vendor['id']}/tokens", {"methods": "asinfo"}
    )
    assert (error.status, error.body["error"]["field"]) == (400, "description")


def test_an_unknown_vendor_has_no_portal(komet_local):
    assert refused(komet_local.vendor_tokens, 999999).status == 404


def test_calls_with_the_vendors_token_count_against_the_importers_quota(kit, vendor):
    token = made(kit.komet, vendor["id"])["token"]
    before = kit.komet.company()["callsToday"]
    kit.orders(token, date=kit.seeded["shipDates"][0])
    assert kit.komet.company()["callsToday"] == before + 1


def test_when_the_importers_quota_is_spent_the_vendors_token_is_refused_too(kit, vendor):
    kit.komet.update_company(paidUsers=1, quotaPerUser=1)
    token = made(kit.komet, vendor["id"])["token"]
    kit.orders(token, date=kit.seeded["shipDates"][0])
    reply = kit.komet.api("purchase.order.list", token, date=kit.seeded["shipDates"][0])
    assert reply == refusal("daily_limit", limit=1)


def test_under_strict_a_vendors_own_token_is_refused_confirm_like_any_vendor_token(kit, vendor):
    kit.komet.update_company(profile="strict")
    token = made(kit.komet, vendor["id"])["token"]
    line = kit.lines(vendor_id=vendor["id"], first=True)[0]
    reply = kit.komet.api(
        "purchase.order.item.confirm", token, poItemId=line["poItemId"], quantityConfirmed=1
    )
    assert reply["status"] == "0"
    assert reply == refusal("token_type_refused", method="purchase.order.item.confirm", type="Vendor")
