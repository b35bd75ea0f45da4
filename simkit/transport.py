"""In-process transport: a requests adapter that hands each request straight to a WSGI app.

The client code is the same in both modes; only the session's mounted adapter differs. Simulated
resets and timeouts surface as the same requests exceptions a real socket would raise.
"""

from __future__ import annotations

import functools
import re
import time
from collections import OrderedDict
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode

import requests
from requests._internal_utils import HEADER_VALIDATORS
from requests.adapters import BaseAdapter
from requests.compat import json as complexjson  # type: ignore[attr-defined]  # the json requests uses
from requests.cookies import RequestsCookieJar
from requests.models import REDIRECT_STATI
from requests.sessions import merge_setting
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from werkzeug.datastructures import Headers

from .environ import wsgi_environ
from .errors import DropConnection, SimulatedTimeout

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


class WSGITransport(BaseAdapter):
    def __init__(self, app: WSGIApplication) -> None:
        super().__init__()
        self.app = app

    def send(  # type: ignore[override]  # requests' adapter API: the arguments are only passed through
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | None = None,
        verify: bool | str = True,
        cert: object = None,
        proxies: object = None,
    ) -> requests.Response:
        environ = wsgi_environ(
            str(request.method), str(request.url), _pairs(request.headers), _bytes(request.body)
        )
        environ["kasim.transport"] = "in-process"
        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        if read_timeout is not None:
            environ["kasim.client_timeout"] = float(read_timeout)
        try:
            status, headers, content = _run(self.app, environ)
        except SimulatedTimeout as exc:
            raise requests.exceptions.ReadTimeout(str(exc), request=request) from None
        except DropConnection as exc:
            raise requests.exceptions.ConnectionError(
                f"('Connection aborted.', ConnectionResetError(104, '{exc}'))", request=request
            ) from None
        reply_headers = _header_dict(headers)
        content_type = _entries(reply_headers).get("content-type")
        return _response(
            status_code=int(status.split()[0]),
            reason=status.split(" ", 1)[1] if " " in status else "",
            headers=reply_headers,
            encoding=_encoding(content_type[1] if content_type else None),
            _content=content,
            url=str(request.url),
            request=request,
        )

    def close(self) -> None:
        pass


def _response(**attributes: Any) -> requests.Response:
    """requests.Response() with these attributes set: what its __init__ sets, but without the empty
    CaseInsensitiveDict the reply's headers replace, nor cookiejar_from_dict's walk of an empty jar
    (tests/simkit/test_transport_shortcuts.py holds the two to the same attributes)."""
    response = requests.Response.__new__(requests.Response)
    vars(response).update(_RESPONSE, history=[], cookies=RequestsCookieJar())  # each response its own
    vars(response).update(attributes)
    return response


_RESPONSE = dict.fromkeys(("_next", "status_code", "headers", "raw", "url", "encoding", "reason", "request"))
_RESPONSE.update(_content=False, _content_consumed=False, elapsed=timedelta(0))


def _run(app: WSGIApplication, environ: dict[str, Any]) -> tuple[str, list[tuple[str, Any]], bytes]:
    """werkzeug.test.run_wsgi_app(app, environ, buffered=True), as the transport used it, without what it adds for
    other callers: a copy of an environ made for this one call, and a Headers the reply's are copied into (the
    transport copies them once, into its response)."""
    response: tuple[str, list[tuple[str, Any]]] | None = None

    def start_response(status: str, headers: list[tuple[str, Any]], exc_info: Any = None) -> Any:
        nonlocal response
        if exc_info:
            try:
                raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        response = (status, headers)
        return lambda data: None  # run_wsgi_app, buffered, drops what an app write()s as well

    app_rv = app(environ, start_response)
    close = getattr(app_rv, "close", None)
    app_iter = iter(app_rv)
    try:
        content = b"".join(app_iter)
    finally:
        if close is not None:
            close()
    status, headers = response  # type: ignore[misc]  # a TypeError for an app that never started: as before
    return status, headers, content


def _header_dict(pairs: Iterable[tuple[str, Any]]) -> CaseInsensitiveDict[str]:
    """CaseInsensitiveDict(Headers(pairs).to_wsgi_list()), what send built before: the last of equal names wins,
    where the first stood; a value is text and never holds a newline (werkzeug's rules, applied by Headers)."""
    headers = _fresh()
    store = _entries(headers)
    for key, value in pairs:
        if type(value) is not str or "\n" in value or "\r" in value:
            ((key, value),) = Headers([(key, value)])
        store[key.lower()] = (key, value)
    return headers


