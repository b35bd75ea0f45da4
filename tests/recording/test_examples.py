"""The example recordings the project made of itself (tools/record_examples.py: `kasim serve komet` through
`kasim proxy`): imported and replayed they give the recorded replies back byte for byte, `kasim run` passes
their scenarios, and `kasim contract komet --recording` finds no drift in them — but finds every hand edit."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from harness.cli import main
from harness.contract import recorded
from harness.recording import format as fmt
from harness.recording import replay, sources, world

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "recordings"
CONFIRM = FIXTURES / "full-confirmation.jsonl"
TOKEN = FIXTURES / "token-missing-ship-method.jsonl"


def tool():
    spec = importlib.util.spec_from_file_location("record_examples", ROOT / "tools" / "record_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_fixtures_are_the_recordings_the_tool_makes():
    assert sorted(p.stem for p in FIXTURES.glob("*.jsonl")) == sorted(tool().EXAMPLES)
    for path in FIXTURES.glob("*.jsonl"):
        rec = fmt.parse(path.read_text(encoding="utf-8"), str(path))
        assert rec.problems == [] and rec.header["recordedBy"].endswith("proxy")
        assert all(ex.data.get("serverTime") for ex in rec.exchanges)  # made against a kasim simulator


@pytest.mark.parametrize("path", [CONFIRM, TOKEN], ids=lambda p: p.stem)
def test_an_example_recording_replays_byte_for_byte(path):
    exchanges, problems = sources.load([str(path)])
    imported = world.build(exchanges)
    assert problems == [] and imported.problems == []
    replayed = replay.replay(replay.komet(imported.snapshot), exchanges)
    assert len(replayed) == len(exchanges) > 20
    assert [r.exchange.where for r in replayed if not r.identical] == []
    assert all(r.exchange.reply["sha256"] == r.sha256 for r in replayed)


def test_a_token_refused_a_method_keeps_the_documented_profile():
    """'not enabled for this token' is not a refusal by token type: the world stays `documented` (a strict
    world refused every confirmation by the Vendor token, and the replay parted from the recording)."""
    exchanges, _ = sources.load([str(TOKEN)])
    assert any(ex.message.endswith("is not enabled for this token.") for ex in exchanges)
    (company,) = world.build(exchanges).tables["companies"]
    assert company["profile"] == "documented"


def test_kasim_import_then_kasim_run_reproduces_the_recording(tmp_path, capsys):
    assert main(["import", str(TOKEN), "--out", str(tmp_path)]) == 0
    scenario = tmp_path / "token-missing-ship-method.yaml"
    text = scenario.read_text(encoding="utf-8")
    assert "state: token-missing-ship-method.state.json" in text and "refused:" in text
    assert main(["run", str(scenario), "--no-progress"]) == 0, capsys.readouterr().out


def test_contract_on_an_example_recording_finds_no_drift(capsys):
    assert main(["contract", "komet", "--recording", str(CONFIRM)]) == 0
    out = capsys.readouterr().out
    assert "35 recorded call(s) replayed, 35 answered with the recorded bytes" in out
    assert "0 failed" in out and "0 drift(s)" in out


def edited(tmp_path, source: Path, edit) -> Path:
    """A copy of `source` with `edit(exchange)` applied to each exchange line (the header kept as it is)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        data = json.loads(line)
        edit(data)
        out.append(json.dumps(data, ensure_ascii=False))
    path = tmp_path / source.name
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def rename_and_retype(data: dict) -> None:
    """What a newer Komet might do: a field renamed, a number sent as a string."""
    if data["method"] != "purchase.order.list":
        return
    for po in data["reply"]["body"]["purchaseOrders"]:
        po["totalBoxes"] = str(po["totalBoxes"])
        po["details"] = [
            {("prebookItemID" if k == "prebookItemId" else k): v for k, v in line.items()}
            for line in po["details"]
        ]


