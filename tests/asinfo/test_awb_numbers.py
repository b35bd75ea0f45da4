"""AWB numbers: the mod-7 check digit on stock (generated) and typed numbers, and why a number is refused."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asinfo_sim.awb_numbers import (
    AIRLINES,
    Awb,
    AwbStock,
    InvalidAwb,
    StockExhausted,
    airline,
    check_digit,
    format_awb,
    parse_awb,
)

KNOWN_GOOD = {
    "729-12345675": ("729", 1234567, 5, "Avianca Cargo"),
    "985-48216302": ("985", 4821630, 2, "LATAM Cargo Colombia"),
    "369-70000011": ("369", 7000001, 1, "Atlas Air"),
    "145-99999992": ("145", 9999999, 2, "LATAM Cargo Chile"),
}


# --- the check digit -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "check"),
    [
        (1234567, 5),
        (4821630, 2),
        (7000001, 1),
        (9999999, 2),
        (0, 0),
        (6, 6),
        (7, 0),
        (13, 6),
        (14, 0),
    ],
)
def test_check_digit_is_serial_mod_7(serial, check):
    assert check_digit(serial) == check


@pytest.mark.parametrize("serial", [-1, 10_000_000])
def test_check_digit_needs_a_7_digit_serial(serial):
    with pytest.raises(InvalidAwb, match="7 digits"):
        check_digit(serial)


@pytest.mark.parametrize(
    ("prefix", "serial", "shown"),
    [
        ("729", 1234567, "729-1234-5675"),
        (985, 4821630, "985-4821-6302"),
        (23, 5, "023-0000-0055"),
        ("145", 9999999, "145-9999-9992"),
    ],
)
def test_format_awb(prefix, serial, shown):
    assert format_awb(prefix, serial) == shown


def test_format_awb_refuses_a_bad_prefix():
    with pytest.raises(InvalidAwb, match="3 digits"):
        format_awb("72", 1234567)


# --- typed numbers: accepted -----------------------------------------------------------------


@pytest.mark.parametrize("text", list(KNOWN_GOOD))
def test_known_good_numbers_parse(text):
    prefix, serial, check, name = KNOWN_GOOD[text]
    awb = parse_awb(text)
    assert (awb.prefix, awb.serial, awb.check) == (prefix, serial, check)
    assert awb.digits == text.replace("-", "")
    assert awb.display == f"{text[:3]}-{text[4:8]}-{text[8:]}"
    assert awb.airline is not None and awb.airline.name == name
    assert str(awb) == awb.display


@pytest.mark.parametrize(
    "text",
    [
        "729-12345675",
        "729-1234-5675",
        "72912345675",
        " 729 1234 5675 ",
        "729 12345675",
        "729-1234 5675",
        "729\t1234-5675\n",
    ],
)
def test_typed_forms_all_read_the_same(text):
    awb = parse_awb(text)
    assert awb.digits == "72912345675"
    assert awb.display == "729-1234-5675"


def test_awb_is_frozen():
    awb = parse_awb("729-12345675")
    with pytest.raises(dataclasses.FrozenInstanceError):
        awb.serial = 1


def test_unknown_prefix_accepted_when_asked():
    awb = parse_awb("999-12345675", require_known_airline=False)
    assert awb.airline is None and awb.display == "999-1234-5675"


# --- typed numbers: each refusal reason ------------------------------------------------------


def refusal(text: str) -> InvalidAwb:
    with pytest.raises(InvalidAwb) as info:
        parse_awb(text)
    assert isinstance(info.value, ValueError)
    return info.value


def test_known_bad_wrong_check_digit():
    err = refusal("729-12345676")
    assert err.code == "check_digit"
    assert "check digit should be 5, not 6 (serial 1234567 mod 7 = 5)" in str(err)


@pytest.mark.parametrize("last", ["7", "8", "9"])
def test_check_digit_7_8_9_is_impossible(last):
    err = refusal("729-1234567" + last)
    assert err.code == "impossible_check"
    assert f"last digit, {last}, cannot be a check digit" in str(err)
    assert "0 to 6" in str(err) and "should be 5" in str(err)


@pytest.mark.parametrize(("text", "count"), [("729-1234567", 10), ("729-123456755", 12), ("7291", 4)])
def test_wrong_number_of_digits(text, count):
    err = refusal(text)
    assert err.code == "length"
    assert "11 digits" in str(err) and f"has {count}" in str(err)


@pytest.mark.parametrize("text", ["", "   ", "--"])
def test_nothing_typed(text):
    err = refusal(text)
    assert err.code == "length" and "no AWB number" in str(err)


@pytest.mark.parametrize(
    ("text", "bad"), [("729-1234567O", "'O'"), ("AV 729 12345675", "'A'"), ("729.1234.5675", "'.'")]
)
def test_letters_and_punctuation(text, bad):
    err = refusal(text)
    assert err.code == "characters"
    assert "only digits" in str(err) and bad in str(err)


def test_non_ascii_digits_are_refused():
    assert refusal("٧٢٩12345675").code == "characters"


def test_unknown_airline_prefix():
    err = refusal("999-12345675")
    assert err.code == "unknown_airline"
    assert "999 is not the prefix of an airline we know" in str(err)
    assert "729 Avianca Cargo" in str(err)


def test_unknown_prefix_is_reported_before_the_check_digit():
    assert refusal("999-12345676").code == "unknown_airline"


# --- airlines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "iata", "name"),
    [
        ("729", "QT", "Avianca Cargo"),
        ("985", "L7", "LATAM Cargo Colombia"),
        ("145", "UC", "LATAM Cargo Chile"),
        ("369", "5Y", "Atlas Air"),
        ("810", "M6", "Amerijet"),
        ("272", "K4", "Kalitta"),
        ("406", "5X", "UPS"),
        ("023", "FX", "FedEx"),
        ("045", "LA", "LATAM Airlines"),
        ("462", "XL", "LATAM Airlines Ecuador"),
        ("134", "AV", "Avianca"),
        ("230", "CM", "Copa"),
        ("129", "MP", "Martinair"),
    ],
)
def test_airline_table(prefix, iata, name):
    found = airline(prefix)
    assert found is not None and found.iata == iata and name in found.name
    assert found in AIRLINES
    assert airline(int(prefix)) == found


def test_airline_prefixes_are_unique_3_digit_codes():
    prefixes = [a.prefix for a in AIRLINES]
    assert len(prefixes) == len(set(prefixes))
    assert all(len(p) == 3 and p.isdigit() for p in prefixes)


@pytest.mark.parametrize("prefix", ["999", "abc", "7290", ""])
def test_unknown_airline_lookup_is_none(prefix):
    assert airline(prefix) is None


# --- generated numbers: the stock ------------------------------------------------------------


def test_stock_numbers_are_sequential_and_valid():
    stock = AwbStock("729", 1234565, 5)
    numbers = list(stock)
    assert len(numbers) == len(stock) == 5
    assert [a.serial for a in numbers] == list(range(1234565, 1234570))
    assert [a.display for a in numbers] == [
        "729-1234-5653",
        "729-1234-5664",
        "729-1234-5675",
        "729-1234-5686",
        "729-1234-5690",
    ]
    for a in numbers:
        assert parse_awb(a.display) == a  # every generated number passes the typed-number check


def test_printed_stock_steps_by_11_except_after_check_6():
    digits = [int(a.digits[3:]) for a in AwbStock("985", 4821620, 30)]
    steps = {b - a for a, b in itertools.pairwise(digits)}
    assert steps == {11, 4}


def test_next_after():
    stock = AwbStock("985", 4821630, 3)
    assert stock.next_after(None).display == "985-4821-6302"
    assert stock.next_after(4821630).display == "985-4821-6313"
    assert stock.next_after(parse_awb("985-48216313")).serial == 4821632
    with pytest.raises(StockExhausted, match="used up"):
        stock.next_after(4821632)


def test_stock_contains():
    stock = AwbStock("729", 1234560, 10)
    assert stock.contains("729-12345675")
    assert stock.contains(parse_awb("729-1234-5675"))
    assert "729-12345675" in stock
    assert not stock.contains("729-12345676")  # wrong check digit
    assert not stock.contains("985-48216302")  # another airline
    assert not stock.contains(format_awb("729", 1234570))  # just past the block
    assert not stock.contains(Awb("729", 1234565, 6))  # an Awb built by hand with a wrong check
    assert 42 not in stock


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("999", 1, 10), "airline we know"),
        (("729", 1, 0), "at least one"),
        (("729", 9_999_995, 10), "7 digits"),
    ],
)
def test_stock_refuses_impossible_blocks(args, match):
    with pytest.raises(ValueError, match=match):
        AwbStock(*args)


@given(
    prefix=st.sampled_from([a.prefix for a in AIRLINES]),
    serial=st.integers(0, 9_999_999),
    wrong=st.integers(0, 9),
)
def test_round_trip_and_every_other_last_digit_refused(prefix, serial, wrong):
    shown = format_awb(prefix, serial)
    awb = parse_awb(shown)
    assert (awb.prefix, awb.serial, awb.check) == (prefix, serial, serial % 7)
    assert parse_awb(awb.digits) == awb
    if wrong != serial % 7:
        with pytest.raises(InvalidAwb) as info:
            parse_awb(shown[:-1] + str(wrong))
        assert info.value.code == ("impossible_check" if wrong > 6 else "check_digit")
