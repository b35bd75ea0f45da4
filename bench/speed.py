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
                 (`--baseline-tree`, default: a detached worktree of BASELINE_COMMIT, made and removed here)
  memory         served RSS growth over 2,000 list calls (after 500 to warm up), kasim vs the bare route
  1 M lines      one day's list computed (not from the reply cache) with 1 M lines stored vs 10 k

    python bench/speed.py                 # ~6 min on a loaded 2-core machine
    python bench/speed.py --quick         # ~2 min
    python bench/speed.py --only served,startup
    python bench/speed.py --only start-up -n 9   # -n: start-up's rounds (in process: samples per case)
    python bench/speed.py --install-wiremock   # npm install the wiremock package (ships the jar) first
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as bc
import _servers as sv

SEED = {"seed": 7, "vendors": 1, "shipDays": 1, "posPerDay": 20, "linesPerPo": 5}
TOKEN = {"type": "Company", "methods": "all", "description": "bench"}
BASELINE_COMMIT = "3282e20"  # main before issue 15
BASELINE_SERVE = f"kasim serve ({BASELINE_COMMIT})"
GOALS = {
    "in process": "≤ 1.5×",
    "served": "≥ 1.0×",
    "server CPU": "≤ 2×",
    "start-up": "≤ 0.2 s idle",
    "explore": "≥ 300 steps/s",
    "memory": "flat",
    "1 M lines": "≤ 1.1×",
}
SECTIONS = ("in process", "served", "start-up", "explore", "memory", "1 M lines")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


# --- the world ---------------------------------------------------------------------------------------------
def seeded_app():
    """In process: the po_list world, a Company token, the query and the reply bytes."""
    import komet_sim

    app = komet_sim.create_app({"seed": SEED["seed"], "quota_per_user": 10**9})
    client = app.test_client()
    world = client.post("/__sim/seed", json=SEED).get_json()
    token = client.post("/__sim/komet/tokens", json=TOKEN).get_json()["token"]
    query = {"authenticationToken": token, "date": world["shipDates"][0]}
    body = client.get(sv.PATH, query_string=query).get_data()
    _check_body(body)
    return app, query, body


def _check_body(body: bytes) -> None:
    data = json.loads(body)
    assert str(data.get("status")) == "1", body[:300]
    assert len(data["purchaseOrders"]) == 20 and sum(len(p["details"]) for p in data["purchaseOrders"]) == 100


def seed_served(url: str) -> tuple[dict, bytes]:
    """The po_list world in a served Komet (reset first; quota raised so wrk never meets it)."""
    import requests

    s = requests.Session()
    s.post(f"{url}/__sim/reset", timeout=60).raise_for_status()
    made = s.post(f"{url}/__sim/seed", json=SEED, timeout=60).json()
    ns = {"X-Kasim-Namespace": str(made["companyId"])}
    s.patch(
        f"{url}/__sim/komet/company", json={"paidUsers": 1000, "quotaPerUser": 10**6}, headers=ns, timeout=30
    )
    token = s.post(f"{url}/__sim/komet/tokens", json=TOKEN, headers=ns, timeout=30).json()["token"]
    query = {"authenticationToken": token, "date": made["shipDates"][0]}
    body = s.get(url + sv.PATH, params=query, timeout=30).content
    _check_body(body)
    return query, body


# --- in process ---------------------------------------------------------------------------------------------
def in_process(runs: int) -> dict:
    app, query, body = seeded_app()
    world = app.extensions["kasim.world"]
    from flask import Flask, Response

    bare = Flask("bare")

    @bare.get(sv.PATH)
    def po_list():
        return Response(body, mimetype="application/json")

    kc, bc_ = app.test_client(), bare.test_client()

    def uncached():
        world.replies.clear()
        return kc.get(sv.PATH, query_string=query)

    cases = {
        "kasim": lambda: kc.get(sv.PATH, query_string=query),
        "bare Flask route": lambda: bc_.get(sv.PATH, query_string=query),
        "kasim, reply computed (first read after a write)": uncached,
    }

    def check(name, reply):
        assert reply.status_code == 200 and reply.get_data() == body, (name, reply.get_data()[:200])

    samples = bc.interleaved(cases, runs, 20, check)
    rows, results = bc.against(samples, "bare Flask route", keep_samples=False)
    return {"rows": rows, "results": results, "bytes": len(body)}


