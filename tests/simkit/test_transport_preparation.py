"""The in-process transport prepares each request and builds its WSGI environ itself (requests' preparation and
werkzeug's EnvironBuilder cost a good part of an in-process call): both must be exactly what requests and the
builder make, for every kind of request the clients send."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from werkzeug.test import EnvironBuilder

from simkit.environ import wsgi_environ

REQUESTS = [
    (
        "GET",
        "http://komet.kasim.test/api/purchase.order.list",
        {"authenticationToken": "t", "date": "2030-01-01"},
        None,
    ),
    ("POST", "http://komet.kasim.test/api/purchase.order.item.confirm", None, {"poItemId": 1, "boxes": 2}),
    ("DELETE", "http://komet.kasim.test/__sim/faults", {"id": 3}, None),
    ("PATCH", "http://asinfo.kasim.test:8080/api/account", None, {"name": "Flores é"}),
    ("GET", "https://a.test/p%20q/%C3%A9/x", {"q": ["a b", "é"]}, None),
    ("POST", "http://a.test", None, None),
]


def _builder_environ(method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> dict:
    """What the transport built before: EnvironBuilder, as it was called."""
    u = urlsplit(url)
    builder = EnvironBuilder(
        path=u.path or "/",
        query_string=u.query,
        method=method,
        headers=headers,
        data=body or b"",
        base_url=f"{u.scheme}://{u.netloc}",
    )
    try:
        return builder.get_environ()
    finally:
        builder.close()


@pytest.mark.parametrize(("method", "url", "params", "body"), REQUESTS)
def test_the_environ_is_the_builders(method, url, params, body):
    prepared = requests.Session().prepare_request(
        requests.Request(
            method, url, params=params, json=body, headers={"X-Kasim-Namespace": "7", "X-Dup": "1"}
        )
    )
    headers = [*prepared.headers.items(), ("X-Dup", "2"), ("Content-Type", "text/plain")]
    raw = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body or b""
    ours, theirs = (
        wsgi_environ(method, str(prepared.url), headers, raw),
        _builder_environ(method, str(prepared.url), headers, raw),
    )
    assert ours.pop("wsgi.input").read() == theirs.pop("wsgi.input").read() == raw
    assert ours == theirs


PREPARED: list[tuple[str, str, dict | None, object]] = [
    ("GET", "http://komet.kasim.test/__sim/journal", {"since": 12, "namespace": "2870"}, None),
    ("GET", "http://komet.kasim.test/__sim/state", {"namespace": None}, None),
    (
        "GET",
        "http://asinfo.kasim.test/api/labels",
        {"format": "zpl", "awbId": 3, "boxCode": "HER 1/é&x"},
        None,
    ),
    ("GET", "http://komet.kasim.test/api/purchase.order.list?x=1", {"date": "2030-01-01"}, None),
    (
        "POST",
        "http://komet.kasim.test/api/purchase.order.item.confirm",
        {},
        {"poItemId": 1, "note": "é\u2603"},
    ),
    ("POST", "http://asinfo.kasim.test/api/outbox/run", None, {"all": True}),
    ("POST", "http://asinfo.kasim.test/api/awbs/3/shipment", None, None),
    ("DELETE", "http://komet.kasim.test/__sim/faults", {"id": 3}, None),
    ("PATCH", "http://asinfo.kasim.test:8080/api/account", None, []),
    ("GET", "http://komet.kasim.test/api/x y", {"flag": True, "many": ["a", "b"]}, None),  # requests' own way
]


@pytest.mark.parametrize(("method", "url", "params", "body"), PREPARED)
def test_a_request_is_prepared_as_requests_prepares_it(method, url, params, body):
    from requests.sessions import merge_setting

    from simkit.transport import prepare

    session = requests.Session()
    session.headers["User-Agent"] = "kasim-harness/0.1"
    headers = merge_setting({"X-Kasim-Namespace": "7", "X-Gone": None}, session.headers, dict_class=dict)
    theirs = session.prepare_request(requests.Request(method, url, headers=headers, params=params, json=body))
    ours = prepare(method.lower(), url, requests.structures.CaseInsensitiveDict(headers), params or {}, body)
    assert (ours.method, ours.url, ours.body) == (theirs.method, theirs.url, theirs.body)
    assert list(ours.headers.items()) == list(theirs.headers.items())


@pytest.mark.parametrize(
    ("given", "kept", "dict_class"),
    [
        (
            {"X-Kasim-Namespace": "7", "user-agent": "mine", "X-Gone": None},
            {"User-Agent": "k", "Accept": "*/*"},
            None,
        ),
        ({"Accept": None}, {"User-Agent": "k", "Accept": "*/*"}, None),
        ({"date": "2030-01-01", "id": None}, {}, dict),
        ({}, {"a": "1"}, dict),
    ],
)
def test_settings_are_merged_as_requests_merges_them(given, kept, dict_class):
    from requests.sessions import merge_setting
    from requests.structures import CaseInsensitiveDict

    from simkit.transport import _merge

    if dict_class is None:  # headers: case-blind, as a session keeps them
        kept, dict_class = CaseInsensitiveDict(kept), CaseInsensitiveDict
    ours, theirs = _merge(given, kept, dict_class), merge_setting(given, kept, dict_class=dict_class)
    assert type(ours) is type(theirs) and list(ours.items()) == list(theirs.items())
