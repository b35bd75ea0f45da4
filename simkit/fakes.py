"""Seeded Faker instances, built once per locale and provider set (building one costs tens of milliseconds),
re-seeded for each use. Use is serialised: a re-seeded instance gives the same draws, byte for byte."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from faker import Faker

_cache: dict[tuple[object, ...], Faker] = {}
_lock = threading.RLock()


@contextmanager
def seeded_faker(locale: str, seed: int, *providers: type) -> Iterator[Faker]:
    with _lock:
        key = (locale, providers)
        fake = _cache.get(key)
        if fake is None:
            fake = Faker(locale)
            for provider in providers:
                fake.add_provider(provider)
            _cache[key] = fake
        fake.seed_instance(seed)
        yield fake
