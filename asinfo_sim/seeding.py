"""Seeded grower accounts (POST /__sim/seed): a farm with its code and origin, AWB number stock from a few
airlines, and optionally a connection to an importer's Komet. The same seed gives the same world."""

from __future__ import annotations

from simkit.errors import BadInput
from simkit.fakes import seeded_faker

from .decisions import ORIGINS
from .domain import accounts, awbs, connections

OPTIONS = {"seed", "reset", "farmName", "farmCode", "origin", "connection", "stock"}
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


def seed_world(world, params: dict) -> dict:
    if not isinstance(params, dict):
        raise BadInput("body", 'expected a JSON object such as {"seed": 7}')
    unknown = sorted(set(params) - OPTIONS)
    if unknown:
        raise BadInput(unknown[0], f"unknown seed option; use {', '.join(sorted(OPTIONS))}")
    seed = params.get("seed", world.seed)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise BadInput("seed", "must be an integer")
    reset = params.get("reset", True)
    if not isinstance(reset, bool):
        raise BadInput("reset", "true (replace the world) or false (add an account beside the others)")
    if params.get("origin") is not None and params["origin"] not in ORIGINS:
        raise BadInput("origin", f"one of {', '.join(ORIGINS)}")
    for key in ("farmName", "farmCode"):
        if key in params and (not isinstance(params[key], str) or not params[key].strip()):
            raise BadInput(key, "non-empty text")
    stock_prefixes = params.get("stock", STOCK_AIRLINES)
    if not isinstance(stock_prefixes, list | tuple) or not all(isinstance(p, str) for p in stock_prefixes):
        raise BadInput("stock", 'a list of airline prefixes, e.g. ["729", "985"]')
    if "connection" in params and not isinstance(params["connection"], dict):
        raise BadInput("connection", "an object: kometUrl, token, companyId (and optional name, customerId)")
    # Everything checked: now the world changes, all at once or not at all.
    with world.store.tx():
        if reset:
            world.reset(None)
            world.set_seed(seed)
        with seeded_faker("es_CO", seed * 1000 + len(world.namespaces())) as fake:
            name = (
                params.get("farmName")
                or f"{fake.random_element(FARM_WORDS)} {fake.random_element(PLACES)} S.A.S."
            )
            code = params.get("farmCode") or "".join(w[0] for w in name.split()[:3]).upper()
            if not code.isalnum():
                code = "FARM"
            origin = params.get("origin") or fake.random_element(ORIGINS)
            firsts = [fake.random_int(1_000_000, 9_000_000) for _ in stock_prefixes]
        account = accounts.create_account(world, name, code[:6], origin)
        account_id = account["accountId"]
        stock = [
            awbs.add_stock(world, account_id, prefix, first, 500)
            for prefix, first in zip(stock_prefixes, firsts, strict=True)
        ]
        made = []
        if params.get("connection"):
            body = {"name": "Importer", **params["connection"]}
            made.append(connections.create_connection(world, account_id, body))
    return {
        "accountId": account_id,
        "account": account,
        "awbStock": stock,
        "connections": made,
        "seed": world.seed,
    }
