"""kasim serve's start-up cache (harness/serve_cache.py): worlds restored from it are the worlds a fresh set-up
makes, at this start's instant and on this start's ports; a damaged, foreign or stale entry is set up afresh."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

import pytest

from harness import serve_banner, serve_cache, serve_setup
from harness.cli import serve
from harness.clients import AsinfoSimClient, KometSimClient
from simkit.clock import VirtualClock

CACHED_AT = datetime(2026, 12, 2, 8, 0, 0)  # the start that fills the cache
LATER = datetime(2026, 12, 2, 15, 30, 7)  # a later start the same day, on other ports
FOLLOW_UP = datetime(2026, 12, 2, 16, 0, 0)


@pytest.fixture(autouse=True)
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(serve_cache.OFF_ENV, raising=False)
    return tmp_path / "cache" / "kasim"


def _args(which: str = "both", **over) -> argparse.Namespace:
    base = {
        "which": which,
        "seed": 7,
        "state": None,
        "host": "127.0.0.1",
        "allow_host": [],
        "port": None,
        "komet_port": 0,
        "asinfo_port": 0,
        "poll": 0,
        "profile": "documented",
        "journal_mb": 16.0,
        "verbose": False,
        "no_cache": False,
    }
    return argparse.Namespace(**{**base, **over})


class Started:
    """One `kasim serve` start, in this process: its servers, banner and, for comparing, its URLs as names."""

    def __init__(self, args: argparse.Namespace, at: datetime):
        self.clocks = {"komet": VirtualClock(at), "asinfo": VirtualClock(at)}
        self.servers: list = []
        self.banner = serve_banner.Banner()
        state = Path(args.state) if args.state else None
        serve._pair(args, self.clocks, state, self.servers, self.banner)
        self.apps = {s.app.extensions["kasim.world"].name: s.app for s in self.servers}

    def close(self) -> None:
        worker = self.apps.get("asinfo") and self.apps["asinfo"].extensions.get("kasim.worker")
        if worker:
            worker.stop()
        for server in self.servers:
            server.stop()

    def plain(self, value: object) -> dict:
        """`value` with this start's URLs named, so that two starts on other ports compare."""
        text = json.dumps(value, sort_keys=True, default=str)
        for name, server in zip(("KOMET", "ASINFO"), self.servers, strict=False):
            text = text.replace(server.url, f"<{name}_URL>")
        return json.loads(text)

    def komet(self) -> KometSimClient:
        return KometSimClient(self.servers[0].url, app=self.apps["komet"])

    def asinfo(self) -> AsinfoSimClient:
        return AsinfoSimClient(self.servers[1].url, app=self.apps["asinfo"])

    def observed(self) -> dict:
        """Everything either app shows of itself: both states and journals, the banner."""
        seen: dict = {"banner": [str(objects) for objects, _ in self.banner.lines]}
        for name in self.apps:
            client = self.komet() if name == "komet" else self.asinfo()
            seen[name] = {"state": client.state(namespace=None), "journal": client.journal_entries()}
        return self.plain(seen)

    def follow_up(self) -> dict:
        """What an importer and the grower do next, at a fixed time: each reply."""
        for clock in self.clocks.values():
            clock.set(FOLLOW_UP, running=False)
        komet = self.komet()
        seeded = self.apps["komet"].extensions["kasim.serve.seeded"]
        komet.namespace = str(seeded["companyId"])
        token = komet.create_token(type="Company", methods="all", description="follow-up")
        replies: dict = {
            "token": token,
            "list": komet.api("purchase.order.list", token["token"], date=seeded["shipDates"][0]),
            # Faker draws again (a start restored from the cache never imported it): the same company
            "another importer": komet.seed(seed=9, reset=False, vendors=1, shipDays=1, posPerDay=1),
        }
        if "asinfo" in self.apps:
            asinfo = self.asinfo()
            asinfo.namespace = self.apps["asinfo"].extensions["kasim.world"].namespaces()[0]
            replies["sync"] = asinfo.sync(expect=(200, 502))
            replies["orders"] = asinfo.orders()
            replies["connections"] = asinfo.connections()
        return self.plain(replies)


def _start(args, at) -> Started:
    return Started(args, at)


