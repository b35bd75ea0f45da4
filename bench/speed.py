"""Issue 15: a stateful simulator as fast as a canned stub. Every figure of the issue's table, each as a ratio to
its baseline measured in the same run (medians; the case and its baseline interleaved round by round).

`purchase.order.list` for one ship date of 20 POs × 5 lines (the po_list world), a Company token:

  in process     kasim (Flask test client) vs a bare Flask route returning the same bytes (same client)
  served         `kasim serve komet` vs WireMock's standalone jar serving the same bytes as a canned stub,
                 `wrk -t2 -c16`: requests/s (WireMock skipped, with a note, where the jar is absent)
  server CPU     CPU seconds per served request, kasim vs the bare Flask route under the same server
                 (simkit.server.ServerThread), both as processes of their own, during the same wrk runs
  start-up       `kasim serve` (both apps) from spawn to ready (a new token works on purchase.order.list and
                 ASINFO answers) vs WireMock from spawn to serving its stub; restored from the start-up cache as
                 every start after a day's first is, and with --no-cache (the first)
  explore        `kasim explore` rule steps per second vs the same exploration in a baseline tree
                 (`--baseline-tree`, default: a detached worktree of BASELINE_COMMIT, made and removed here),
                 in one process and with `--jobs 2` (the runs shared between two processes)
  memory         served RSS growth over 2,000 list calls (after 500 to warm up), kasim vs the bare route
  1 M lines      one day's list computed (not from the reply cache) with 1 M lines stored vs 10 k

    python bench/speed.py                 # ~6 min on a loaded 2-core machine
    python bench/speed.py --quick         # ~2 min
    python bench/speed.py --only served,startup
    python bench/speed.py --only start-up -n 9   # -n: start-up's rounds (in process: samples per case)
    python bench/speed.py --install-wiremock   # npm install the wiremock package (ships the jar) first

The world measured is in _speed_world.py, the in-process figures in _speed_in_process.py, what is printed (and each
figure's goal) in _speed_tables.py, the servers and wrk in _servers.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as bc
import _servers as sv
import _speed_in_process as ip
import _speed_tables as tb
import _speed_world as sw

SECTIONS = ("in process", "served", "start-up", "explore", "memory", "1 M lines")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


# --- served: requests/s and CPU per request ----------------------------------------------------------------
def served(rounds: int, seconds: float, tree: Path, tmp: Path) -> dict:
    from urllib.parse import urlencode

    kasim, ports = sv.kasim_serve(tree, "komet")
    procs = {"kasim": kasim}
    notes = []
    try:
        url = f"http://127.0.0.1:{ports['komet']}"
        sv.wait_until(lambda: sv.health(url), 120, kasim.proc)
        query, body = sw.seed_served(url)
        bare, bare_port = sv.bare_flask(tree, body, tmp / "bare")
        procs["bare Flask route"] = bare
        urls = {
            "kasim": f"{url}{sv.PATH}?{urlencode(query)}",
            "bare Flask route": f"http://127.0.0.1:{bare_port}{sv.PATH}?{urlencode(query)}",
        }
        jar = sv.wiremock_jar()
        if jar is None:
            notes.append(
                "WireMock skipped: its standalone jar is not installed (python bench/speed.py --install-wiremock, "
                f"or npm install --prefix bench/.wiremock wiremock@{sv.WIREMOCK_VERSION}; needs java)"
            )
        else:
            wm, wm_port = sv.wiremock(jar, body, tmp / "wiremock")
            procs["WireMock"] = wm
            urls["WireMock"] = f"http://127.0.0.1:{wm_port}{sv.PATH}?{urlencode(query)}"
        for name in urls:
            if name != "kasim":
                sv.wait_until(lambda u=urls[name]: sv.fetch(u) == body, 120, procs[name].proc, poll=0.05)
        for u in urls.values():  # warm-up (the JVM compiles, Python fills its caches)
            sv.wrk(u, max(2.0, seconds / 2))
        runs: dict[str, list[dict]] = {n: [] for n in urls}
        names = list(urls)
        for r in range(rounds):
            order = names[r % len(names) :] + names[: r % len(names)]
            for name in order if r % 2 == 0 else reversed(order):
                cpu0 = procs[name].cpu_seconds()
                done = sv.wrk(urls[name], seconds)
                done["cpu_per_request"] = (procs[name].cpu_seconds() - cpu0) / max(done["requests"], 1)
                runs[name].append(done)
        for name in urls:
            assert sv.fetch(urls[name]) == body, f"{name} no longer answers the same bytes"
    finally:
        for p in procs.values():
            p.stop()
    return {"runs": runs, "notes": notes}


# --- start-up ----------------------------------------------------------------------------------------------
def startup(runs: int, tree: Path, tmp: Path, body: bytes, baseline: Path | None = None) -> dict:
    """Spawn to ready, and each start's CPU (from /proc, at ready). `kasim serve` as a user starts it again (its
    worlds restored from the start-up cache the warm-up round filled, in a cache folder of this run) and with
    --no-cache (what the first start of a day pays: imports, seeds, the grower's connection and first sync); the
    floor under both, a one-route Flask app started the same way (bench/_flask_floor.py); WireMock, when its jar
    is there; and `kasim serve` in the baseline tree (main before issue 15), when given."""
    jar = sv.wiremock_jar()
    cases = ["kasim serve", "kasim serve --no-cache", tb.FLASK_FLOOR] + (["WireMock"] if jar else [])
    if baseline is not None:
        cases.append(tb.BASELINE_SERVE)
    times: dict[str, list[float]] = {c: [] for c in cases}
    cpu: dict[str, list[float]] = {c: [] for c in cases}
    cache_home = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache-home")  # the servers' environment is this one's
    try:
        for r in range(
            -1, runs
        ):  # round -1 warms up (bytecode written, files in the page cache, cache filled)
            for name in cases if r % 2 == 0 else reversed(cases):
                if name == tb.BASELINE_SERVE and baseline is not None:
                    proc, ports = sv.kasim_serve(baseline, "both")
                    ready = _kasim_ready(ports)
                elif name.startswith("kasim serve"):
                    proc, ports = sv.kasim_serve(tree, "both", tuple(name.split()[2:]))
                    ready = _kasim_ready(ports)
                elif name == tb.FLASK_FLOOR:
                    proc, port = sv.flask_floor(tree, body, tmp / f"floor-{r}")
                    ready = _serves(f"http://127.0.0.1:{port}{sv.PATH}?date=x", body)
                else:
                    assert jar is not None  # the WireMock case exists only with its jar
                    proc, port = sv.wiremock(jar, body, tmp / f"wm-start-{r}")
                    ready = _serves(f"http://127.0.0.1:{port}{sv.PATH}?date=x", body)

                try:
                    sv.wait_until(ready, 120, proc.proc)
                    if r >= 0:
                        times[name].append(time.perf_counter() - proc.t0)
                        cpu[name].append(proc.cpu_seconds())
                finally:
                    proc.stop()
    finally:
        if cache_home is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = cache_home
    notes = [] if jar else ["WireMock start-up skipped: its jar is not installed"]
    found = {"times": times, "cpu": cpu, "notes": notes}
    if baseline is not None:
        found["baseline"] = tree_commit(baseline)
    return found


def tree_commit(tree: Path) -> str:
    """The short commit a tree has checked out (what the tables name as the baseline)."""
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True)
    return out.stdout.strip() or str(tree)


def startup_rounds(args) -> int:
    """Start-up's rounds (each starts every case once): -n when given, else 5 (--quick: 3)."""
    return args.runs or (3 if args.quick else 5)


def _serves(url: str, body: bytes):
    """Ready: `url` answers with exactly `body`."""
    return lambda: sv.fetch(url) == body


def _kasim_ready(ports: dict):
    """Ready: a token made now works on purchase.order.list, and ASINFO answers (the first company's id is
    deterministic in a fresh world)."""
    import requests

    komet, asinfo = f"http://127.0.0.1:{ports['komet']}", f"http://127.0.0.1:{ports['asinfo']}"
    from komet_sim.domain.world import ID_STARTS

    ns = {"X-Kasim-Namespace": str(ID_STARTS["company"])}

    def ready() -> bool:
        made = requests.post(f"{komet}/__sim/komet/tokens", json=sw.TOKEN, headers=ns, timeout=5)
        if made.status_code != 201:
            return False
        reply = requests.get(
            komet + sv.PATH,
            params={"authenticationToken": made.json()["token"], "date": "2030-01-01"},
            timeout=5,
        ).json()
        return str(reply.get("status")) == "1" and sv.health(asinfo)

    return ready


# --- explore -----------------------------------------------------------------------------------------------
def explore(rounds: int, examples: int, steps: int, cases: dict[str, tuple[Path, list[str]]]) -> dict:
    """Each case is a tree and the extra arguments of _explore_steps.py (the jobs, where there are)."""
    found: dict[str, list[dict]] = {n: [] for n in cases}
    names = list(cases)
    for r in range(rounds):
        for name in names if r % 2 == 0 else reversed(names):
            tree, extra = cases[name]
            out = subprocess.run(
                [
                    sys.executable,
                    str(bc.BENCH / "_explore_steps.py"),
                    str(r),
                    str(examples),
                    str(steps),
                    *extra,
                ],
                cwd=tree,
                env=sv.child_env(tree),
                capture_output=True,
                text=True,
                timeout=1800,
                check=True,
            ).stdout
            found[name].append(json.loads(out.strip().splitlines()[-1]))
    return found


def baseline_tree(given: str | None, tmp: Path) -> tuple[Path, bool]:
    """(tree, made here): the tree given, or a detached worktree of BASELINE_COMMIT in `tmp`."""
    if given:
        return Path(given).resolve(), False
    path = tmp / "baseline"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(path), tb.BASELINE_COMMIT],
        cwd=bc.ROOT,
        check=True,
        capture_output=True,
    )
    return path, True


