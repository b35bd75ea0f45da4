"""Seeded worlds (POST /__sim/seed, kasim serve --seed N): an importer company with its company ID and paid
users, vendors, customers with marks, a flower catalogue, box types, carriers, locations, and Approved POs
for the coming ship dates. The same seed gives the same world, byte for byte."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from faker import Faker

from simkit.errors import BadInput
from simkit.fakes import seeded_faker
from simkit.params import P, parse

from .decisions import PROFILES
from .domain import creation, master_data, vendor_users
from .flowers import AIRLINES, BOX_TYPES, FlowerProvider, code_from_name

if TYPE_CHECKING:
    from komet_sim.domain.world import KometWorld

SIZES = {  # name: (default, min, max); the harness's scenario schema reads these bounds
    "vendors": (3, 1, 50),
    "customers": (4, 1, 200),
    "products": (24, 1, 400),
    "shipDays": (3, 1, 60),
    "posPerDay": (4, 0, 500),
    "linesPerPo": (3, 1, 50),
    "paidUsers": (3, 1, 100),
    "firstShipDay": (1, 0, 365),
}
# shipDays × posPerDay × linesPerPo: a seeded world is for tests and demos; the sizes' own bounds multiply to
# 1.5 million lines, which would hold the server (and its lock) for minutes.
MAX_SEED_LINES = 20_000
PASSWORD = "komet123"
VENDOR_LOGIN = "vendor@{code}{id}.example"  # K24: unique, since vendor ids are
MAX_QUOTA = 10**9
SEED_OPTIONS = (
    P("seed", "int"),
    P("linkCompany", "int", low=1),
    P("linkVendors", "int", low=1, high=SIZES["vendors"][2]),
    P("reset", "bool", default=True, reason="must be true (replace the world) or false (add a company)"),
    P("profile", "str", choices=PROFILES),
    P("quotaPerUser", "int", low=1, high=MAX_QUOTA),
    P("companyName", "str", size=100),
    *(P(name, "int", low=low, high=high, default=default) for name, (default, low, high) in SIZES.items()),
)


def seed_world(world: KometWorld, params: dict) -> dict:
    options = parse(SEED_OPTIONS, params, strict=True)
    lines = options["shipDays"] * options["posPerDay"] * options["linesPerPo"]
    if lines > MAX_SEED_LINES:
        raise BadInput(
            "linesPerPo",
            f"shipDays × posPerDay × linesPerPo is {lines} lines; a seed makes {MAX_SEED_LINES} at most",
        )
    sizes = {name: options[name] for name in SIZES}
    seed = options.get("seed", world.seed)
    profile = options.get("profile", world.profile)
    quota = options.get("quotaPerUser", world.quota_per_user)
    link = _link(world, options, sizes)
    if options["reset"]:
        world.reset(None)
        world.set_seed(seed)
    company_number = len(world.namespaces())
    with world.store.tx():  # all of it or nothing
        with seeded_faker("en_US", seed * 1000 + company_number, FlowerProvider) as fake:
            made = _build(world, fake, sizes, profile, quota, options.get("companyName"))
        made["vendorUsers"] = _vendor_logins(world, made, link)
        return made


def _link(world: KometWorld, options: dict, sizes: dict) -> list[dict]:
    """linkCompany (+ linkVendors, default 1): the other importer's first vendors whose growers this new
    company buys from as well (K24). Checked before anything is made."""
    if "linkCompany" not in options:
        if "linkVendors" in options:
            raise BadInput("linkVendors", "give linkCompany: the company whose vendors to link")
        return []
    other = options["linkCompany"]
    if options["reset"] or str(other) not in world.namespaces():
        raise BadInput(
            "linkCompany",
            f"company {other} is not in the world (link to a company seeded before, with reset: false)",
            "not_found",
        )
    count = options.get("linkVendors", 1)
    theirs = [{"id": v["vendorId"]} for v in vendor_users.list_vendor_users(world, other)]
    if count > min(len(theirs), sizes["vendors"]):
        raise BadInput(
            "linkVendors",
            f"at most {min(len(theirs), sizes['vendors'])}: company {other} has {len(theirs)} vendor login(s) "
            f"and this one {sizes['vendors']} vendor(s)",
        )
    return [{"companyId": other, "vendorId": v["id"]} for v in theirs[:count]]


def _vendor_logins(world: KometWorld, made: dict, link: list[dict]) -> list[dict]:
    """K24: every vendor gets its login (password komet123); a linked vendor shares the other importer's."""
    company_id = made["companyId"]
    logins = []
    for i, vendor in enumerate(made["vendors"]):
        if i < len(link):
            login = vendor_users.link_vendor(
                world, company_id, vendor["id"], link[i]["companyId"], link[i]["vendorId"]
            )
            row = world.store.one("SELECT name, code, port_origin FROM vendors WHERE id = ?", (vendor["id"],))
            if row is None:  # made just above, in this process
                raise LookupError(f"vendor {vendor['id']} vanished while seeding")
            vendor.update(name=row["name"], code=row["code"], portOrigin=row["port_origin"])
        else:
            with seeded_faker("es_CO", vendor["id"]) as fake:
                person = fake.name()
            username = VENDOR_LOGIN.format(code=vendor["code"].lower(), id=vendor["id"])
            login = vendor_users.add_vendor_user(world, company_id, vendor["id"], username, person, PASSWORD)
        logins.append({**login, "password": PASSWORD})
    return logins


