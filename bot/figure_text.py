"""A press release's text -> the figures it states, each with its qualifier, period and the words it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from bot.figure_kinds import Reading, read_quantity
from bot.quantities import Quantity, find_quantities

MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_YEAR = r"(?:19|20)\d{2}"
_SPAN = r"(?:years?|months?|weeks?|fortnight|days|decade|quarter)"
_DAY_MONTH = rf"(?:\d{{1,2}}(?:st|nd|rd|th)? )?{MONTH}(?: {_YEAR})?"
# The periods a release gives, as it words them; the first that fits a sentence is the figure's period.
PERIODS = re.compile(
    "|".join(
        [
            rf"\bsince (?:(?:the (?:start|beginning|end) of|early|late|mid-?) )?(?:{MONTH} )?{_YEAR}",
            rf"\bsince {MONTH}\b",
            r"\bsince (?:the (?:operation|team|unit|campaign|initiative|taskforce|project)|it) (?:was )?"
            rf"(?:began|begun|started|launched|set up|formed|created)(?: in (?:{MONTH} )?{_YEAR})?",
            rf"\b(?:over|in|during|across|within) the (?:past|last|previous|first) (?:[\w-]+ )?{_SPAN}"
            rf"(?: of (?:the year|{_YEAR}))?",
            rf"\bbetween {_DAY_MONTH} and {_DAY_MONTH}",
            rf"\bbetween \d{{1,2}}(?:st|nd|rd|th)? and {_DAY_MONTH}",
            rf"\bfrom {_DAY_MONTH} (?:to|until) {_DAY_MONTH}",
            rf"\bin the (?:year|twelve months|12 months|three months|six months) to {_DAY_MONTH}",
            rf"\b(?:in|during|throughout) (?:{MONTH} )?{_YEAR}\b",
            r"\b(?:so far )?this (?:year|month|summer|winter|spring|autumn)\b",
            r"\blast (?:year|month|summer|winter|spring|autumn)\b",
            r"\b(?:during|in|over) (?:a|the|its) (?:[\w-]+ ){0,2}(?:week|weekend|day|month|fortnight)s? of "
            r"(?:action|activity|intensification|enforcement)",
            r"\bin (?:just )?(?:[\w-]+) (?:days|weeks|months)\b",
        ]
    ),
    re.IGNORECASE,
)
NOT_STATED = "not stated"
# A sentence that goes on from the one before ("They have seized...") shares its period.
_GOES_ON = re.compile(
    r"^\W*(?:they|these|those|this|it|of these|of them|of those|in that time|during that time|"
    r"(?:in|over|during) the same (?:period|time)|between them)\b",
    re.I,
)
# A sentence that points back to a period stated earlier ("over the same period") takes the last one stated.
_SAME_PERIOD = re.compile(
    r"\b(?:(?:in|over|during) the same (?:period|time|months?)|(?:in|during) that (?:time|period)|"
    r"during the (?:operation|crackdown|campaign|week of action))\b",
    re.I,
)
_BULLET = re.compile(r"^\s*(?:[-•*–·]|\d+[.)])\s+")
_ABBREVIATION = re.compile(r"\b(?:Supt|Insp|Det|Sgt|Mr|Mrs|Ms|Dr|St|No|Ch|Con|Cllr|Rd|Ave|Chf|DCI|DI|DS|DC)\.$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’']?\s+(?=[\"“‘']?[A-Z0-9£])|:\s+(?=[\"“‘])")
_CLAUSE_BREAK = re.compile(r",+\s+|;\s+|\s+[–—-]\s+|:\s+|\(|\)")
_TRAILING = re.compile(r"\s+(?:following|operating|as part of|as a result of|thanks to|which|who|after)\b.*$", re.I)
_COMPARED = re.compile(r"\b(?:compared (?:with|to)|up from|down from|against)\b[^,;]*$", re.I)
_PHONE_CUE = re.compile(r"\b(?:call|dial|ring|phone|on|or|text)\W*$", re.I)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    lead: bool  # in the headline or opening paragraph, which a body usually repeats in full
    period: str  # its own period, or the one it goes on from; NOT_STATED when none


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


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks (lines joined; a bullet starts its own); without blank lines, each line."""
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.splitlines()
    out: list[str] = []
    for block in blocks:
        for part in re.split(r"\n(?=\s*(?:[-•*–·]|\d+[.)])\s)", block):
            if part.strip():
                out.append(" ".join(line.strip() for line in part.splitlines()).strip())
    return out


def split_sentences(paragraph: str) -> list[str]:
    """Sentences, not fooled by "Supt." or "£1.2m."; speech after "said:" starts a sentence of its own."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(paragraph):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        elif piece.strip():
            out.append(piece.strip())
    return out


def _period_of(text: str) -> str | None:
    """The first period `text` states, leaving out a comparison's ("up from 80 last year")."""
    match = next((m for m in PERIODS.finditer(text) if not _COMPARED.search(text[: m.start()])), None)
    if not match:
        return None
    words = re.sub(r"\s+", " ", match.group())
    return words if re.match(MONTH, words) else words[0].lower() + words[1:]


