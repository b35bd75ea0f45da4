"""A Komet company and its master data as Komet's Setup screens make them: the company, its users, locations,
box types, carriers, vendors, customers and products. kasim has no API for them; seeded worlds are made
through these functions (as ASINFO's are through its domain), each the only writer of its table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld


@dataclass(frozen=True)
class NewCarrier:
    code: str
    name: str
    street: str
    city: str
    state: str
    zip_code: str
    country: str
    phone: str
    network_name: str
    network_id: int


@dataclass(frozen=True)
class NewCustomer:
    name: str
    code: str
    mark_code: str
    sales_person: str
    sales_person_id: int
    customer_type: str
    location_id: int


@dataclass(frozen=True)
class NewProduct:
    description: str
    category: str
    variety: str
    color: str
    grade: str
    legacy_code: str
    tags: str = "standard"


def company_slug(name: str, company_id: int) -> str:
    """The first word of the name and the id: unique, readable (the company code is it in capitals)."""
    return "".join(ch for ch in name.split()[0].lower() if ch.isalnum()) + str(company_id)


def create_company(world: KometWorld, name: str, paid_users: int, quota_per_user: int, profile: str) -> int:
    company_id = world.next_id("company")
    code = company_slug(name, company_id).upper()[:10]
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO companies(company_id, name, code, paid_users, quota_per_user, profile, created_on) "
            "VALUES (?,?,?,?,?,?,?)",
            (company_id, name, code, paid_users, quota_per_user, profile, world.clock.stamp()),
        )
    return company_id


def add_user(world: KometWorld, company_id: int, username: str, password: str, name: str, role: str) -> int:
    user_id = world.next_id("user")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO users(id, company_id, username, password, name, role) VALUES (?,?,?,?,?,?)",
            (user_id, company_id, username, password, name, role),
        )
    return user_id


def add_location(world: KometWorld, company_id: int, name: str, code: str) -> int:
    location_id = world.next_id("location")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO locations(id, company_id, name, code) VALUES (?,?,?,?)",
            (location_id, company_id, name, code),
        )
    return location_id


def add_boxtype(world: KometWorld, company_id: int, code: str, network_id: int, fbe: float) -> int:
    """A box type named as in the Komet network (FB, HB, QB, EB), with its full-box equivalent."""
    boxtype_id = world.next_id("boxtype")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO boxtypes(id, company_id, code, komet_network_name, komet_network_id, fbe) "
            "VALUES (?,?,?,?,?,?)",
            (boxtype_id, company_id, code, code, network_id, fbe),
        )
    return boxtype_id


def add_carrier(world: KometWorld, company_id: int, carrier: NewCarrier) -> int:
    carrier_id = world.next_id("carrier")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO carriers(id, company_id, code, name, active, street, city, state, zip_code, country, "
            "phone, komet_network_name, komet_network_id) VALUES (?,?,?,?,1,?,?,?,?,?,?,?,?)",
            (
                carrier_id,
                company_id,
                carrier.code,
                carrier.name,
                carrier.street,
                carrier.city,
                carrier.state,
                carrier.zip_code,
                carrier.country,
                carrier.phone,
                carrier.network_name,
                carrier.network_id,
            ),
        )
    return carrier_id


def add_vendor(world: KometWorld, company_id: int, name: str, code: str, port_origin: str) -> int:
    vendor_id = world.next_id("vendor")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO vendors(id, company_id, name, code, port_origin, active) VALUES (?,?,?,?,?,1)",
            (vendor_id, company_id, name, code, port_origin),
        )
    return vendor_id


def add_customer(world: KometWorld, company_id: int, customer: NewCustomer) -> int:
    """A customer with its mark; its accounting code follows its id (AC<id>)."""
    customer_id = world.next_id("customer")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO customers(id, company_id, name, code, accounting_code, mark_code, active, sales_person, "
            "sales_person_id, customer_type, location_id, updated_on) VALUES (?,?,?,?,?,?,1,?,?,?,?,?)",
            (
                customer_id,
                company_id,
                customer.name,
                customer.code,
                f"AC{customer_id}",
                customer.mark_code,
                customer.sales_person,
                customer.sales_person_id,
                customer.customer_type,
                customer.location_id,
                world.clock.stamp(),
            ),
        )
    return customer_id


def add_product(world: KometWorld, company_id: int, product: NewProduct) -> int:
    product_id = world.next_id("product")
    with world.store.tx() as c:
        c.execute(
            "INSERT INTO products(id, company_id, description, category, division_id, division_description, "
            "variety, color, grade, legacy_code, tags, active) VALUES (?,?,?,?,1,'Flowers',?,?,?,?,?,1)",
            (
                product_id,
                company_id,
                product.description,
                product.category,
                product.variety,
                product.color,
                product.grade,
                product.legacy_code,
                product.tags,
            ),
        )
    return product_id
