"""Seeded identifiers: every generated id, code and token derives from the world's seed (K13)."""

from __future__ import annotations

import hashlib
import random
import string

ALNUM = string.ascii_lowercase + string.digits


def derive(seed: int, *parts: object) -> random.Random:
    """A private RNG for one purpose (kind + counter), so draws never depend on call order elsewhere."""
    digest = hashlib.sha256(":".join([str(seed), *map(str, parts)]).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 (seeded on purpose: the same seed gives the same world)


def token(seed: int, n: int, length: int = 26) -> str:
    """26 lower-case letters and digits (K4)."""
    rng = derive(seed, "token", n)
    return "".join(rng.choice(ALNUM) for _ in range(length))


def digits(seed: int, kind: str, n: int, width: int) -> str:
    rng = derive(seed, kind, n)
    return "".join(rng.choice(string.digits) for _ in range(width))


def token_hash(value: str) -> str:
    """Tokens are looked up by hash, so no comparison ever walks the secret character by character."""
    return hashlib.sha256(value.encode()).hexdigest()
