"""kasim serve's start-up cache: the worlds its set-up made (serve_setup.py), kept on disk and restored at the next
start instead of seeding again, so the next start pays neither Faker nor the seeds, the grower's connection and
its first sync.

An entry holds both worlds as snapshots (simkit/snapshot.py: rows, journal, write counters, ticks, seed), what
the banner shows, the instant the set-up happened at and the URLs the apps had, and where in each world's rows
those texts are (found once, when saved: ~170 values in 10 columns, which a start rewrites without searching
every table). The file is that as one line of JSON, then each world's database as SQLite's raw pages (their sizes
in the JSON): pages inside JSON as base64 would cost every start ~2 ms to parse and decode. Restored, the instant
and the URLs become this start's (the set-up happens at one instant,
serve_setup.py), so a world restored from the cache is the world a fresh set-up would have made now, on these
ports.

It is keyed by what the set-up depends on: the command (both apps or Komet alone), the seed, the profile, the
journal's bound, the day (seeded ship dates count from it), the code (every source file of the four packages and
Faker's, by size and modification time) and the Python and SQLite versions. It lives in
$XDG_CACHE_HOME/kasim (~/.cache/kasim), readable by its owner only (it holds the seeded tokens), is never used with
--state, and is off with --no-cache or KASIM_NO_CACHE=1. An entry that cannot be read or does not fit is ignored and
made again; a cache that cannot be written is no reason not to serve (docs/decisions.md S8).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from simkit import snapshot

FORMAT = 3  # 2: where each world holds the texts a start swaps (places); 3: the databases raw after the JSON
OFF_ENV = "KASIM_NO_CACHE"
_PACKAGES = ("komet_sim", "asinfo_sim", "simkit", "harness")


def enabled(args: Any) -> bool:
    """Not with --state, --no-cache or KASIM_NO_CACHE, nor where there is no cache folder to use."""
    off = getattr(args, "no_cache", False) or os.environ.get(OFF_ENV) or args.state
    return not off and directory().is_absolute()


def directory() -> Path:
    """$XDG_CACHE_HOME/kasim (an absolute one: the XDG spec ignores others), else ~/.cache/kasim; relative, and so
    unused, when there is no home either."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kasim"


@dataclass(frozen=True)
class Entry:
    """What one start's set-up made, as the cache keeps it."""

    at: str  # the instant the set-up happened at, as the clock stamps it
    urls: dict[str, str]  # app name -> the URL it was served at
    made: dict[str, Any]  # what the set-up returned (the banner's facts)
    worlds: dict[str, snapshot.Snapshot]
    # app name -> where its database holds `at` and the URLs (found once, when saved): a start rewrites only those
    places: dict[str, snapshot.Places] | None = None


def key(args: Any, day: date) -> str:
    what = {
        "format": FORMAT,
        "which": args.which,
        "seed": args.seed,
        "profile": args.profile,
        "journalMb": getattr(args, "journal_mb", None),
        "day": day.isoformat(),
        "code": code_digest(),
        "python": sys.version,
        "sqlite": sqlite3.sqlite_version,
    }
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()[:32]


