"""How the ASINFO grower portal behaves where nothing public says (docs/decisions.md A1–A16), in one place."""

from __future__ import annotations

from datetime import datetime, timedelta

SYNC_WINDOW_DAYS = 7  # A2: today .. today+N
POLL_INTERVAL_SECONDS = 60  # A2: background polling when served (0 = off; off in tests)
DESTINATION = "MIA"  # A4: ~90% of US flower imports enter through Miami
ORIGINS = ("BOG", "MDE", "UIO")
COUNTRY_OF_ORIGIN = {"BOG": "Colombia", "MDE": "Colombia", "UIO": "Ecuador"}
DEFAULT_BOX_CODE_PATTERN = "{farm}{seq:07d}"  # A5: the grower's own codes, sent to Komet
LOT_START = 100000  # A6: our lots stay above Komet's reserved 1000-99999
KOMET_TIMEOUT_SECONDS = 10.0  # A7: a call to Komet gives up after this

# A3: the outbox retries transport failures with exponential backoff, forever (a confirmation is never
# dropped), capped so a long outage still retries every 15 minutes.
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(minutes=15)


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_CAP)


def next_utc_day(now: datetime) -> datetime:
    """A7: when a daily quota refusal (K5) can be retried: Komet's day turns at UTC midnight."""
    return datetime(now.year, now.month, now.day) + timedelta(days=1)
