"""Vendor logins (K24): a vendor's own sign-in to Komet's vendor portal, linked to every importer that buys
from it. In the portal a vendor acts as a Vendor caller of the importer it chose: it sees and changes exactly
what a Vendor token of its vendor would."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from simkit.errors import BadInput

from .tokens import Caller

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld

MAX_USERNAME = 100


def _check_username(username) -> str:
    if not isinstance(username, str) or not username.strip():
        raise BadInput("username", "a vendor login needs a username")
    value = username.strip().lower()
    if len(value) > MAX_USERNAME or " " in value or "@" not in value.strip("@"):
        raise BadInput("username", f"an e-mail address of at most {MAX_USERNAME} characters")
    return value


def add_vendor_user(
    world: KometWorld,
    company_id: int,
    vendor_id: int,
    username: str,
    name: str | None = None,
    password: str | None = None,
) -> dict:
    """A login for one of the importer's vendors. A username that another importer already linked is the same
    vendor's login: this importer is linked to it too (its name and password stay as they are)."""
    login = _check_username(username)
    with world.store.tx() as c:
        if not c.execute(
            "SELECT 1 FROM vendors WHERE id = ? AND company_id = ?", (vendor_id, company_id)
        ).fetchone():
            raise BadInput("vendorId", f"vendor {vendor_id} is not a vendor of this company", "not_found")
        if c.execute("SELECT 1 FROM users WHERE lower(username) = ?", (login,)).fetchone():
            raise BadInput("username", f"{login} is an importer's user, not a vendor's", "conflict")
        taken = c.execute(
            "SELECT vendor_id FROM vendor_users WHERE company_id = ? AND (username = ? OR vendor_id = ?)",
            (company_id, login, vendor_id),
        ).fetchone()
        if taken and taken["vendor_id"] == vendor_id:
            raise BadInput("vendorId", f"vendor {vendor_id} already has a login here", "conflict")
        if taken:
            raise BadInput("username", f"{login} is vendor {taken['vendor_id']}'s login here", "conflict")
        existing = c.execute("SELECT * FROM vendor_users WHERE username = ? LIMIT 1", (login,)).fetchone()
        if existing is not None:
            if password is not None and not hmac.compare_digest(existing["password"], password):
                raise BadInput("password", f"{login} exists already with another password", "conflict")
            name, password = existing["name"], existing["password"]
        if not name or not password:
            raise BadInput("password" if name else "name", "a new vendor login needs a name and a password")
        c.execute(
            "INSERT INTO vendor_users(id, company_id, vendor_id, username, password, name) VALUES (?,?,?,?,?,?)",
            (world.next_id("vendor_user"), company_id, vendor_id, login, password, name),
        )
    return {"username": login, "name": name, "vendorId": vendor_id, "companyId": company_id}


def link_vendor(
    world: KometWorld, company_id: int, vendor_id: int, other_company_id: int, other_vendor_id: int
) -> dict:
    """This importer's vendor is the grower another importer buys from as well: it takes that vendor's name,
    origin and code (when the code is free here) and its login, which from now on sees both importers."""
    with world.store.tx() as c:
        other = c.execute(
            "SELECT v.name, v.code, v.port_origin, u.username FROM vendors v "
            "JOIN vendor_users u ON u.vendor_id = v.id WHERE v.id = ? AND v.company_id = ?",
            (other_vendor_id, other_company_id),
        ).fetchone()
        if other is None:
            raise BadInput(
                "vendorId",
                f"vendor {other_vendor_id} of company {other_company_id} does not exist or has no login",
                "not_found",
            )
        mine = c.execute(
            "SELECT code FROM vendors WHERE id = ? AND company_id = ?", (vendor_id, company_id)
        ).fetchone()
        if mine is None:
            raise BadInput("vendorId", f"vendor {vendor_id} is not a vendor of this company", "not_found")
        code_taken = c.execute(
            "SELECT 1 FROM vendors WHERE company_id = ? AND code = ? AND id != ?",
            (company_id, other["code"], vendor_id),
        ).fetchone()
        c.execute(
            "UPDATE vendors SET name = ?, port_origin = ?, code = ? WHERE id = ?",
            (other["name"], other["port_origin"], mine["code"] if code_taken else other["code"], vendor_id),
        )
        return add_vendor_user(world, company_id, vendor_id, other["username"])


def links(world: KometWorld, username: str) -> list[dict]:
    """The importers a vendor login is linked to, each with the vendor record it has there."""
    rows = world.store.all(
        "SELECT u.company_id, u.vendor_id, c.name AS company_name, v.name AS vendor_name, v.code AS vendor_code "
        "FROM vendor_users u JOIN companies c ON c.company_id = u.company_id "
        "JOIN vendors v ON v.id = u.vendor_id WHERE u.username = ? ORDER BY u.company_id",
        (str(username).strip().lower(),),
    )
    return [
        {
            "companyId": r["company_id"],
            "companyName": r["company_name"],
            "vendorId": r["vendor_id"],
            "vendorName": r["vendor_name"],
            "vendorCode": r["vendor_code"],
        }
        for r in rows
    ]


def sign_in(world: KometWorld, username: str, password: str) -> dict | None:
    """The vendor login, or None; the password is compared in constant time."""
    row = world.store.one(
        "SELECT username, name, password FROM vendor_users WHERE username = ? ORDER BY company_id LIMIT 1",
        (str(username).strip().lower(),),
    )
    if row is None or not hmac.compare_digest(row["password"].encode(), str(password).encode()):
        return None
    return {"username": row["username"], "name": row["name"]}


def login_of(world: KometWorld, company_id: int, vendor_id: int) -> dict:
    """The login of one vendor of this importer (scripts act as it under /__sim/komet/vendors/<id>)."""
    row = world.store.one(
        "SELECT username, name FROM vendor_users WHERE company_id = ? AND vendor_id = ?",
        (company_id, vendor_id),
    )
    if row is None:
        raise BadInput(
            "vendorId", f"vendor {vendor_id} of company {company_id} has no vendor login", "not_found"
        )
    return {"username": row["username"], "name": row["name"]}


def vendor_caller(world: KometWorld, username: str, company_id: int) -> Caller:
    """The vendor acting in its portal for one importer it is linked to: a Vendor caller of its vendor there,
    so it sees what a Vendor token of that vendor sees, and nothing else."""
    row = world.store.one(
        "SELECT u.vendor_id, c.profile FROM vendor_users u JOIN companies c ON c.company_id = u.company_id "
        "WHERE u.username = ? AND u.company_id = ?",
        (str(username).strip().lower(), company_id),
    )
    if row is None:
        raise BadInput("companyId", f"{username} is not a vendor of company {company_id}", "not_found")
    return Caller(
        token_id=0,
        company_id=company_id,
        type="Vendor",
        vendor_id=row["vendor_id"],
        customer_id=None,
        methods=frozenset(),
        profile=row["profile"],
        via="portal",
        user=str(username).strip().lower(),
    )


def list_vendor_users(world: KometWorld, company_id: int | None = None) -> list[dict]:
    """Vendor logins (never their passwords), of one importer or all."""
    where, args = ("WHERE u.company_id = ?", (company_id,)) if company_id is not None else ("", ())
    return [
        {
            "username": r["username"],
            "name": r["name"],
            "vendorId": r["vendor_id"],
            "companyId": r["company_id"],
        }
        for r in world.store.all(f"SELECT u.* FROM vendor_users u {where} ORDER BY u.company_id, u.id", args)
    ]
