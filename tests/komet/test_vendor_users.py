"""Vendor logins (docs/decisions.md K24): one per seeded vendor, linked across importers, refusals in words."""

from __future__ import annotations

import pytest

from komet_sim import create_app
from komet_sim.domain import orders, vendor_users
from simkit.errors import BadInput

PASSWORD = "komet123"


@pytest.fixture
def partner(komet_world, seeded) -> dict:
    """A second importer whose first vendor is the seed-7 company's first vendor (the same grower)."""
    return komet_world.seed_world(
        {"seed": 7, "reset": False, "vendors": 2, "shipDays": 1, "linkCompany": seeded["companyId"]}
    )


def test_every_seeded_vendor_has_its_own_login(seeded):
    logins = seeded["vendorUsers"]
    assert [v["vendorId"] for v in logins] == [v["id"] for v in seeded["vendors"]]
    assert len({v["username"] for v in logins}) == len(logins)
    assert all(v["password"] == PASSWORD and v["name"] for v in logins)


def test_the_same_seed_gives_the_same_logins(seeded):
    again = create_app({"seed": 7, "seed_world": {"seed": 7}}).extensions["kasim.seeded"]
    assert again["vendorUsers"] == seeded["vendorUsers"]


def test_a_linked_importer_shares_the_vendor_and_its_login(seeded, partner, komet_world):
    ours, theirs = seeded["vendors"][0], partner["vendors"][0]
    assert (theirs["name"], theirs["code"], theirs["portOrigin"]) == (
        ours["name"],
        ours["code"],
        ours["portOrigin"],
    )
    assert partner["vendorUsers"][0]["username"] == seeded["vendorUsers"][0]["username"]
    assert partner["vendorUsers"][1]["username"] not in {v["username"] for v in seeded["vendorUsers"]}
    links = vendor_users.links(komet_world, seeded["vendorUsers"][0]["username"])
    assert [(link["companyId"], link["vendorId"]) for link in links] == [
        (seeded["companyId"], ours["id"]),
        (partner["companyId"], theirs["id"]),
    ]


def test_an_unlinked_vendor_has_one_importer(seeded, partner, komet_world):
    assert len(vendor_users.links(komet_world, seeded["vendorUsers"][1]["username"])) == 1


def test_resetting_one_importer_removes_only_its_link(seeded, partner, komet_world):
    komet_world.reset(str(partner["companyId"]))
    links = vendor_users.links(komet_world, seeded["vendorUsers"][0]["username"])
    assert [link["companyId"] for link in links] == [seeded["companyId"]]


def test_sign_in_checks_the_password(seeded, komet_world):
    login = seeded["vendorUsers"][0]
    assert (
        vendor_users.sign_in(komet_world, login["username"].upper(), PASSWORD)["username"]
        == login["username"]
    )
    assert vendor_users.sign_in(komet_world, login["username"], "wrong") is None
    assert vendor_users.sign_in(komet_world, "nobody@example.com", PASSWORD) is None


def test_the_vendor_sees_what_a_vendor_token_of_its_vendor_sees(seeded, komet_world):
    login, vendor = seeded["vendorUsers"][0], seeded["vendors"][0]
    me = vendor_users.vendor_caller(komet_world, login["username"], seeded["companyId"])
    assert (me.type, me.vendor_id, me.via, me.user) == ("Vendor", vendor["id"], "portal", login["username"])
    found = orders.list_purchase_orders(komet_world, me, {"date": seeded["shipDates"][0]})
    assert found and {po["vendorId"] for po in found} == {vendor["id"]}


def test_a_vendor_cannot_act_for_an_importer_it_is_not_linked_to(seeded, partner, komet_world):
    lonely = seeded["vendorUsers"][1]["username"]
    with pytest.raises(BadInput) as refused:
        vendor_users.vendor_caller(komet_world, lonely, partner["companyId"])
    assert refused.value.code == "not_found"


@pytest.mark.parametrize(
    ("username", "field", "code"),
    [
        ("", "username", "invalid"),
        ("no-at-sign", "username", "invalid"),
        ("two words@example.com", "username", "invalid"),
        ("x" * 95 + "@example.com", "username", "invalid"),
    ],
)
def test_a_login_needs_an_email_address(seeded, komet_world, username, field, code):
    vendor = seeded["vendors"][0]
    with pytest.raises(BadInput) as refused:
        vendor_users.add_vendor_user(komet_world, seeded["companyId"], vendor["id"], username, "Ana", "pw")
    assert (refused.value.field, refused.value.code) == (field, code)


