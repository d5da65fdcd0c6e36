"""Numbers as press releases write them: "15", "fifteen", "£1.2m", "half a million pounds", "nearly 20 kilograms"."""

from __future__ import annotations

import re
from dataclasses import dataclass

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "k": 1e3, "m": 1e6, "bn": 1e9}
FRACTIONS = {"half": 0.5, "quarter": 0.25, "quarters": 0.25}
# The words a release puts before a number, mapped to the qualifiers content/figures.yaml allows.
QUALIFIERS = {
    "in excess of": "in excess of", "more than": "more than", "over": "over", "just over": "over",
    "well over": "over", "upwards of": "over", "nearly": "nearly", "close to": "nearly", "just under": "nearly",
    "almost": "almost", "around": "around", "approximately": "around", "roughly": "around", "an estimated": "around",
    "some": "around", "about": "about", "at least": "at least", "up to": "up to",
}  # fmt: skip
# Unit words -> (unit, factor): grams and tonnes become kg, months become years.
UNITS = {
    "kg": ("kg", 1), "kgs": ("kg", 1), "kilo": ("kg", 1), "kilos": ("kg", 1), "kilogram": ("kg", 1),
    "kilograms": ("kg", 1), "kilogramme": ("kg", 1), "kilogrammes": ("kg", 1), "g": ("kg", 1e-3),
    "gram": ("kg", 1e-3), "grams": ("kg", 1e-3), "grammes": ("kg", 1e-3), "tonne": ("kg", 1e3),
    "tonnes": ("kg", 1e3), "ton": ("kg", 1e3), "tons": ("kg", 1e3), "year": ("years", 1), "years": ("years", 1),
    "month": ("years", 1 / 12), "months": ("years", 1 / 12), "pounds": ("GBP", 1), "%": ("percent", 1),
    "per cent": ("percent", 1), "percent": ("percent", 1),
}  # fmt: skip


