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


UPDATE = (P("name", "str", True), P("days", "int", default=7), P("note", "str"))


def test_an_update_leaves_out_what_it_does_not_change_and_applies_no_default():
    assert parse(UPDATE, {"note": "x"}, partial=True) == {"note": "x"}


def test_an_update_clears_an_optional_parameter_given_blank():
    assert parse(UPDATE, {"note": ""}, partial=True) == {"note": None}


@pytest.mark.parametrize("field", ["name", "days"])
def test_an_update_cannot_clear_a_required_parameter_or_one_with_a_default(field):
    with pytest.raises(ParamError) as caught:
        parse(UPDATE, {field: " "}, partial=True)
    assert (caught.value.field, caught.value.problem) == (field, "missing")


def test_strict_json_types_refuse_numbers_as_text_unless_the_spec_is_lenient():
    specs = (P("n", "int"), P("id", "int", lenient=True))
    with pytest.raises(ParamError, match="whole number"):
        parse(specs, {"n": "3"}, strict=True)
    assert parse(specs, {"id": "3"}, strict=True) == {"id": 3}
    assert parse(specs, {"n": "3"}) == {"n": 3}


def test_bounds_choices_checks_and_reasons():
    specs = (
        P("n", "int", low=1, high=5),
        P("o", "str", choices=("BOG", "UIO")),
        P("c", "str", check=str.upper),
        P("r", "int", reason="how many, please"),
        P("codes", "list", low=1),
    )
    assert parse(specs, {"n": 5, "o": "UIO", "c": "ab"}) == {"n": 5, "o": "UIO", "c": "AB"}
    for raw, field, reason in [
        ({"n": 6}, "n", "a whole number from 1 to 5"),
        ({"o": "MDE"}, "o", "one of BOG, UIO"),
        ({"r": "x"}, "r", "how many, please"),
        ({"codes": []}, "codes", "expected at least 1 item(s)"),
    ]:
        with pytest.raises(ParamError) as caught:
            parse(specs, raw)
        assert (caught.value.field, caught.value.reason) == (field, reason)


def test_a_check_refusing_with_value_error_names_the_field():
    def even(n: int) -> int:
        if n % 2:
            raise ValueError("an even number")
        return n

    with pytest.raises(ParamError) as caught:
        parse((P("n", "int", check=even),), {"n": 3})
    assert (caught.value.field, caught.value.reason) == ("n", "an even number")


def test_durations_and_date_times_come_back_typed():
    from datetime import datetime, timedelta

    specs = (P("advance", "duration"), P("set", "datetime"))
    parsed = parse(specs, {"advance": "1d12h", "set": "2026-12-01T08:00:00"}, strict=True)
    assert parsed == {"advance": timedelta(hours=36), "set": datetime(2026, 12, 1, 8)}


def test_snake_turns_wire_names_into_keyword_names():
    from simkit.params import snake

    assert snake({"shipDate": 1, "awbId": 2, "name": 3}) == {"ship_date": 1, "awb_id": 2, "name": 3}
