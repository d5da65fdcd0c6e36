"""A press release's text -> the figures it states, each with its qualifier, period and the words it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from bot.figure_kinds import Reading, read_quantity
from bot.figure_periods import (
    COMPARED,
    MONTH,
    NOT_STATED,
    PERIODS,
    Sentence,
    period_of,
    read_sentences,
)
from bot.quantities import Quantity, find_quantities

_CLAUSE_BREAK = re.compile(r",+\s+|;\s+|\s+[–—-]\s+|:\s+|\(|\)")
_ESTIMATED = re.compile(r"\b(?:an? )?estimated (?:street |total )?(?:value|worth)(?: of)?\s*$", re.I)
_AND = re.compile(r"(?<!stop )\band\b(?! search)|,")  # "96 stop and searches and 25 warnings": two sides
_TRAILING = re.compile(r"\s+(?:following|operating|as part of|as a result of|thanks to|which|who|after)\b.*$", re.I)
_PHONE_CUE = re.compile(r"\b(?:call|dial|ring|phone|on|or|text|calling|dialling|ringing|contact)\W*$", re.I)
_NO_NOUN = re.compile(r"\s*(?:[.,;:!)]|$|(?:or|and|if|in an emergency|to report|instead)\b)", re.I)


@dataclass(frozen=True, slots=True)
class Mention:
    """One statement of a figure: the number, what it counts, and the words around it."""

    quantity: Quantity
    reading: Reading
    period: str
    quote: str  # the clause it sits in, kept short
    sentence: Sentence
    order: int


@dataclass(slots=True)
class Finding:
    """A figure the release states, once however many times it says it; `also` holds the other statements."""

    mention: Mention
    label: str
    topics: tuple[str, ...]
    why: str | None
    period: str  # the statement's own, else the period another statement of the same figure gives
    also: list[Mention] = field(default_factory=list)


def _clause(sentence: str, quantity: Quantity) -> tuple[int, int]:
    """The span of the clause holding `quantity`: between commas, semicolons, dashes and brackets."""
    start, end = 0, len(sentence)
    for match in _CLAUSE_BREAK.finditer(sentence):
        if match.end() <= quantity.start:
            start = match.end()
        elif match.start() >= quantity.end:
            end = match.start()
            break
    return start, end


def _quote(clause: str, start: int, end: int, left: int, right: int) -> str:
    """The words of the clause that state the figure at [start:end]: not its neighbours' ("a dozen knives and
    £86,450 in cash"), no leading "and", no trailing "following investigations by...", no quote marks."""
    if left > 0 and (ands := [m.end() for m in re.finditer(r"\band\s+", clause[left:start])]):
        clause, start, end = clause[left + ands[-1] :], start - left - ands[-1], end - left - ands[-1]
        right -= left + ands[-1]
    if right < len(clause) and (cut := re.search(r"\s+and\b", clause[end:right])):
        clause = clause[: end + cut.start()]
    cut = _TRAILING.search(clause, end)
    clause = clause[: cut.start()] if cut else clause
    clause = re.sub(r"^[\s\"“‘'(,;:.•*–—-]*(?:(?:and|but|plus)\s+)?", "", clause)
    return re.sub(r"[\s.!?\"”’'…]+$", "", clause)


