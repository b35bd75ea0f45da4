"""-k expressions, one rule per test."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from harness.keywords import KeywordError, compile_expr, haystack


def matches(expr: str, hay: str) -> bool:
    return compile_expr(expr)(hay)


def test_a_word_matches_as_a_substring():
    assert matches("split", "partial confirmation then a split on shipment")
    assert matches("conf", "partial confirmation")
    assert not matches("quota", "partial confirmation")


def test_words_match_regardless_of_case():
    assert matches("SPLIT", "a split")


def test_and_needs_both():
    assert matches("split and ship", "split ship")
    assert not matches("split and fault", "split ship")


def test_or_needs_either():
    assert matches("quota or split", "split ship")
    assert not matches("quota or token", "split ship")


def test_not_negates():
    assert matches("not fault", "split ship")
    assert not matches("not split", "split ship")


def test_not_not_is_the_word_itself():
    assert matches("not not split", "split")


def test_and_binds_tighter_than_or():
    # a or (b and c)
    assert matches("split or quota and token", "split")
    assert not matches("split or quota and token", "quota")


def test_not_binds_tighter_than_and():
    # (not a) and b
    assert matches("not fault and split", "split")
    assert not matches("not fault and split", "fault split")


def test_parentheses_group():
    assert not matches("(split or quota) and token", "split")
    assert matches("(split or quota) and token", "quota token")


def test_nested_parentheses():
    assert matches("not ((a or b) and c)", "a")
    assert not matches("not ((a or b) and c)", "b c")


def test_an_empty_expression_matches_everything():
    assert matches("", "anything")
    assert matches("   ", "anything")


def test_words_side_by_side_are_one_phrase():
    assert matches("partial confirmation", "partial confirmation then a split")
    assert not matches("confirmation partial", "partial confirmation then a split")


def test_a_whole_scenario_name_with_and_in_it_still_selects_it():
    name = "the reply to a ship request is lost, and nothing ships twice"
    assert matches("The reply to a ship request is lost, and nothing ships twice", name)


@pytest.mark.parametrize(
    ("expr", "why"),
    [
        ("split and", "expression ends too early"),
        ("not", "expression ends too early"),
        ("(split", "missing ')'"),
        ("split)", "unexpected ')'"),
        ("and split", "unexpected 'and'"),
        ("split or or quota", "unexpected 'or'"),
        ("()", "unexpected ')'"),
    ],
)
def test_a_broken_expression_says_what_is_wrong(expr, why):
    with pytest.raises(KeywordError) as info:
        compile_expr(expr)
    assert str(info.value) == f"-k {expr!r}: {why}"


def test_the_haystack_holds_the_id_the_file_and_the_tags():
    scenario = SimpleNamespace(
        id="Partial split[small]", file="scenarios/split.yaml", tags=["Confirm", "ship"]
    )
    hay = haystack(scenario)
    assert matches("small and confirm and split.yaml", hay)
    assert hay == hay.lower()
