"""In-process transport: a requests adapter that hands each request straight to a WSGI app.

The client code is the same in both modes; only the session's mounted adapter differs. Simulated
resets and timeouts surface as the same requests exceptions a real socket would raise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from werkzeug.test import EnvironBuilder, run_wsgi_app

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
        url = urlsplit(str(request.url))  # a prepared request always has its URL
        body = _bytes(request.body)
        builder = EnvironBuilder(
            path=url.path or "/",
            query_string=url.query,
            method=str(request.method),
            headers=list(request.headers.items()),
            data=body or b"",
            base_url=f"{url.scheme}://{url.netloc}",
        )
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        environ["kasim.transport"] = "in-process"
        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        if read_timeout is not None:
            environ["kasim.client_timeout"] = float(read_timeout)
        try:
            app_iter, status, headers = run_wsgi_app(self.app, environ, buffered=True)
            content = b"".join(app_iter)
        except SimulatedTimeout as exc:
            raise requests.exceptions.ReadTimeout(str(exc), request=request) from None
        except DropConnection as exc:
            raise requests.exceptions.ConnectionError(
                f"('Connection aborted.', ConnectionResetError(104, '{exc}'))", request=request
            ) from None
        response = requests.Response()
        response.status_code = int(status.split()[0])
        response.reason = status.split(" ", 1)[1] if " " in status else ""
        response.headers = CaseInsensitiveDict(headers.to_wsgi_list())
        response.encoding = get_encoding_from_headers(response.headers)
        response._content = content
        response.url = str(request.url)
        response.request = request
        return response

    def close(self) -> None:
        pass


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