def excluded(quantity: Quantity, sentence: str, periods: list[re.Match[str]]) -> str | None:
    """Why a number is no figure (part of a period, a year, a phone number, a date, an age, a comparison), or None."""
    before, after = sentence[: quantity.start], sentence[quantity.end :]
    number = quantity.written.lstrip("£").split()[-1] if quantity.written else ""
    if any(p.start() < quantity.end and quantity.start < p.end() for p in periods):
        return "part of the period the figures cover"
    if re.match(rf"\s*(?:st|nd|rd|th)?\s*(?:-\s*\d{{1,2}}\s*)?{MONTH}", after) or re.search(rf"{MONTH}\s*$", before):
        return "a date"
    if quantity.unit == "count" and quantity.value is not None:
        if quantity.value < 2 and quantity.from_words:
            return "'one' or a part of one in words, not a count"  # "one of the men", "half of them"
        if re.fullmatch(r"(?:19|20)\d\d", number):
            return "a year"
        if re.fullmatch(r"0\d{2,}", number) or re.search(r"\b0\d{2,4}(?:\s\d{3,4})?\s*$", before):
            return "a phone number"
        if quantity.value in (101, 111, 999) and (_PHONE_CUE.search(before) or _NO_NOUN.match(after)):
            return "a phone number"
        if re.search(r"\b(?:aged|under|over the age of|age of)\s*$", before, re.I):
            return "an age"  # "aged 19", "under 18", not a count
        if re.match(r"-?\s?(?:day|week|month|year|hour|minute)s?\b", after, re.I):
            return "a duration, not a count"  # "a three-day operation"
    if re.search(r"\b(?:reference|ref|crime number|incident number|log)\W*(?:number\W*)?$", before, re.I):
        return "a reference number"
    if re.match(r"[.:]\d\d\s?(?:am|pm)?\b|\s?(?:am|pm)\b", after, re.I):
        return "a time of day"
    if re.search(r"\bbetween\s*$", before, re.I) and re.match(r"\s+(?:and|to)\s+[\d£]", after):
        return "the low end of a range (the figure it goes to is proposed)"
    if re.search(r"\bby\s*$", before) and re.match(r"\s+(?:men|women|people|males|females|youths|boys)\b", after):
        return "the people a crime was done by, not a result"
    if COMPARED.search(before[-60:]):
        return "a comparison with another period"
    return None


@dataclass(frozen=True, slots=True)
class Excluded:
    """A number the release gives that is no figure, and why: listed beside the proposal for a person to see."""

    written: str
    reason: str
    sentence: str


def _read(quantity: Quantity, sentence: str, window: tuple[int, int], clause: tuple[int, int]) -> Reading | None:
    """What the number counts: between two numbers, the words on its own side of an "and" first, then all its
    window, then (for "Arrests: 42", "Knives seized – 12") the words before the colon or dash."""
    (left, right), (start, end) = window, clause
    before, after = sentence[left : quantity.start], sentence[quantity.end : right]
    own_before = _AND.split(before)[-1] if left > start else before
    own_after = _AND.split(after)[0] if right < end else after
    clause_text = sentence[start:end]
    if re.match(r"\W*worth\b", clause_text):
        clause_text = sentence[:end]  # ", worth around £150,000": the worth of what the clause before names
    lead_in = sentence[start : quantity.start]
    reading = read_quantity(quantity, own_before, own_after, clause_text, lead_in)
    reading = reading or read_quantity(quantity, before, after, clause_text, lead_in)
    if reading is None and re.search(r"(?::|\s[–—-])\s*$", sentence[:start]) and not before.strip():
        label = re.split(r"[.;!?]", sentence[:start])[-1]
        reading = read_quantity(quantity, label, after, f"{label} {clause_text}")
    if reading and (span := re.search(r"\bbetween\s+\S+\s+(?:and|to)\s*$", sentence[: quantity.start])):
        why = f"the release gives a range ({span.group()}{quantity.written}): which number to publish?"
        reading = replace(reading, why=reading.why or why)
    return reading


def find_mentions(text: str) -> list[Mention]:
    """Every statement of a figure in `text`, in order."""
    return scan(text)[0]


def scan(text: str) -> tuple[list[Mention], list[Excluded]]:
    """Every statement of a figure in `text`, in order, and every other number with the reason it is none."""
    mentions: list[Mention] = []
    left_out: list[Excluded] = []
    for sentence in read_sentences(text):
        periods = list(PERIODS.finditer(sentence.text))
        quantities = []
        for quantity in find_quantities(sentence.text):
            if reason := excluded(quantity, sentence.text, periods):
                left_out.append(Excluded(quantity.written, reason, sentence.text))
            elif not quantity.qualifier and _ESTIMATED.search(sentence.text[: quantity.start]):
                quantities.append(replace(quantity, qualifier="around"))  # "an estimated street value of £85,000"
            else:
                quantities.append(quantity)
        for k, quantity in enumerate(quantities):
            start, end = _clause(sentence.text, quantity)
            left = max(start, quantities[k - 1].end if k else 0)
            right = min(end, quantities[k + 1].start if k + 1 < len(quantities) else end)
            clause = sentence.text[start:end]
            reading = _read(quantity, sentence.text, (left, right), (start, end)) or _unread(quantity)
            if isinstance(reading, str):
                left_out.append(Excluded(quantity.written, reading, sentence.text))
                continue
            period = period_of(clause) or sentence.period
            # A clause ends at a bracket, but "last week (23 June-29 June)" is one period.
            period = sentence.period if sentence.period.startswith(period) else period
            quote = _quote(clause, quantity.start - start, quantity.end - start, left - start, right - start)
            mentions.append(Mention(quantity, reading, period, quote, sentence, len(mentions)))
    return mentions, left_out


