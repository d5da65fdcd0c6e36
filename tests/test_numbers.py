"""The number parser: numbers as press releases write them, in digits and in words, with units and qualifiers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.quantities import find_quantities, parse_number, parse_quantity, words_to_number

ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def to_words(n: int) -> str:
    """British English: 112 -> "one hundred and twelve", 23000 -> "twenty-three thousand"."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + (f"-{ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        return f"{ONES[n // 100]} hundred" + (f" and {to_words(n % 100)}" if n % 100 else "")
    for size, name in ((1_000_000, "million"), (1000, "thousand")):
        if n >= size:
            rest = n % size
            joiner = " and " if 0 < rest < 100 else " "
            return f"{to_words(n // size)} {name}" + (f"{joiner}{to_words(rest)}" if rest else "")
    raise AssertionError(n)


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        # The phrasings the issue names.
        ("15", 15, "count", ""),
        ("fifteen", 15, "count", ""),
        ("half a million pounds", 500_000, "GBP", ""),
        ("£1.2m", 1_200_000, "GBP", ""),
        ("£520,000", 520_000, "GBP", ""),
        ("20kg", 20, "kg", ""),
        ("nearly 20 kilograms", 20, "kg", "nearly"),
        ("1.5 kilos", 1.5, "kg", ""),
        ("over 270 years", 270, "years", "over"),
        ("47 years", 47, "years", ""),
        # Other ways releases write them.
        ("in excess of 15", 15, "count", "in excess of"),
        ("more than half a million pounds", 500_000, "GBP", "more than"),
        ("a quarter of a million pounds", 250_000, "GBP", ""),
        ("three quarters of a million pounds", 750_000, "GBP", ""),
        ("one and a half million pounds", 1_500_000, "GBP", ""),
        ("a million pounds", 1_000_000, "GBP", ""),
        ("£2 million", 2_000_000, "GBP", ""),
        ("£1.2 million", 1_200_000, "GBP", ""),
        ("£250k", 250_000, "GBP", ""),
        ("£3bn", 3_000_000_000, "GBP", ""),
        ("twenty-three", 23, "count", ""),
        ("one hundred and twelve", 112, "count", ""),
        ("a dozen", 12, "count", ""),
        ("1,250", 1250, "count", ""),
        ("two and a half kilos", 2.5, "kg", ""),
        ("500g", 0.5, "kg", ""),
        ("3.5 tonnes", 3500, "kg", ""),
        ("18 months", 1.5, "years", ""),
        ("almost 2kg", 2, "kg", "almost"),
        ("around 40", 40, "count", "around"),
        ("about 40", 40, "count", "about"),
        ("at least 12", 12, "count", "at least"),
        ("up to 30", 30, "count", "up to"),
        ("just over 100", 100, "count", "over"),
        ("an estimated £1.2m", 1_200_000, "GBP", "around"),
        ("approximately 6 kilograms", 6, "kg", "around"),
        ("12 per cent", 12, "percent", ""),
        ("12%", 12, "percent", ""),
        ("100+", 100, "count", "more than"),
        ("over a tonne", 1000, "kg", "over"),
        ("47 years and six months", 47.5, "years", ""),
    ],
)
def test_parse_quantity(text: str, value: float, unit: str, qualifier: str) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None, text
    assert (quantity.value, quantity.unit, quantity.qualifier) == (pytest.approx(value), unit, qualifier)


@pytest.mark.parametrize(
    "text",
    ["", "drugs", "2023-10-26", "MK14", "A40", "1st", "26/10/2023", "20m", "a", "and", "of"],
)
def test_not_a_quantity(text: str) -> None:
    assert parse_quantity(text) is None


def test_ages_are_not_quantities() -> None:
    assert [q.written for q in find_quantities("a 23-year-old man and a 19 year old woman")] == []


def test_vague_sizes_have_no_value() -> None:
    [arrests] = find_quantities("officers made dozens of arrests")
    [money] = find_quantities("hundreds of thousands of pounds worth of drugs")
    assert (arrests.value, arrests.unit) == (None, "count")
    assert (money.value, money.unit) == (None, "GBP")


def test_quantities_in_a_sentence_keep_their_place() -> None:
    sentence = "Police have busted 15 county drug lines and seized more than half a million pounds worth of drugs."
    found = find_quantities(sentence)
    assert [sentence[q.start : q.end] for q in found] == ["15", "more than half a million pounds"]
    assert [q.value for q in found] == [15, 500_000]


def test_significant_digits_rank_exactness() -> None:
    """£520,000 says more than "half a million": the extractor keeps the more exact of two statements."""
    exact, rounded = parse_quantity("£520,000"), parse_quantity("half a million pounds")
    assert exact is not None and rounded is not None
    assert exact.digits > rounded.digits


@pytest.mark.parametrize(("text", "value"), [("1,250", 1250), ("1.2m", 1.2e6), ("two million", 2e6), ("7", 7)])
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@given(st.integers(min_value=1, max_value=999_999_999))
def test_words_round_trip(n: int) -> None:
    assert words_to_number(to_words(n)) == n


@given(st.integers(min_value=1, max_value=10**9))
def test_digits_with_commas_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    [quantity] = find_quantities(f"officers recovered £{n:,} in cash")
    assert (quantity.value, quantity.unit) == (n, "GBP")
