"""simkit.clock: durations, date-times and the virtual clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit import clock as clock_module
from simkit.clock import DEFAULT_START, VirtualClock, parse_datetime, parse_duration


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("36h", 36 * 3600),
        ("2d", 2 * 86400),
        ("1d12h", 36 * 3600),
        ("90m", 5400),
        ("1.5s", 1.5),
        ("250ms", 0.25),
        ("1w", 7 * 86400),
        ("1h 30m", 5400),
        ("-2h", -7200),
        (45, 45),
        (0.5, 0.5),
        ("1m5s", 65),
        ("24h", 86400),
    ],
)
def test_durations_are_read_in_every_documented_form(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "text", ["", "soon", "10", "h", "1x", "1h-", True, "1d 2", "--1h", 10**20, "9" * 30 + "w"]
)
def test_unreadable_durations_are_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-27T06:00:00", datetime(2026, 11, 27, 6)),
        ("2026-11-27", datetime(2026, 11, 27)),
        ("2026-11-27T06:00:00Z", datetime(2026, 11, 27, 6)),
        ("2026-11-27T01:00:00-05:00", datetime(2026, 11, 27, 6)),
    ],
)
def test_date_times_are_read_as_naive_utc(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["tomorrow", "27/11/2026", "2026-13-01"])
def test_unreadable_date_times_are_refused(text):
    with pytest.raises(ValueError):
        parse_datetime(text)


class WallClock:
    """Stands in for time.monotonic: the test moves it instead of sleeping."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def wall(monkeypatch) -> WallClock:
    fake = WallClock()
    monkeypatch.setattr(clock_module, "time", SimpleNamespace(monotonic=fake))  # this module's wall time only
    return fake


def test_a_new_clock_is_frozen_at_the_default_start(wall):
    clock = VirtualClock()
    first = clock.now()
    wall.seconds += 3600
    assert clock.now() == first == DEFAULT_START


def test_advance_moves_the_clock_forward():
    clock = VirtualClock()
    clock.advance(timedelta(hours=36))
    assert clock.stamp() == "2026-11-27T18:00:00"
    assert clock.today().isoformat() == "2026-11-27"


def test_set_puts_the_clock_at_a_time():
    clock = VirtualClock()
    clock.set(datetime(2027, 1, 2, 3, 4, 5, 678))
    assert clock.stamp() == "2027-01-02T03:04:05"
    assert clock.now().microsecond == 0


def test_a_running_clock_moves_with_the_wall_clock(wall):
    clock = VirtualClock(running=True)
    first = clock.now()
    wall.seconds += 90
    assert clock.now() - first == timedelta(seconds=90)


def test_listeners_hear_every_change():
    clock = VirtualClock()
    heard = []
    clock.listeners.append(lambda c: heard.append(c.stamp()))
    clock.advance(timedelta(hours=1))
    clock.set(datetime(2026, 12, 1))
    assert heard == ["2026-11-26T07:00:00", "2026-12-01T00:00:00"]


def test_apply_advances_sets_and_starts():
    clock = VirtualClock()
    assert clock.apply(advance=timedelta(hours=24)) == {
        "now": "2026-11-27T06:00:00",
        "today": "2026-11-27",
        "running": False,
    }
    assert clock.apply(at=datetime(2026, 12, 24, 20))["now"] == "2026-12-24T20:00:00"
    assert clock.apply(running=True)["running"] is True


def test_apply_sets_then_advances_when_given_both():
    clock = VirtualClock()
    assert clock.apply(at=datetime(2026, 12, 1), advance=timedelta(hours=2))["now"] == "2026-12-01T02:00:00"


def test_apply_refuses_a_move_past_the_end_of_time_and_leaves_the_clock():
    clock = VirtualClock()
    with pytest.raises(ValueError, match="range"):
        clock.apply(at=datetime(9999, 12, 31), advance=timedelta(days=2))
    assert clock.now() == DEFAULT_START


@given(st.datetimes(min_value=clock_module.EARLIEST, max_value=clock_module.LATEST))
def test_a_stamp_is_the_wire_format_at_any_time_the_clock_can_show(when):
    clock = VirtualClock()
    clock.set(when)
    assert clock.stamp() == when.strftime("%Y-%m-%dT%H:%M:%S")
    assert clock.to_json()["now"] == clock.stamp()
