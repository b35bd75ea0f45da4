"""Both apps serve an OpenAPI 3.1 document at /openapi.json and render it at /docs from assets they serve
themselves; the portals link to it; the committed Komet contract is what the method table generates."""

from __future__ import annotations

import json
import re

import pytest
from openapi_spec_validator import validate

import asinfo_sim
import komet_sim
from harness.contract.spec import KOMET_DOCUMENT
from komet_sim import copies
from komet_sim.methods import METHODS, NOT_SIMULATED

APPS = {"komet": komet_sim.create_app, "asinfo": asinfo_sim.create_app}


@pytest.fixture(scope="module", params=sorted(APPS))
def client(request):
    return APPS[request.param]({"seed": 3, "seed_world": {"seed": 3}}).test_client()


def test_each_app_serves_a_valid_openapi_31_document(client):
    doc = client.get("/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    validate(doc)
    assert any(path.startswith("/__sim/") for path in doc["paths"])


def test_the_docs_page_loads_nothing_from_the_internet(client):
    page = client.get("/docs/").get_data(as_text=True)
    assert "SwaggerUIBundle" in page and '"url": "/openapi.json"' in page
    assert not re.search(r"(src|href)=\"https?://", page)
    assert '"validatorUrl": null' in page  # Swagger UI would otherwise send the document to a validator
    for asset in re.findall(r"(?:src|href)=\"(/docs/[^\"]+)\"", page):
        assert client.get(asset).status_code == 200, asset


def test_the_komet_document_has_every_method_with_its_verb_and_transport():
    doc = APPS["komet"]({"seed": 3}).test_client().get("/openapi.json").get_json()
    for name, method in METHODS.items():
        op = doc["paths"][f"/api/{name}"][method.verb.lower()]
        names = {p["name"] for p in op.get("parameters", [])}
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        sent = names if method.in_query else set(body.get("properties", {}))
        assert sent == {p.name for p in method.params} | ({"authenticationToken"} if method.auth else set())
        assert op["x-kasim-token-types"] == sorted(method.tokens)
        assert op["x-kasim-asinfo-preset"] == method.preset
    for name, verb in NOT_SIMULATED.items():
        assert doc["paths"][f"/api/{name}"][verb.lower()]["x-kasim-simulated"] is False


def test_the_komet_document_types_status_and_quotes_keys_as_the_table_says():
    schemas = json.loads(KOMET_DOCUMENT.read_text())["components"]["schemas"]
    assert schemas["AwbListReply"]["properties"]["status"] == {"const": 1}
    assert schemas["PurchaseOrderListReply"]["properties"]["status"] == {"const": "1"}
    assert schemas["PurchaseOrderItemsAwbAddReply"]["properties"]["status"] == {"enum": [1, 0]}
    product = schemas["ProductListReply"]["properties"]["products"]["items"]["properties"]
    assert product["id"]["type"] == "string" and product["active"]["type"] == "integer"
    assert schemas["Refusal"]["properties"]["status"] == {"const": "0"}


def test_the_committed_komet_contract_is_what_the_table_generates():
    assert KOMET_DOCUMENT.read_text() == copies.komet_contract(), (
        "harness/contract/komet-openapi.json disagrees with the method table: run python -m komet_sim.copies"
    )


@pytest.mark.parametrize("app", sorted(APPS))
def test_both_portals_link_to_the_docs(app):
    client = APPS[app]({"seed": 3, "seed_world": {"seed": 3}}).test_client()
    if app == "komet":
        client.post("/login", data={"username": _komet_user(client), "password": "komet123"})
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert 'id="api-docs"' in page and 'href="/docs/"' in page


def _komet_user(client) -> str:
    seeded = client.application.extensions["kasim.seeded"]
    return seeded["users"][0]["username"]
