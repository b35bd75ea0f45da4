"""The topology for a grower system kasim did not write (`--grower pkg.mod:Class`): our Komet on a real socket,
made once per thread, and the user's grower adapter; there is no ASINFO."""

from __future__ import annotations

from simkit.clock import VirtualClock
from simkit.middleware import install_world
from simkit.server import ServerThread

from .clients import KometSimClient
from .grower import Grower
from .topology import Topology, _apps


class KometOnlyTopology(Topology):
    """Our Komet on a real socket (a grower system of the user's needs a URL it can call), with the user's
    grower adapter. The server is made once per thread and gets a fresh world for each scenario."""

    name = "komet-only"

    @classmethod
    def build(
        cls, grower_class: type[Grower], seed: int = 0, komet_config: dict | None = None
    ) -> KometOnlyTopology:
        import komet_sim

        clock = VirtualClock()
        world = komet_sim.build_world({"seed": seed, "clock": clock, **(komet_config or {})})
        server = getattr(_apps, "komet_server", None)
        if server is None:
            server = _apps.komet_server = ServerThread(komet_sim.create_app({"world": world})).start()
        install_world(server.app, world)
        return cls(KometSimClient(server.url), None, server.url, clock=clock, grower_class=grower_class)