@pytest.mark.parametrize("which", ["both", "komet"])
def test_a_start_restored_from_the_cache_is_a_fresh_start(which, cache_home, monkeypatch):
    fresh = _start(_args(which, no_cache=True), LATER)
    try:
        expected, expected_next = fresh.observed(), fresh.follow_up()
    finally:
        fresh.close()
    assert not cache_home.exists()  # --no-cache neither reads nor writes
    first = _start(_args(which), CACHED_AT)  # fills the cache
    first.close()
    assert len(list(cache_home.glob("serve-*"))) == 1

    def no_set_up(*_a, **_k):
        raise AssertionError("the cache should have made the worlds")

    monkeypatch.setattr(serve_setup, "set_up", no_set_up)
    restored = _start(_args(which), LATER)
    try:
        assert restored.observed() == expected
        assert restored.follow_up() == expected_next
    finally:
        restored.close()


def _entry(cache_home):
    (path,) = cache_home.glob("serve-*")
    return path


def _split(raw: bytes) -> tuple[dict, bytes]:
    """An entry's file: its JSON, and the databases' pages after it."""
    head, _, pages = raw.partition(b"\n")
    return json.loads(head), pages


def _join(head: dict, pages: bytes) -> bytes:
    return json.dumps(head).encode() + b"\n" + pages


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short (in the pages)
        lambda raw: raw[:-1],  # one byte short
        lambda raw: raw[:100],  # cut short (in the JSON)
        lambda raw: b"not json at all",
        lambda raw: _join(_split(raw)[0], b"\0" * len(_split(raw)[1])),  # pages that are not a database
        lambda raw: _join({**_split(raw)[0], "databases": [["komet", -1]]}, _split(raw)[1]),
        lambda raw: _join({**_split(raw)[0], "format": 99}, _split(raw)[1]),  # another kasim's
        lambda raw: _join({**_split(raw)[0], "worlds": {}}, _split(raw)[1]),  # of other apps
        lambda raw: _join({**_split(raw)[0], "places": {"komet": {"nope": {"text": [1]}}}}, _split(raw)[1]),
    ],
    ids=[
        "truncated",
        "a-byte-short",
        "truncated-json",
        "garbage",
        "bad-database",
        "negative-size",
        "other-format",
        "other-apps",
        "bad-places",
    ],
)
def test_a_damaged_entry_is_set_up_afresh_and_written_again(damage, cache_home):
    _start(_args("komet"), CACHED_AT).close()
    path = _entry(cache_home)
    path.write_bytes(damage(path.read_bytes()))
    again = _start(_args("komet"), LATER)
    try:
        assert len(again.apps["komet"].extensions["kasim.world"].namespaces()) == 2  # importer and partner
        assert again.komet().health()["ready"] is True
    finally:
        again.close()
    assert serve_cache.load(path.stem.removeprefix("serve-")) is not None  # made again, readable


def test_the_key_follows_what_the_set_up_depends_on():
    day = CACHED_AT.date()
    key = serve_cache.key(_args(), day)
    assert key == serve_cache.key(_args(komet_port=5001, asinfo_port=5002, poll=60), day)
    for other in (_args(seed=8), _args(profile="observed"), _args("komet"), _args(journal_mb=1.0)):
        assert serve_cache.key(other, day) != key
    assert serve_cache.key(_args(), LATER.replace(day=3).date()) != key


def test_the_code_digest_follows_every_source_file_and_only_them(tmp_path, monkeypatch):
    """A source file (.py, .sql, .json) anywhere under the packages that is added or rewritten makes another key;
    bytecode and other files do not."""
    import os

    for name in serve_cache._PACKAGES:
        (tmp_path / name / "sub" / "__pycache__").mkdir(parents=True)
    (tmp_path / "simkit" / "a.py").write_text("x = 1\n")
    (tmp_path / "komet_sim" / "sub" / "schema.sql").write_text("CREATE TABLE t (a);\n")
    monkeypatch.setattr(serve_cache, "__file__", str(tmp_path / "harness" / "serve_cache.py"))
    first = serve_cache.code_digest()
    assert serve_cache.code_digest() == first
    (tmp_path / "harness" / "sub" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "simkit" / "notes.txt").write_text("not code")
    assert serve_cache.code_digest() == first
    os.utime(tmp_path / "komet_sim" / "sub" / "schema.sql", ns=(0, 10**18))  # rewritten: another time
    second = serve_cache.code_digest()
    assert second != first
    (tmp_path / "asinfo_sim" / "sub" / "new.json").write_text("{}")
    assert serve_cache.code_digest() not in (first, second)


def test_neither_state_nor_the_switches_use_the_cache(monkeypatch):
    assert serve_cache.enabled(_args())
    assert not serve_cache.enabled(_args(no_cache=True))
    assert not serve_cache.enabled(_args(state="state-dir"))
    monkeypatch.setenv(serve_cache.OFF_ENV, "1")
    assert not serve_cache.enabled(_args())


