"""${...} in scenario values, one rule per test."""

from __future__ import annotations

import pytest

from harness.interpolate import Undefined, resolve, roots


def test_a_whole_reference_keeps_the_type_of_its_value():
    assert resolve("${n}", {"n": 3}) == 3
    assert resolve("${d}", {"d": {"a": [1]}}) == {"a": [1]}


def test_a_whole_reference_may_have_spaces_around_it():
    assert resolve("  ${n}  ", {"n": 3}) == 3
    assert resolve("${ n }", {"n": 3}) == 3


def test_a_reference_inside_text_becomes_text():
    assert resolve("PO ${n}", {"n": 12}) == "PO 12"


def test_a_structure_inside_text_is_written_as_json():
    assert resolve("got ${d}", {"d": {"k": True}}) == 'got {"k": true}'


def test_text_inside_text_is_not_quoted():
    assert resolve("AWB ${a}", {"a": "729-1"}) == "AWB 729-1"


def test_several_references_in_one_text():
    assert resolve("${a}-${b}", {"a": 1, "b": "x"}) == "1-x"


def test_a_jmespath_path_reads_into_a_variable():
    scope = {"world": {"vendors": [{"id": 10}, {"id": 11}]}}
    assert resolve("${world.vendors[1].id}", scope) == 11


def test_a_path_to_a_field_that_is_not_there_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"awb has no 'numbr' \(it has: number\)"):
        resolve("${awb.numbr}", {"awb": {"number": "1"}})


def test_an_index_past_the_end_is_an_error():
    with pytest.raises(ValueError, match=r"lines has no item \[3\] \(1 item\(s\)\)"):
        resolve("${lines[3]}", {"lines": [1]})


def test_a_field_that_is_there_with_null_gives_null():
    assert resolve("${awb.hawb}", {"awb": {"hawb": None}}) is None


def test_values_inside_objects_and_lists_are_resolved():
    assert resolve({"a": ["${x}", {"b": "${x}"}], "c": 5}, {"x": 2}) == {"a": [2, {"b": 2}], "c": 5}


def test_values_without_references_are_left_alone():
    assert resolve({"a": 1, "b": [True, None, "text"]}, {}) == {"a": 1, "b": [True, None, "text"]}


def test_an_undefined_variable_names_itself_and_what_is_defined():
    with pytest.raises(Undefined) as info:
        resolve("${nope}", {"awb": 1, "po": 2})
    assert info.value.name == "nope"
    assert str(info.value) == "undefined variable 'nope' (defined: awb, po)"


def test_an_undefined_variable_with_nothing_defined():
    with pytest.raises(Undefined) as info:
        resolve("x ${nope}", {})
    assert "none yet" in str(info.value)


def test_an_unreadable_path_is_a_value_error_naming_the_reference():
    with pytest.raises(ValueError, match=r"cannot read \$\{x\.\.y\}"):
        resolve("${x..y}", {"x": {}})


def test_roots_lists_the_variables_a_value_uses():
    assert roots({"a": ["${awb.number} ${po}", "${ shipment }"], "b": 3, "c": "plain"}) == [
        "awb",
        "po",
        "shipment",
    ]


def test_roots_of_a_value_without_references_is_empty():
    assert roots({"a": 1, "b": ["x"]}) == []


def test_roots_of_a_path_into_a_list_is_the_variable():
    assert roots("${world.vendors[0].id}") == ["world"]
