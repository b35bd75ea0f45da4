"""A17: a confirmation made in Komet outside ASINFO (the vendor portal's Confirm POs) is told to the grower in
words at the next sync, and never taken as the grower's own: ASINFO's confirmation stays as it was."""

from __future__ import annotations

from .asinfokit import line, synced_order

OUTSIDE = "Changed in Komet, outside ASINFO"


def vendor_confirms(topo, item_id: int, boxes: int) -> dict:
    """The grower's vendor types To Confirm in Komet's own vendor portal."""
    return topo.komet.vendor_confirm(topo.grower["vendor"]["id"], item_id, boxes)


def sync_changes(topo) -> list[str]:
    return topo.asinfo.sync()["syncs"][0]["changes"]


def test_an_unconfirmed_line_confirmed_in_komet_is_told_not_adopted(ip):
    target = synced_order(ip)["lines"][0]
    vendor_confirms(ip, target["poItemId"], 1)
    changes = sync_changes(ip)
    now = line(ip, target["id"])
    assert (now["confirmedBoxes"], now["confirmState"], now["kometConfirmedBoxes"]) == (None, "none", 1)
    assert now["confirmMessage"].startswith(OUTSIDE)
    assert f"Komet shows 1 of {target['orderedBoxes']} boxes confirmed" in now["confirmMessage"]
    assert any(OUTSIDE in c for c in changes)


def test_a_confirmation_changed_in_komet_keeps_the_growers_own_and_says_so(ip):
    target = synced_order(ip)["lines"][0]
    ip.asinfo.confirm_line(target["id"], 2)
    vendor_confirms(ip, target["poItemId"], 1)
    sync_changes(ip)
    now = line(ip, target["id"])
    assert (now["confirmedBoxes"], now["confirmState"], now["kometConfirmedBoxes"]) == (2, "accepted", 1)
    assert "Komet holds 1 confirmed box(es), not the 2 confirmed here" in now["confirmMessage"]


def test_the_note_goes_once_komet_agrees_again(ip):
    target = synced_order(ip)["lines"][0]
    ip.asinfo.confirm_line(target["id"], 2)
    vendor_confirms(ip, target["poItemId"], 1)
    sync_changes(ip)
    vendor_confirms(ip, target["poItemId"], 2)
    sync_changes(ip)
    assert line(ip, target["id"])["confirmMessage"] == ""


def test_a_confirmation_set_back_to_nothing_in_komet_clears_the_note(ip):
    target = synced_order(ip)["lines"][0]
    vendor_confirms(ip, target["poItemId"], 1)
    sync_changes(ip)
    vendor_confirms(ip, target["poItemId"], 0)
    sync_changes(ip)
    now = line(ip, target["id"])
    assert (now["confirmMessage"], now["kometConfirmedBoxes"]) == ("", 0)


def test_a_quiet_sync_says_nothing(ip):
    target = synced_order(ip)["lines"][0]
    ip.asinfo.confirm_line(target["id"], 1)
    assert not any(OUTSIDE in c for c in sync_changes(ip))
    assert line(ip, target["id"])["confirmMessage"] == ""