@dataclass(frozen=True)
class Catalogue:
    """What a seeded PO's lines are drawn from: the company's products, customers, box types, carriers, and
    the location its POs go to."""

    company_id: int
    products: list[dict]
    customers: list[dict]
    boxtypes: dict[str, int]
    carriers: list[int]
    location_id: int


def _build(
    world: KometWorld, fake: Faker, sizes: dict, profile: str, quota: int, company_name: str | None
) -> dict:
    today = world.clock.today()
    name = company_name or f"{fake.last_name()} Floral Imports"
    company_id = master_data.create_company(world, name, sizes["paidUsers"], quota, profile)
    slug = master_data.company_slug(name, company_id)  # users sign in as role@<slug>.example
    users = []
    for i, role in enumerate(["Admin", "Setup", "Sales", "Purchasing", "Warehouse"] * 20):
        if i >= sizes["paidUsers"]:
            break
        username = f"{role.lower()}{'' if i < 5 else i}@{slug}.example"
        master_data.add_user(world, company_id, username, PASSWORD, fake.name(), role)
        users.append({"username": username, "password": PASSWORD, "role": role})

    locations: list[dict] = []
    for loc_name, code in [("Miami Warehouse", "MIA"), ("Doral Cooler", "DOR")]:
        loc_id = master_data.add_location(world, company_id, loc_name, code)
        locations.append({"id": loc_id, "name": loc_name, "code": code})

    boxtypes = {
        code: master_data.add_boxtype(world, company_id, code, network_id, fbe)
        for code, fbe, network_id in BOX_TYPES
    }
    carriers = [
        master_data.add_carrier(
            world,
            company_id,
            master_data.NewCarrier(
                code=iata,
                name=f"{iata} - {airline}",
                street=fake.street_address(),
                city="Miami",
                state="Florida",
                zip_code=fake.zipcode(),
                country="USA",
                phone=fake.numerify("1 (###) ###-####"),
                network_name=airline,
                network_id=int(prefix),
            ),
        )
        for prefix, iata, airline in AIRLINES[:5]
    ]

    vendors: list[dict] = []
    vendor_codes: set[str] = set()
    names: set[str] = set()
    while len(vendors) < sizes["vendors"]:
        g = fake.grower()
        if g["name"] in names and len(names) < 100:
            continue
        names.add(g["name"])
        code = code_from_name(g["name"], vendor_codes)
        vendor_id = master_data.add_vendor(world, company_id, g["name"], code, g["port"])
        vendors.append(
            {
                "id": vendor_id,
                "name": g["name"],
                "code": code,
                "portOrigin": g["port"],
                "country": g["country"],
            }
        )

    customers: list[dict] = []
    customer_codes: set[str] = set()
    for _ in range(sizes["customers"]):
        cu = fake.importer_customer(name)
        code = code_from_name(cu["name"], customer_codes)
        mark = f"{code}-{cu['city'][:3].upper()}"
        customer = master_data.NewCustomer(
            name=cu["name"],
            code=code,
            mark_code=mark,
            sales_person=fake.name(),
            sales_person_id=fake.random_int(100, 999),
            customer_type=cu["type"],
            location_id=locations[0]["id"],
        )
        customer_id = master_data.add_customer(world, company_id, customer)
        customers.append({"id": customer_id, "name": cu["name"], "code": code, "markCode": mark})

    products: list[dict] = []
    descriptions: set[str] = set()
    attempts = 0
    while len(products) < sizes["products"] and attempts < sizes["products"] * 20:
        attempts += 1
        p = fake.product()
        if p["description"] in descriptions:
            continue
        descriptions.add(p["description"])
        product = master_data.NewProduct(
            description=p["description"],
            category=p["category"],
            variety=p["variety"],
            color=p["color"],
            grade=p["grade"],
            legacy_code=f"{p['code']}{len(products) + 1:02d}",
        )
        products.append({"id": master_data.add_product(world, company_id, product), **p})

    catalogue = Catalogue(company_id, products, customers, boxtypes, carriers, locations[0]["id"])
    ship_dates, pos = [], []
    for day in range(sizes["shipDays"]):
        ship_date = (today + timedelta(days=sizes["firstShipDay"] + day)).isoformat()
        if sizes["posPerDay"]:
            ship_dates.append(ship_date)
        for k in range(sizes["posPerDay"]):
            vendor = vendors[k % len(vendors)]
            pos.append(_purchase_order(world, fake, catalogue, vendor["id"], ship_date, sizes["linesPerPo"]))
    return {
        "companyId": company_id,
        "companyName": name,
        "seed": world.seed,
        "profile": profile,
        "vendors": [{k: v for k, v in vd.items() if k != "country"} for vd in vendors],
        "customers": customers,
        "shipDates": ship_dates,
        "users": users,
        "locations": locations,
        "purchaseOrders": pos,
        "counts": {
            "vendors": len(vendors),
            "customers": len(customers),
            "products": len(products),
            "purchaseOrders": len(pos),
            "lines": sum(len(p["poItemIds"]) for p in pos),
        },
    }


