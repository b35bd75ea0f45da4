"""Every reply in the scenario library's journals meets the served OpenAPI documents: run the library in
process, collect both apps' journals, and hold each reply to its operation's response schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

import asinfo_sim
import komet_sim
from harness.contract.spec import Contract
from harness.runner import Options, collect, run_all

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def journals() -> list[dict[str, list[dict]]]:
    """Each scenario's journals, {"komet": [...], "asinfo": [...]} (ticks count per scenario)."""
    scenarios, problems = collect([str(LIBRARY)])
    assert not problems
    results, _ = run_all(scenarios, Options(progress=False), Console(quiet=True))
    assert all(r.status in ("passed", "xfailed", "skipped") for r in results), "the library must pass first"
    return [r.journals for r in results if r.journals]


def served(create_app) -> Contract:
    return Contract(create_app({"seed": 1}).test_client().get("/openapi.json").get_json())


def binary(body) -> bool:
    """The journal keeps a binary body (a PDF) as its type and size: nothing to hold to a schema."""
    return isinstance(body, dict) and set(body) == {"contentType", "bytes"}


def replies(entries: list[dict], direction: str, drifted: frozenset[int] | set[int] = frozenset()):
    """(verb, path, status, body) of each exchange that got a reply the app itself made (no injected fault;
    for ASINFO's calls out, none whose ticks enclose a reply Komet drifted on purpose)."""
    for e in entries:
        response = e.get("response")
        if e.get("direction") != direction or response is None or e.get("fault") or e.get("error"):
            continue
        if binary(response["body"]) or any(e["begin"] < t < e["end"] for t in drifted):
            continue
        yield e["request"]["method"], e["request"]["path"], response["status"], response["body"]


def test_every_komet_reply_in_the_library_meets_komets_document(journals):
    contract = served(komet_sim.create_app)
    checked = [r for j in journals for r in replies(j["komet"], "in")]
    violations = [v for r in checked for v in contract.check(*r)]
    assert len(checked) > 1000 and {p for _, p, _, _ in checked if p.startswith("/api/")}
    assert violations == [], "\n".join(map(str, violations[:20]))


def test_every_komet_reply_asinfo_received_meets_komets_document(journals):
    contract = served(komet_sim.create_app)
    checked = []
    for j in journals:
        drifted = {e["begin"] for e in j["komet"] if e.get("fault") == "type_drift"}
        checked += replies(j["asinfo"], "out", drifted)
    violations = [v for r in checked for v in contract.check(*r)]
    assert len(checked) > 500
    assert violations == [], "\n".join(map(str, violations[:20]))


def test_every_asinfo_reply_in_the_library_meets_asinfos_document(journals):
    contract = served(asinfo_sim.create_app)
    checked = [r for j in journals for r in replies(j["asinfo"], "in")]
    violations = [v for r in checked for v in contract.check(*r)]
    assert len(checked) > 500
    assert violations == [], "\n".join(map(str, violations[:20]))