def _pairs(headers: Any) -> Iterable[tuple[str, str]]:
    """The (name, value) pairs of a request's headers; of a CaseInsensitiveDict, as it keeps them rather than
    through its Mapping interface (a lower() and a lookup per name)."""
    return _entries(headers).values() if type(headers) is CaseInsensitiveDict else headers.items()


def _entries(headers: CaseInsensitiveDict[Any]) -> OrderedDict[str, tuple[str, Any]]:
    """What a CaseInsensitiveDict keeps: lowered name → (name as given, value), in order (requests.structures;
    tests/simkit/test_transport_shortcuts.py holds it to that)."""
    entries: OrderedDict[str, tuple[str, Any]] = headers._store  # type: ignore[attr-defined]  # not in the stubs
    return entries


def _fresh() -> CaseInsensitiveDict[str]:
    """CaseInsensitiveDict(): an empty one, without its update() of nothing through MutableMapping."""
    fresh: CaseInsensitiveDict[str] = CaseInsensitiveDict.__new__(CaseInsensitiveDict)
    fresh._store = OrderedDict()  # type: ignore[attr-defined]  # what __init__ sets (see _entries)
    return fresh


def _copy(headers: CaseInsensitiveDict[str]) -> CaseInsensitiveDict[str]:
    """CaseInsensitiveDict(headers), without lowering every name again."""
    copy = _fresh()
    _entries(copy).update(_entries(headers))
    return copy


@functools.lru_cache(maxsize=64)
def _encoding(content_type: str | None) -> str | None:
    """requests.utils.get_encoding_from_headers, which reads the Content-Type only: once per type."""
    return get_encoding_from_headers(
        CaseInsensitiveDict({"content-type": content_type} if content_type else {})
    )


def _bytes(body: Any) -> bytes:
    """The body as bytes, whatever requests was given: text, bytes, a file, or chunks from a generator
    (which a socket sends chunked)."""
    if body is None or isinstance(body, bytes):
        return body or b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        return _bytes(body.read())
    return b"".join(_bytes(chunk) for chunk in body)


def mount(session: requests.Session, base_url: str, app: WSGIApplication) -> requests.Session:
    """Route every request for base_url through `app`, in process."""
    session.mount(base_url.rstrip("/") + "/", WSGITransport(app))
    session.trust_env = (
        False  # no proxies or netrc to look up for an app in this process (requests scans os.environ)
    )
    return session


def request(
    session: requests.Session,
    method: str,
    url: str,
    *,
    params: Any = None,
    json: Any = None,
    headers: Any = None,
    timeout: float | tuple[float, float] | None = None,
    **other: Any,
) -> requests.Response:
    """session.request(method, url, ...), straight to the in-process app when the session is mounted on one: the
    request is prepared as the session prepares it (its headers and parameters merged the same way) and sent
    through the same WSGITransport, without the session's per-request work that an app in this process never
    needs (environment, proxies, netrc: trust_env is off; cookies: the transport's responses carry none into the
    jar). Any other session, or one given cookies, auth, hooks or parameters of its own, goes the usual way."""
    adapter = session.get_adapter(url)
    if (
        other  # a body as data=, files, no redirects...: requests' own way
        or not isinstance(adapter, WSGITransport)
        or session.trust_env
        or session.cookies
        or session.auth
        or session.params
        or any(session.hooks.values())
    ):
        return session.request(
            method, url, params=params, json=json, headers=headers, timeout=timeout, **other
        )
    merged_headers = _merged_headers(headers, session.headers)
    # _merge(params or {}, session.params, dict) with no session parameters (checked above): those given, but None
    if not params:
        merged_params: Any = {}
    elif type(params) is dict:
        merged_params = {k: v for k, v in params.items() if v is not None}
    else:
        merged_params = _merge(params, session.params, dict)
    owned = merged_headers is not session.headers  # a session's own when none were given
    prepared = prepare(method, url, merged_headers, merged_params, json, owned=owned)
    start = time.perf_counter()
    response = adapter.send(prepared, timeout=timeout)
    response.elapsed = timedelta(seconds=time.perf_counter() - start)
    # followed as Session.send follows it (the status first: is_redirect finds a Location that is not there by
    # raising, inside)
    if response.status_code in REDIRECT_STATI and response.is_redirect:
        prepared._cookies = prepared._cookies or RequestsCookieJar()  # type: ignore[attr-defined]
        history = [response, *session.resolve_redirects(response, prepared, timeout=timeout, proxies={})]
        response = history.pop()
        response.history = history
    return response