# --- served: requests/s and CPU per request ----------------------------------------------------------------
def wrk(url: str, seconds: float) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds:g}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    done, rps = re.search(r"(\d+) requests in", out), re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert done and rps, f"wrk's report has no request count or rate:\n{out}"
    requests_done = int(done.group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(rps.group(1)),
        "requests": requests_done,
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else None,
    }


def served(rounds: int, seconds: float, tree: Path, tmp: Path) -> dict:
    from urllib.parse import urlencode

    kasim, ports = sv.kasim_serve(tree, "komet")
    procs = {"kasim": kasim}
    notes = []
    try:
        url = f"http://127.0.0.1:{ports['komet']}"
        sv.wait_until(lambda: _health(url), 120, kasim.proc)
        query, body = seed_served(url)
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
                sv.wait_until(lambda u=urls[name]: _fetch(u) == body, 120, procs[name].proc, poll=0.05)
        for u in urls.values():  # warm-up (the JVM compiles, Python fills its caches)
            wrk(u, max(2.0, seconds / 2))
        runs: dict[str, list[dict]] = {n: [] for n in urls}
        names = list(urls)
        for r in range(rounds):
            order = names[r % len(names) :] + names[: r % len(names)]
            for name in order if r % 2 == 0 else reversed(order):
                cpu0 = procs[name].cpu_seconds()
                done = wrk(urls[name], seconds)
                done["cpu_per_request"] = (procs[name].cpu_seconds() - cpu0) / max(done["requests"], 1)
                runs[name].append(done)
        for name in urls:
            assert _fetch(urls[name]) == body, f"{name} no longer answers the same bytes"
    finally:
        for p in procs.values():
            p.stop()
    return {"runs": runs, "notes": notes}


def _health(url: str) -> bool:
    import requests

    return requests.get(url + "/__sim/health", timeout=2).status_code == 200


def _fetch(url: str) -> bytes:
    import requests

    return requests.get(url, timeout=10).content


# --- start-up ----------------------------------------------------------------------------------------------
def startup(runs: int, tree: Path, tmp: Path, body: bytes, baseline: Path | None = None) -> dict:
    """Spawn to ready, and each start's CPU (from /proc, at ready). `kasim serve` as a user starts it again (its
    worlds restored from the start-up cache the warm-up round filled, in a cache folder of this run) and with
    --no-cache (what the first start of a day pays: imports, seeds, the grower's connection and first sync); and
    `kasim serve` in the baseline tree (main before issue 15), when given."""
    jar = sv.wiremock_jar()
    cases = ["kasim serve", "kasim serve --no-cache"] + (["WireMock"] if jar else [])
    if baseline is not None:
        cases.append(BASELINE_SERVE)
    times: dict[str, list[float]] = {c: [] for c in cases}
    cpu: dict[str, list[float]] = {c: [] for c in cases}
    cache_home = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache-home")  # the servers' environment is this one's
    try:
        for r in range(
            -1, runs
        ):  # round -1 warms up (bytecode written, files in the page cache, cache filled)
            for name in cases if r % 2 == 0 else reversed(cases):
                if name == BASELINE_SERVE and baseline is not None:
                    proc, ports = sv.kasim_serve(baseline, "both")
                    ready = _kasim_ready(ports)
                elif name.startswith("kasim serve"):
                    proc, ports = sv.kasim_serve(tree, "both", tuple(name.split()[2:]))
                    ready = _kasim_ready(ports)
                else:
                    assert jar is not None  # the WireMock case exists only with its jar
                    proc, port = sv.wiremock(jar, body, tmp / f"wm-start-{r}")
                    url = f"http://127.0.0.1:{port}{sv.PATH}?date=x"

                    def ready(u=url) -> bool:
                        return _fetch(u) == body

                try:
                    sv.wait_until(ready, 120, proc.proc)
                    if r >= 0:
                        times[name].append(time.perf_counter() - proc.t0)
                        cpu[name].append(_cpu_seconds(proc.pid))
                finally:
                    proc.stop()
    finally:
        if cache_home is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = cache_home
    notes = [] if jar else ["WireMock start-up skipped: its jar is not installed"]
    return {"times": times, "cpu": cpu, "notes": notes}