def code_digest() -> str:
    """Every source file the set-up may run, by path, size and modification time (stat only: reading them all
    would cost more than a good part of the start); and Faker's, whose draws make the seeded names, by the file
    its version is written in (walking its thousand providers would cost as much)."""
    lines: list[str] = []
    for name in _PACKAGES:
        _stamps(Path(__file__).resolve().parents[1] / name, lines)
    faker = importlib.util.find_spec("faker")  # found, not imported
    if faker is not None and faker.origin:
        st = os.stat(faker.origin)
        lines.append(f"{faker.origin}\0{st.st_size}\0{st.st_mtime_ns}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def _stamps(folder: str | os.PathLike[str], lines: list[str]) -> None:
    """A line per source file under `folder`, in name order (os.scandir: its entries know their kind, so only
    the files are stat'ed; a third less than os.walk's walk of the same files, for every start)."""
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir():
            if entry.name != "__pycache__":
                _stamps(entry.path, lines)
        elif entry.name.endswith((".py", ".sql", ".json")):
            st = entry.stat()
            lines.append(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\n")


def _path(cache_key: str) -> Path:
    return directory() / f"serve-{cache_key}.bin"


def load(cache_key: str) -> Entry | None:
    """The entry, or None when there is none, or it cannot be read, or it is not one of this key."""
    try:
        head, _, pages = _path(cache_key).read_bytes().partition(b"\n")
        data = json.loads(head)
        if data.get("format") != FORMAT or data.get("key") != cache_key:
            return None
        databases = _databases(pages, data["databases"])
        return Entry(
            at=str(data["at"]),
            urls={str(k): str(v) for k, v in dict(data["urls"]).items()},
            made=dict(data["made"]),
            worlds={
                str(k): snapshot.from_json(v, databases[str(k)]) for k, v in dict(data["worlds"]).items()
            },
            places={str(k): _places(v) for k, v in dict(data["places"]).items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(cache_key: str, entry: Entry) -> bool:
    """Written whole or not at all (a file of its own, renamed into place); False when it could not be."""
    data = {
        "format": FORMAT,
        "key": cache_key,
        "at": entry.at,
        "urls": entry.urls,
        "made": entry.made,
        "worlds": {name: snapshot.to_json(s, database=False) for name, s in entry.worlds.items()},
        # each world's database size: the pages follow the JSON, in this order
        "databases": [[name, len(s.database)] for name, s in entry.worlds.items()],
        "places": {
            name: snapshot.places(s, [entry.at, *entry.urls.values()]) for name, s in entry.worlds.items()
        },
    }
    folder = directory()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".serve-", suffix=".tmp", dir=folder)  # 0600: it holds tokens
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(json.dumps(data).encode() + b"\n")  # one line: JSON escapes every newline in it
                for world in entry.worlds.values():
                    out.write(world.database)
            os.replace(tmp, _path(cache_key))
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return False
    for old in folder.glob("serve-*"):  # entries of other days, code or formats are never read again
        try:
            if old != _path(cache_key) and time.time() - old.stat().st_mtime > 86_400:
                old.unlink()
        except OSError:
            pass
    return True


def _databases(pages: bytes, sizes: Any) -> dict[str, bytes]:
    """Each world's database from the bytes after the JSON, which `sizes` ([[app, bytes], …]) names in order;
    ValueError when they are not those sizes (a file cut short)."""
    found: dict[str, bytes] = {}
    view, at = memoryview(pages), 0
    for name, size in sizes:
        if int(size) < 0:
            raise ValueError("a database of negative size")
        found[str(name)] = view[at : at + int(size)].tobytes()
        at += int(size)
    if at != len(pages):
        raise ValueError("the databases are not the sizes the entry says")
    return found


def _places(data: Any) -> snapshot.Places:
    return {
        str(t): {str(c): [int(r) for r in rowids] for c, rowids in dict(cs).items()}
        for t, cs in dict(data).items()
    }


def moved(entry: Entry, at: str, urls: dict[str, str]) -> Entry:
    """The entry as a set-up at `at`, on `urls`, would have made it (only the values its places name are
    rewritten, when it has them). ValueError if it has other apps, or places its worlds do not have."""
    if set(entry.urls) != set(urls) or set(entry.worlds) != set(urls):
        raise ValueError("the entry is of other apps")
    swaps = [(entry.at, at)] + [(entry.urls[name], urls[name]) for name in urls]
    made = json.loads(snapshot.swapper(swaps)(json.dumps(entry.made)))
    places = entry.places or {}
    worlds = {name: snapshot.rewrite(s, swaps, places.get(name)) for name, s in entry.worlds.items()}
    return Entry(at, dict(urls), made, worlds)
