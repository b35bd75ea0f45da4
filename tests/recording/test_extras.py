"""K28: komet_sim returns the fields a recording kept for an object (after its own), never instead of its own."""

from __future__ import annotations

import json

from harness.recording import replay, world
from harness.recording.format import Exchange

VENDORS = {
    "status": "1",
    "message": "OK",
    "vendors": [
        {
            "id": "5501",
            "name": "Flores del Campo",
            "code": "FDC",
            "portOrigin": "BOG",
            "active": 1,
            "taxId": "900.1",
        }
    ],
}


def exchange(method: str, body: dict, query: dict) -> Exchange:
    data = {
        "seq": 1,
        "order": 1,
        "at": "2026-04-11T10:00:00.000Z",
        "method": method,
        "token": "token-0000beef",
        "request": {
            "verb": "GET",
            "path": f"/api/{method}",
            "query": {**query, "authenticationToken": "token-0000beef"},
        },
        "reply": {"status": 200, "contentType": "application/json", "body": body},
    }
    return Exchange(data, 2, "test.jsonl")


def test_a_master_data_list_returns_the_kept_fields_after_its_own():
    ex = exchange("vendor.list", VENDORS, {})
    imported = world.build([ex])
    (again,) = replay.replay(replay.komet(imported.snapshot), [ex])
    assert again.identical and list(again.body["vendors"][0])[-1] == "taxId"


def test_a_kept_field_never_replaces_a_modelled_one():
    ex = exchange("vendor.list", VENDORS, {})
    imported = world.build([ex])
    (kept,) = imported.tables["recorded_extras"]
    kept["fields"] = json.dumps({"name": "Not the vendor's name", "taxId": "900.1"})
    (again,) = replay.replay(replay.komet(imported.snapshot), [ex])
    assert (
        again.body["vendors"][0]["name"] == "Flores del Campo"
        and again.body["vendors"][0]["taxId"] == "900.1"
    )


def test_an_awb_list_returns_the_kept_fields():
    body = {
        "status": 1,
        "message": "OK",
        "awbs": [
            {
                "awbId": 148901,
                "awb": "729-1234-5675",
                "origin": "BOG",
                "shipDate": "2026-04-14",
                "arrivalDate": "2026-04-15",
                "pieces": 0,
                "piecesReceived": 0,
                "boxesCodes": "",
                "locationCode": None,
                "status": 1,
                "flight": "LA1234",
            }
        ],
    }
    ex = exchange("awb.list", body, {"shipDate": "2026-04-14"})
    imported = world.build([ex])
    (again,) = replay.replay(replay.komet(imported.snapshot), [ex])
    assert again.body["awbs"][0]["flight"] == "LA1234" and again.body == body


def test_the_kept_fields_are_in_every_reply_not_only_the_first():
    """A read asked again (komet_sim may answer it from its reply cache) still carries the kept fields."""
    ex = exchange("vendor.list", VENDORS, {})
    session = replay.komet(world.build([ex]).snapshot)
    first, second = replay.replay(session, [ex, ex])
    assert first.identical and second.identical and second.body["vendors"][0]["taxId"] == "900.1"