def startup_rounds(args) -> int:
    """Start-up's rounds (each starts every case once): -n when given, else 5 (--quick: 3)."""
    return args.runs or (3 if args.quick else 5)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (its threads included), from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _kasim_ready(ports: dict):
    """Ready: a token made now works on purchase.order.list, and ASINFO answers (the first company's id is
    deterministic in a fresh world)."""
    import requests

    komet, asinfo = f"http://127.0.0.1:{ports['komet']}", f"http://127.0.0.1:{ports['asinfo']}"
    from komet_sim.domain.world import ID_STARTS

    ns = {"X-Kasim-Namespace": str(ID_STARTS["company"])}

    def ready() -> bool:
        made = requests.post(f"{komet}/__sim/komet/tokens", json=TOKEN, headers=ns, timeout=5)
        if made.status_code != 201:
            return False
        reply = requests.get(
            komet + sv.PATH,
            params={"authenticationToken": made.json()["token"], "date": "2030-01-01"},
            timeout=5,
        ).json()
        return str(reply.get("status")) == "1" and _health(asinfo)

    return ready


# --- explore -----------------------------------------------------------------------------------------------
def explore(rounds: int, examples: int, steps: int, trees: dict[str, Path]) -> dict:
    found: dict[str, list[dict]] = {n: [] for n in trees}
    names = list(trees)
    for r in range(rounds):
        for name in names if r % 2 == 0 else reversed(names):
            out = subprocess.run(
                [sys.executable, str(bc.BENCH / "_explore_steps.py"), str(r), str(examples), str(steps)],
                cwd=trees[name],
                env=sv.child_env(trees[name]),
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
        ["git", "worktree", "add", "--detach", str(path), BASELINE_COMMIT],
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
        sv.wait_until(lambda: _health(url), 120, kasim.proc)
        query, body = seed_served(url)
        bare, port = sv.bare_flask(tree, body, tmp / "bare-mem")
        procs["bare Flask route"] = bare
        urls = {"kasim": url + sv.PATH, "bare Flask route": f"http://127.0.0.1:{port}{sv.PATH}"}
        sv.wait_until(lambda: _fetch(urls["bare Flask route"] + "?x=1") == body, 60, bare.proc, poll=0.05)
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


# --- 1 M lines vs 10 k -------------------------------------------------------------------------------------
def scaled_app(lines: int):
    """The po_list world plus `lines` more lines on other ship dates (20,000 POs of `lines/20000` lines, copied
    from the world's own rows), then the reply bytes of the measured day."""
    app, query, body = seeded_app()
    world = app.extensions["kasim.world"]
    c = world.store.conn
    per_po = 50
    pos = lines // per_po
    cols = [r[1] for r in c.execute("PRAGMA table_info(po_items)")]
    po_cols = [r[1] for r in c.execute("PRAGMA table_info(purchase_orders)")]
    first_po, first_item = c.execute("SELECT min(po_id), min(id) FROM po_items").fetchone()
    po_expr = ", ".join(
        {
            "id": "10000000 + n",
            "number": "'B' || n",
            "ship_date": "date(ship_date, '+' || (1 + n % 300) || ' days')",
        }.get(col, col)
        for col in po_cols
    )
    item_expr = ", ".join(
        {"id": "20000000 + n", "po_id": f"10000000 + n / {per_po}"}.get(col, col) for col in cols
    )
    # Column names from the schema, numbers from here: nothing outside this function reaches the SQL.
    copy_pos = (
        f"WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < {pos}) "  # noqa: S608
        f"INSERT INTO purchase_orders ({', '.join(po_cols)}) SELECT {po_expr} FROM seq, purchase_orders "
        f"WHERE id = {first_po}"
    )
    copy_lines = (
        f"WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < {lines}) "  # noqa: S608
        f"INSERT INTO po_items ({', '.join(cols)}) SELECT {item_expr} FROM seq, po_items "
        f"WHERE id = {first_item}"
    )
    with world.store.tx():
        c.execute(copy_pos)
        c.execute(copy_lines)
    c.execute("ANALYZE")
    stored = c.execute("SELECT count(*) FROM po_items").fetchone()[0]
    return app, query, body, stored


def scaling(runs: int, big: int, small: int) -> dict:
    apps = {f"{n:,} lines": scaled_app(n) for n in (big, small)}
    cases, bodies = {}, {}
    for name, (app, query, body, _) in apps.items():
        world, client = app.extensions["kasim.world"], app.test_client()

        def computed(world=world, client=client, query=query):
            world.replies.clear()
            return client.get(sv.PATH, query_string=query)

        cases[name], bodies[name] = computed, body

    def check(name, reply):
        assert reply.get_data() == bodies[name], name

    samples = bc.interleaved(cases, runs, 5, check)
    rows, results = bc.against(samples, f"{small:,} lines", keep_samples=False)
    return {"rows": rows, "results": results, "stored": {n: a[3] for n, a in apps.items()}}


# --- the table ---------------------------------------------------------------------------------------------
def median(xs: list[float]) -> float:
    import statistics

    return statistics.median(xs)


def summary_rows(found: dict) -> list[list[str]]:
    rows = []
    if "in process" in found:
        r = found["in process"]["results"]["kasim"]
        bare = found["in process"]["results"]["bare Flask route"]
        rows.append(
            [
                "in process, kasim vs a bare Flask route (same client)",
                f"{bc.fmt_time(r['wall']['median'])} vs {bc.fmt_time(bare['wall']['median'])}",
                f"{r['ratio']:.2f}× (CPU {r['cpu_ratio']:.2f}×)",
                GOALS["in process"],
            ]
        )
    if "served" in found:
        runs = found["served"]["runs"]
        k = median([x["rps"] for x in runs["kasim"]])
        if "WireMock" in runs:
            w = median([x["rps"] for x in runs["WireMock"]])
            rows.append(
                [
                    "served, kasim serve komet vs WireMock (wrk -t2 -c16)",
                    f"{k:,.0f} vs {w:,.0f} req/s",
                    f"{k / w:.2f}×",
                    GOALS["served"],
                ]
            )
        else:
            rows.append(
                [
                    "served, kasim serve komet vs WireMock",
                    f"{k:,.0f} req/s vs —",
                    "skipped (no jar)",
                    GOALS["served"],
                ]
            )
        kc = median([x["cpu_per_request"] for x in runs["kasim"]])
        bcpu = median([x["cpu_per_request"] for x in runs["bare Flask route"]])
        rows.append(
            [
                "server CPU per request, kasim vs bare Flask (same server)",
                f"{kc * 1e3:.2f} vs {bcpu * 1e3:.2f} ms",
                f"{kc / bcpu:.2f}×",
                GOALS["server CPU"],
            ]
        )
    if "start-up" in found:
        t, cpu = found["start-up"]["times"], found["start-up"].get("cpu", {})
        k = median(t["kasim serve"])
        k_cpu = f" (CPU {median(cpu['kasim serve']):.2f} s)" if cpu.get("kasim serve") else ""
        if t.get("WireMock"):
            w = median(t["WireMock"])
            rows.append(
                [
                    "kasim serve (both) start to ready vs WireMock",
                    f"{k:.2f} s{k_cpu} vs {w:.2f} s",
                    f"{k / w:.2f}×",
                    GOALS["start-up"],
                ]
            )
        else:
            rows.append(
                [
                    "kasim serve (both) start to ready",
                    f"{k:.2f} s{k_cpu}",
                    "— (no WireMock)",
                    GOALS["start-up"],
                ]
            )
        if t.get(BASELINE_SERVE):
            b = median(t[BASELINE_SERVE])
            b_cpu = f" (CPU {median(cpu[BASELINE_SERVE]):.2f} s)" if cpu.get(BASELINE_SERVE) else ""
            rows.append(
                [
                    f"kasim serve (both) start to ready vs the baseline tree ({BASELINE_COMMIT})",
                    f"{k:.2f} s{k_cpu} vs {b:.2f} s{b_cpu}",
                    f"{k / b:.2f}×",
                    GOALS["start-up"],
                ]
            )
        if t.get("kasim serve --no-cache"):
            f = median(t["kasim serve --no-cache"])
            f_cpu = median(cpu["kasim serve --no-cache"]) if cpu.get("kasim serve --no-cache") else None
            rows.append(
                [
                    "kasim serve --no-cache (a day's first start) vs from the cache",
                    f"{f:.2f} s" + (f" (CPU {f_cpu:.2f} s)" if f_cpu is not None else "") + f" vs {k:.2f} s",
                    f"{f / k:.2f}×",
                    "—",
                ]
            )
    if "explore" in found:
        e = found["explore"]
        rate = {n: median([x["steps"] / x["seconds"] for x in v]) for n, v in e.items()}
        per_cpu = {
            n: median([x["steps"] / x["cpu"] for x in v]) for n, v in e.items() if all("cpu" in x for x in v)
        }
        cpu = (
            f" (per CPU second {per_cpu['this tree']:.0f} vs {per_cpu['baseline']:.0f})"
            if len(per_cpu) == 2
            else ""
        )
        rows.append(
            [
                "kasim explore rule steps/s vs the baseline tree",
                f"{rate['this tree']:.0f} vs {rate['baseline']:.0f} steps/s{cpu}",
                f"{rate['this tree'] / rate['baseline']:.2f}×",
                GOALS["explore"],
            ]
        )
    if "memory" in found:
        m = found["memory"]
        per_call = {n: (v[-1] - v[0]) / m["calls"] for n, v in m["rss"].items()}
        rows.append(
            [
                f"memory, served, RSS growth over {m['calls']:,} list calls",
                f"{per_call['kasim'] / 1024:+.2f} vs {per_call['bare Flask route'] / 1024:+.2f} KB/call",
                f"kasim {m['rss']['kasim'][-1] / m['rss']['kasim'][0]:.3f}× its size after {m['warm']}",
                GOALS["memory"],
            ]
        )
    if "1 M lines" in found:
        s = found["1 M lines"]
        name = next(iter(s["results"]))
        r = s["results"][name]
        other = next(n for n in s["results"] if n != name)
        rows.append(
            [
                f"one day's list, computed, {name} stored vs {other}",
                f"{bc.fmt_time(r['wall']['median'])} vs {bc.fmt_time(s['results'][other]['wall']['median'])}",
                f"{r['ratio']:.2f}× (CPU {r['cpu_ratio']:.2f}×)",
                GOALS["1 M lines"],
            ]
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    p = bc.parser(__doc__.split("\n")[0], runs=300, quick_runs=60)
    p.add_argument("--only", help=f"comma-separated sections: {', '.join(SECTIONS)}")
    p.add_argument(
        "--baseline-tree",
        help=f"start-up's and explore's baseline (default: a worktree of {BASELINE_COMMIT})",
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
            found["in process"] = in_process(runs)
            print(bc.table(bc.STAT_HEADERS, found["in process"]["rows"], "in process"), "\n", flush=True)
        if "served" in only:
            found["served"] = served(3 if quick else 5, 3.0 if quick else 6.0, tree, tmp)
            notes += found["served"]["notes"]
            print(_served_table(found["served"]["runs"]), "\n", flush=True)
        base: Path | None = None
        if "start-up" in only or "explore" in only:
            base, made = baseline_tree(args.baseline_tree, tmp)
            made_tree = base if made else None
        if "start-up" in only:
            _, _, body = seeded_app()
            found["start-up"] = startup(startup_rounds(args), tree, tmp, body, base)
            notes += found["start-up"]["notes"]
            print(_plain_table("start-up (spawn to ready)", found["start-up"]["times"]), "\n", flush=True)
        if "explore" in only:
            assert base is not None  # made above for start-up and explore
            found["explore"] = explore(
                2 if quick else 3, 4 if quick else 10, 20, {"this tree": tree, "baseline": base}
            )
            print(_explore_table(found["explore"]), "\n", flush=True)
        if "memory" in only:
            found["memory"] = memory(2000, 500, tree, tmp)
            print(_memory_table(found["memory"]), "\n", flush=True)
        if "1 M lines" in only:
            found["1 M lines"] = scaling(20 if quick else 60, 100_000 if quick else 1_000_000, 10_000)
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
    rows = summary_rows(found)
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


def _served_table(runs: dict) -> str:
    rows = []
    for name, xs in runs.items():
        rows.append(
            [
                name,
                str(len(xs)),
                f"{median([x['rps'] for x in xs]):,.0f}",
                f"{min(x['rps'] for x in xs):,.0f}",
                f"{median([x['cpu_per_request'] for x in xs]) * 1e3:.3f} ms",
                str(sum(x["non2xx"] for x in xs)),
                "; ".join(x["socket_errors"] for x in xs if x["socket_errors"]) or "—",
            ]
        )
    return bc.table(
        ["server", "runs", "req/s median", "min", "CPU/request", "non-2xx", "socket errors"],
        rows,
        "served (wrk -t2 -c16)",
    )


def _plain_table(title: str, times: dict) -> str:
    rows = [[n, str(len(v)), bc.fmt_time(median(v)), bc.fmt_time(min(v))] for n, v in times.items() if v]
    return bc.table(["case", "N", "median", "min"], rows, title)


def _explore_table(found: dict) -> str:
    rows = []
    for name, xs in found.items():
        rates = [x["steps"] / x["seconds"] for x in xs]
        cpu = [x["steps"] / x["cpu"] for x in xs if "cpu" in x]
        rows.append(
            [
                name,
                str(len(xs)),
                str(sum(x["steps"] for x in xs)),
                f"{median(rates):.0f}",
                f"{median(cpu):.0f}" if cpu else "—",
                str(sum(1 for x in xs if x["failure"])),
            ]
        )
    return bc.table(
        ["tree", "runs", "steps", "steps/s median", "per CPU second", "runs with a finding"],
        rows,
        "kasim explore",
    )


def _memory_table(m: dict) -> str:
    rows = []
    for name, v in m["rss"].items():
        rows.append(
            [name, *(f"{x / 2**20:.1f} MB" for x in v), f"{(v[-1] - v[0]) / m['calls'] / 1024:+.2f} KB"]
        )
    heads = ["server", f"after {m['warm']}"] + [
        f"+{500 * (i + 1)}" for i in range(len(next(iter(m["rss"].values()))) - 1)
    ]
    return bc.table([*heads, "growth/call"], rows, "served RSS")


if __name__ == "__main__":
    sys.exit(main())
