"""simkit.paging: the slice and the counts a pager shows, and the refusals of a bad ?page= or ?size=."""

from __future__ import annotations

import pytest

from simkit.errors import BadInput
from simkit.paging import DEFAULT_SIZE, PAGE_SIZES, paginate

ITEMS = list(range(1, 67))  # 66, as a busy ship date had


def test_the_first_page_by_default():
    page = paginate(ITEMS, {})
    assert (page.items, page.size, page.pages) == (ITEMS[:DEFAULT_SIZE], DEFAULT_SIZE, 3)
    assert (page.first, page.last, page.total) == (1, 25, 66)


def test_the_last_page_holds_the_rest():
    page = paginate(ITEMS, {"page": "3"})
    assert (page.items, page.first, page.last) == (ITEMS[50:], 51, 66)


def test_a_page_past_the_end_shows_the_last():
    assert paginate(ITEMS, {"page": "9", "size": "50"}).items == ITEMS[50:]


def test_an_empty_list_is_one_empty_page():
    page = paginate([], {"page": "2"})
    assert (page.items, page.number, page.pages, page.first, page.last) == ([], 1, 1, 0, 0)


@pytest.mark.parametrize("size", PAGE_SIZES)
def test_each_size_slices_by_itself(size):
    assert len(paginate(ITEMS, {"size": str(size)}).items) == min(size, len(ITEMS))


@pytest.mark.parametrize(
    ("args", "field"), [({"page": "x"}, "page"), ({"page": "0"}, "page"), ({"size": "7"}, "size")]
)
def test_a_bad_page_or_size_is_refused_naming_it(args, field):
    with pytest.raises(BadInput) as refused:
        paginate(ITEMS, args)
    assert refused.value.field == field
