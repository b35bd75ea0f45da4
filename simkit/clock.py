"""One virtual clock per world: frozen by default (deterministic runs), or running with the wall clock."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .context import NAMESPACE

DEFAULT_START = datetime(2026, 11, 26, 6, 0, 0)
# The clock's range (docs/decisions.md S5): wide enough for any test, and far from datetime's own limits, so
# that a ship date plus a sync window, or a clock left running, can never overflow.
EARLIEST = datetime(1970, 1, 1)
LATEST = datetime(9000, 1, 1)
RANGE = f"{EARLIEST.date().isoformat()} to {LATEST.date().isoformat()}"
_DURATION = re.compile(r"^\s*(-)?((?:\d+(?:\.\d+)?\s*(?:ms|[wdhms])\s*)+)$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|[wdhms])")
_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}


def parse_duration(text: str | int | float) -> timedelta:
    """'36h', '2d', '1d12h', '90m', '1.5s', '250ms' or a number of seconds."""
    if isinstance(text, bool):
        raise ValueError("a duration such as '36h' or '2d'")
    if isinstance(text, int | float):
        return _delta(text, text)
    m = _DURATION.match(str(text))
    if not m:
        raise ValueError(f"{text!r} is not a duration such as '36h', '2d' or '1d12h'")
    seconds = sum(float(n) * _UNITS[u] for n, u in _PART.findall(m.group(2)))
    return _delta(-seconds if m.group(1) else seconds, text)


def _delta(seconds: float, text: object) -> timedelta:
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"{text!r} is longer than the clock can go") from None


def parse_datetime(text: str) -> datetime:
    """ISO date or datetime, naive (the clock is UTC without tzinfo)."""
    try:
        value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date-time such as 2026-11-27T06:00:00") from exc
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def within_range(when: datetime) -> datetime:
    """`when`, if the clock may show it; else ValueError saying the range."""
    if not EARLIEST <= when <= LATEST:
        raise ValueError(f"{when.isoformat(timespec='seconds')} is outside the clock's range ({RANGE})")
    return when


def _wire(when: datetime) -> str:
    """YYYY-MM-DDTHH:MM:SS: what strftime("%Y-%m-%dT%H:%M:%S") gives for a naive time in the clock's range (four-
    digit years), in a third of its time (every journal entry and every reply carries one)."""
    return when.isoformat(timespec="seconds")


def _moved(when: datetime, delta: timedelta) -> datetime:
    try:
        return within_range(when + delta)
    except OverflowError:
        raise ValueError(f"the clock cannot go that far (its range is {RANGE})") from None


class VirtualClock:
    """now() = anchor + (wall time since anchoring, if running) + the current namespace's offset.

    A namespace (one scenario's company or grower account on a shared server) may move its own time without
    moving anyone else's: POST /__sim/clock?namespace=... changes only that offset. Thread-safe."""

    def __init__(self, start: datetime | None = None, running: bool = False):
        self._lock = threading.Lock()
        self._anchor = start or DEFAULT_START
        self._wall = time.monotonic()
        self.running = running
        self.listeners: list[Callable[[VirtualClock], None]] = []
        self._offsets: dict[str, timedelta] = {}
        self._ticks = 0

    def tick(self) -> int:
        """A logical counter that orders journal entries. Apps sharing this clock (both simulators in process)
        share it, so their two journals merge into one order; a fresh clock starts at 1, so the same seed gives
        the same journal."""
        with self._lock:
            self._ticks += 1
            return self._ticks

    @property
    def ticks(self) -> int:
        """The last tick given (0: none yet)."""
        with self._lock:
            return self._ticks

    def resume_ticks(self, ticks: int) -> None:
        """Go on from `ticks`, as a world restored from a snapshot does (its journal already holds them)."""
        with self._lock:
            self._ticks = int(ticks)

    def _base(self) -> datetime:  # caller holds the lock
        if self.running:
            return self._anchor + timedelta(seconds=time.monotonic() - self._wall)
        return self._anchor

    def base(self) -> datetime:
        with self._lock:
            return self._base()

    def now(self) -> datetime:
        namespace = NAMESPACE.get()
        offset = self._offsets.get(namespace) if namespace is not None else None
        return self.base() + offset if offset else self.base()

    def today(self) -> date:
        return self.now().date()

    def stamp(self) -> str:
        """Timestamps on the wire: YYYY-MM-DDTHH:MM:SS (K13)."""
        return _wire(self.now())

    def advance(self, delta: timedelta) -> datetime:
        """Read and move in one step: concurrent advances add up, none is lost. ValueError past the range."""
        return self._move(lambda current: _moved(current, delta))

    def set(self, when: datetime, running: bool | None = None) -> datetime:
        """ValueError, and nothing moves, for a time outside the clock's range."""
        return self._move(lambda current: within_range(when), running)

    def _move(self, target: Callable[[datetime], datetime], running: bool | None = None) -> datetime:
        with self._lock:
            when = target(self._base())  # raises before anything changes
            self._anchor = when.replace(microsecond=0) if not self.running else when
            self._wall = time.monotonic()
            if running is not None:
                self.running = running
        for listener in self.listeners:
            listener(self)
        return when

    def to_json(self, namespace: str | None = None) -> dict[str, Any]:
        now = self.base() + self._offsets.get(namespace, timedelta()) if namespace else self.now()
        data = {
            "now": _wire(now),
            "today": now.date().isoformat(),
            "running": self.running,
        }
        if namespace:
            data["namespace"] = namespace
        return data

    def clear_offsets(self, namespace: str | None = None) -> None:
        """A reset namespace (or world) starts again on the shared time: a new one reusing the id inherits nothing."""
        with self._lock:
            if namespace is None:
                self._offsets.clear()
            else:
                self._offsets.pop(str(namespace), None)

    def shift(
        self, namespace: str, *, advance: timedelta | None = None, at: datetime | None = None
    ) -> dict[str, Any]:
        """Move one namespace's time only: advance it, or set it `at` a time (relative to the shared base)."""
        delta = advance or timedelta()
        with self._lock:  # read and write the offset in one step
            base = self._base()
            if at is not None:
                within_range(at)
            current = at - base if at is not None else self._offsets.get(namespace, timedelta())
            _moved(base + current, delta)  # the namespace's time stays in the range
            self._offsets[namespace] = current + delta
        return self.to_json(namespace)

    def apply(
        self, *, advance: timedelta | None = None, at: datetime | None = None, running: bool | None = None
    ) -> dict[str, Any]:
        """Set the time `at`, then `advance` it, and start or stop it: all of it, or (ValueError) none."""
        if at is not None:
            within_range(at)
        if advance is not None:
            _moved(at or self.base(), advance)
        if at is not None:
            self.set(at, running)
        if advance is not None:
            self.advance(advance)
        if at is None and running is not None:
            self.set(self.base(), running)
        return self.to_json()