# --- memory ------------------------------------------------------------------------------------------------
def memory(calls: int, warm: int, tree: Path, tmp: Path) -> dict:
    import requests

    kasim, ports = sv.kasim_serve(tree, "komet")
    procs = {"kasim": kasim}
    try:
        url = f"http://127.0.0.1:{ports['komet']}"
        sv.wait_until(lambda: sv.health(url), 120, kasim.proc)
        query, body = sw.seed_served(url)
        bare, port = sv.bare_flask(tree, body, tmp / "bare-mem")
        procs["bare Flask route"] = bare
        urls = {"kasim": url + sv.PATH, "bare Flask route": f"http://127.0.0.1:{port}{sv.PATH}"}
        sv.wait_until(lambda: sv.fetch(urls["bare Flask route"] + "?x=1") == body, 60, bare.proc, poll=0.05)
        sessions = {n: requests.Session() for n in urls}
        rss: dict[str, list[int]] = {n: [] for n in urls}
        for i in range(warm + calls):
            for name in urls:
                reply = sessions[name].get(urls[name], params=query, timeout=30)
                if i == 0 or (i + 1) % 250 == 0:
                    assert reply.content == body, name
                if i + 1 == warm or (i + 1 > warm and (i + 1 - warm) % 500 == 0):
                    rss[name].append(procs[name].rss_bytes())
    finally:
        for p in procs.values():
            p.stop()
    return {"rss": rss, "calls": calls, "warm": warm}