def _unread(quantity: Quantity) -> Reading | str:
    """A number the extractor cannot name: a review item, unless it is a duration or a size with no number."""
    if quantity.unit == "years":
        return "a length of time that is no prison sentence: a duration or an age"
    if quantity.value is None:
        return "a size with no number to quote"
    what = {"GBP": "Money", "kg": "Weight"}.get(quantity.unit, "Number")
    return Reading(
        "other",
        f"{what} (what does it count?)",
        (),
        "the extractor cannot tell what this counts: name it, or delete it",
        quantity.written,
    )


def _same(a: Mention, b: Mention) -> bool:
    """Two statements of one figure: the same number, or one rounding the other ("half a million", £520,000)
    where the periods agree or one is the headline's or unstated (headlines say "over the past year" loosely)."""
    x, y = a.quantity.value, b.quantity.value
    if a.reading.counted and b.reading.counted and a.reading.counted != b.reading.counted:
        return False  # "£300k worth of cannabis" is not "£300k worth of class A drugs"
    if x is None or y is None or x == y:
        return True
    loose = a.period == b.period or a.sentence.lead or b.sentence.lead or NOT_STATED in (a.period, b.period)
    return loose and abs(x - y) <= 0.15 * max(x, y)


def _best(group: list[Mention]) -> Mention:
    """The statement to publish: the most exact number, from the body rather than the headline, the first."""
    return min(group, key=lambda m: (-m.quantity.digits, m.sentence.headline, m.sentence.lead, m.order))


def find_figures(text: str) -> list[Finding]:
    """The figures `text` states, each once, in the order the release gives them."""
    by_kind: dict[str, list[Mention]] = {}
    for mention in find_mentions(text):
        kind, reading = mention.reading.kind, mention.reading
        key = f"other: {reading.counted}" if kind == "other" else reading.label if kind == "percent" else kind
        by_kind.setdefault(key, []).append(mention)
    findings: list[Finding] = []
    for mentions in by_kind.values():
        # One figure is every statement of a kind with about the same number ("Drugs" and "Class A drugs").
        groups: list[list[Mention]] = []
        for mention in sorted(mentions, key=lambda m: -m.quantity.digits):
            home = next((g for g in groups if _same(g[0], mention)), None)
            if home:
                home.append(mention)
            else:
                groups.append([mention])
        chosen = [_best(group) for group in groups]
        for group, best in zip(groups, chosen, strict=True):
            why, name = best.reading.why, best.reading.label
            also = sorted((m for m in group if m is not best), key=lambda m: m.order)
            period = next((m.period for m in (best, *also) if m.period != NOT_STATED), NOT_STATED)
            rivals = [m for m in chosen if m is not best and m.reading.label == name]
            if rivals and all(m.period != period for m in rivals):
                name = f"{name} ({period})"
            elif rivals:
                values = ", ".join(m.quantity.written for m in [best, *rivals])
                why = why or f"the release gives different numbers for this ({values}): which is right?"
            # Statements of one figure differ in topics only where one adds a word ("county" lines).
            topics = max((m.reading.topics for m in group if m.reading.label == best.reading.label), key=len)
            findings.append(Finding(best, name, topics, why, period, also))
    return sorted(_fold_unnamed(findings), key=lambda f: f.mention.order)


def _fold_unnamed(findings: list[Finding]) -> list[Finding]:
    """A number the extractor could not name that repeats a named figure's ("taking the total to £360,000") is that
    figure stated again, not a figure of its own."""
    named = [f for f in findings if f.mention.reading.counted != f.mention.quantity.written]
    out = []
    for finding in findings:
        quantity = finding.mention.quantity
        same = next(
            (
                f
                for f in named
                if f is not finding
                and (f.mention.quantity.value, f.mention.quantity.unit) == (quantity.value, quantity.unit)
            ),
            None,
        )
        if same is not None and finding.mention.reading.counted == quantity.written:
            same.also.append(finding.mention)
        else:
            out.append(finding)
    return out
