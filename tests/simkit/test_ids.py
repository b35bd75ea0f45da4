"""simkit.ids: every generated id derives from the seed (K13)."""

from __future__ import annotations

import re

from simkit.ids import derive, digits, token, token_hash


def test_tokens_are_26_lower_case_letters_and_digits():
    assert all(re.fullmatch(r"[a-z0-9]{26}", token(7, n)) for n in range(50))


def test_the_same_seed_and_counter_give_the_same_token():
    assert token(7, 3) == token(7, 3)


def test_tokens_differ_by_seed_and_by_counter():
    assert len({token(7, 1), token(7, 2), token(8, 1)}) == 3


def test_derived_generators_do_not_depend_on_each_other():
    a = derive(1, "box", 5)
    first = a.random()
    derive(1, "token", 5).random()  # another purpose in between changes nothing
    assert derive(1, "box", 5).random() == first


def test_digits_have_the_width_asked():
    assert re.fullmatch(r"\d{7}", digits(3, "box:1", 9, 7))
    assert digits(3, "box:1", 9, 7) == digits(3, "box:1", 9, 7)


def test_token_hash_is_stable_and_hides_the_token():
    assert token_hash("abc") == token_hash("abc") != "abc"
    assert len(token_hash("abc")) == 64
