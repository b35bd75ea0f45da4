"""The in-process transport builds each request's WSGI environ itself (werkzeug's EnvironBuilder costs a good part
of an in-process call): it must be exactly the builder's, for every kind of request the clients send."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from werkzeug.test import EnvironBuilder

from simkit.transport import wsgi_environ

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
