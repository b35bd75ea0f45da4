"""Send the recorded requests again, in order, to komet_sim holding the imported world, and keep what it answers.

Each request goes as it was recorded (verb, query, JSON body; the token placeholders are the imported
tokens' own text), to `/api/<method>`, with the simulator's clock set to the call's recorded time. The
replies are kept as bytes, so a caller can tell whether they are the recorded ones byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import requests

from simkit.clock import VirtualClock, parse_datetime
from simkit.transport import mount

from .format import Exchange

URL = "http://komet.replay"


@dataclass
class Replayed:
    exchange: Exchange
    status: int
    content: bytes
    body: Any

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def identical(self) -> bool:
        """The same bytes as the recorded reply (its digest; without one, its body serialised as Komet does)."""
        reply = self.exchange.reply or {}
        if reply.get("sha256"):
            return reply["sha256"] == self.sha256 and reply["status"] == self.status
        return self.body == self.exchange.body and reply.get("status") == self.status


def komet(snapshot: dict) -> requests.Session:
    """A session on a fresh in-process komet_sim holding `snapshot`."""
    import komet_sim

    clock = VirtualClock(parse_datetime(snapshot["clock"]["now"]), running=False)
    app = komet_sim.create_app({"seed": snapshot.get("seed", 0), "clock": clock})
    session = mount(requests.Session(), URL, app)
    resp = session.put(f"{URL}/__sim/state", json=snapshot, timeout=30)
    if resp.status_code != 200:
        raise ValueError(f"komet_sim refuses the imported world: {resp.text[:300]}")
    return session


def replay(session: requests.Session, exchanges: list[Exchange]) -> list[Replayed]:
    out: list[Replayed] = []
    clock = None
    for ex in exchanges:
        if ex.method is None or ex.reply is None:
            continue
        if ex.time != clock:
            session.post(f"{URL}/__sim/clock", json={"set": ex.time, "running": False}, timeout=30)
            clock = ex.time
        request = ex.request
        body = request.get("body")
        kwargs: dict[str, Any] = {"params": request.get("query") or None, "timeout": 30}
        if isinstance(body, dict | list):
            kwargs["data"] = json.dumps(body, ensure_ascii=False).encode()
            kwargs["headers"] = {"Content-Type": "application/json"}
        elif isinstance(body, str):
            kwargs["data"] = body.encode()
        resp = session.request(request["verb"], f"{URL}/api/{ex.method}", **kwargs)
        try:
            parsed: Any = resp.json()
        except ValueError:
            parsed = resp.text
        out.append(Replayed(ex, resp.status_code, resp.content, parsed))
    return out
