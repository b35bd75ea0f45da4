"""A Pact V4 contract of what ASINFO asks of Komet, made from the scenario library, and its verification.

Export runs the library in process and keeps, per scenario, ASINFO's calls to Komet made while Komet's state
follows from the scenario's world and ASINFO's own earlier writes (the world's setup and the steps that are
ASINFO actions, up to the first importer action, clock move, fault or check). Each distinct call (method and
outcome) becomes an interaction whose provider state is that world: the seed and sizes, the virtual time, and
ASINFO's earlier successful writes. Replies are matched by type (ids and stamps may differ, shapes may not);
the token comes from the provider state.

Verify uses pact-python's verifier against any Komet URL. Provider states are set through kasim's control
plane (reset, clock, seed, a Vendor token with the ASINFO preset, the earlier writes replayed through the API),
so a Komet without kasim's control plane can only verify interactions whose state it already holds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests
from flask import Flask, jsonify, request

# pact-python reports usage to a server on the internet unless told not to: kasim reaches no network.
os.environ.setdefault("PACT_DO_NOT_TRACK", "true")

CONSUMER, PROVIDER = "asinfo", "komet"
STATE = "an importer's world with ASINFO connected"
WRITES = (
    "purchase.order.item.confirm",
    "purchase.order.item.awb.add",
    "purchase.order.items.awb.add",
    "box.code.change",
    "purchase.order.item.delete",
    "purchase.order.create",
)


def _clean_steps(scenario) -> int:
    """How many leading steps are ASINFO's own actions (Komet's state then follows from ASINFO's writes)."""
    n = 0
    for step in scenario.steps:
        if not str(step.action).startswith("asinfo."):
            break
        n += 1
    return n


def _step_index(correlation: str | None) -> int | None:
    if correlation == "world":
        return 0
    if correlation and correlation.startswith("step-"):
        return int(correlation.removeprefix("step-"))
    return None


def interactions(results) -> list[dict]:
    """Distinct ASINFO → Komet calls of the library, each with the world it needs (see the module doc)."""
    seen: set[tuple] = set()
    out: list[dict] = []
    for r in results:
        sc = r.scenario
        world = sc.world or {}
        if r.status != "passed" or "state" in world or world.get("purchaseOrders") or world.get("plant"):
            continue
        if (world.get("grower") or "none") == "none" or not r.journals:
            continue
        komet_in = r.journals.get("komet", [])
        if any(e.get("fault") for e in komet_in):
            continue
        clean = _clean_steps(sc)
        start = next((e["at"] for e in komet_in if e.get("at")), None)
        writes: list[dict] = []
        for e in r.journals.get("asinfo", []):
            step = _step_index(e.get("correlation"))
            if e.get("direction") != "out" or step is None or step > clean or e.get("error"):
                continue
            response = e.get("response") or {}
            body = response.get("body")
            if response.get("status") != 200 or not isinstance(body, dict):
                continue
            method = e["op"]
            params = e["request"]["body"] or {}
            ok = str(body.get("status")) == "1"
            empty = _payload_empty(body)
            key = (method, ok, body.get("message") if not ok else None, empty)
            if key not in seen:
                seen.add(key)
                outcome = ("an empty list" if empty else "ok") if ok else body.get("message")
                grower = world.get("grower")
                out.append(
                    {
                        "description": f"{method} ({outcome}) — from {sc.id}",
                        "state": {
                            "seed": r.seed,
                            "komet": dict(world.get("komet") or {}),
                            "clock": start,
                            "methods": grower.get("methods", "asinfo")
                            if isinstance(grower, dict)
                            else "asinfo",
                            "writes": list(writes),
                        },
                        "method": method,
                        "verb": e["request"]["method"],
                        "params": params,
                        "reply": body,
                    }
                )
            if ok and method in WRITES:
                writes.append({"method": method, "params": params})
    return out


def _payload_empty(body: dict) -> bool:
    return any(isinstance(v, list) and not v for k, v in body.items() if k not in ("status", "message"))