def _merge(given: Any, kept: Any, dict_class: type) -> Any:
    """requests.sessions.merge_setting (a setting given as None is left out), by hand for plain dicts: requests
    2.34 checks each against a runtime Protocol, which costs more than the rest of an in-process request's
    preparation (tests/simkit/test_transport_preparation.py compares both)."""
    if type(given) not in (dict, CaseInsensitiveDict) or type(kept) not in (dict, CaseInsensitiveDict):
        return merge_setting(given, kept, dict_class=dict_class)  # type: ignore[no-untyped-call]
    merged = dict_class(kept.items())
    merged.update(given.items())
    for key in [k for k, v in merged.items() if v is None]:
        del merged[key]
    return merged


def _merged_headers(given: Any, kept: Any) -> Any:
    """_merge(given, kept, CaseInsensitiveDict) for headers given as a dict and a session's own: its entries copied
    as it keeps them (lowered name → (name, value)), where requests would lower each name again."""
    if type(given) is not dict or type(kept) is not CaseInsensitiveDict:
        return _merge(given, kept, CaseInsensitiveDict)
    merged = _fresh()
    store = _entries(merged)
    store.update(_entries(kept))
    for key, value in given.items():
        store[key.lower()] = (key, value)
    for lowered in [lowered for lowered, (_, value) in store.items() if value is None]:
        del store[lowered]
    return merged


# What requests checks each header's name and value against.
_VALID_NAME, _VALID_VALUE = cast("tuple[re.Pattern[str], re.Pattern[str]]", HEADER_VALIDATORS[str])
_VALID_PAIRS: set[tuple[str, str]] = set()  # headers found valid: most are sent on every request


def _valid(pair: tuple[str, str]) -> bool:
    """A header of text requests would send as it is (a newline, a colon in a name...: requests refuses it, and the
    request is left to requests)."""
    valid = bool(_VALID_NAME.match(pair[0]) and _VALID_VALUE.match(pair[1]))
    if valid:
        if len(_VALID_PAIRS) >= 4096:  # correlation ids and the like: kept from growing without end
            _VALID_PAIRS.clear()
        _VALID_PAIRS.add(pair)
    return valid


# A URL requests would leave exactly as it is: ASCII without spaces, quotes or percent-escapes (which requests
# re-quotes), with a scheme, a host and a path, no user info, no fragment.
_PLAIN_URL = re.compile(r"https?://[a-z0-9.-]+(:\d+)?/[A-Za-z0-9._~!$&'()*+,;=:/?\[\]-]*")


def prepare(
    method: str, url: str, headers: CaseInsensitiveDict[str], params: Any, json: Any, *, owned: bool = False
) -> requests.PreparedRequest:
    """requests.PreparedRequest.prepare(method, url, headers, params=params, json=json), for the requests the
    clients send in process: without re-parsing and re-quoting a URL that needs neither, nor a cookie jar
    nobody reads (tests/simkit/test_transport_preparation.py compares both); anything else is prepared by requests."""
    prepared = requests.PreparedRequest()
    plain_params = isinstance(params, dict) and all(
        isinstance(k, str) and (v is None or (isinstance(v, str | int) and not isinstance(v, bool)))
        for k, v in params.items()
    )
    plain_headers = all(
        type(pair[0]) is str and type(pair[1]) is str and (pair in _VALID_PAIRS or _valid(pair))
        for pair in _pairs(headers)
    )
    if not (
        _PLAIN_URL.fullmatch(url)
        and plain_params
        and plain_headers
        and (json is None or isinstance(json, dict | list))
    ):
        prepared.prepare(method=method.upper(), url=url, headers=headers, params=params, json=json)
        return prepared
    query = urlencode([(k, v) for k, v in params.items() if v is not None])
    prepared.method = method.upper()
    prepared.url = url + ("&" if "?" in url else "?") + query if query else url
    if owned and type(headers) is CaseInsensitiveDict:
        prepared.headers = headers  # made for this request alone (`owned`): no copy to make
    else:
        prepared.headers = (
            _copy(headers) if type(headers) is CaseInsensitiveDict else CaseInsensitiveDict(headers)
        )
    body = None
    if json is not None:
        try:
            body = complexjson.dumps(json, allow_nan=False).encode("utf-8")
        except ValueError as exc:
            raise requests.exceptions.InvalidJSONError(exc, request=prepared) from None
        if body:
            prepared.headers["Content-Length"] = str(len(body))
        if "content-type" not in _entries(prepared.headers):
            prepared.headers["Content-Type"] = "application/json"
    elif (
        prepared.method not in ("GET", "HEAD")
        and _entries(prepared.headers).get("content-length", (0, None))[1] is None
    ):
        prepared.headers["Content-Length"] = "0"
    prepared.body = body
    return prepared
