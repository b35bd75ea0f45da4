"""simkit.params: specs parse raw mappings into typed values, or refuse naming the field and the reason."""

from __future__ import annotations

import pytest

from simkit.errors import BadInput
from simkit.params import MAX_INTEGER, P, ParamError, parse

SPECS = (
    P("id", "int", True, size=5),
    P("name", "str", size=3),
    P("day", "date"),
    P("on", "bool"),
    P("price", "decimal"),
    P("ids", "csv_int"),
    P("codes", "list", size=4),
    P("lines", "objects", fields=(P("boxes", "int", True),)),
)


def refusal(raw: dict) -> ParamError:
    with pytest.raises(ParamError) as caught:
        parse(SPECS, raw)
    return caught.value


def test_values_come_back_typed_and_absent_optionals_are_left_out():
    parsed = parse(SPECS, {"id": "42", "on": "1", "price": "2.5", "ids": "1, 2", "lines": [{"boxes": 3}]})
    assert parsed == {"id": 42, "on": True, "price": 2.5, "ids": [1, 2], "lines": [{"boxes": 3}]}


def test_a_missing_required_parameter_is_refused_by_name():
    exc = refusal({})
    assert (exc.field, exc.problem, exc.reason) == ("id", "missing", "required")


def test_a_blank_string_counts_as_missing():
    assert refusal({"id": "  "}).problem == "missing"


def test_an_unknown_parameter_is_refused_by_name():
    exc = refusal({"id": 1, "colour": "red"})
    assert (exc.field, exc.problem) == ("colour", "unknown")


@pytest.mark.parametrize(
    ("raw", "field", "reason"),
    [
        ({"id": True}, "id", "expected a whole number"),
        ({"id": -1}, "id", "expected a whole number"),
        ({"id": 123456}, "id", "at most 5 digits"),
        ({"id": 1, "name": "long"}, "name", "at most 3 characters"),
        ({"id": 1, "name": False}, "name", "expected a string"),
        ({"id": 1, "day": "2024-02-30"}, "day", "expected a date YYYY-MM-DD"),
        ({"id": 1, "on": "yes"}, "on", "expected true/false or 1/0"),
        ({"id": 1, "price": "nan"}, "price", "expected a number, 0 or more"),
        ({"id": 1, "ids": ","}, "ids", "expected at least one value"),
        ({"id": 1, "codes": ["ok", " "]}, "codes[1]", "expected a non-empty string"),
        ({"id": 1, "lines": []}, "lines", "expected a non-empty array of objects"),
        ({"id": 1, "lines": [{"boxes": 1}, 7]}, "lines[1]", "expected an object"),
        ({"id": 1, "lines": [{"boxes": "x"}]}, "lines[0].boxes", "expected a whole number"),
    ],
)
def test_an_invalid_value_is_refused_with_field_and_reason(raw, field, reason):
    exc = refusal(raw)
    assert (exc.field, exc.problem, exc.reason) == (field, "invalid", reason)


def test_nested_unknown_and_missing_fields_carry_their_path():
    assert refusal({"id": 1, "lines": [{"boxes": 1, "x": 2}]}).field == "lines[0].x"
    assert refusal({"id": 1, "lines": [{}]}).field == "lines[0].boxes"


def test_an_integer_beyond_what_sqlite_holds_is_refused_not_crashed_on():
    with pytest.raises(ParamError, match=str(MAX_INTEGER)):
        parse((P("n", "int", size=20),), {"n": MAX_INTEGER + 1})


def test_a_param_error_is_a_bad_input_naming_its_field():
    exc = refusal({"id": "x"})
    assert isinstance(exc, BadInput)
    assert exc.to_json() == {
        "error": {"code": "invalid", "message": "expected a whole number", "field": "id"}
    }
