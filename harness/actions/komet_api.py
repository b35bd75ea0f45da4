"""komet.call: any Komet API method called as a grower would call it, with the grower's token, a Company token
made for the importer's checks, another token, or none; Komet's reply as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

import requests

from ..context import Refused
from . import STR, Arg, Returns, action, typed

if TYPE_CHECKING:
    from ..context import Ctx


def _company_token(ctx: Ctx) -> str:
    """A Company token with every method, made once per scenario for importer-side API calls."""
    if ctx.company_token is None:
        ctx.company_token = ctx.komet.create_token(
            type="Company", methods="all", description="kasim importer checks"
        )["token"]
    return ctx.company_token


@action(
    "komet.call",
    "call any Komet API method as a grower would, and get Komet's reply as it is",
    {
        "method": Arg(STR, "the API method (purchase.order.list, box.code.change, ...)", required=True),
        "token": Arg(
            typed({"type": ["string", "object"]}),
            "whose token: company (a Company token with every method), none (no token), a saved token, or the "
            "token's text",
            default="the grower's token",
        ),
        "params": Arg({"type": "object"}, "the method's parameters, as Komet documents them", default="{}"),
    },
    returns=Returns(
        'Komet\'s reply as sent: status "1" and the method\'s fields (a status "0" reply is a refusal, with its '
        "message)",
        {
            "status": '"1" (text or number, as the method\'s sample shows)',
            "message?": "OK, or the empty-list message (as the method's sample shows)",
            "…": "the method's own fields (purchaseOrders, awbs, boxes...)",
        },
        {"status": "1", "message": "OK", "purchaseOrders": [{"number": "10001"}]},
    ),
    refuses=(
        "anything Komet answers with status \"0\": the refusal's message is Komet's",
        "no reply (the connection reset, a timeout, a lost reply): `no reply from Komet` and what happened",
        "a reply that is not the JSON envelope (an HTML error page): `not JSON` or `not the JSON envelope`",
    ),
    example="""
- komet.call: {method: purchase.order.list, params: {date: "${world.shipDates[0]}"}}
  expect: {status: "1", purchaseOrders: {$len: 1}}
- komet.call: {method: purchase.order.list, token: none, params: {date: "${world.shipDates[0]}"}}
  refused: token
""",
)
def call_api(ctx: Ctx, a):
    token = a.get("token")
    if token == "company":
        value = _company_token(ctx)
    elif token == "none":
        value = None
    elif isinstance(token, str):  # the token's own text, as a grower would paste it
        value = token
    else:
        value = ctx.token(token)["token"]
    try:
        resp = ctx.komet.api_response(a["method"], value, **(a.get("params") or {}))
        reply = resp.json()
    except requests.Timeout:  # a network fault: no reply to show, the step says what happened
        raise Refused("no reply from Komet: it did not answer in time", None) from None
    except requests.RequestException:
        raise Refused("no reply from Komet: the connection was reset or closed", None) from None
    except ValueError:
        raise Refused(
            f"Komet's reply is not JSON (HTTP {resp.status_code}): {resp.text[:200]}", None
        ) from None
    if not isinstance(reply, dict):
        raise Refused(f"Komet's reply is not the JSON envelope (HTTP {resp.status_code})", reply)
    if str(reply.get("status")) != "1":
        raise Refused(str(reply.get("message")), reply)
    return reply