def read_sentences(text: str) -> list[Sentence]:
    """Every sentence with whether it is in the lead and the period it states or goes on with."""
    blocks = paragraphs(text)
    # The lead: a headline, a dateline, and the first real paragraph, which the body tells again in full.
    ends = (i for i, b in enumerate(blocks) if re.search(r"[.!?…][\"”’']?$", b) and len(b.split()) > 12)
    lead_end = next(ends, len(blocks))
    out: list[Sentence] = []
    carried, stated, list_period = NOT_STATED, NOT_STATED, None
    for i, block in enumerate(blocks):
        bullet = bool(_BULLET.match(block))
        for text_ in split_sentences(_BULLET.sub("", block)):
            own = _period_of(text_)
            if own:
                period = own
            elif bullet and list_period:
                period = list_period
            elif _GOES_ON.match(text_) and carried != NOT_STATED:
                period = carried
            elif _SAME_PERIOD.search(text_):
                period = stated
            else:
                period = NOT_STATED
            out.append(Sentence(text_, i <= lead_end, period))
            carried = period
            stated = own or stated
            if not bullet:
                list_period = period if text_.rstrip().endswith(":") else None
    return out


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


def _skip(quantity: Quantity, sentence: str, periods: list[re.Match[str]]) -> bool:
    """Numbers that are no figure: in a period, a year, a phone number, a date, an age, a comparison."""
    before, after = sentence[: quantity.start], sentence[quantity.end :]
    number = quantity.written.lstrip("£").split()[-1] if quantity.written else ""
    if any(p.start() < quantity.end and quantity.start < p.end() for p in periods):
        return True
    if quantity.unit == "count" and quantity.value is not None:
        if quantity.value < 2 and quantity.from_words:
            return True  # "one of the men", "half of them"
        if re.fullmatch(r"(?:19|20)\d\d", number) or re.fullmatch(r"0\d{2,}", number):
            return True
        if quantity.value in (101, 111, 999) and _PHONE_CUE.search(before):
            return True
        if re.search(r"\b(?:aged|under|over the age of|age of)\s*$", before, re.I):
            return True  # an age ("aged 19", "under 18"), not a count
    if re.match(rf"\s*(?:st|nd|rd|th)?\s*{MONTH}", after) or re.search(rf"{MONTH}\s*$", before):
        return True
    return bool(_COMPARED.search(before[-60:]))


def _read(quantity: Quantity, sentence: str, window: tuple[int, int], clause: tuple[int, int]) -> Reading | None:
    """What the number counts: between two numbers, the words on its own side of an "and" first, then all its
    window, then (for "Arrests: 42", "Knives seized – 12") the words before the colon or dash."""
    (left, right), (start, end) = window, clause
    before, after = sentence[left : quantity.start], sentence[quantity.end : right]
    own_before = re.split(r"\band\b|,", before)[-1] if left > start else before
    own_after = re.split(r"\band\b|,", after)[0] if right < end else after
    clause_text = sentence[start:end]
    reading = read_quantity(quantity, own_before, own_after, clause_text)
    reading = reading or read_quantity(quantity, before, after, clause_text)
    if reading is None and re.search(r"(?::|\s[–—-])\s*$", sentence[:start]) and not before.strip():
        label = re.split(r"[.;!?]", sentence[:start])[-1]
        reading = read_quantity(quantity, label, after, f"{label} {clause_text}")
    if reading and (span := re.search(r"\bbetween\s+\S+\s+(?:and|to)\s*$", sentence[: quantity.start])):
        why = f"the release gives a range ({span.group()}{quantity.written}): which number to publish?"
        reading = replace(reading, why=reading.why or why)
    return reading


def find_mentions(text: str) -> list[Mention]:
    """Every statement of a figure in `text`, in order."""
    mentions: list[Mention] = []
    for sentence in read_sentences(text):
        periods = list(PERIODS.finditer(sentence.text))
        quantities = [q for q in find_quantities(sentence.text) if not _skip(q, sentence.text, periods)]
        for k, quantity in enumerate(quantities):
            start, end = _clause(sentence.text, quantity)
            left = max(start, quantities[k - 1].end if k else 0)
            right = min(end, quantities[k + 1].start if k + 1 < len(quantities) else end)
            clause = sentence.text[start:end]
            reading = _read(quantity, sentence.text, (left, right), (start, end))
            if reading is None:
                continue
            period = _period_of(clause) or sentence.period
            quote = _quote(clause, quantity.start - start, quantity.end - start, left - start, right - start)
            mentions.append(Mention(quantity, reading, period, quote, sentence, len(mentions)))
    return mentions


def _same(a: Mention, b: Mention) -> bool:
    """Two statements of one figure: the same number, or one rounding the other ("half a million", £520,000)
    where the periods agree or one is the headline's or unstated (headlines say "over the past year" loosely)."""
    x, y = a.quantity.value, b.quantity.value
    if x is None or y is None or x == y:
        return True
    loose = a.period == b.period or a.sentence.lead or b.sentence.lead or NOT_STATED in (a.period, b.period)
    return loose and abs(x - y) <= 0.15 * max(x, y)


def _best(group: list[Mention]) -> Mention:
    """The statement to publish: the most exact number, from the body rather than the headline, the first."""
    return min(group, key=lambda m: (-m.quantity.digits, m.sentence.lead, m.order))


def find_figures(text: str) -> list[Finding]:
    """The figures `text` states, each once, in the order the release gives them."""
    by_kind: dict[str, list[Mention]] = {}
    for mention in find_mentions(text):
        kind = mention.reading.kind
        by_kind.setdefault(mention.reading.label if kind in ("other", "percent") else kind, []).append(mention)
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
    return sorted(findings, key=lambda f: f.mention.order)
