from datetime import date

import pytest
from django.core.exceptions import ValidationError

from roster.personnummer import luhn_ok, parse, with_check_digit

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("raw", "normalized", "born"),
    [
        ("19811218-9876", "198112189876", date(1981, 12, 18)),
        ("811218-9876", "198112189876", date(1981, 12, 18)),
        ("198112189876", "198112189876", date(1981, 12, 18)),
        ("8112189876", "198112189876", date(1981, 12, 18)),
        ("20190312-2388", "201903122388", date(2019, 3, 12)),
    ],
)
def test_valid_numbers_are_normalised(raw, normalized, born):
    parsed = parse(raw, today=TODAY)
    assert parsed.normalized == normalized
    assert parsed.birth_date == born
    assert parsed.masked == normalized[:8] + "-****"


def test_coordination_number_day_plus_sixty():
    nine = "190378" + "123"  # born 1919-03-18 → day 78
    number = "19" + nine + with_check_digit(nine)
    parsed = parse(number, today=TODAY)
    assert parsed.is_coordination_number
    assert parsed.birth_date == date(1919, 3, 18)


def test_plus_sign_means_a_hundred_years_or_more():
    assert luhn_ok("1812189874")
    assert parse("181218-9874", today=TODAY).birth_date == date(2018, 12, 18)
    assert parse("181218+9874", today=TODAY).birth_date == date(1918, 12, 18)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("19811218-9877", "kontrollsiffran stämmer inte"),
        ("abc", "ÅÅÅÅMMDD-NNNN"),
        ("", "ÅÅÅÅMMDD-NNNN"),
        ("20301218-9878", "framtiden"),
    ],
)
def test_invalid_numbers_have_a_swedish_message(raw, message):
    with pytest.raises(ValidationError) as exc:
        parse(raw, today=TODAY)
    assert message in " ".join(exc.value.messages)


def test_invalid_date():
    nine = "811318123"  # month 13
    with pytest.raises(ValidationError) as exc:
        parse(nine + with_check_digit(nine), today=TODAY)
    assert "giltigt datum" in " ".join(exc.value.messages)