def _alternatives(words: object) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_NUMBER_WORD = (
    rf"\b(?:{_alternatives([*SMALL, *TENS, 'hundred', 'thousand', 'million', 'billion', 'dozen', *FRACTIONS])})\b"
)
_WORDS = rf"(?:(?:a|an)\s+)?{_NUMBER_WORD}(?:(?:\s+|-)(?:(?:and|a|an|of)\s+)*{_NUMBER_WORD})*"
_NUMERAL = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WEIGHT = r"(?:kilo|kilogram|kilogramme|tonne|ton)s?\b"
# "half a kilo", "a quarter of a kilo", "three quarters of a tonne": a part of one unit, not "half" and "a kilo".
_PART_OF_ONE = rf"(?:(?:a|an|one|three)\s+)?(?:half|quarters?)\s+(?:of\s+)?an?(?=\s+{_WEIGHT})"
_QUANTITY = re.compile(
    rf"""(?<![\w£$.,/-])
    (?:(?P<qualifier>{_alternatives(QUALIFIERS)})\s+)?
    (?P<currency>£\s?)?
    (?P<number>{_NUMERAL}|{_PART_OF_ONE}|{_WORDS}|an?(?=\s+{_WEIGHT}))
    (?P<scale>\s?(?:million|billion|thousand)\b|(?:m|bn|k)\b)?
    (?:[\s-]?(?P<unit>%|(?:{_alternatives(u for u in UNITS if u != "%")})\b))?
    (?P<plus>\+)?
    (?![\w/]|-\d|[.,]\d)""",
    re.IGNORECASE | re.VERBOSE,
)
# "dozens of arrests", "hundreds of thousands of pounds": a size, but no number to quote.
_VAGUE = re.compile(
    rf"""(?:(?P<qualifier>{_alternatives(QUALIFIERS)})\s+)?
    \b(?:dozens|hundreds|thousands|scores)\s+of\b(?:\s+(?:thousands|millions)\s+of\b)?(?:\s+(?P<pounds>pounds\b))?""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in text, with its unit, the qualifier before it and where it was written."""

    value: float | None  # None when the text gives only a size ("dozens of")
    unit: str  # count | GBP | kg | years | percent
    qualifier: str  # one of the qualifiers content/figures.yaml allows; "" when the number is exact
    start: int
    end: int
    written: str  # the words as written: "more than half a million pounds"
    from_words: bool = False  # written in words ("fifteen", "half a million"), not digits

    @property
    def digits(self) -> int:
        """Significant digits: 520,000 (2) says more than "half a million" (1)."""
        if self.value is None:
            return 0
        text = f"{self.value:.6f}".replace(".", "").strip("0")
        return len(text)


def words_to_number(text: str) -> float | None:
    """ "fifteen" -> 15, "one hundred and twelve" -> 112, "half a million" -> 500000; None if not a number."""
    total, current, fraction, one, seen = 0.0, 0.0, 0.0, False, False
    for word in re.split(r"[\s-]+", text.lower().strip()):
        if word in ("a", "an"):
            one = one or (current == 0 and fraction == 0)
        elif word in ("and", "of"):
            continue
        elif word in SMALL or word in TENS:
            current += SMALL.get(word, 0) + TENS.get(word, 0)
        elif word in ("hundred", "dozen"):
            current = (current or 1) * (100 if word == "hundred" else 12)
        elif word == "quarters":  # "three quarters of a million"
            fraction, current = (current or 1) * 0.25, 0
        elif word in FRACTIONS:
            fraction += FRACTIONS[word]
        elif word in SCALES and len(word) > 2:
            total += (current + fraction or (1 if one else 0)) * SCALES[word]
            current, fraction, one = 0, 0, False
        else:
            return None
        seen = seen or word not in ("a", "an")
    if not seen:
        return None
    return total + current + fraction or (1.0 if one else 0.0)


def parse_number(text: str) -> float | None:
    """A number as written, digits or words, with an optional scale: "1,250", "1.2m", "two million"."""
    match = re.fullmatch(rf"\s*(?P<number>{_NUMERAL})\s?(?P<scale>million|billion|thousand|m|bn|k)?\s*", text, re.I)
    if match:
        value = float(match["number"].replace(",", ""))
        return value * SCALES[match["scale"].lower()] if match["scale"] else value
    return words_to_number(text)


def _from_match(match: re.Match[str]) -> Quantity | None:
    number, scale, currency = match["number"], (match["scale"] or "").strip().lower(), bool(match["currency"])
    if scale in ("m", "bn", "k") and not currency:
        return None  # "20m" is as likely metres as millions
    value = 1.0 if number.lower() in ("a", "an") else parse_number(f"{number} {scale}".strip())
    if value is None or value <= 0 or re.match(r"-?\s?old\b", match.string[match.end() :]):
        return None  # nothing, or an age ("a 23-year-old man")
    unit_word = re.sub(r"\s+", " ", (match["unit"] or "").lower())
    unit, factor = UNITS.get(unit_word, ("GBP", 1) if currency else ("count", 1))
    if currency and unit != "GBP":
        return None  # "£20kg" is not a thing a release means
    qualifier = QUALIFIERS[re.sub(r"\s+", " ", match["qualifier"].lower())] if match["qualifier"] else ""
    qualifier = qualifier or ("more than" if match["plus"] else "")  # "100+ arrests"
    start = match.start("qualifier") if match["qualifier"] else match.start("currency" if currency else "number")
    return Quantity(
        value=round(value * factor, 6),
        unit=unit,
        qualifier=qualifier,
        start=start,
        end=match.end(),
        written=match.string[start : match.end()],
        from_words=not number[0].isdigit(),
    )


def find_quantities(text: str) -> list[Quantity]:
    """Every number in `text` with its unit and qualifier, in order; vague sizes ("dozens of") have no value."""
    found = [q for m in _QUANTITY.finditer(text) if (q := _from_match(m))]
    for match in _VAGUE.finditer(text):
        if not any(q.start < match.end() and match.start() < q.end for q in found):
            qualifier = QUALIFIERS[re.sub(r"\s+", " ", match["qualifier"].lower())] if match["qualifier"] else ""
            unit = "GBP" if match["pounds"] else "count"
            found.append(Quantity(None, unit, qualifier, match.start(), match.end(), match.group().strip()))
    return _join_months(sorted(found, key=lambda q: q.start), text)


def _join_months(found: list[Quantity], text: str) -> list[Quantity]:
    """ "47 years and six months" is one quantity, 47.5 years."""
    out: list[Quantity] = []
    for quantity in found:
        last = out[-1] if out else None
        if (
            last is not None
            and last.unit == quantity.unit == "years"
            and last.value is not None
            and quantity.value is not None
            and re.fullmatch(r"\s+and\s+", text[last.end : quantity.start])
            and re.search(r"months?$", quantity.written, re.I)
        ):
            value = round(last.value + quantity.value, 6)
            out[-1] = Quantity(
                value, "years", last.qualifier, last.start, quantity.end, text[last.start : quantity.end]
            )
        else:
            out.append(quantity)
    return out


def parse_quantity(text: str) -> Quantity | None:
    """The quantity that `text` is, whole: "nearly 20 kilograms" -> 20 kg, qualifier "nearly"."""
    found = find_quantities(text.strip())
    return found[0] if len(found) == 1 and found[0].written == text.strip() else None