def main(argv: list[str] | None = None) -> int:
    p = bc.parser(__doc__.split("\n")[0], runs=300, quick_runs=60)
    p.add_argument("--only", help=f"comma-separated sections: {', '.join(SECTIONS)}")
    p.add_argument(
        "--baseline-tree",
        help=f"start-up's and explore's baseline (default: a worktree of {tb.BASELINE_COMMIT})",
    )
    p.add_argument("--tree", default=str(bc.ROOT), help="the tree measured (default: this one)")
    p.add_argument("--install-wiremock", action="store_true", help="npm install the wiremock package first")
    args = p.parse_args(argv)
    runs = bc.runs_from(args)
    quick = args.quick
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    tree = Path(args.tree).resolve()
    if args.install_wiremock and sv.wiremock_jar() is None:
        print("installing WireMock's standalone jar from the npm registry…", flush=True)
        sv.install_wiremock()
    info = bc.machine()
    print(bc.header("speed", info))
    print(f"load average at the start: {load()}\n", flush=True)
    found: dict = {}
    notes: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="kasim-speed-"))
    made_tree = None
    try:
        if "in process" in only:
            found["in process"] = ip.in_process(runs)
            print(bc.table(bc.STAT_HEADERS, found["in process"]["rows"], "in process"), "\n", flush=True)
        if "served" in only:
            found["served"] = served(3 if quick else 5, 3.0 if quick else 6.0, tree, tmp)
            notes += found["served"]["notes"]
            print(tb.served_table(found["served"]["runs"]), "\n", flush=True)
        base: Path | None = None
        if "start-up" in only or "explore" in only:
            base, made = baseline_tree(args.baseline_tree, tmp)
            made_tree = base if made else None
        if "start-up" in only:
            _, _, body = sw.seeded_app()
            found["start-up"] = startup(startup_rounds(args), tree, tmp, body, base)
            notes += found["start-up"]["notes"]
            print(tb.plain_table("start-up (spawn to ready)", found["start-up"]["times"]), "\n", flush=True)
        if "explore" in only:
            assert base is not None  # made above for start-up and explore
            cases = {
                "this tree": (tree, []),
                tb.EXPLORE_JOBS: (tree, [str(tb.EXPLORE_JOB_COUNT)]),
                "baseline": (base, []),
            }
            found["explore"] = explore(2 if quick else 3, 4 if quick else 10, 20, cases)
            print(tb.explore_table(found["explore"]), "\n", flush=True)
        if "memory" in only:
            found["memory"] = memory(2000, 500, tree, tmp)
            print(tb.memory_table(found["memory"]), "\n", flush=True)
        if "1 M lines" in only:
            found["1 M lines"] = ip.scaling(20 if quick else 60, 100_000 if quick else 1_000_000, 10_000)
            print(bc.table(bc.STAT_HEADERS, found["1 M lines"]["rows"], "list computed, lines stored"), "\n")
    finally:
        if made_tree is not None:
            subprocess.run(["git", "worktree", "remove", "--force", str(made_tree)], cwd=bc.ROOT, check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    end_load = load()
    ran = {name: {"date": info["date"], "commit": info["commit"]} for name in found}
    kept = _kept_sections(only, args.no_json)
    for name, (section, when) in kept.items():
        found[name], ran[name] = section, when
    found = {name: found[name] for name in SECTIONS if name in found}  # the table's order, whichever ran
    rows = tb.summary_rows(found)
    print(
        bc.table(
            ["figure", "medians", "ratio", "goal"],
            rows,
            f"issue 15 — load average {info['loadavg1']} → {end_load}",
        )
    )
    for note in notes:
        print(f"note: {note}")
    if not args.no_json:
        payload = {
            "benchmark": "speed",
            "machine": info,
            "load_at_end": end_load,
            "quick": quick,
            "summary": rows,
            "ran": ran,
            "notes": notes,
            **{k: _jsonable(v) for k, v in found.items()},
        }
        path = bc.write_json("speed", payload)
        print(f"\nwrote {path.relative_to(bc.ROOT)}")
    return 0


def _kept_sections(only: set[str], no_json: bool) -> dict[str, tuple[dict, dict]]:
    """With --only, the other sections of the last results/speed.json, each with when and where it ran: a run
    of some rows refreshes those and keeps the rest (engineers measure the rows they work on)."""
    path = bc.RESULTS / "speed.json"
    if no_json or only >= set(SECTIONS) or not path.exists():
        return {}
    last = json.loads(path.read_text())
    before = {"date": last["machine"]["date"], "commit": last["machine"]["commit"]}
    return {
        name: (last[name], last.get("ran", {}).get(name, before))
        for name in SECTIONS
        if name not in only and name in last
    }


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


if __name__ == "__main__":
    sys.exit(main())
