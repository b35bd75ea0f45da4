"""Both simulators wired together; each way of wiring them is its own class:

InProcessTopology  two fresh apps in this process sharing one virtual clock; ASINFO's Komet client reaches
                   komet_sim through a WSGI transport (no sockets). Fast and deterministic.
ServedTopology     the same two apps on real sockets (ServerThread), ASINFO calling Komet over HTTP; each app
                   has its own clock, moved together.
LiveTopology       servers someone else started (kasim serve, or a real Komet for the Komet side), shared
                   with other runs: a scenario seeds its own company, and moves, breaks, reads and tidies only
                   its own namespaces (live_topology.py).
MixedTopology      a live Komet, and ASINFO in this process talking to it over HTTP (live_topology.py).
KometOnlyTopology  our Komet on a socket for a grower system we did not write (`--grower pkg.mod:Class`),
                   reached through its adapter; there is no ASINFO (komet_only_topology.py).

Every topology makes the grower adapter of each scenario (new_grower): the built-in one over its ASINFO client,
or the user's class.

What differs between them is here, behind methods (clock_apply, today, fault_scope, journal, seed_company,
tidy); the engine, the steps and the invariants never ask which one they have.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import TYPE_CHECKING

import requests

from simkit.clock import VirtualClock
from simkit.middleware import install_world, world_of
from simkit.server import ServerThread
from simkit.transport import mount

from .clients import AsinfoSimClient, KometSimClient, SimClient
from .grower import Grower, Setup
from .grower.asinfo_grower import AsinfoGrower

if TYPE_CHECKING:
    from simkit.world import World

    from .live_topology import LiveTopology, MixedTopology

KOMET_IN_PROCESS = "http://komet.kasim.test"
ASINFO_IN_PROCESS = "http://asinfo.kasim.test"
_apps = threading.local()  # this thread's reusable (komet, asinfo) app pair, and served Komet


class Topology:
    """The two apps as the harness reaches them. Build one with Topology.in_process / served / live / mixed."""

    name = ""
    shared = (
        False  # servers other runs use too: never reset them; scope time, faults and journals to namespaces
    )
    plants = True  # planted bugs need simulators this process builds
    judges = True  # Komet is ours: it gives the protocol verdict on the grower's traffic

    def __init__(
        self,
        komet: KometSimClient,
        asinfo: AsinfoSimClient | None,
        komet_url: str,
        servers: list | None = None,
        apps: tuple | None = None,
        clock: VirtualClock | None = None,
        grower_class: type[Grower] | None = None,
    ):
        self.komet = komet
        self.asinfo = asinfo  # None when the grower is a system of the user's (no ASINFO simulator)
        self.komet_url = komet_url  # the Komet base URL as the grower must be told it
        self.servers = servers or []
        self.apps = apps
        self.clock = clock
        self.grower_class = grower_class

    def asinfo_sim(self) -> AsinfoSimClient:
        """Our ASINFO simulator's client; an error where the grower is a system of the user's."""
        if self.asinfo is None:
            raise RuntimeError("no ASINFO simulator here: the grower under test is a system of your own")
        return self.asinfo

    def clients(self) -> list[tuple[str, SimClient]]:
        """The apps with a kasim control plane, by name."""
        return [("komet", self.komet)] + ([("asinfo", self.asinfo)] if self.asinfo is not None else [])

    def new_grower(self, seed: int) -> Grower:
        """This scenario's grower adapter."""
        setup = Setup(
            self.komet_url, seed, now=lambda: self.komet.clock(namespace=self.scope(self.komet))["now"]
        )
        if self.grower_class is not None:
            return self.grower_class(setup)
        if self.asinfo is None:
            raise ValueError("no grower: this topology has no ASINFO and no adapter class")
        return AsinfoGrower(setup, self.asinfo, self)

    # --- the ways of wiring them ------------------------------------------------------------------
    @staticmethod
    def in_process(
        seed: int = 0,
        komet_config: dict | None = None,
        asinfo_config: dict | None = None,
        komet_timeout: float = 10.0,
        reuse_apps: bool = False,
    ) -> InProcessTopology:
        return InProcessTopology.build(seed, komet_config, asinfo_config, komet_timeout, reuse_apps)

    @staticmethod
    def served(
        seed: int = 0,
        komet_config: dict | None = None,
        asinfo_config: dict | None = None,
        komet_timeout: float = 10.0,
        komet_port: int = 0,
        asinfo_port: int = 0,
        host: str = "127.0.0.1",
    ) -> ServedTopology:
        return ServedTopology.build(
            seed, komet_config, asinfo_config, komet_timeout, komet_port, asinfo_port, host
        )

    @staticmethod
    def live(komet_url: str, asinfo_url: str) -> LiveTopology:
        from .live_topology import LiveTopology

        return LiveTopology(KometSimClient(komet_url), AsinfoSimClient(asinfo_url), komet_url)

    @staticmethod
    def mixed(komet_url: str, seed: int = 0) -> MixedTopology:
        from .live_topology import MixedTopology

        return MixedTopology.build(komet_url, seed)

    @staticmethod
    def komet_only(
        grower_class: type[Grower],
        seed: int = 0,
        komet_config: dict | None = None,
        komet_url: str | None = None,
    ) -> Topology:
        """A grower system of the user's against our Komet on a socket (reused by this thread's runs), or
        against the live Komet at komet_url."""
        if komet_url:
            from .live_topology import LiveTopology

            return LiveTopology(KometSimClient(komet_url), None, komet_url, grower_class=grower_class)
        from .komet_only_topology import KometOnlyTopology

        return KometOnlyTopology.build(grower_class, seed, komet_config)

    # --- what each way decides ---------------------------------------------------------------------
    def scope(self, client: SimClient) -> str | None:
        """The namespace a control-plane call on this app must be limited to (None: the whole app)."""
        return client.namespace if self.shared else None

    def clock_apply(self, body: dict) -> dict:
        """Advance or set both sides' time (one clock in process; otherwise Komet's, and ASINFO follows)."""
        result = self.komet.clock(**body)
        if self.asinfo is not None:
            self.asinfo.clock(set=result["now"], running=result["running"])
        return result

    def wait(self, span: timedelta) -> None:
        """Let this much of the scenario's time pass."""
        self.clock_apply({"advance": f"{int(span.total_seconds())}s"})

    def today(self) -> str:
        return self.komet.clock(namespace=self.scope(self.komet))["today"]

    def align_grower_clock(self) -> None:
        """A grower account just made starts at the scenario's time (nothing to do where the clock is one)."""

    def seed_company(self, seed: int, **sizes) -> dict:
        """A seeded importer company for one scenario: on servers of its own the world starts empty."""
        return self.komet.seed(seed=seed, reset=not self.shared, **sizes)

    def snapshot_problem(self, data: dict) -> str | None:
        """Why a state snapshot cannot be loaded here, or None."""
        return None

    def add_fault(self, client: SimClient, rule: dict) -> dict:
        namespace = self.scope(client)
        if namespace:  # on a shared server a fault must only touch this scenario's namespace
            rule = {"namespace": namespace, **rule}
        return client.add_fault(**rule)

    def remove_faults(self, client: SimClient) -> int:
        return client.clear_faults(self.scope(client))["removed"]

    def journal(self, client: SimClient) -> list[dict]:
        return client.journal_entries(self.scope(client))

    # --- what the checks read after every step (the property machine reads both sides' after each rule) ----
    def state_if_changed(
        self, client: SimClient, tag: str | None, namespace: str
    ) -> tuple[str | None, dict | None]:
        """(tag, snapshot) of one namespace, the snapshot None while it is still the one `tag` names."""
        return client.state_if_changed(tag, namespace=namespace)

    def journal_since(self, client: SimClient, since: int, namespace: str) -> list[dict]:
        """One namespace's journal entries numbered after `since`."""
        return client.journal(since=since, namespace=namespace)["entries"]

    def held(self, client: SimClient) -> int:
        """How many requests a late or hold fault keeps on this app."""
        return len(client.faults().get("held") or [])

    def wait_held(self, client: SimClient, more_than: int, seconds: float) -> int:
        """How many requests are held, after `seconds` or sooner once more than `more_than` are."""
        time.sleep(seconds)
        return self.held(client)

    def state_tag(self, client: SimClient, namespace: str) -> str | None:
        """A tag that changes whenever the namespace's state does, where one costs far less than the reads it
        saves (in process); None here: a read made in an earlier step is never trusted."""
        return None

    def reply_tag(self, client: SimClient, namespace: str) -> str | None:
        """A tag that changes whenever a read the app answers from its reply cache could answer differently (the
        namespace's write counter and its day: simkit/reply_cache.py), where one is cheap (in process); None here."""
        return None

    def tidy(self, passed: bool) -> str | None:
        """After a scenario; returns a note for the report, if any."""
        return None

    def close(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers = []

    def __enter__(self) -> Topology:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the ASINFO setup of docs/komet-api.md §1.9, as an importer and a grower would do it ---------
    def connect_grower(
        self,
        company: dict,
        vendor_index: int = 0,
        methods="asinfo",
        sync_days: int | None = None,
        farm: dict | None = None,
    ) -> dict:
        """The importer creates a Vendor token (ASINFO preset) and sends it with its company ID; the grower's
        ASINFO account is seeded as that vendor and connects. Returns token, connection and account."""
        vendor = company["vendors"][vendor_index]
        token = self.komet.create_token(vendor_id=vendor["id"], methods=methods)
        asinfo = self.asinfo_sim()
        account = asinfo.seed(
            seed=company.get("seed", 0),
            reset=False,
            farmName=vendor["name"],
            farmCode=vendor["code"],
            origin=vendor.get("portOrigin", "BOG"),
            **(farm or {}),
        )
        asinfo.namespace = str(account["accountId"])
        connection = asinfo.connect(
            self.komet_url,
            token["token"],
            company["companyId"],
            name=company.get("companyName", "Importer"),
            sync_days=sync_days,
        )
        return {"token": token, "vendor": vendor, "account": account, "connection": connection}


class InProcessTopology(Topology):
    name = "in-process"

    @classmethod
    def build(
        cls,
        seed: int = 0,
        komet_config: dict | None = None,
        asinfo_config: dict | None = None,
        komet_timeout: float = 10.0,
        reuse_apps: bool = False,
    ) -> InProcessTopology:
        """reuse_apps: give this thread's cached pair of apps fresh worlds instead of building new apps (a runner
        of many scenarios in a row; never for two topologies alive at once in one thread)."""
        import asinfo_sim
        import komet_sim

        clock = VirtualClock()
        kworld = komet_sim.build_world({"seed": seed, "clock": clock, **(komet_config or {})})
        reuse = reuse_apps and hasattr(_apps, "pair")
        kapp = _apps.pair[0] if reuse else komet_sim.create_app({"world": kworld})

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
        aapp = _apps.pair[1] if reuse else asinfo_sim.create_app({"world": aworld})
        if reuse_apps:
            install_world(kapp, kworld)
            install_world(aapp, aworld)
            _apps.pair = (kapp, aapp)
        return cls(
            KometSimClient(KOMET_IN_PROCESS, app=kapp),
            AsinfoSimClient(ASINFO_IN_PROCESS, app=aapp),
            KOMET_IN_PROCESS,
            apps=(kapp, aapp),
            clock=clock,
        )

    def clock_apply(self, body: dict) -> dict:
        return self.komet.clock(**body)  # both apps read this one clock

    # The checks' reads are asked of the control plane's own functions (World.state_tag, export_state,
    # Journal.entries, which its GET /__sim/state and /__sim/journal answer with) without the HTTP round trip and
    # its JSON both ways: a third of an exploration's time went there. tests/harness/test_direct_reads.py holds them
    # equal to what the routes answer.
    def state_if_changed(
        self, client: SimClient, tag: str | None, namespace: str
    ) -> tuple[str | None, dict | None]:
        world = self._world(client)
        now = world.state_tag(namespace)
        return (now, None) if tag == now else (now, world.export_state(namespace))

    def journal_since(self, client: SimClient, since: int, namespace: str) -> list[dict]:
        return self._world(client).journal.entries(namespace, None, since)

    def state_tag(self, client: SimClient, namespace: str) -> str | None:
        return self._world(client).state_tag(namespace)

    def reply_tag(self, client: SimClient, namespace: str) -> str | None:
        world = self._world(client)
        written, day = world.reply_state(namespace)
        return f"{world.generation}.{written}.{day.isoformat()}"

    def held(self, client: SimClient) -> int:
        return len(self._world(client).faults.held())

    def wait_held(self, client: SimClient, more_than: int, seconds: float) -> int:
        return self._world(client).faults.wait_held(more_than, seconds)

    def _world(self, client: SimClient) -> World:
        assert self.apps is not None  # noqa: S101 (built with both apps)
        if client is not self.komet and client is not self.asinfo:
            raise ValueError("not a client of this topology")
        return world_of(self.apps[0] if client is self.komet else self.apps[1])


class ServedTopology(Topology):
    name = "served"

    @classmethod
    def build(
        cls,
        seed: int = 0,
        komet_config: dict | None = None,
        asinfo_config: dict | None = None,
        komet_timeout: float = 10.0,
        komet_port: int = 0,
        asinfo_port: int = 0,
        host: str = "127.0.0.1",
    ) -> ServedTopology:
        import asinfo_sim
        import komet_sim

        kapp = komet_sim.create_app({"seed": seed, **(komet_config or {})})
        kserver = ServerThread(kapp, host, komet_port).start()
        aapp = asinfo_sim.create_app({"seed": seed, "komet_timeout": komet_timeout, **(asinfo_config or {})})
        aserver = ServerThread(aapp, host, asinfo_port).start()
        return cls(
            KometSimClient(kserver.url),
            AsinfoSimClient(aserver.url),
            kserver.url,
            servers=[kserver, aserver],
            apps=(kapp, aapp),
        )
