"""Seeded worlds (POST /__sim/seed, kasim serve --seed N): an importer company with its company ID and paid
users, vendors, customers with marks, a flower catalogue, box types, carriers, locations, and Approved POs
for the coming ship dates. The same seed gives the same world, byte for byte."""

from __future__ import annotations

from datetime import date, timedelta

from faker import Faker

from simkit.errors import BadInput
from simkit.fakes import seeded_faker
from simkit.params import P, parse

from .decisions import PROFILES
from .domain import vendor_users
from .domain.creation import DEFAULT_BUNCHES, _insert_line
from .flowers import AIRLINES, BOX_TYPES, FlowerProvider, code_from_name

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


def seed_world(world, params: dict) -> dict:
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
    with world.store.tx() as c:
        with seeded_faker("en_US", seed * 1000 + company_number, FlowerProvider) as fake:
            made = _build(world, c, fake, sizes, profile, quota, options.get("companyName"))
        made["vendorUsers"] = _vendor_logins(world, made, link)
        return made


def _link(world, options: dict, sizes: dict) -> list[dict]:
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


def _vendor_logins(world, made: dict, link: list[dict]) -> list[dict]:
    """K24: every vendor gets its login (password komet123); a linked vendor shares the other importer's."""
    company_id = made["companyId"]
    logins = []
    for i, vendor in enumerate(made["vendors"]):
        if i < len(link):
            login = vendor_users.link_vendor(
                world, company_id, vendor["id"], link[i]["companyId"], link[i]["vendorId"]
            )
            row = world.store.one("SELECT name, code, port_origin FROM vendors WHERE id = ?", (vendor["id"],))
            vendor.update(name=row["name"], code=row["code"], portOrigin=row["port_origin"])
        else:
            with seeded_faker("es_CO", vendor["id"]) as fake:
                person = fake.name()
            username = VENDOR_LOGIN.format(code=vendor["code"].lower(), id=vendor["id"])
            login = vendor_users.add_vendor_user(world, company_id, vendor["id"], username, person, PASSWORD)
        logins.append({**login, "password": PASSWORD})
    return logins