def test_a_renamed_field_and_a_number_sent_as_a_string_are_drift(tmp_path):
    path = edited(tmp_path, CONFIRM, rename_and_retype)
    result = recorded.check([str(path)])
    assert result.problems == [] and result.refused is None
    cases = {c.method: c for c in result.cases}
    shown = [str(d) for d in cases["purchase.order.list"].drifts]
    assert any(
        s.startswith("purchaseOrders[].details[].prebookItemID: renamed to prebookItemId") for s in shown
    )
    assert any(s.startswith("purchaseOrders[].totalBoxes: retyped string → integer") for s in shown)
    assert {d.kind for d in cases["purchase.order.list"].drifts} == {"renamed", "retyped"}
    assert cases["purchase.order.item.confirm"].status == "passed"


def test_kasim_contract_recording_reports_drift_per_method(tmp_path, capsys):
    def message_and_status(data: dict) -> None:
        rename_and_retype(data)
        if data["method"] == "purchase.order.item.confirm":
            data["reply"]["body"]["message"] = "Confirmed."
        if data["seq"] == 1:
            data["reply"]["status"] = 503
            data["reply"]["body"] = {"status": "0", "message": "Service Unavailable"}

    path = edited(tmp_path, CONFIRM, message_and_status)
    junit = tmp_path / "contract.xml"
    code = main(["contract", "komet", "--recording", str(path), "--junit-xml", str(junit)])
    out = capsys.readouterr().out
    assert code == 1
    assert "✗ purchase.order.item.confirm" in out and "message: expected 'Confirmed.', got 'OK'" in out
    assert "reply: expected HTTP 503, got HTTP 200" in out and "status: expected '0', got '1'" in out
    assert "prebookItemID: renamed to prebookItemId" in out
    assert "✓ purchase.order.items.awb.add" in out
    assert 'name="purchase.order.item.confirm"' in junit.read_text(encoding="utf-8")


def test_kept_fields_are_drift_for_the_contract_and_returned_by_the_import(tmp_path):
    """K28: a field kasim does not model is given back to the developer's replay, and shown as drift by the
    contract (which measures kasim itself)."""

    def add_field(data: dict) -> None:
        if data["method"] == "purchase.order.list":
            for po in data["reply"]["body"]["purchaseOrders"]:
                po["incoterm"] = "FCA"

    path = edited(tmp_path, CONFIRM, add_field)
    exchanges, _ = sources.load([str(path)])
    replayed = replay.replay(replay.komet(world.build(exchanges).snapshot), exchanges)
    listed = [r for r in replayed if r.exchange.method == "purchase.order.list" and r.body["purchaseOrders"]]
    assert listed and all(r.body == r.exchange.body for r in listed)
    drifts = {c.method: c.drifts for c in recorded.check([str(path)]).cases}
    assert [str(d).split(" (")[0] for d in drifts["purchase.order.list"]] == [
        "purchaseOrders[].incoterm: missing"
    ]


def test_values_komet_sim_cannot_hold_are_reported_by_field_and_line(tmp_path):
    def bad_status(data: dict) -> None:
        if data["seq"] == 2:
            data["reply"]["body"]["purchaseOrders"][0]["details"][1]["lineItemStatus"] = "Z"

    path = edited(tmp_path, CONFIRM, bad_status)
    result = recorded.check([str(path)])
    assert [str(p) for p in result.problems] == [
        f"{path}:3: purchaseOrders[0].details[1].lineItemStatus: 'Z' is not one of P, PC, C, S, X"
    ]


@pytest.mark.parametrize(
    "args, said",
    [
        (["--recording", str(CONFIRM), "--token", "t"], "--token: not with --recording"),
        (["--token", "t"], "--komet-url required"),
        ([], "--komet-url and --token required"),
    ],
)
def test_kasim_contract_refuses_flags_that_do_not_go_together(args, said, capsys):
    assert main(["contract", "komet", *args]) == 2
    assert said in capsys.readouterr().out


def test_kasim_contract_recording_of_nothing_says_so(tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text(CONFIRM.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert main(["contract", "komet", "--recording", str(empty)]) == 2
    assert "nothing to replay" in capsys.readouterr().out