def test_no_home_and_no_xdg_folder_means_no_cache(monkeypatch):
    """A home that cannot be found (HOME unset in a container) must not put a "~" folder where kasim runs."""
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr("os.path.expanduser", lambda path: path)  # what it does when it finds no home
    assert not serve_cache.enabled(_args())
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # the XDG spec ignores a relative one
    assert not serve_cache.enabled(_args())


def test_an_unwritable_cache_is_no_reason_not_to_serve(cache_home, tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    started = _start(_args("komet"), CACHED_AT)
    try:
        assert started.komet().health()["ready"] is True
    finally:
        started.close()


RESTORED_START = """
import argparse, sys
from datetime import datetime
from pathlib import Path
from harness.cli import serve
from simkit.clock import VirtualClock
args = argparse.Namespace(which="both", seed=7, state=None, host="127.0.0.1", allow_host=[], port=None,
    komet_port=0, asinfo_port=0, poll=0, profile="documented", journal_mb=16.0, verbose=False, no_cache=False)
at = datetime(2026, 12, 2, 8, 0, 0)
servers = []
serve._pair(args, {"komet": VirtualClock(at), "asinfo": VirtualClock(at)}, None, servers, serve.Banner())
unwanted = ("faker", "requests", "rich", "reportlab", "hypothesis", "asinfo_sim.labels")
print(" ".join(m for m in unwanted if m in sys.modules))
for s in servers:
    s.stop()
"""


def test_a_start_from_the_cache_imports_neither_faker_nor_requests(cache_home):
    """Both are for setting up: a start the cache serves answers without them (nor rich, labels, Hypothesis)."""
    import os
    import subprocess
    import sys

    from tests.harness.test_cli_commands import ROOT

    def run() -> str:
        return subprocess.run(
            [sys.executable, "-c", RESTORED_START],
            cwd=ROOT,
            env={**os.environ, "XDG_CACHE_HOME": str(cache_home.parent)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert "faker" in run()  # the first start sets up, and fills the cache
    assert run() == ""


def test_a_state_folder_with_komet_alone_is_served_as_it_is(tmp_path):
    """--state that holds Komet's worlds but no grower: nothing is seeded over them, and the banner says so."""
    import komet_sim

    state = tmp_path / "state"
    app = komet_sim.create_app({"seed": 3, "state_dir": state, "seed_world": {"seed": 3}})
    kept = app.extensions["kasim.world"].namespaces()
    app.extensions["kasim.world"].store.close()
    started = Started(_args(state=str(state)), LATER)
    try:
        assert started.apps["komet"].extensions["kasim.world"].namespaces() == kept
        assert started.apps["asinfo"].extensions["kasim.world"].namespaces() == []
        printed = " ".join(str(objects) for objects, _ in started.banner.lines)
        assert "no grower account yet" in printed
    finally:
        started.close()
        for app in started.apps.values():
            app.extensions["kasim.world"].store.close()


def test_a_start_from_the_cache_checks_each_world_once(cache_home, monkeypatch):
    """Both worlds are checked before either is restored; restoring them does not check them again."""
    from simkit import snapshot

    _start(_args(), CACHED_AT).close()
    checked: list[str] = []
    real = snapshot._check

    def counted(world, scratch):
        checked.append(world.name)
        return real(world, scratch)

    monkeypatch.setattr(snapshot, "_check", counted)
    restored = _start(_args(), LATER)
    try:
        assert sorted(checked) == ["asinfo", "komet"]
        assert restored.komet().health()["ready"] is True
    finally:
        restored.close()


def test_a_start_from_the_cache_rewrites_only_where_the_entry_says_the_texts_are(cache_home, monkeypatch):
    """The values holding the set-up's instant and URLs are found once, when the entry is saved; a start from it
    rewrites those and searches no table (the worlds it makes are a fresh start's: the first test)."""
    from simkit import snapshot

    _start(_args(), CACHED_AT).close()
    saved, _ = _split(_entry(cache_home).read_bytes())
    assert saved["places"]["komet"]["purchase_orders"]["created_on"]  # stamped at the set-up's instant
    assert saved["places"]["asinfo"]["connections"]["komet_url"]  # Komet's URL as the grower connected to it

    def everywhere(*_a, **_k):
        raise AssertionError("every table searched")

    monkeypatch.setattr(snapshot, "_rewrite_everywhere", everywhere)
    monkeypatch.setattr(serve_setup, "set_up", everywhere)
    restored = _start(_args(), LATER)
    try:
        assert restored.komet().health()["ready"] is True
    finally:
        restored.close()
