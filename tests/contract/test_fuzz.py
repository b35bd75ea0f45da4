"""Schemathesis, from each app's served /openapi.json, in process: a fixed budget of generated requests per
app (at least 2,000), with zero server errors and zero replies that break the document.

Both apps run on in-process transports. ASINFO's outgoing calls reach only the Komet simulator (any other
URL a generated connection names is refused before it leaves the process). The control-plane operations that
would wipe or sabotage the world under test (reset, state import, seeding, fault injection) and the importer
actions that would lock the fuzzer out (deleting its token, changing the company's quota) are left out.
Generation is derandomized, so a run is repeatable; each operation's failure is shrunk by Hypothesis and
reported with the failing request.
"""

from __future__ import annotations

from collections import Counter

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from requests.adapters import BaseAdapter
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import asinfo_sim
import komet_sim
from harness.clients import KometSimClient
from simkit.transport import mount

BUDGET = 2000  # generated requests per app, at least
KOMET_URL = "http://komet.test"
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
SABOTAGE = {
    ("POST", "/__sim/reset"),
    ("PUT", "/__sim/state"),
    ("POST", "/__sim/seed"),
    ("POST", "/__sim/faults"),
    ("POST", "/__sim/faults/release"),
    ("DELETE", "/__sim/komet/tokens/{token_id}"),
    ("PATCH", "/__sim/komet/company"),
}


class Nowhere(BaseAdapter):
    """Refuses every request: a generated Komet URL must never reach a network."""

    def send(self, request, **kwargs):
        raise requests.ConnectionError(f"the fuzz test reaches no network ({request.url})")

    def close(self) -> None:
        pass


def komet_world():
    app = komet_sim.create_app({"seed": 11, "quota_per_user": 10**7})
    komet = KometSimClient(KOMET_URL, app=app)
    seeded = komet.seed(seed=11)
    return app, seeded, komet


def offline(komet_app):
    """ASINFO's sessions: komet_sim in process at KOMET_URL, every other URL refused before it leaves."""

    def session() -> requests.Session:
        s = requests.Session()
        s.mount("http://", Nowhere())
        s.mount("https://", Nowhere())
        mount(s, KOMET_URL, komet_app)
        return s

    return session


def fuzz(app, prepare=None, examples: int = 60) -> tuple[Counter, list[str]]:
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    sent: Counter = Counter()
    failures: list[str] = []

    def test_for(op):
        @given(case=op.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
        )
        def one(case):
            if prepare is not None:
                prepare(op, case)
            response = case.call()
            sent[op.label] += 1
            case.validate_response(response, checks=CHECKS)

        return one

    for result in schema.get_all_operations():
        op = result.ok()  # type: ignore[union-attr]  # an operation the schema cannot express fails here
        if (op.method.upper(), op.path) in SABOTAGE:
            continue
        try:
            test_for(op)()
        except Exception as exc:  # every operation is tried; each failure is reported, shrunk
            failures.append(f"{op.label}: {exc}"[:3000])
    return sent, failures


def test_komet_meets_its_document_under_fuzzing():
    app, _seeded, komet = komet_world()
    token = komet.create_token(type="Company", methods="all", description="fuzz")["token"]

    def with_token(op, case):
        """A valid token on the Komet API, so generated parameters reach the methods, not the token check."""
        if not op.path.startswith("/api/") or op.path == "/api/login":
            return
        if op.method.upper() == "GET" and case.query is not None:
            case.query["authenticationToken"] = token
        elif isinstance(case.body, dict):
            case.body["authenticationToken"] = token

    sent, failures = fuzz(app, with_token, examples=100)
    assert failures == [], "\n\n".join(failures)
    assert sum(sent.values()) >= BUDGET, sent
    assert sum(n for label, n in sent.items() if " /api/" in label) >= BUDGET // 2


def test_asinfo_meets_its_document_under_fuzzing():
    komet_app, seeded, komet = komet_world()
    token = komet.create_token(vendor_id=seeded["vendors"][0]["id"], description="fuzz")["token"]

    app = asinfo_sim.create_app(
        {"seed": 11, "session_factory": offline(komet_app), "seed_world": {"seed": 11}}
    )
    grower = app.test_client()
    made = grower.post(
        "/api/connections",
        json={"name": "fuzz", "kometUrl": KOMET_URL, "token": token, "companyId": seeded["companyId"]},
    )
    assert made.status_code in (200, 201), made.get_data(as_text=True)
    grower.post("/api/sync")
    sent, failures = fuzz(app, examples=100)
    assert failures == [], "\n\n".join(failures)
    assert sum(sent.values()) >= BUDGET, sent


def stateful(app, anchor, examples: int = 25) -> Counter:
    """Schemathesis's stateful phase: follow the documents' links (a created PO → read, approve or cancel, add a
    line; a created AWB → read it), every reply checked. `anchor(case)` points a creating call at records the
    world has (a seeded vendor, the grower's connection), so that creations succeed and links are followed."""
    machine = schemathesis.openapi.from_wsgi("/openapi.json", app).as_state_machine()
    calls: Counter = Counter()

    class Checked(machine):  # type: ignore[misc, valid-type]
        def before_call(self, case, **kwargs):
            anchor(case)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            calls[case.operation.label] += 1
            case.validate_response(response, checks=CHECKS)

    Checked.run(
        settings=settings(
            max_examples=examples,
            stateful_step_count=6,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    return calls


def test_linked_workflows_meet_the_documents():
    komet_app, seeded, komet = komet_world()
    vendor, product = seeded["vendors"][0]["id"], komet.products()[0]["id"]

    def a_real_po(case):
        if case.operation.label == "POST /__sim/komet/purchase-orders" and isinstance(case.body, dict):
            case.body = {
                "vendorId": vendor,
                "shipDate": seeded["shipDates"][0],
                "lines": [{"productId": product, "boxTypeCode": "QB", "boxes": 2}],
            }

    calls = stateful(komet_app, a_real_po)
    assert any("{po_id}" in label for label in calls), calls
    token = komet.create_token(vendor_id=seeded["vendors"][0]["id"], description="fuzz")["token"]
    app = asinfo_sim.create_app(
        {"seed": 11, "session_factory": offline(komet_app), "seed_world": {"seed": 11}}
    )
    made = app.test_client().post(
        "/api/connections",
        json={"name": "fuzz", "kometUrl": KOMET_URL, "token": token, "companyId": seeded["companyId"]},
    )
    connection = made.get_json()["id"]

    def its_connection(case):
        if case.operation.label == "POST /api/awbs" and isinstance(case.body, dict):
            case.body["connectionId"] = connection

    calls = stateful(app, its_connection)
    assert any("{awb_id}" in label for label in calls), calls
