"""Both simulators wired together, three ways:
in_process  two fresh apps in this process sharing one virtual clock; ASINFO's Komet client reaches
            komet_sim through a WSGI transport (no sockets). Fast and deterministic.
served      the same two apps on real sockets (ServerThread), ASINFO calling Komet over HTTP.
live        servers someone else started (kasim serve, or a real Komet for the Komet side).
"""

from __future__ import annotations

import threading

import requests

from simkit.clock import VirtualClock
from simkit.middleware import install_world
from simkit.server import ServerThread
from simkit.transport import mount

from .clients import AsinfoClient, KometClient

KOMET_IN_PROCESS = "http://komet.kasim.test"
ASINFO_IN_PROCESS = "http://asinfo.kasim.test"
_apps = threading.local()  # this thread's reusable (komet, asinfo) app pair


class Topology:
    def __init__(
        self,
        komet: KometClient,
        asinfo: AsinfoClient,
        komet_url: str,
        mode: str,
        servers: list | None = None,
        apps: tuple | None = None,
        clock: VirtualClock | None = None,
    ):
        self.komet = komet
        self.asinfo = asinfo
        self.komet_url = komet_url  # the Komet base URL as ASINFO must be told it
        self.mode = mode
        self.servers = servers or []
        self.apps = apps
        self.clock = clock

    @classmethod
    def in_process(
        cls,
        seed: int = 0,
        komet_config: dict | None = None,
        asinfo_config: dict | None = None,
        komet_timeout: float = 10.0,
        reuse_apps: bool = False,
    ) -> Topology:
        """reuse_apps: give this thread's cached pair of apps fresh worlds instead of building new apps (a runner
        of many scenarios in a row; never for two topologies alive at once in one thread)."""
        import asinfo_sim
        import komet_sim

        clock = VirtualClock()
        kworld = komet_sim.build_world({"seed": seed, "clock": clock, **(komet_config or {})})
        kapp = (
            _apps.pair[0]
            if reuse_apps and hasattr(_apps, "pair")
            else komet_sim.create_app({"world": kworld})
        )

        def session_factory() -> requests.Session:
            return mount(requests.Session(), KOMET_IN_PROCESS, kapp)

        aworld = asinfo_sim.build_world(
            {
                "seed": seed,
                "clock": clock,
                "session_factory": session_factory,
                "komet_timeout": komet_timeout,
                **(asinfo_config or {}),
            }
        )
        aapp = (
            _apps.pair[1]
            if reuse_apps and hasattr(_apps, "pair")
            else asinfo_sim.create_app({"world": aworld})
        )
        if reuse_apps:
            install_world(kapp, kworld)
            install_world(aapp, aworld)
            _apps.pair = (kapp, aapp)
        return cls(
            KometClient(KOMET_IN_PROCESS, app=kapp),
            AsinfoClient(ASINFO_IN_PROCESS, app=aapp),
            KOMET_IN_PROCESS,
            "in-process",
            apps=(kapp, aapp),
            clock=clock,
        )

    @classmethod
    def served(
        cls,
        seed: int = 0,
        komet_config: dict | None = None,
        asinfo_config: dict | None = None,
        komet_timeout: float = 10.0,
        komet_port: int = 0,
        asinfo_port: int = 0,
        host: str = "127.0.0.1",
    ) -> Topology:
        import asinfo_sim
        import komet_sim

        kapp = komet_sim.create_app({"seed": seed, **(komet_config or {})})
        kserver = ServerThread(kapp, host, komet_port).start()
        aapp = asinfo_sim.create_app({"seed": seed, "komet_timeout": komet_timeout, **(asinfo_config or {})})
        aserver = ServerThread(aapp, host, asinfo_port).start()
        return cls(
            KometClient(kserver.url),
            AsinfoClient(aserver.url),
            kserver.url,
            "served",
            servers=[kserver, aserver],
            apps=(kapp, aapp),
        )

    @classmethod
    def live(cls, komet_url: str, asinfo_url: str) -> Topology:
        return cls(KometClient(komet_url), AsinfoClient(asinfo_url), komet_url, "live")

    # --- one clock for both sides -----------------------------------------------------------------
    def clock_apply(self, body: dict) -> dict:
        """Advance or set both sides' time. In process the two apps share one clock; on live servers each
        scenario moves only its own namespaces (its company in Komet, its account in ASINFO), so parallel
        runs sharing the servers keep their own time."""
        if self.mode != "live":
            result = self.komet.clock(**body)
            if self.clock is None:
                self.asinfo.clock(set=result["now"], running=result["running"])
            return result
        result = self.komet.json("POST", "/__sim/clock", body, params={"namespace": self.komet.namespace})
        if self.asinfo.namespace:
            self.asinfo.json(
                "POST", "/__sim/clock", {"set": result["now"]}, params={"namespace": self.asinfo.namespace}
            )
        return result

    def today(self) -> str:
        params = {"namespace": self.komet.namespace} if self.mode == "live" and self.komet.namespace else None
        return self.komet.json("GET", "/__sim/clock", params=params)["today"]

    # --- the ASINFO setup of docs/komet-api.md §1.9, as an importer and a grower would do it --------------
    def connect_grower(
        self,
        world: dict,
        vendor_index: int = 0,
        methods="asinfo",
        sync_days: int | None = None,
        farm: dict | None = None,
    ) -> dict:
        """The importer creates a Vendor token (ASINFO preset) and sends it with its company ID; the grower's
        ASINFO account is seeded as that vendor and connects. Returns token, connection and account."""
        vendor = world["vendors"][vendor_index]
        token = self.komet.create_token(vendor_id=vendor["id"], methods=methods)
        account = self.asinfo.seed(
            seed=world.get("seed", 0),
            reset=False,
            farmName=vendor["name"],
            farmCode=vendor["code"],
            origin=vendor.get("portOrigin", "BOG"),
            **(farm or {}),
        )
        self.asinfo.namespace = str(account["accountId"])
        connection = self.asinfo.connect(
            self.komet_url,
            token["token"],
            world["companyId"],
            name=world.get("companyName", "Importer"),
            sync_days=sync_days,
        )
        return {"token": token, "vendor": vendor, "account": account, "connection": connection}

    def close(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers = []

    def __enter__(self) -> Topology:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