def _purchase_order(
    world: KometWorld, fake: Faker, catalogue: Catalogue, vendor_id: int, ship_date: str, lines: int
) -> dict:
    """An Approved PO of `lines` lines drawn from the catalogue (the draws in a fixed order: same seed, same PO)."""
    carrier = fake.random_element(catalogue.carriers)
    comments = fake.random_element(["", "", "Deliver before noon", "Keep cold chain 2-4°C"])
    drawn = tuple(_line(fake, catalogue, ship_date, carrier) for _ in range(lines))
    order = creation.RecordedOrder(vendor_id, ship_date, catalogue.location_id, carrier, comments, drawn)
    made = creation.record_purchase_order(world, catalogue.company_id, order)
    return {**made, "shipDate": ship_date, "vendorId": vendor_id}


def _line(fake: Faker, catalogue: Catalogue, ship_date: str, carrier: int) -> dict:
    product = fake.random_element(catalogue.products)
    box = fake.random.choices(["HB", "QB", "FB", "EB"], weights=[50, 35, 10, 5])[0]
    customer = fake.random_element(catalogue.customers)
    stems = product["stems_bunch"]
    bunches = {"QB": 25, "HB": 50, "FB": 100, "EB": 12}[box] if stems == 1 else creation.DEFAULT_BUNCHES[box]
    order_type = fake.random.choices(["P", "S", "D"], weights=[70, 25, 5])[0]
    truck = (date.fromisoformat(ship_date) + timedelta(days=fake.random_int(2, 3))).isoformat()
    return {
        "product_id": product["id"],
        "product_description": product["description"],
        "box_type_id": catalogue.boxtypes[box],
        "total_boxes": fake.random_int(1, 10),
        "unit_type": "Stem",
        "units": bunches * stems,
        "bunches": bunches,
        "stems_bunch": stems,
        "unit_cost": product["price"],
        "mark_code": customer["markCode"],
        "notes": fake.random_element(["", "", "Sleeve: printed", "Food included"]),
        "customer_id": customer["id"],
        "order_type": order_type,
        "carrier_id": carrier,
        "standing_order": f"SO-{fake.random_int(100, 999)}" if order_type == "S" else None,
        "prebook": str(fake.random_int(4000, 9999)),
        "prebook_item_id": fake.random_int(70000, 99999),
        "prebook_truck_date": truck,
        "reference_number": fake.bothify("REF-####"),
        "custom_field1": fake.random_element([None, "Clear sleeve", "Printed sleeve"]),
        "breakdowns": [],
    }
