"""${...} in scenario values, one rule per test."""

from __future__ import annotations

import pytest

from harness.interpolate import Undefined, resolve, roots, static_problems


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
    with pytest.raises(ValueError, match=r"\$\{x\.\.y\} cannot be read"):
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


def test_a_function_call_reads_its_variables():
    assert resolve("${length(boxes)}", {"boxes": [1, 2, 3]}) == 3
    assert resolve("${sum(lines[*].n)}", {"lines": [{"n": 2}, {"n": 5}]}) == 7
    assert resolve("${join(', ', codes)}", {"codes": ["A", "B"]}) == "A, B"


def test_a_function_of_an_undefined_variable_names_the_variable():
    with pytest.raises(Undefined) as info:
        resolve("${length(boxes)}", {"awb": 1})
    assert info.value.name == "boxes"


def test_roots_of_a_function_call_are_its_arguments_not_the_function():
    assert roots("${length(boxes)} ${max_by(lines, &n).id}") == ["boxes", "lines"]


def test_a_function_written_as_a_field_is_an_error_naming_the_expression():
    with pytest.raises(ValueError, match=r"\$\{boxes\|length\} .*length\(boxes\)"):
        resolve("${boxes|length}", {"boxes": [1, 2]})


def test_an_expression_that_yields_nothing_is_an_error_not_null():
    with pytest.raises(ValueError, match=r"\$\{lines\[\?state=='gone'\]\.id \| \[0\]\} yields nothing"):
        resolve("${lines[?state=='gone'].id | [0]}", {"lines": [{"state": "here", "id": 1}]})


def test_an_unknown_function_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"no function lenght\(\)"):
        resolve("${lenght(boxes)}", {"boxes": []})


def test_static_problems_find_what_can_be_known_before_running():
    assert static_problems("length(boxes)") == []
    assert static_problems("awb.number") == []
    assert "JMESPath calls functions" in static_problems("boxes | length")[0]
    assert "no function" in static_problems("lenght(x)")[0]
    assert "takes 1 argument(s), got 2" in static_problems("length(a, b)")[0]
    assert "cannot be read" in static_problems("x..y")[0]