def write_pact(found: list[dict], directory: str | Path) -> Path:
    """The Pact V4 file, written by pact-python (consumer asinfo, provider komet)."""
    from pact import Pact, generate, match

    pact = Pact(CONSUMER, PROVIDER).with_specification("V4")
    token = match.like("token-from-provider-state", generator=generate.provider_state("${token}"))
    for it in found:
        interaction = pact.upon_receiving(it["description"]).given(STATE, it["state"])
        interaction.with_request(it["verb"], f"/api/{it['method']}")
        if it["verb"] == "GET" or it["method"] == "login":
            query = {
                k: ",".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in it["params"].items()
            }
            interaction.with_query_parameters({**query, "authenticationToken": token})
        else:
            interaction.with_body({"authenticationToken": token, **it["params"]}, "application/json")
        interaction.will_respond_with(200).with_body(match.like(it["reply"]), "application/json")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    pact.write_file(out, overwrite=True)
    return out / f"{CONSUMER}-{PROVIDER}.json"


def export(directory: str | Path, paths: list[str] | None = None) -> tuple[Path, int]:
    from rich.console import Console

    from ..runner import Options, collect, run_all

    scenarios, problems = collect(paths or ["scenarios"])
    if problems:
        raise ValueError("; ".join(map(str, problems[:3])))
    results, _ = run_all(scenarios, Options(progress=False), Console(quiet=True))
    found = interactions(results)
    return write_pact(found, directory), len(found)


# --- provider states, set through kasim's control plane ----------------------------------------------------


def set_up(komet_url: str, params: dict[str, Any]) -> dict[str, Any]:
    """Make the world an interaction needs on the Komet at `komet_url`; the token goes back to the verifier."""
    s = requests.Session()
    base = komet_url.rstrip("/")

    def ok(resp: requests.Response) -> Any:
        resp.raise_for_status()
        return resp.json()

    ok(s.post(f"{base}/__sim/reset", timeout=30))
    if params.get("clock"):
        ok(s.post(f"{base}/__sim/clock", json={"set": params["clock"], "running": False}, timeout=30))
    seeded = ok(
        s.post(f"{base}/__sim/seed", json={"seed": params["seed"], **params.get("komet", {})}, timeout=60)
    )
    vendor = seeded["vendors"][0]["id"]
    made = ok(
        s.post(
            f"{base}/__sim/komet/tokens",
            json={
                "type": "Vendor",
                "vendorId": vendor,
                "methods": params.get("methods", "asinfo"),
                "description": "ASINFO (pact)",
            },
            headers={"X-Kasim-Namespace": str(seeded["companyId"])},
            timeout=30,
        )
    )
    for w in params.get("writes", []):
        body = {"authenticationToken": made["token"], **w["params"]}
        reply = ok(s.post(f"{base}/api/{w['method']}", json=body, timeout=30))
        if str(reply.get("status")) != "1":
            raise RuntimeError(f"replaying {w['method']} for the provider state was refused: {reply}")
    return {"token": made["token"]}


def state_app(komet_url: str) -> Flask:
    """The provider-state endpoint the verifier calls before each interaction."""
    app = Flask("kasim_pact_states")

    @app.post("/provider-states")
    def change():
        data = request.get_json(force=True)
        if data.get("action", "setup") != "setup":
            return jsonify({})
        return jsonify(set_up(komet_url, data.get("params") or {}))

    return app


def verify(pact_file: str | Path, komet_url: str) -> tuple[bool, str]:
    """(passed, the verifier's output)."""
    from pact import Verifier

    from simkit.server import ServerThread

    states = ServerThread(state_app(komet_url)).start()
    try:
        verifier = (
            Verifier(PROVIDER, host=urlparse(komet_url).hostname)
            .add_transport(url=komet_url)
            .add_source(str(pact_file))
            .state_handler(f"{states.url}/provider-states", body=True)
        )
        try:
            verifier.verify()
            passed = True
        except RuntimeError:
            passed = False
        return passed, verifier.output(strip_ansi=True)
    finally:
        states.stop()


def load(path: str | Path) -> dict:
    return json.loads(Path(path).read_text())
