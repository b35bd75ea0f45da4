"""The in-process transport's shortcuts each do what requests or werkzeug did in their place, on the same input:
header merging and copying by a CaseInsensitiveDict's own entries, the WSGI call without run_wsgi_app, the reply's
headers without a werkzeug Headers, the encoding once per Content-Type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from requests.sessions import merge_setting
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from werkzeug.datastructures import Headers
from werkzeug.test import run_wsgi_app

from simkit import transport
from simkit.environ import wsgi_environ
from simkit.transport import (
    WSGITransport,
    _encoding,
    _entries,
    _header_dict,
    _merged_headers,
    _response,
    prepare,
)


def test_a_case_insensitive_dict_keeps_lowered_names_to_name_and_value_in_order():
    headers = CaseInsensitiveDict({"User-Agent": "a", "Accept": "*/*"})
    headers["user-agent"] = "b"
    headers["X-New"] = "c"
    assert list(_entries(headers).items()) == [
        ("user-agent", ("user-agent", "b")),
        ("accept", ("Accept", "*/*")),
        ("x-new", ("X-New", "c")),
    ]
    assert list(_entries(headers).values()) == list(headers.items())


@pytest.mark.parametrize(
    "given",
    [
        {"X-Kasim-Namespace": "7", "user-agent": "mine", "X-Gone": None},
        {"Accept": None, "ACCEPT": "x/y"},
        {},
        None,
        CaseInsensitiveDict({"Accept": "text/html"}),
    ],
)
def test_headers_are_merged_as_requests_merges_them(given):
    kept = CaseInsensitiveDict({"User-Agent": "k", "Accept": "*/*", "Connection": "keep-alive"})
    ours = _merged_headers(given, kept)
    theirs = merge_setting(given, kept, dict_class=CaseInsensitiveDict)
    assert type(ours) is type(theirs) and list(ours.items()) == list(theirs.items())
    assert list(kept.items()) == [("User-Agent", "k"), ("Accept", "*/*"), ("Connection", "keep-alive")]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("X-Evil", "a\r\nSet-Cookie: x=1"),
        ("X-Lead", " spaced"),
        ("Bad:Name", "v"),
        (" X-Lead", "v"),
        ("X-List", ["a"]),
        ("X-Number", 3),
    ],
)
def test_a_header_requests_refuses_is_refused_as_requests_refuses_it(name, value):
    headers = _merged_headers({name: value}, CaseInsensitiveDict({"User-Agent": "k"}))
    with pytest.raises(requests.exceptions.InvalidHeader) as theirs:
        requests.Session().prepare_request(requests.Request("GET", "http://a.test/x", headers=headers))
    with pytest.raises(requests.exceptions.InvalidHeader) as ours:
        prepare("GET", "http://a.test/x", headers, {}, None)
    assert str(ours.value) == str(theirs.value)


def test_preparing_leaves_the_headers_it_was_given_as_they_were():
    headers = _merged_headers({"X-Kasim-Namespace": "7"}, CaseInsensitiveDict({"User-Agent": "k"}))
    prepared = prepare("POST", "http://a.test/x", headers, {}, {"a": 1})
    assert list(headers.items()) == [("User-Agent", "k"), ("X-Kasim-Namespace", "7")]
    assert prepared.headers["Content-Type"] == "application/json"


REPLY_HEADERS: list[list[tuple[str, Any]]] = [
    [("Content-Type", "application/json"), ("Content-Length", "2")],
    [("Set-Cookie", "a=1"), ("Vary", "Cookie"), ("set-cookie", "b=2"), ("X-N", 3)],
    [("Content-Type", "text/html; charset=utf-8"), ("X-Frame-Options", "SAMEORIGIN")],
    [],
]


@pytest.mark.parametrize("pairs", REPLY_HEADERS)
def test_the_reply_headers_are_what_a_werkzeug_headers_made_of_them(pairs):
    ours, theirs = _header_dict(pairs), CaseInsensitiveDict(Headers(pairs).to_wsgi_list())
    assert list(ours.items()) == list(theirs.items())
    assert list(_entries(ours).items()) == list(_entries(theirs).items())


def test_a_reply_header_with_a_newline_is_refused_as_werkzeug_refuses_it():
    pairs = [("X-Evil", "a\nb")]
    with pytest.raises(ValueError) as theirs:
        Headers(pairs)
    with pytest.raises(ValueError) as ours:
        _header_dict(pairs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "",
        "application/json",
        "application/json; charset=latin-1",
        "text/plain; charset='utf-8'",
        "text/html",
        "application/pdf",
        "application/problem+json",
    ],
)
def test_the_encoding_is_what_requests_reads_from_the_content_type(content_type):
    headers = CaseInsensitiveDict({"Content-Type": content_type} if content_type is not None else {})
    assert _encoding(content_type) == get_encoding_from_headers(headers)


def _closing(body: list[bytes], closed: list[int]) -> Any:
    class Body:
        def __iter__(self):
            return iter(body)

        def close(self):
            closed.append(1)

    return Body()


def _app(status: str, headers: list[tuple[str, Any]], body: list[bytes], closed: list[int] | None = None):
    def app(environ, start_response):
        write = start_response(status, headers)
        write(b"written, not returned")  # run_wsgi_app, buffered, drops it
        return _closing(body, closed) if closed is not None else iter(body)

    return app


def _send_before(app: Callable, request: requests.PreparedRequest) -> requests.Response:
    """WSGITransport.send as it was: werkzeug's run_wsgi_app, a Headers, requests' own encoding lookup."""
    environ = wsgi_environ(str(request.method), str(request.url), request.headers.items(), b"")
    environ["kasim.transport"] = "in-process"
    app_iter, status, headers = run_wsgi_app(app, environ, buffered=True)
    response = requests.Response()
    response.status_code = int(status.split()[0])
    response.reason = status.split(" ", 1)[1] if " " in status else ""
    response.headers = CaseInsensitiveDict(headers.to_wsgi_list())
    response.encoding = get_encoding_from_headers(response.headers)
    response._content = b"".join(app_iter)
    response.url = str(request.url)
    response.request = request
    return response


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [
        ("200 OK", [("Content-Type", "application/json")], [b'{"a":', b" 1}"]),
        ("404 NOT FOUND", [("Content-Type", "text/html; charset=utf-8"), ("X-N", 7)], [b"<p>no</p>"]),
        ("303 SEE OTHER", [("Location", "/x"), ("Set-Cookie", "a=1"), ("set-cookie", "b=2")], []),
        ("299", [], [b"odd status line"]),
    ],
)
@pytest.mark.parametrize("closes", [False, True])
def test_a_reply_is_the_response_the_transport_made_with_run_wsgi_app(status, headers, body, closes):
    request = requests.Session().prepare_request(requests.Request("GET", "http://a.test/x?y=1"))
    closed_before: list[int] = []
    closed_now: list[int] = []
    theirs = _send_before(_app(status, headers, body, closed_before if closes else None), request)
    ours = WSGITransport(_app(status, headers, body, closed_now if closes else None)).send(request)
    assert sorted(vars(ours)) == sorted(vars(theirs))
    for name in ("status_code", "reason", "encoding", "_content", "url", "request", "history"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert list(ours.headers.items()) == list(theirs.headers.items())
    assert closed_now == closed_before == ([1] if closes else [])


def test_an_app_that_starts_with_an_error_raises_it_as_run_wsgi_app_does():
    def app(environ, start_response):
        try:
            raise LookupError("inside")
        except LookupError as exc:
            start_response("500 INTERNAL SERVER ERROR", [], (type(exc), exc, exc.__traceback__))
        return [b""]

    request = requests.Session().prepare_request(requests.Request("GET", "http://a.test/x"))
    with pytest.raises(LookupError, match="inside"):
        _send_before(app, request)
    with pytest.raises(LookupError, match="inside"):
        WSGITransport(app).send(request)


def test_a_response_has_the_attributes_requests_gives_one():
    ours = _response(status_code=200, reason="OK")
    theirs = requests.Response()
    assert sorted(vars(ours)) == sorted(vars(theirs))
    assert type(ours.cookies) is type(theirs.cookies) and len(ours.cookies) == 0
    assert ours.cookies is not _response().cookies  # each its own jar
    assert (ours.elapsed, ours.history, ours._content) == (theirs.elapsed, [], False)


def _redirecting(environ, start_response):
    if environ["PATH_INFO"] == "/from":
        start_response("303 SEE OTHER", [("Location", "/to?x=1"), ("Content-Length", "0")])
        return [b""]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}?{environ['QUERY_STRING']}".encode()]


@pytest.mark.parametrize("path", ["/from", "/to"])
def test_a_redirect_is_followed_as_a_session_follows_it(path):
    session = transport.mount(requests.Session(), "http://a.test", _redirecting)
    ours = transport.request(session, "POST", f"http://a.test{path}", json={"a": 1}, timeout=5)
    theirs = session.request("POST", f"http://a.test{path}", json={"a": 1}, timeout=5)
    assert (ours.status_code, ours.url, ours.text) == (theirs.status_code, theirs.url, theirs.text)
    assert [(r.status_code, r.url) for r in ours.history] == [(r.status_code, r.url) for r in theirs.history]


@pytest.mark.parametrize("params", [None, {}, [], {"a": "1", "b": None}, [("a", "1"), ("a", "2")], {"n": 3}])
def test_parameters_reach_the_url_as_a_session_puts_them(params):
    session = transport.mount(requests.Session(), "http://a.test", _redirecting)
    ours = transport.request(session, "GET", "http://a.test/to", params=params, timeout=5)
    theirs = session.request("GET", "http://a.test/to", params=params, timeout=5)
    assert ours.url == theirs.url and ours.text == theirs.text


@pytest.mark.parametrize(
    "headers",
    [
        [("Host", "other.test:8080"), ("Content-Length", "99")],
        [("X-A", "1"), ("x-a", "2"), ("Content-Type", "text/plain"), ("content-type", "application/json")],
    ],
)
def test_the_environ_is_the_builders_whatever_the_headers(headers):
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(
        path="/p", query_string="q=1", method="POST", headers=headers, data=b"{}", base_url="http://a.test"
    )
    theirs = builder.get_environ()
    ours = wsgi_environ("POST", "http://a.test/p?q=1", headers, b"{}")
    assert ours.pop("wsgi.input").read() == theirs.pop("wsgi.input").read()
    assert ours == theirs
