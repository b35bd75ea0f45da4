"""Pact: the library's ASINFO→Komet calls exported as a Pact V4 file and verified, with pact-python's
verifier, against komet_sim over a socket; a Komet that renames a field fails verification."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import komet_sim
from harness.contract import pact
from simkit.server import ServerThread

from .test_contract_suite import drifting


@pytest.fixture(scope="module")
def pact_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("pacts")
    proc = subprocess.run(
        [sys.executable, "-m", "harness.cli", "pact", "export", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out / "asinfo-komet.json"


def test_the_export_is_a_v4_pact_of_asinfo_and_komet_with_world_states(pact_file):
    doc = json.loads(pact_file.read_text())
    assert doc["metadata"]["pactSpecification"]["version"] == "4.0"
    assert (doc["consumer"]["name"], doc["provider"]["name"]) == ("asinfo", "komet")
    methods = {i["request"]["path"] for i in doc["interactions"]}
    assert {"/api/purchase.order.list", "/api/purchase.order.item.confirm"} <= methods
    for i in doc["interactions"]:
        [state] = i["providerStates"]
        assert {"seed", "clock", "writes", "methods"} <= set(state["params"])


def test_the_pact_verifies_against_komet_sim(pact_file):
    server = ServerThread(komet_sim.create_app({"seed": 1})).start()
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "harness.cli",
                "pact",
                "verify",
                "--komet-url",
                server.url,
                "--pact",
                str(pact_file),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        server.stop()
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr


def test_a_komet_that_renames_a_field_fails_verification(pact_file):
    def rename(method: str, body: dict) -> dict:
        for po in body.get("purchaseOrders", []):
            for line in po["details"]:
                line["poItemID"] = line.pop("poItemId")
        return body

    app = komet_sim.create_app({"seed": 1})
    server = ServerThread(drifting(app, rename)).start()
    try:
        passed, output = pact.verify(pact_file, server.url)
    finally:
        server.stop()
    assert not passed
    assert "poItemId" in output
