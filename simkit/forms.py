"""Post/Redirect/Get for a refused portal form, in both simulators.

A refused post answers 303 to the form's page, never the page itself: a refresh then reloads the page instead
of posting again. What was typed and why it was refused are kept on the server (a form may hold a token, which
never goes into a cookie), under a random key the session carries; the page takes them back once, and shows
them with the status the refusal had (400, 409…), as it did before the redirect.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from typing import Any

from flask import current_app, redirect, request, session
from werkzeug.wrappers import Response

SESSION_KEY = "kasim.refused"
KEPT_AT_MOST = 256  # refused forms an app keeps waiting for their page; the oldest go first
_lock = threading.Lock()


def _kept() -> OrderedDict[str, dict[str, Any]]:
    return current_app.extensions.setdefault("kasim.refused_forms", OrderedDict())


def refused(target: str, values: Any, errors: dict[str, str], status: int = 400) -> Response:
    """Keep `values` and `errors` for the page at `target` (a path on this site) and redirect there."""
    key = secrets.token_urlsafe(12)
    path = target.split("?", 1)[0].split("#", 1)[0]
    with _lock:
        kept = _kept()
        kept[key] = {"path": path, "values": values, "errors": errors, "status": status}
        while len(kept) > KEPT_AT_MOST:
            kept.popitem(last=False)
    session[SESSION_KEY] = key
    return redirect(target, code=303)


def take_refused() -> tuple[Any, dict[str, str], int] | None:
    """(values, errors, status) of the form refused just before this page was asked for, once; None when
    there is none (a fresh visit, or the refusal was for another page)."""
    key = session.get(SESSION_KEY)
    if not key:
        return None
    with _lock:
        entry = _kept().get(key)
        if entry is None or entry["path"] != request.path:
            return None
        del _kept()[key]
    session.pop(SESSION_KEY, None)
    return entry["values"], entry["errors"], entry["status"]
