"""Pages of a long list, for both portals: `?page=` and `?size=` read and checked here, the slice and the
counts the pager shows ("26–50 of 66"). The domain answers the whole list; a page only shows part of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import BadInput

PAGE_SIZES = (25, 50, 100)
DEFAULT_SIZE = PAGE_SIZES[0]


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int  # 1-based
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """1-based position of the first item shown (0 when there is none)."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)

    @property
    def sizes(self) -> tuple[int, ...]:
        return PAGE_SIZES


def _whole(args: Mapping[str, str], name: str, default: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadInput(name, f"a whole number from 1, not {raw!r}")
    return int(raw)


def paginate(items: Sequence[Any], args: Mapping[str, str]) -> Page:
    """The page `args` asks for (`page` from 1, `size` one of PAGE_SIZES); a page past the end shows the last."""
    size = _whole(args, "size", DEFAULT_SIZE)
    if size not in PAGE_SIZES:
        raise BadInput("size", f"rows per page: one of {', '.join(map(str, PAGE_SIZES))}, not {size}")
    total = len(items)
    number = min(_whole(args, "page", 1), max(1, -(-total // size)))
    start = (number - 1) * size
    return Page(list(items[start : start + size]), number, size, total)
