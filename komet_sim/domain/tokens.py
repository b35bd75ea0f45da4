"""API tokens (K4): Company, Vendor and Customer tokens with the methods enabled on each, and who made each:
the importer, or (K25, `vendor_tokens`) the vendor itself."""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simkit.errors import BadInput
from simkit.ids import token as make_token
from simkit.ids import token_hash

from ..methods import ASINFO_PRESET, TOKEN_METHODS
from . import errors

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld

TOKEN_TYPES = ("Company", "Vendor", "Customer")


@dataclass(frozen=True)
class Caller:
    """Who is calling the API: the token's company, type, and for Vendor/Customer the one they belong to."""

    token_id: int
    company_id: int
    type: str
    vendor_id: int | None
    customer_id: int | None
    methods: frozenset[str]
    profile: str
    # Where the call comes from and who makes it: the API with a token, or a person in Komet's portal (the
    # vendor portal acts as a Vendor caller naming its login, K24).
    via: str = "api"
    user: str | None = None

    @property
    def is_vendor(self) -> bool:
        return self.type == "Vendor"


def resolve_methods(methods) -> list[str]:
    """A list of method names, or the presets "asinfo" and "all"."""
    if methods == "asinfo":
        return list(ASINFO_PRESET)
    if methods == "all":
        return list(TOKEN_METHODS)
    if not isinstance(methods, list) or not methods:
        raise BadInput("methods", 'give a list of method names, "asinfo" or "all"')
    unknown = [m for m in methods if m not in TOKEN_METHODS]
    if unknown:
        raise BadInput("methods", f"unknown method {unknown[0]!r}; known: {', '.join(TOKEN_METHODS)}")
    return [m for m in TOKEN_METHODS if m in methods]


# A token with who made it (K25): the importer, or the vendor whose login is in made_by.
TOKEN_SQL = (
    "SELECT t.*, m.made_by, m.sent_on FROM tokens t LEFT JOIN vendor_made_tokens m ON m.token_id = t.id"
)


def token_view(row, reveal: bool = True) -> dict:
    return {
        "id": row["id"],
        "companyId": row["company_id"],
        "type": row["type"],
        "token": row["token"] if reveal else row["token"][:4] + "…",
        "vendorId": row["vendor_id"],
        "customerId": row["customer_id"],
        "description": row["description"],
        "methods": json.loads(row["methods"]),
        "createdOn": row["created_on"],
        "madeBy": "vendor" if row["made_by"] else "importer",
        "madeByUser": row["made_by"],
        "sentOn": row["sent_on"],
    }


def create_token(
    world: KometWorld,
    company_id: int,
    token_type: str,
    description: str,
    methods,
    vendor_id: int | None = None,
    customer_id: int | None = None,
    user_id: int | None = None,
) -> dict:
    """As Setup › Settings › Tokens › New Token does. One token per vendor or customer: a new one
    replaces the old (the docs advise creating only one)."""
    if token_type not in TOKEN_TYPES:
        raise BadInput("type", "must be Company, Vendor or Customer")
    if not isinstance(description, str) or not description.strip():
        raise BadInput("description", "a token needs a description")
    if len(description) > 200:
        raise BadInput("description", "at most 200 characters")
    names = resolve_methods(methods)
    with world.store.tx() as c:
        # Checked inside the write: a reset may have removed the company since the request named it.
        if not c.execute("SELECT 1 FROM companies WHERE company_id = ?", (company_id,)).fetchone():
            raise BadInput("namespace", f"company {company_id} does not exist (it was reset)", "not_found")
        if token_type == "Vendor":
            if vendor_id is None:
                raise BadInput("vendorId", "a Vendor token belongs to a vendor: choose one")
            if not c.execute(
                "SELECT 1 FROM vendors WHERE id = ? AND company_id = ?", (vendor_id, company_id)
            ).fetchone():
                raise BadInput("vendorId", f"vendor {vendor_id} is not a vendor of this company", "not_found")
            customer_id = None
        elif token_type == "Customer":
            if customer_id is None:
                raise BadInput("customerId", "a Customer token belongs to a customer: choose one")
            if not c.execute(
                "SELECT 1 FROM customers WHERE id = ? AND company_id = ?", (customer_id, company_id)
            ).fetchone():
                raise BadInput(
                    "customerId", f"customer {customer_id} is not a customer of this company", "not_found"
                )
            vendor_id = None
        else:
            vendor_id = customer_id = None
        replaced = replaced_by = None
        if vendor_id is not None or customer_id is not None:
            old = c.execute(
                TOKEN_SQL + " WHERE t.company_id = ? AND t.type = ? AND "
                "(t.vendor_id IS ? AND t.customer_id IS ?) AND t.user_id IS NULL",
                (company_id, token_type, vendor_id, customer_id),
            ).fetchone()
            if old:  # the newest wins, whoever made either (K25)
                replaced, replaced_by = old["id"], token_view(old)["madeBy"]
                c.execute("DELETE FROM tokens WHERE id = ?", (replaced,))
        token_id = world.next_id("token")
        value = make_token(world.seed, token_id)
        c.execute(
            "INSERT INTO tokens(id, company_id, token, token_hash, type, vendor_id, customer_id, user_id, "
            "description, methods, created_on) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                token_id,
                company_id,
                value,
                token_hash(value),
                token_type,
                vendor_id,
                customer_id,
                user_id,
                description.strip(),
                json.dumps(names),
                world.clock.stamp(),
            ),
        )
        row = c.execute(TOKEN_SQL + " WHERE t.id = ?", (token_id,)).fetchone()
    view = token_view(row)
    view["replaced"], view["replacedMadeBy"] = replaced, replaced_by
    return view