def test_an_importer_users_name_is_not_a_vendor_login(seeded, komet_world):
    with pytest.raises(BadInput) as refused:
        vendor_users.add_vendor_user(
            komet_world,
            seeded["companyId"],
            seeded["vendors"][0]["id"],
            seeded["users"][0]["username"],
            "A",
            "p",
        )
    assert (refused.value.field, refused.value.code) == ("username", "conflict")


def test_a_vendor_has_one_login_per_importer(seeded, komet_world):
    with pytest.raises(BadInput) as refused:
        vendor_users.add_vendor_user(
            komet_world, seeded["companyId"], seeded["vendors"][0]["id"], "second@farm.example", "Ana", "pw"
        )
    assert (refused.value.field, refused.value.code) == ("vendorId", "conflict")


def test_one_login_is_not_two_vendors_of_one_importer(seeded, komet_world):
    mine, other = seeded["vendors"][1], seeded["vendors"][0]
    with pytest.raises(BadInput) as refused:
        vendor_users.link_vendor(
            komet_world, seeded["companyId"], mine["id"], seeded["companyId"], other["id"]
        )
    assert refused.value.code == "conflict"
    name = komet_world.store.one("SELECT name FROM vendors WHERE id = ?", (mine["id"],))["name"]
    assert name == mine["name"]  # the refused link changed nothing


def _vendor_without_login(world, company_id: int) -> int:
    """A vendor the importer added after seeding (no login yet)."""
    vendor_id = world.next_id("vendor")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO vendors(id, company_id, name, code, port_origin) VALUES (?,?,?,?,?)",
            (vendor_id, company_id, "Late Farm", "LTF", "BOG"),
        )
    return vendor_id


def test_linking_an_existing_login_keeps_its_password(seeded, partner, komet_world):
    login = seeded["vendorUsers"][2]
    vendor_id = _vendor_without_login(komet_world, partner["companyId"])
    with pytest.raises(BadInput) as refused:
        vendor_users.add_vendor_user(
            komet_world, partner["companyId"], vendor_id, login["username"], "X", "other"
        )
    assert (refused.value.field, refused.value.code) == ("password", "conflict")
    linked = vendor_users.add_vendor_user(komet_world, partner["companyId"], vendor_id, login["username"])
    assert linked["name"] == login["name"]
    assert vendor_users.sign_in(komet_world, login["username"], PASSWORD) is not None


def test_a_new_login_needs_a_name_and_a_password(seeded, komet_world):
    vendor_id = _vendor_without_login(komet_world, seeded["companyId"])
    with pytest.raises(BadInput) as refused:
        vendor_users.add_vendor_user(komet_world, seeded["companyId"], vendor_id, "new@farm.example", "Ana")
    assert refused.value.field == "password"


def test_an_unknown_vendor_has_no_login(seeded, komet_world):
    with pytest.raises(BadInput) as refused:
        vendor_users.add_vendor_user(komet_world, seeded["companyId"], 999999, "a@b.example", "A", "p")
    assert (refused.value.field, refused.value.code) == ("vendorId", "not_found")


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"linkVendors": 1}, "linkVendors"),
        ({"linkCompany": 1}, "linkCompany"),
        ({"linkCompany": "SELF", "linkVendors": 3, "vendors": 2}, "linkVendors"),
        ({"linkCompany": "SELF", "reset": True}, "linkCompany"),
        ({"linkCompany": "SELF", "linkVendors": 0}, "linkVendors"),
    ],
)
def test_link_options_are_checked_before_anything_is_made(seeded, komet_world, options, field):
    options = {k: seeded["companyId"] if v == "SELF" else v for k, v in options.items()}
    before = komet_world.namespaces()
    with pytest.raises(BadInput) as refused:
        komet_world.seed_world({"seed": 7, "reset": False, **options})
    assert refused.value.field == field
    assert komet_world.namespaces() == before


def test_a_po_action_other_than_approve_or_cancel_is_refused_naming_the_action(seeded, komet_world):
    """Both routes only ever pass approve or cancel; the domain still refuses anything else by name."""
    me = orders.importer(komet_world, seeded["companyId"])
    po = orders.list_purchase_orders(komet_world, me, {"date": seeded["shipDates"][0]})[0]
    with pytest.raises(BadInput) as refused:
        orders.set_po_status(komet_world, me, int(po["id"]), "archive")
    assert (refused.value.field, refused.value.message) == ("action", "must be approve or cancel")
