"""expect: partial matching of JSON, one rule per test."""

from __future__ import annotations

import pytest

from harness.matching import is_matcher, match


def ok(expected, actual) -> bool:
    return match(expected, actual) == []


def only(expected, actual):
    found = match(expected, actual)
    assert len(found) == 1, found
    return found[0]


# --- objects -------------------------------------------------------------------------------------------


def test_object_matches_when_every_expected_key_matches_and_ignores_the_others():
    assert ok({"a": 1}, {"a": 1, "b": 2})


def test_object_with_a_missing_key_names_the_key_and_what_there_is():
    m = only({"c": 1}, {"a": 1, "b": 2})
    assert m.path == "$.c"
    assert "missing" in m.message and "a, b" in m.message


def test_object_expected_but_something_else_given():
    m = only({"a": 1}, [1])
    assert m.path == "$" and "expected an object" in m.message


def test_nested_mismatch_path_goes_down_to_the_key():
    m = only({"po": {"lines": {"state": "shipped"}}}, {"po": {"lines": {"state": "sent"}}})
    assert m.path == "$.po.lines.state"
    assert "'shipped'" in m.message and "'sent'" in m.message


def test_every_mismatch_of_an_object_is_reported():
    assert len(match({"a": 1, "b": 2, "c": 3}, {"a": 0, "b": 0, "c": 3})) == 2


def test_empty_expected_object_matches_any_object():
    assert ok({}, {"a": 1})


# --- scalars -------------------------------------------------------------------------------------------


def test_text_one_equals_number_one_both_ways():
    assert ok("1", 1)
    assert ok(1, "1")


def test_text_and_number_must_still_be_the_same_number():
    assert not ok("2", 1)


def test_booleans_are_strict_against_numbers():
    assert not ok(True, 1)
    assert not ok(1, True)
    assert not ok(False, 0)


def test_booleans_are_strict_against_text():
    assert not ok(True, "true")
    assert not ok("false", False)


def test_booleans_equal_booleans():
    assert ok(True, True)
    assert ok(False, False)
    assert not ok(True, False)


def test_null_matches_only_null():
    assert ok(None, None)
    assert not ok(None, 0)
    assert not ok(None, "")


def test_floats_and_ints_compare_by_value():
    assert ok(2, 2.0)


# --- lists -----------------------------------------------------------------------------------------------


def test_list_matches_in_any_order():
    assert ok([3, 1], [1, 2, 3])


def test_list_allows_extra_actual_items():
    assert ok([{"id": 1}], [{"id": 2}, {"id": 1}])


def test_list_each_expected_item_needs_its_own_actual_item():
    assert not ok([{"a": 1}, {"a": 1}], [{"a": 1, "b": 2}])


def test_list_with_overlapping_items_finds_the_pairing_greedy_matching_misses():
    # {a:1} also fits the only item that fits {a:1, b:2}; a greedy first-fit would take it and fail.
    expected = [{"a": 1}, {"a": 1, "b": 2}]
    actual = [{"a": 1, "b": 2}, {"a": 1, "c": 3}]
    assert ok(expected, actual)


def test_list_with_overlapping_items_in_three_way_chain():
    expected = [{"x": 1}, {"x": 1, "y": 1}, {"x": 1, "y": 1, "z": 1}]
    actual = [{"x": 1, "y": 1, "z": 1}, {"x": 1, "y": 1}, {"x": 1}]
    assert ok(expected, actual)


def test_list_mismatch_says_which_item_found_no_match_and_how_many_there_were():
    m = only([{"state": "shipped"}], [{"state": "sent"}, {"state": "open"}])
    assert m.path == "$[*]"
    assert "expected 1 item(s) matching {'state': 'shipped'}, found 0 among 2 item(s)" in m.message
    assert "e.g. at $[0].state: expected 'shipped', got 'sent'" in m.message


def test_list_mismatch_counts_expected_and_found_when_too_few_match():
    m = only([{"state": "shipped"}, {"state": "shipped"}], [{"state": "shipped"}, {"state": "open"}])
    assert m.message == "expected 2 item(s) matching {'state': 'shipped'}, found 1 among 2"


def test_list_mismatch_says_when_items_fit_but_are_taken_by_other_expected_items():
    m = only([{"a": 1}, {"a": 1, "b": 2}], [{"a": 1, "b": 2}])
    assert "1 item(s) match {'a': 1, 'b': 2}, but the 2 expected items need 2 different items" in m.message
    assert "only 1 could be paired" in m.message


def test_list_expected_but_something_else_given():
    m = only([1], {"a": 1})
    assert "expected a list" in m.message


def test_empty_expected_list_matches_any_list():
    assert ok([], [1, 2])


# --- matchers --------------------------------------------------------------------------------------------


def test_is_matcher_needs_every_key_to_be_a_matcher():
    assert is_matcher({"$len": 2})
    assert not is_matcher({"$len": 2, "a": 1})
    assert not is_matcher({})


def test_regex_searches_text():
    assert ok({"$regex": r"^729-\d{4}"}, "729-1234-5675")
    assert "expected to match /^x/" in only({"$regex": "^x"}, "abc").message


def test_regex_applies_to_numbers_as_text():
    assert ok({"$regex": r"^\d+$"}, 2870)


def test_regex_does_not_match_objects():
    assert not ok({"$regex": "a"}, {"a": 1})