def list_tokens(world: KometWorld, company_id: int) -> list[dict]:
    rows = world.store.all(
        TOKEN_SQL + " WHERE t.company_id = ? AND t.user_id IS NULL ORDER BY t.id", (company_id,)
    )
    return [token_view(r) for r in rows]


def delete_token(world: KometWorld, company_id: int, token_id: int) -> dict:
    with world.store.tx() as c:
        row = c.execute(
            "SELECT * FROM tokens WHERE id = ? AND company_id = ?", (token_id, company_id)
        ).fetchone()
        if not row:
            raise BadInput("id", f"token {token_id} does not exist", "not_found")
        c.execute("DELETE FROM tokens WHERE id = ?", (token_id,))
    return {"deleted": token_id}


def authenticate(world: KometWorld, value) -> Caller:
    """Deleted tokens fail at once; lookup is by hash and the final check is constant-time. A token found
    before is not looked up again while nothing has been written since (any write, in any company)."""
    if not isinstance(value, str) or not value:
        raise errors.InvalidToken()
    written = world.versions.total  # read before the lookup: a write during it only makes the entry stale
    known = world.callers.get(value)
    if known is not None and known[0] == written:
        return known[1]
    caller = _lookup(world, value)
    if len(world.callers) >= MAX_CALLERS_KEPT:
        world.callers.clear()
    world.callers[value] = (written, caller)
    return caller


MAX_CALLERS_KEPT = 1024


def _lookup(world: KometWorld, value: str) -> Caller:
    row = world.store.one(
        "SELECT t.*, c.profile FROM tokens t JOIN companies c ON c.company_id = t.company_id "
        "WHERE t.token_hash = ?",
        (token_hash(value),),
    )
    if row is None or not hmac.compare_digest(row["token"].encode(), value.encode()):
        raise errors.InvalidToken()
    return Caller(
        token_id=row["id"],
        company_id=row["company_id"],
        type=row["type"],
        vendor_id=row["vendor_id"],
        customer_id=row["customer_id"],
        methods=frozenset(json.loads(row["methods"])),
        profile=row["profile"],
    )


def login(world: KometWorld, username: str, password: str) -> str:
    """`login`: the user's own key (a Company token with every method), made on first use."""
    row = check_user(world, username, password)
    if row is None:
        raise errors.LoginFailed()
    with world.store.tx() as c:  # look and create in one transaction: two logins at once make one key
        existing = c.execute("SELECT token FROM tokens WHERE user_id = ?", (row["id"],)).fetchone()
        if existing:
            return existing["token"]
        return create_token(
            world, row["company_id"], "Company", f"API key of {row['username']}", "all", user_id=row["id"]
        )["token"]


def check_user(world: KometWorld, username: str, password: str) -> dict | None:
    """Portal sign-in."""
    row = world.store.one("SELECT * FROM users WHERE lower(username) = lower(?)", (username.strip(),))
    if row is None or not hmac.compare_digest(row["password"].encode(), password.encode()):
        return None
    return dict(row)
