"""kasim import: a recording or saved purchase.order.list replies become a komet_sim world and a scenario; a
replay against that world gives the recorded replies back, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from harness.cli import main
from harness.recording import fields, replay, sources, world
from komet_sim import replies

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"

SAVED = """{
  "status": "1",
  "message": "OK",
  "purchaseOrders": [
    {
      "id": 812345,
      "number": "PO-77",
      "shipDate": "2026-04-14",
      "vendorId": 5501,
      "vendorName": "Flores del Campo",
      "origin": "BOG",
      "locationId": 0,
      "locationName": null,
      "status": "A",
      "totalBoxes": 3,
      "totalCost": 90.0,
      "comments": "",
      "createdOn": "2026-04-10T09:30:00",
      "updatedOn": "2026-04-11T10:00:00",
      "incoterm": "FCA",
      "details": [
        {
          "poItemId": 990001,
          "productId": 77001,
          "productDescription": "Rose Freedom 50cm",
          "boxType": "QB",
          "totalBoxes": 3,
          "quantityConfirmed": 1,
          "unitType": "Stem",
          "units": 100,
          "bunches": 4,
          "stemsBunch": 25,
          "totalUnits": 300,
          "unitCost": 0.3,
          "totalCost": 90.0,
          "markCode": "MK1",
          "notes": "",
          "lineItemStatus": "PC",
          "orderType": "P",
          "standingOrder": null,
          "prebook": null,
          "prebookItemId": 0,
          "prebookTruckDate": null,
          "customerId": 44001,
          "customerName": "Bloom Shop",
          "carrierId": 0,
          "carrierName": null,
          "referenceNumber": null,
          "customField1": null,
          "grossWeight": 12.5,
          "breakdowns": [],
          "customFields": [
            {"customFieldId": 3, "customFieldValueId": 31, "fieldName": "Sleeve", "value": "Printed"}
          ]
        }
      ]
    }
  ]
}
"""


def record(recorder, scenario: str) -> Path:
    proxy_server, _, out = recorder
    assert main(["run", str(LIBRARY / scenario), "--komet-url", proxy_server.url, "--no-progress"]) == 0
    return out


def test_record_import_replay_gives_the_same_bytes(komet, recorder):
    out = record(recorder, "partial-confirmation-split.yaml")
    exchanges, problems = sources.load([str(out)])
    imported = world.build(exchanges)
    assert problems == [] and imported.problems == []
    replayed = replay.replay(replay.komet(imported.snapshot), exchanges)
    assert len(replayed) == len(exchanges) > 20
    assert {r.exchange.method for r in replayed} >= {
        "purchase.order.item.confirm",
        "purchase.order.items.awb.add",
    }
    different = [r.exchange.where for r in replayed if not r.identical]
    assert different == []
    # the split line and the shipment's boxes were made by the replay, with the recorded ids and codes
    items = {r["id"] for r in imported.tables["po_items"]}
    split = next(r for r in replayed if r.exchange.method == "purchase.order.items.awb.add")
    new_id = split.body["purchaseOrderItemDetailsAWBAddAPIResultList"][0]["newPOItemId"]
    assert new_id not in items and imported.tables["boxes"] == []


def test_kasim_import_writes_a_world_and_a_scenario_kasim_run_passes(komet, recorder, tmp_path, capsys):
    out = record(recorder, "several-pos-one-awb.yaml")
    capsys.readouterr()
    assert main(["import", str(out), "--out", str(tmp_path / "imported"), "--name", "bug"]) == 0
    shown = capsys.readouterr().out
    assert "kasim run" in shown and "bug.yaml" in shown
    state = json.loads((tmp_path / "imported" / "bug.state.json").read_text())
    assert state["app"] == "komet" and state["tables"]["purchase_orders"]
    assert main(["run", str(tmp_path / "imported" / "bug.yaml"), "--no-progress"]) == 0, (
        capsys.readouterr().out
    )


def saved_file(tmp_path, text: str = SAVED, name: str = "saved.json") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_saved_reply_becomes_a_world_with_its_ids_codes_and_unmodelled_fields(tmp_path):
    exchanges, problems = sources.load([str(saved_file(tmp_path))])
    imported = world.build(exchanges)
    assert problems == imported.problems == []
    tables = imported.tables
    (po,) = tables["purchase_orders"]
    assert (po["id"], po["number"], po["vendor_id"]) == (812345, "PO-77", 5501)
    (line,) = tables["po_items"]
    assert (line["id"], line["status"], line["quantity_confirmed"], line["customer_id"]) == (
        990001,
        "PC",
        1,
        44001,
    )
    assert [c["code"] for c in tables["boxtypes"]] == ["QB"] and tables["customers"][0]["mark_code"] == "MK1"
    assert tables["custom_fields"][0]["value"] == "Printed"
    assert imported.tokens and any("made up" in n for n in imported.notes)
    (again,) = replay.replay(replay.komet(imported.snapshot), exchanges)
    assert again.body == exchanges[0].body  # the unmodelled fields come back, where they were recorded
    assert again.body["purchaseOrders"][0]["incoterm"] == "FCA"
    assert again.body["purchaseOrders"][0]["details"][0]["grossWeight"] == 12.5


def test_without_extras_the_simulator_answers_only_what_it_models(tmp_path):
    exchanges, _ = sources.load([str(saved_file(tmp_path))])
    imported = world.build(exchanges, keep_extras=False)
    (again,) = replay.replay(replay.komet(imported.snapshot), exchanges)
    assert "incoterm" not in again.body["purchaseOrders"][0]
    assert imported.tables["recorded_extras"] == []


def test_values_the_simulator_cannot_hold_are_reported_by_field_and_line(tmp_path, capsys):
    bad = SAVED.replace('"lineItemStatus": "PC"', '"lineItemStatus": "Z"').replace(
        '"units": 100', '"units": "many"'
    )
    path = saved_file(tmp_path, bad)
    lines = bad.splitlines()
    status_line = next(i for i, t in enumerate(lines, 1) if '"lineItemStatus"' in t)
    units_line = next(i for i, t in enumerate(lines, 1) if '"units"' in t)
    assert main(["import", str(path), "--out", str(tmp_path / "out")]) == 1
    shown = capsys.readouterr().out
    assert (
        f"{path}:{status_line}: purchaseOrders[0].details[0].lineItemStatus: 'Z' is not one of P, PC" in shown
    )
    assert f"{path}:{units_line}: purchaseOrders[0].details[0].units: 'many' is not an integer" in shown
    state = json.loads((tmp_path / "out" / "saved.state.json").read_text())
    assert state["tables"]["po_items"] == [] and len(state["tables"]["purchase_orders"]) == 1


def test_a_number_sent_as_a_string_is_read_as_the_number(tmp_path):
    exchanges, _ = sources.load(
        [
            str(
                saved_file(
                    tmp_path,
                    SAVED.replace('"totalBoxes": 3,\n          "q', '"totalBoxes": "3",\n          "q'),
                )
            )
        ]
    )
    imported = world.build(exchanges)
    assert imported.problems == [] and imported.tables["po_items"][0]["total_boxes"] == 3


def test_saved_replies_as_a_bare_list_of_pos_and_as_json_lines(tmp_path):
    po = json.loads(SAVED)["purchaseOrders"]
    bare = saved_file(tmp_path, json.dumps(po, indent=1), "bare.json")
    lines = saved_file(tmp_path, json.dumps(json.loads(SAVED)) + "\n", "lines.jsonl")
    for path in (bare, lines):
        exchanges, problems = sources.load([str(path)])
        assert problems == [] and world.build(exchanges).tables["po_items"][0]["id"] == 990001
    exchanges, problems = sources.load([str(saved_file(tmp_path, '{"vendors": []}', "other.json"))])
    assert exchanges == [] and "not a purchase.order.list reply" in str(problems[0])


@pytest.mark.parametrize(
    ("schema", "spec"),
    [
        (replies.PURCHASE_ORDER, fields.PURCHASE_ORDER),
        (replies.LINE, fields.LINE),
        (replies.BOX, fields.BOX),
        (replies.BREAKDOWN, fields.BREAKDOWN),
        (replies.CUSTOM_FIELD, fields.CUSTOM_FIELD),
        (replies.VENDOR, fields.VENDOR),
        (replies.CUSTOMER, fields.CUSTOMER),
        (replies.PRODUCT, fields.PRODUCT),
        (replies.BOXTYPE, fields.BOXTYPE),
        (replies.CARRIER, fields.CARRIER),
        (replies.LOCATION, fields.LOCATION),
        (replies.AWB_DETAILS, fields.AWB),
        (replies.AWB_BOX, fields.AWB_BOX),
    ],
)
def test_every_field_komet_sim_answers_is_mapped_or_computed(schema, spec):
    """A field kasim models but the importer does not map would be neither stored nor kept as an extra."""
    assert set(schema["properties"]) == set(spec)


def other_reply() -> dict:
    """A second saved reply: another PO of the same vendor, another day, one line."""
    reply = json.loads(SAVED)
    po = reply["purchaseOrders"][0]
    po.update(id=812346, number="PO-78", shipDate="2026-04-15")
    po["details"][0].update(poItemId=990002)
    return reply


def test_several_saved_replies_make_one_world_and_one_step_each(tmp_path, capsys):
    first = saved_file(tmp_path)
    listed = saved_file(tmp_path, json.dumps([other_reply()], indent=2), "more.json")
    assert main(["import", str(first), str(listed), "--out", str(tmp_path / "out"), "--name", "logs"]) == 0
    state = json.loads((tmp_path / "out" / "logs.state.json").read_text())
    assert sorted(p["number"] for p in state["tables"]["purchase_orders"]) == ["PO-77", "PO-78"]
    assert sorted(i["id"] for i in state["tables"]["po_items"]) == [990001, 990002]
    scenario = yaml.safe_load((tmp_path / "out" / "logs.yaml").read_text())
    calls = [s["komet.call"]["params"] for s in scenario["steps"] if "komet.call" in s]
    assert calls == [{"date": "2026-04-14"}, {"date": "2026-04-15"}]
    capsys.readouterr()
    assert main(["run", str(tmp_path / "out" / "logs.yaml"), "--no-progress"]) == 0, capsys.readouterr().out
