"""`kasim contract komet`: passes against kasim's own Komet, and names every field a drifting Komet renames
or retypes (a proxy in front of komet_sim plants the drift)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest
import requests

import komet_sim
from harness.clients import KometSimClient as KometClient
from harness.contract.client import Komet
from harness.contract.spec import Contract
from harness.contract.suite import Suite
from simkit.clock import VirtualClock
from simkit.server import ServerThread
from simkit.transport import mount

URL = "http://komet.test"
TODAY = date.today()


@pytest.fixture(scope="module")
def komet_app():
    """komet_sim with the seeded importer, its clock at today (as `kasim serve komet` runs it)."""
    clock = VirtualClock(datetime.combine(TODAY, datetime.min.time()).replace(hour=6), running=False)
    app = komet_sim.create_app({"seed": 7, "clock": clock})
    app.extensions["test.seeded"] = KometClient(URL, app=app).seed(seed=7)
    return app


def token(app, **kind) -> str:
    if kind.get("type") == "Vendor":
        kind["vendor_id"] = app.extensions["test.seeded"]["vendors"][0]["id"]
    return KometClient(URL, app=app).create_token(**kind)["token"]


def suite(app, tok: str, write: bool = False) -> dict:
    session = requests.Session()
    mount(session, URL, app)
    komet = Komet(URL, tok, Contract.load(), session=session)
    return {c.method: c for c in Suite(komet, write=write, start=TODAY, seed=1).run()}


def drifting(app, change):
    """A proxy in front of `app` that rewrites each Komet API reply with `change(method, body)`."""

    def proxy(environ, start_response):
        captured = {}

        def keep(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        raw = b"".join(app(environ, keep))
        path = environ["PATH_INFO"]
        if path.startswith("/api/"):  # the control plane (provider states) passes unchanged
            with contextlib.suppress(ValueError):  # not JSON: passed on as it is
                raw = json.dumps(change(path.removeprefix("/api/"), json.loads(raw))).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(raw)))])
        return [raw]

    return proxy


def test_kasims_komet_meets_the_contract_read_only(komet_app):
    cases = suite(komet_app, token(komet_app, type="Vendor", vendor_id=None, methods="asinfo"))
    assert {m: c.drifts for m, c in cases.items() if c.drifts} == {}
    assert cases["purchase.order.list"].status == "passed"
    assert any("Orders not found" in n or "refused" not in n for n in cases["purchase.order.list"].notes)
    assert cases["purchase.order.item.confirm"].status == "passed"  # its refusals were probed
    assert cases["box.code.change"].status == "skipped"


def test_kasims_komet_meets_the_contract_on_the_write_path(komet_app):
    cases = suite(komet_app, token(komet_app, type="Company", methods="all"), write=True)
    assert {m: c.drifts for m, c in cases.items() if c.drifts} == {}
    for method in (
        "purchase.order.create",
        "purchase.order.item.confirm",
        "purchase.order.items.awb.add",
        "purchase.order.item.awb.add",
        "box.code.change",
        "purchase.order.item.delete",
    ):
        assert cases[method].status == "passed", (method, cases[method].notes)
        assert not any("refused" in n for n in cases[method].notes[-1:]), cases[method].notes


def _rename_and_retype(method: str, body: dict) -> dict:
    if method == "purchase.order.list":
        for po in body.get("purchaseOrders", []):
            po["totalBoxes"] = str(po["totalBoxes"])  # retyped integer → string
            for line in po["details"]:
                line["prebookItemID"] = line.pop("prebookItemId")  # renamed
                line.pop("carrierName")  # missing
                line["grossWeight"] = 1.5  # extra
    if method == "product.list":
        for p in body.get("products", []):
            p["id"] = int(p["id"])  # the sample quotes it
        if not body.get("products"):
            body["message"] = "OK"  # an empty list that says OK
    if method == "boxtype.list" and body.get("status") == "1":
        body["status"] = 1  # envelope: status retyped
    return body


def test_the_report_names_every_planted_drift_by_field(komet_app):
    proxy = drifting(komet_app, _rename_and_retype)
    cases = suite(proxy, token(komet_app, type="Vendor", vendor_id=None, methods="asinfo"))
    report = {m: sorted(str(d) for d in c.drifts) for m, c in cases.items() if c.drifts}
    po = report["purchase.order.list"]
    assert "purchaseOrders[].details[].prebookItemId: renamed to prebookItemID" in [
        s.split(" (×")[0] for s in po
    ]
    assert any(s.startswith("purchaseOrders[].totalBoxes: retyped integer → string") for s in po)
    assert any(s.startswith("purchaseOrders[].details[].carrierName: missing") for s in po)
    assert any(s.startswith("purchaseOrders[].details[].grossWeight: extra field") for s in po)
    assert any(s.startswith("products[].id: retyped string → integer") for s in report["product.list"])
    assert any("message: expected 'Products not found.', got 'OK'" in s for s in report["product.list"])
    kinds = {d.kind for d in cases["boxtype.list"].drifts}
    assert kinds == {"envelope"} and any(d.path == "status" for d in cases["boxtype.list"].drifts)
    assert set(report) == {"purchase.order.list", "product.list", "boxtype.list"}


def kasim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", "contract", "komet", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_kasim_contract_passes_over_a_socket_and_fails_on_drift(komet_app, tmp_path):
    tok = token(komet_app, type="Vendor", vendor_id=None, methods="asinfo")
    good = ServerThread(komet_app).start()
    bad = ServerThread(drifting(komet_app, _rename_and_retype)).start()
    try:
        ok = kasim("--komet-url", good.url, "--token", tok, "--junit-xml", str(tmp_path / "ok.xml"))
        assert ok.returncode == 0, ok.stdout + ok.stderr
        drift = kasim(
            "--komet-url", bad.url, "--token", tok, "--junit-xml", str(tmp_path / "bad.xml"),
            "--report", str(tmp_path / "report"),
        )  # fmt: skip
    finally:
        good.stop()
        bad.stop()
    assert drift.returncode == 1, drift.stdout + drift.stderr
    assert "prebookItemId: renamed to prebookItemID" in drift.stdout
    suite_xml = ET.parse(tmp_path / "bad.xml").getroot().find("testsuite")
    cases = {c.get("name"): c for c in suite_xml.findall("testcase")}
    assert cases["purchase.order.list"].find("failure") is not None
    assert cases["carrier.list"].find("failure") is None
    assert len(cases) == len(Contract.load().doc["paths"]) - sum(
        1
        for ops in Contract.load().doc["paths"].values()
        for op in ops.values()
        if op.get("x-kasim-simulated") is False
    )
    assert "prebookItemID" in (tmp_path / "report" / "contract.html").read_text()


def test_kasim_contract_says_when_komet_cannot_be_reached():
    proc = kasim("--komet-url", "http://127.0.0.1:9", "--token", "t")
    assert proc.returncode == 2 and "no reply" in proc.stdout


def test_kasim_contract_says_when_komet_refuses_the_token(komet_app):
    server = ServerThread(komet_app).start()
    try:
        proc = kasim("--komet-url", server.url, "--token", "notatokenofthiscompany00")
    finally:
        server.stop()
    assert proc.returncode == 2 and "Invalid authentication token" in proc.stdout