def test_contains_in_text_ignores_case():
    assert ok({"$contains": "connected"}, "Connected to Komet")
    assert not ok({"$contains": "refused"}, "Connected")


def test_contains_in_a_list_matches_an_item_partially():
    assert ok({"$contains": {"id": 2}}, [{"id": 1}, {"id": 2, "x": 0}])
    assert "expected an item matching" in only({"$contains": {"id": 3}}, [{"id": 1}]).message


def test_contains_needs_text_or_a_list():
    assert "expected text or a list" in only({"$contains": "a"}, 5).message


@pytest.mark.parametrize(
    ("matcher", "value", "actual", "passes"),
    [
        ("$gt", 1, 2, True),
        ("$gt", 2, 2, False),
        ("$gte", 2, 2, True),
        ("$gte", 3, 2, False),
        ("$lt", 3, 2, True),
        ("$lt", 2, 2, False),
        ("$lte", 2, 2, True),
        ("$lte", 1, 2, False),
    ],
)
def test_comparisons(matcher, value, actual, passes):
    assert ok({matcher: value}, actual) is passes


def test_comparisons_read_numbers_in_text():
    assert ok({"$gt": 0}, "3")


def test_comparison_with_something_that_is_not_a_number():
    assert "expected a number to compare with 0" in only({"$gt": 0}, "many").message


def test_ne_is_anything_but():
    assert ok({"$ne": 0}, 1)
    assert not ok({"$ne": 0}, 0)
    assert not ok({"$ne": 1}, "1")


def test_in_is_one_of_with_text_and_numbers_equal():
    assert ok({"$in": ["S", "CF"]}, "CF")
    assert ok({"$in": [1, 2]}, "2")
    assert "expected one of" in only({"$in": ["S"]}, "P").message


def test_len_with_a_number():
    assert ok({"$len": 2}, [1, 2])
    assert "expected 3 item(s), got 2" in only({"$len": 3}, [1, 2]).message


def test_len_with_a_matcher_reports_the_length_path():
    assert ok({"$len": {"$gt": 0}}, "abc")
    m = only({"$len": {"$gt": 5}}, [1])
    assert m.path == "$.length"


def test_len_of_something_without_a_length():
    assert "expected something with a length" in only({"$len": 1}, 5).message


def test_each_checks_every_item_and_names_the_failing_index():
    assert ok({"$each": {"state": "shipped"}}, [{"state": "shipped"}, {"state": "shipped", "x": 1}])
    m = only({"$each": {"state": "shipped"}}, [{"state": "shipped"}, {"state": "open"}])
    assert m.path == "$[1].state"


def test_each_of_an_empty_list_passes():
    assert ok({"$each": {"a": 1}}, [])


def test_each_needs_a_list():
    assert "expected a list" in only({"$each": 1}, {"a": 1}).message


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("string", "x", 1),
        ("number", 1.5, "1.5"),
        ("integer", 3, 3.5),
        ("boolean", False, 0),
        ("object", {}, []),
        ("array", [], {}),
        ("null", None, 0),
    ],
)
def test_type(name, good, bad):
    assert ok({"$type": name}, good)
    assert not ok({"$type": name}, bad)


def test_type_a_boolean_is_not_a_number():
    assert not ok({"$type": "integer"}, True)
    assert not ok({"$type": "number"}, False)


def test_exists_false_means_the_key_is_absent():
    assert ok({"error": {"$exists": False}}, {"ok": 1})
    m = only({"error": {"$exists": False}}, {"error": "boom"})
    assert m.path == "$.error" and "expected no 'error'" in m.message


def test_exists_true_means_the_key_is_present():
    assert ok({"a": {"$exists": True}}, {"a": None})
    assert not ok({"a": {"$exists": True}}, {})


def test_any_matches_anything_present():
    assert ok({"a": {"$any": True}}, {"a": [1, {"b": 2}]})
    assert not ok({"a": {"$any": True}}, {})


def test_exactly_is_same_size_any_order():
    assert ok({"$exactly": [2, 1]}, [1, 2])
    assert "expected exactly 2 item(s), got 3" in only({"$exactly": [1, 2]}, [1, 2, 3]).message


def test_ordered_is_same_size_same_order():
    assert ok({"$ordered": [1, 2]}, [1, 2])
    assert [m.path for m in match({"$ordered": [1, 2]}, [2, 1])] == ["$[0]", "$[1]"]


def test_ordered_needs_the_same_size():
    assert "expected 1 item(s) in order" in only({"$ordered": [1]}, [1, 2]).message


def test_eq_matches_literally_what_looks_like_an_object():
    assert ok({"$eq": {"a": 1}}, {"a": 1, "b": 2})


def test_several_matchers_on_one_value_all_apply():
    assert ok({"$type": "string", "$regex": "^a"}, "abc")
    assert len(match({"$type": "integer", "$regex": "^z"}, "abc")) == 2


def test_matchers_inside_lists_inside_objects():
    expected = {"lines": [{"poItemId": {"$type": "integer"}, "state": "shipped"}]}
    actual = {"lines": [{"poItemId": "x", "state": "shipped"}, {"poItemId": 7, "state": "shipped"}]}
    assert ok(expected, actual)


def test_mismatch_str_shows_the_path():
    assert str(only({"a": 1}, {"a": 2})).startswith("at $.a: ")