def _build(world, c, fake: Faker, sizes: dict, profile: str, quota: int, company_name: str | None) -> dict:
    stamp = world.clock.stamp()
    today = world.clock.today()
    company_id = world.next_id("company")
    name = company_name or f"{fake.last_name()} Floral Imports"
    slug = "".join(ch for ch in name.split()[0].lower() if ch.isalnum()) + str(company_id)
    c.execute(
        "INSERT INTO companies(company_id, name, code, paid_users, quota_per_user, profile, created_on) "
        "VALUES (?,?,?,?,?,?,?)",
        (company_id, name, slug.upper()[:10], sizes["paidUsers"], quota, profile, stamp),
    )
    users = []
    for i, role in enumerate(["Admin", "Setup", "Sales", "Purchasing", "Warehouse"] * 20):
        if i >= sizes["paidUsers"]:
            break
        username = f"{role.lower()}{'' if i < 5 else i}@{slug}.example"
        c.execute(
            "INSERT INTO users(id, company_id, username, password, name, role) VALUES (?,?,?,?,?,?)",
            (world.next_id("user"), company_id, username, PASSWORD, fake.name(), role),
        )
        users.append({"username": username, "password": PASSWORD, "role": role})

    locations = []
    for loc_name, code in [("Miami Warehouse", "MIA"), ("Doral Cooler", "DOR")]:
        loc_id = world.next_id("location")
        c.execute(
            "INSERT INTO locations(id, company_id, name, code) VALUES (?,?,?,?)",
            (loc_id, company_id, loc_name, code),
        )
        locations.append({"id": loc_id, "name": loc_name, "code": code})

    boxtypes = {}
    for code, fbe, network_id in BOX_TYPES:
        bt_id = world.next_id("boxtype")
        c.execute(
            "INSERT INTO boxtypes(id, company_id, code, komet_network_name, komet_network_id, fbe) "
            "VALUES (?,?,?,?,?,?)",
            (bt_id, company_id, code, code, network_id, fbe),
        )
        boxtypes[code] = bt_id

    carriers = []
    for prefix, iata, airline in AIRLINES[:5]:
        carrier_id = world.next_id("carrier")
        c.execute(
            "INSERT INTO carriers(id, company_id, code, name, active, street, city, state, zip_code, country, "
            "phone, komet_network_name, komet_network_id) VALUES (?,?,?,?,1,?,?,?,?,?,?,?,?)",
            (
                carrier_id,
                company_id,
                iata,
                f"{iata} - {airline}",
                fake.street_address(),
                "Miami",
                "Florida",
                fake.zipcode(),
                "USA",
                fake.numerify("1 (###) ###-####"),
                airline,
                int(prefix),
            ),
        )
        carriers.append(carrier_id)

    vendors, vendor_codes = [], set()
    names: set[str] = set()
    while len(vendors) < sizes["vendors"]:
        g = fake.grower()
        if g["name"] in names and len(names) < 100:
            continue
        names.add(g["name"])
        vendor_id = world.next_id("vendor")
        code = code_from_name(g["name"], vendor_codes)
        c.execute(
            "INSERT INTO vendors(id, company_id, name, code, port_origin, active) VALUES (?,?,?,?,?,1)",
            (vendor_id, company_id, g["name"], code, g["port"]),
        )
        vendors.append(
            {
                "id": vendor_id,
                "name": g["name"],
                "code": code,
                "portOrigin": g["port"],
                "country": g["country"],
            }
        )

    customers, customer_codes = [], set()
    for _ in range(sizes["customers"]):
        cu = fake.importer_customer(name)
        customer_id = world.next_id("customer")
        code = code_from_name(cu["name"], customer_codes)
        mark = f"{code}-{cu['city'][:3].upper()}"
        c.execute(
            "INSERT INTO customers(id, company_id, name, code, accounting_code, mark_code, active, sales_person, "
            "sales_person_id, customer_type, location_id, updated_on) VALUES (?,?,?,?,?,?,1,?,?,?,?,?)",
            (
                customer_id,
                company_id,
                cu["name"],
                code,
                f"AC{customer_id}",
                mark,
                fake.name(),
                fake.random_int(100, 999),
                cu["type"],
                locations[0]["id"],
                stamp,
            ),
        )
        customers.append({"id": customer_id, "name": cu["name"], "code": code, "markCode": mark})

    products, descriptions = [], set()
    attempts = 0
    while len(products) < sizes["products"] and attempts < sizes["products"] * 20:
        attempts += 1
        p = fake.product()
        if p["description"] in descriptions:
            continue
        descriptions.add(p["description"])
        product_id = world.next_id("product")
        c.execute(
            "INSERT INTO products(id, company_id, description, category, division_id, division_description, "
            "variety, color, grade, legacy_code, tags, active) VALUES (?,?,?,?,1,'Flowers',?,?,?,?,?,1)",
            (
                product_id,
                company_id,
                p["description"],
                p["category"],
                p["variety"],
                p["color"],
                p["grade"],
                f"{p['code']}{len(products) + 1:02d}",
                "standard",
            ),
        )
        products.append({"id": product_id, **p})

    ship_dates, pos = [], []
    for day in range(sizes["shipDays"]):
        ship_date = (today + timedelta(days=sizes["firstShipDay"] + day)).isoformat()
        if sizes["posPerDay"]:
            ship_dates.append(ship_date)
        for k in range(sizes["posPerDay"]):
            pos.append(
                _purchase_order(
                    world,
                    c,
                    fake,
                    company_id,
                    vendors[k % len(vendors)],
                    ship_date,
                    sizes,
                    products,
                    customers,
                    boxtypes,
                    carriers,
                    locations,
                    stamp,
                )
            )
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
    world,
    c,
    fake,
    company_id,
    vendor,
    ship_date,
    sizes,
    products,
    customers,
    boxtypes,
    carriers,
    locations,
    stamp,
) -> dict:
    po_id = world.next_id("po")
    number = str(world.next_id("po_number"))
    carrier = fake.random_element(carriers)
    c.execute(
        "INSERT INTO purchase_orders(id, company_id, number, ship_date, vendor_id, location_id, carrier_id, "
        "status, comments, created_on, updated_on) VALUES (?,?,?,?,?,?,?,'A',?,?,?)",
        (
            po_id,
            company_id,
            number,
            ship_date,
            vendor["id"],
            locations[0]["id"],
            carrier,
            fake.random_element(["", "", "Deliver before noon", "Keep cold chain 2-4°C"]),
            stamp,
            stamp,
        ),
    )
    item_ids = []
    for _ in range(sizes["linesPerPo"]):
        product = fake.random_element(products)
        box = fake.random.choices(["HB", "QB", "FB", "EB"], weights=[50, 35, 10, 5])[0]
        customer = fake.random_element(customers)
        stems = product["stems_bunch"]
        bunches = {"QB": 25, "HB": 50, "FB": 100, "EB": 12}[box] if stems == 1 else DEFAULT_BUNCHES[box]
        order_type = fake.random.choices(["P", "S", "D"], weights=[70, 25, 5])[0]
        truck = (date.fromisoformat(ship_date) + timedelta(days=fake.random_int(2, 3))).isoformat()
        values = {
            "product_id": product["id"],
            "product_description": product["description"],
            "box_type_id": boxtypes[box],
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
        item_id = _insert_line(c, world, company_id, po_id, values, stamp, "seed")
        if values["custom_field1"]:
            c.execute(
                "INSERT INTO custom_fields(id, company_id, po_item_id, custom_field_id, custom_field_value_id, "
                "field_name, value) VALUES (?,?,?,?,?,?,?)",
                (
                    world.next_id("custom_field"),
                    company_id,
                    item_id,
                    1,
                    10 + len(values["custom_field1"]),
                    "Sleeve",
                    values["custom_field1"],
                ),
            )
        item_ids.append(item_id)
    return {
        "id": po_id,
        "number": number,
        "shipDate": ship_date,
        "vendorId": vendor["id"],
        "poItemIds": item_ids,
    }
