"""komet.*, the importer's Setup screens: tokens (Settings › Tokens), the company's settings (profile, quota),
and a product mapped or unmapped in its catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from komet_sim.importer_actions import COMPANY_CHANGES

from ..context import call
from . import REF, STR, TOKEN_DOC, VENDOR_DOC, Arg, Returns, action, from_spec, typed
from .komet import _product_id
from .shapes import COMPANY, TOKEN

if TYPE_CHECKING:
    from ..context import Ctx

METHODS = typed({"anyOf": [{"enum": ["asinfo", "all"]}, {"type": "array", "items": STR, "minItems": 1}]})


A_METHODS = Arg(
    METHODS,
    "the API methods the token enables: asinfo (the ASINFO integration preset), all, or a list of method names",
    default="asinfo",
)


@action(
    "komet.create_token",
    "Setup › Settings › Tokens › New Token: a Vendor token (ASINFO preset by default) for a vendor",
    {
        "vendor": Arg(REF, VENDOR_DOC + " (a Vendor token's vendor)", default="the grower's vendor, else 0"),
        "customer": Arg(
            REF, "the customer of a Customer token: 0 is the world's first, {id: N}, or its code"
        ),
        "type": Arg(
            {"enum": ["Vendor", "Company", "Customer"]},
            "the token's type",
            default="Customer with customer:, else Vendor",
        ),
        "methods": A_METHODS,
        "description": Arg(STR, "the description shown in Komet's token list", default='"<type> token"'),
    },
    returns=Returns(
        "the token as Komet's Tokens list shows it",
        TOKEN,
        {
            "id": 2,
            "type": "Vendor",
            "vendorId": 3401,
            "token": "cj7r0ciy1a4ptblj1jplqvsn41",
            "madeBy": "importer",
            "replaced": 1,
        },
    ),
    refuses=(
        "a vendor or customer the world does not have",
        "a method name Komet does not have",
    ),
    example="""
- komet.create_token: {vendor: 0, methods: asinfo, description: ASINFO link}
  save: token
  expect: {type: Vendor, methods: {$contains: purchase.order.list}, replaced: 1}
- asinfo.update_connection: {token: "${token}"}
""",
)
def create_token(ctx: Ctx, a):
    kind = a.get(
        "type", "Customer" if "customer" in a else "Vendor" if "vendor" in a or ctx.company else "Company"
    )
    vendor_id = ctx.vendor(a.get("vendor"))["id"] if kind == "Vendor" else None
    customer_id = ctx.customer(a["customer"])["id"] if kind == "Customer" else None
    token = call(
        ctx.komet.create_token,
        type=kind,
        vendor_id=vendor_id,
        customer_id=customer_id,
        methods=a.get("methods", "asinfo"),
        description=a.get("description", f"{kind} token"),
    )
    ctx.tokens.append(token)
    return token


@action(
    "komet.delete_token",
    "the importer deletes a token; whoever holds it is refused at once",
    {"token": Arg(REF, TOKEN_DOC, default="the grower's token")},
    returns=Returns("how many tokens were deleted", {"deleted": "1"}, {"deleted": 1}),
    refuses=("a token Komet does not have (already deleted)",),
    example="""
- komet.delete_token: {}
- asinfo.sync: {}
  refused: does not recognise this token
""",
)
def delete_token(ctx: Ctx, a):
    token = ctx.token(a.get("token"))
    return call(ctx.komet.delete_token, token["id"])


SETTINGS_DOCS = {
    "profile": "documented (Komet as its docs say) or strict (also the Company-only rules the docs mention)",
    "paidUsers": "paid users: the daily quota is paidUsers × quotaPerUser",
    "quotaPerUser": "API calls per paid user per day",
    "name": "the importer's name",
}


@action(
    "komet.settings",
    "company settings: the profile (documented/strict) and the daily quota (paid users × calls per user)",
    {name: Arg(schema, SETTINGS_DOCS.get(name, name)) for name, schema in from_spec(COMPANY_CHANGES).items()},
    returns=Returns(
        "the company, as komet.company returns it", COMPANY, {"profile": "strict", "dailyLimit": 2000}
    ),
    refuses=("an unknown profile", "paidUsers or quotaPerUser below 1"),
    example="""
- komet.settings: {profile: strict, paidUsers: 2}
  expect: {profile: strict, dailyLimit: 2000}
""",
)
def settings(ctx: Ctx, a):
    return call(ctx.komet.update_company, **a)


@action(
    "komet.unmap_product",
    "make a product UNKNOWN in the importer's company (its lines cannot ship), or map it again",
    {
        "product": Arg(
            REF, "the product: 0 is the catalogue's first, {id: N}, or a saved line", required=True
        ),
        "unknown": Arg({"type": "boolean"}, "true: unmap it; false: map it again", default="true"),
    },
    returns=Returns(
        "the product and its state",
        {"id": "the product", "unknown": "true when unmapped"},
        {"id": 10021, "unknown": True},
    ),
    refuses=("a product the catalogue does not have",),
    example="""
- komet.unmap_product: {product: 0}
  expect: {unknown: true}
""",
)
def unmap_product(ctx: Ctx, a):
    return call(ctx.komet.map_product, _product_id(ctx, a["product"]), a.get("unknown", True))
