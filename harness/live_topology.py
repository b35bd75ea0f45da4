"""The topologies on servers shared with other runs: LiveTopology (servers someone else started, kasim serve or a
real Komet) and MixedTopology (a live Komet, ASINFO in this process). A scenario there seeds its own company and
moves, breaks, reads and tidies only its own namespaces (harness/topology.py has the others and the base)."""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta
from typing import Any

from .clients import AsinfoSimClient, KometSimClient, SimClient
from .topology import ASINFO_IN_PROCESS, Topology


class LiveTopology(Topology):
    name = "live"
    shared = True
    plants = False

    def wait(self, span: timedelta) -> None:
        """A grower system of the user's acts on its own clock: real time passes. Our ASINFO follows this
        scenario's namespace clock, so that clock moves instead (no minutes of waiting)."""
        if self.asinfo is None:
            time.sleep(span.total_seconds())
        else:
            super().wait(span)

    def clock_apply(self, body: dict) -> dict:
        """Each scenario moves only its own namespaces (its company in Komet, its account in ASINFO), so
        parallel runs sharing the servers keep their own time."""
        result = self.komet.clock(namespace=self.komet.namespace, **body)
        if self.asinfo is not None and self.asinfo.namespace:
            self.asinfo.clock(namespace=self.asinfo.namespace, set=result["now"])
        return result

    def align_grower_clock(self) -> None:
        if self.asinfo is None:
            return
        with contextlib.suppress(Exception):  # a real Komet has no clock to follow
            now = self.komet.clock(namespace=self.komet.namespace)["now"]
            self.asinfo.clock(namespace=self.asinfo.namespace, set=now)

    def snapshot_problem(self, data: dict) -> str | None:
        if "namespace" in data:
            return None
        return (
            "a whole-world state snapshot would replace everyone's data on a shared server; "
            "use a namespace snapshot (GET /__sim/state?namespace=<companyId>)"
        )

    def tidy(self, passed: bool) -> str | None:
        """On a shared server a passed scenario removes its company and grower account (servers used by CI for
        days must not grow without end); a failed one leaves them for a person to look at."""
        spaces: list[tuple[str, SimClient, Any]] = [
            (name, c, c.namespace) for name, c in self.clients() if c.namespace
        ]
        if not passed:
            return "kept on the server for inspection: " + ", ".join(
                f"{name} namespace {ns}" for name, _, ns in spaces
            )
        for _, client, namespace in spaces:
            with contextlib.suppress(
                Exception
            ):  # a courtesy: a real Komet has no control plane to reset with
                client.reset(namespace)
        return None


class MixedTopology(LiveTopology):
    """A live Komet (ours or a real sandbox); ASINFO in this process, calling it over HTTP."""

    name = "mixed"

    @classmethod
    def build(cls, komet_url: str, seed: int = 0) -> MixedTopology:
        import asinfo_sim

        app = asinfo_sim.create_app({"seed": seed})
        return cls(
            KometSimClient(komet_url),
            AsinfoSimClient(ASINFO_IN_PROCESS, app=app),
            komet_url,
            apps=(None, app),
        )
