"""Post/Redirect/Get for a refused portal form, in both simulators.

A refused post answers 303 to the form's page, never the page itself: a refresh then reloads the page instead
of posting again. What was typed and why it was refused are kept on the server (a form may hold a token, which
never goes into a cookie), under a random key the session carries; the page takes them back once, and shows
them with the status the refusal had (400, 409…), as it did before the redirect. A form that succeeds and has
something to show once (a token just made, the results of a receive) keeps it the same way (`keep_for`).
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
    kept: OrderedDict[str, dict[str, Any]] = current_app.extensions.setdefault(
        "kasim.refused_forms", OrderedDict()
    )
    return kept


def keep_for(target: str, payload: Any) -> Response:
    """Keep `payload` for the page at `target` (a path on this site, query allowed) and redirect there (303)."""
    key = secrets.token_urlsafe(12)
    path = target.split("?", 1)[0].split("#", 1)[0]
    with _lock:
        kept = _kept()
        kept[key] = {"path": path, "payload": payload}
        while len(kept) > KEPT_AT_MOST:
            kept.popitem(last=False)
    session[SESSION_KEY] = key
    return redirect(target, code=303)


def take() -> Any | None:
    """What the post just before kept for this page, once; None when nothing was (a fresh visit, a refresh,
    or it was kept for another page)."""
    key = session.get(SESSION_KEY)
    if not key:
        return None
    with _lock:
        entry = _kept().get(key)
        if entry is None or entry["path"] != request.path:
            return None
        del _kept()[key]
    session.pop(SESSION_KEY, None)
    return entry["payload"]


def refused(target: str, values: Any, errors: dict[str, str], status: int = 400) -> Response:
    """A refused form: keep what was typed and why for the page at `target`, and redirect there."""
    return keep_for(target, {"refused": (values, errors, status)})


def take_refused() -> tuple[Any, dict[str, str], int] | None:
    """(values, errors, status) of the form refused just before this page was asked for, once; else None."""
    kept = take()
    return kept.get("refused") if isinstance(kept, dict) else None
