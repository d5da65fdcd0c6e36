"""A release's sentences and the time each covers, as it words it: "since 2022", "last week (23 June-29 June)"."""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_YEAR = r"(?:19|20)\d{2}"
_SPAN = r"(?:years?|months?|weeks?|fortnight|days|decade|quarter)"
_DAY_MONTH = rf"(?:\d{{1,2}}(?:st|nd|rd|th)? )?{MONTH}(?: {_YEAR})?"
_DATES = r"(?: \([^()]{3,40}\))?"  # "last week (23 June-29 June)": the dates the release adds in brackets
# An operation's name is capitalised whatever the case of the words around it.
_OPERATION = r"(?-i:Operation [A-Z][\w-]+(?: [A-Z][\w-]+)?)"
# The periods a release gives, as it words them; the first that fits a sentence is the figure's period.
PERIODS = re.compile(
    "|".join(
        [
            rf"\bsince (?:(?:the (?:start|beginning|end) of|early|late|mid-?) )?(?:{MONTH} )?{_YEAR}",
            rf"\bsince {MONTH}\b",
            r"\bsince (?:the (?:operation|team|unit|campaign|initiative|taskforce|project)|it|" + _OPERATION + ")"
            rf" (?:was )?(?:began|begun|started|launched|set up|formed|created)(?: in (?:{MONTH} )?{_YEAR})?",
            rf"\b(?:over|in|during|across|within) the (?:past|last|previous|first) (?:[\w-]+ )?{_SPAN}"
            rf"(?: of (?:the year|{_YEAR}))?{_DATES}",
            rf"\bbetween {_DAY_MONTH} and {_DAY_MONTH}",
            rf"\bbetween \d{{1,2}}(?:st|nd|rd|th)? and {_DAY_MONTH}",
            rf"\bfrom {_DAY_MONTH} (?:to|until) {_DAY_MONTH}",
            rf"\bin the (?:year|twelve months|12 months|three months|six months) to {_DAY_MONTH}",
            rf"\b(?:in|during|throughout) (?:{MONTH} )?{_YEAR}\b",
            r"\b(?:so far )?this (?:year|month|summer|winter|spring|autumn)\b",
            rf"\blast (?:year|month|week|weekend|fortnight|summer|winter|spring|autumn)\b{_DATES}",
            r"\b(?:during|in|over) (?:a|the|its) (?:[\w-]+ ){0,2}(?:week|weekend|day|month|fortnight)s? of "
            r"(?:action|activity|intensification|enforcement)",
            rf"\b(?:during|as part of|throughout|under) {_OPERATION}",
            r"\bin (?:just )?(?:[\w-]+) (?:days|weeks|months)\b",
            r"\bin (?:a|one) (?:single )?(?:week|day|weekend|fortnight)\b",
        ]
    ),
    re.IGNORECASE,
)
NOT_STATED = "not stated"
# A sentence that goes on from the one before ("They have seized...") shares its period.
GOES_ON = re.compile(
    r"^\W*(?:they|these|those|this|it|of these|of them|of those|in that time|during that time|"
    r"(?:in|over|during) the same (?:period|time)|between them)\b",
    re.I,
)
# A sentence that points back to a period stated earlier ("over the same period") takes the last one stated.
SAME_PERIOD = re.compile(
    r"\b(?:(?:in|over|during) the same (?:period|time|months?)|(?:in|during) that (?:time|period)|"
    r"during the (?:operation|crackdown|campaign|week of action))\b",
    re.I,
)
_ENDS = re.compile(r"[.!?…][\"”’']?$")
_BULLET = re.compile(r"^\s*(?:[-•*–·]|\d+[.)])\s+")
_ABBREVIATION = re.compile(r"\b(?:Supt|Insp|Det|Sgt|Mr|Mrs|Ms|Dr|St|No|Ch|Con|Cllr|Rd|Ave|Chf|DCI|DI|DS|DC)\.$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’']?\s+(?=[\"“‘']?[A-Z0-9£])|:\s+(?=[\"“‘])")
COMPARED = re.compile(r"\b(?:compared (?:with|to)|up from|down from|against)\b[^,;]*$", re.I)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    lead: bool  # in the headline or opening paragraph, which a body usually repeats in full
    period: str  # its own period, or the one it goes on from; NOT_STATED when none
    headline: bool = False  # a headline or standfirst above the first full sentence: it rounds and shortens


def period_of(text: str) -> str | None:
    """The first period `text` states, leaving out a comparison's ("up from 80 last year")."""
    match = next((m for m in PERIODS.finditer(text) if not COMPARED.search(text[: m.start()])), None)
    if not match:
        return None
    words = re.sub(r"\s+", " ", match.group())
    return words if re.match(MONTH, words) else words[0].lower() + words[1:]


def opens_with_period(text: str) -> bool:
    """ "During the week of action, officers made..." sets the period for the rest of its paragraph."""
    match = PERIODS.search(text)
    return bool(match and not re.search(r"\w", text[: match.start()]))


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


def read_sentences(text: str) -> list[Sentence]:
    """Every sentence with whether it is in the lead and the period it states or goes on with."""
    blocks = paragraphs(text)
    # The lead: a headline, a dateline, and the first real paragraph, which the body tells again in full.
    ends = (i for i, b in enumerate(blocks) if _ENDS.search(b) and len(b.split()) > 12)
    lead_end = next(ends, len(blocks))
    out: list[Sentence] = []
    carried, stated, list_period = NOT_STATED, NOT_STATED, None
    for i, block in enumerate(blocks):
        bullet = bool(_BULLET.match(block))
        block_period = None
        for k, text_ in enumerate(split_sentences(_BULLET.sub("", block))):
            own = period_of(text_)
            if k == 0 and own and opens_with_period(text_):
                block_period = own  # "During the week of action, ..." covers the paragraph it opens
            if own:
                period = own
            elif block_period:
                period = block_period
            elif bullet and list_period:
                period = list_period
            elif GOES_ON.match(text_) and carried != NOT_STATED:
                period = carried
            elif SAME_PERIOD.search(text_):
                period = stated
            else:
                period = NOT_STATED
            out.append(Sentence(text_, i <= lead_end, period, i < lead_end and not _ENDS.search(block)))
            carried = period
            stated = own or stated
            if not bullet:
                list_period = period if text_.rstrip().endswith(":") else None
    return out
