"""Seeded grower accounts (POST /__sim/seed): a farm with its code and origin, AWB number stock from a few
airlines, and optionally a connection to an importer's Komet. The same seed gives the same world."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from simkit.fakes import seeded_faker
from simkit.params import P, parse, snake

from .awb_numbers import airline
from .decisions import ORIGINS
from .domain import accounts, awbs, connections

if TYPE_CHECKING:
    from asinfo_sim.domain.world import AsinfoWorld

FARM_WORDS = ["Flores", "Rosas", "Hacienda", "Finca", "Jardines"]
PLACES = [
    "del Valle",
    "La Esperanza",
    "Santa Rosa",
    "San Jorge",
    "Bella Vista",
    "Los Andes",
    "Cayambe",
    "Tabacundo",
]
STOCK_AIRLINES = ("729", "985", "369")


def _stock(prefixes: list[str]) -> list[str]:
    unknown = [p for p in prefixes if airline(p) is None]
    if unknown:
        raise ValueError(f"unknown airline prefix {unknown[0]}; e.g. 729 (Avianca Cargo), 985 (LATAM)")
    return prefixes


SEED_OPTIONS = (
    P("seed", "int"),
    P("reset", "bool", default=True, reason="true (replace the world) or false (add an account)"),
    replace(accounts.FARM_NAME, name="farmName", required=False),
    P("farmCode", "str", check=accounts.check_farm_code),
    replace(accounts.ORIGIN, required=False),
    P("connection", "object", reason="an object: kometUrl, token, companyId (and optional name, customerId)"),
    P("stock", "list", default=STOCK_AIRLINES, check=_stock),
)


def seed_world(world: AsinfoWorld, params: dict) -> dict:
    options = parse(SEED_OPTIONS, params, strict=True)
    seed = options.get("seed", world.seed)
    connection = None
    if "connection" in options:
        raw = {"name": "Importer", **options["connection"]}
        connection = snake(parse(connections.CONNECTION, raw, "connection.", strict=True))
    # Everything checked: now the world changes, all at once or not at all.
    with world.store.tx():
        if options["reset"]:
            world.reset(None)
            world.set_seed(seed)
        with seeded_faker("es_CO", seed * 1000 + len(world.namespaces())) as fake:
            name = (
                options.get("farmName")
                or f"{fake.random_element(FARM_WORDS)} {fake.random_element(PLACES)} S.A.S."
            )
            code = options.get("farmCode") or "".join(w[0] for w in name.split()[:3]).upper()
            if not (code.isascii() and code.isalnum() and len(code) >= 2):
                code = "FARM"
            origin = options.get("origin") or fake.random_element(ORIGINS)
            firsts = [fake.random_int(1_000_000, 9_000_000) for _ in options["stock"]]
        account = accounts.create_account(world, name, code[:6], origin)
        account_id = account["accountId"]
        stock = [
            awbs.add_stock(world, account_id, prefix, first, 500)
            for prefix, first in zip(options["stock"], firsts, strict=True)
        ]
        made = []
        if connection is not None:
            made.append(connections.create_connection(world, account_id, **connection))
    return {
        "accountId": account_id,
        "account": account,
        "awbStock": stock,
        "connections": made,
        "seed": world.seed,
    }
