"""kasim verdict against a served Komet: one line per rule, the offending requests, exit 1 when a rule is
broken, JUnit with one case per rule."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import komet_sim
from harness.cli import main
from harness.clients import KometSimClient
from simkit.server import ServerThread


def test_kasim_verdict_names_the_rule_and_the_request(tmp_path, capsys):
    server = ServerThread(komet_sim.create_app({"seed": 3})).start()
    try:
        importer = KometSimClient(server.url)
        company = importer.seed(seed=3, vendors=1, shipDays=1, posPerDay=1, linesPerPo=1)
        importer.namespace = str(company["companyId"])
        token = importer.create_token(vendor_id=company["vendors"][0]["id"])["token"]
        grower = KometSimClient(server.url)
        grower.session.headers["User-Agent"] = "my-grower/2.1"
        assert main(["verdict", "--komet-url", server.url]) == 0
        assert "every rule kept" in capsys.readouterr().out
        grower.api("awb.list", token, fromDate="2026-11-26", toDate="2026-11-26")
        junit = tmp_path / "verdict.xml"
        assert main(["verdict", "--komet-url", server.url, "--junit-xml", str(junit)]) == 1
        out = " ".join(capsys.readouterr().out.split())
        assert "✗ token-scope" in out and "✓ lot-number-range" in out
        assert "token-scope: called awb.list, which its token does not enable — #" in out
        cases = ET.parse(junit).getroot().findall(".//testcase")
        assert len(cases) == 10
        failed = [c.get("name") for c in cases if c.find("failure") is not None]
        assert failed == ["token-scope"]
    finally:
        server.stop()


def test_kasim_verdict_on_nothing_there_is_exit_2(capsys):
    assert main(["verdict", "--komet-url", "http://127.0.0.1:9"]) == 2
    assert "does not answer" in capsys.readouterr().out


def test_a_komet_without_a_verdict_gives_no_findings():
    """A real Komet sandbox has no /__sim/komet/verdict: the harness has nobody to ask, and says nothing."""
    from types import SimpleNamespace

    from harness.clients import SimError
    from harness.verdict import check_verdict

    class NoVerdict:
        def verdict(self, namespace=None):
            raise SimError("GET /__sim/komet/verdict answered 404", 404, "Not Found")

    ctx = SimpleNamespace(komet=NoVerdict(), topo=SimpleNamespace(scope=lambda client: None))
    assert check_verdict(ctx) == []
