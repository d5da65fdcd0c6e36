"""What a press release says about itself: whether it is one, its area, commander, publisher and date."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection

from bot.figure_periods import MONTH
from bot.normalise import fold
from bot.schema import Area

_POLICE_WORDS = re.compile(
    r"\b(?:police|policing|officers?|constabulary|superintendent|inspector|detective|arrest\w*|charged|"
    r"crimestoppers|county lines|drug lines)\b",
    re.I,
)
_RANK = r"(?:(?:Temporary|Acting|Detective|Chief|Assistant|Deputy)\s+)*(?:Superintendent|Inspector|Chief Constable)"
_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}"
_PLACE = r"[A-Z][\w'’-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w'’-]*){0,3}"
_COMMANDER = re.compile(
    rf"\b{_RANK}\s+{_NAME},\s+(?:the\s+)?(?:LPA\s+|Local Policing Area\s+)?Commander\s+(?:for|of)\s+(?:the\s+)?"
    rf"(?P<place>{_PLACE})(?:\s+(?:local policing area|LPA|policing area))?"
    rf"|\b(?P<place2>{_PLACE})\s+(?:LPA\s+|local policing area\s+)?[Cc]ommander,?\s+{_RANK}\s+{_NAME}"
)
_DATE = (
    rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\s+\d{{4}}"
    rf"|{MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}}"
)
_DATED = re.compile(rf"\b(?:date|dated|published|posted|released|issued)\b\W*(?:on\s+)?(?P<date>{_DATE})", re.I)
_ISO = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
_DATE_LINE = re.compile(rf"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:{_DATE})", re.I)
_PUBLISHER = re.compile(r"\b((?:[A-Z][a-z]+ ){1,3}(?:Police|Constabulary))\b")


def looks_like_release(text: str) -> bool:
    """A police press release talks about the police more than once."""
    return len(_POLICE_WORDS.findall(text)) >= 2


def find_commander(text: str) -> str | None:
    """ "Superintendent Emma Baillie, Commander for the Milton Keynes local policing area", as the release words it."""
    match = _COMMANDER.search(text)
    return re.sub(r"\s+", " ", match.group()) if match else None


def find_published(text: str) -> dt.date | None:
    """The date the release says it was published ("date 2023-10-26", "Published: 3 July 2024"); never a guess."""
    match = _DATED.search(text)
    words = match["date"] if match else None
    if words is None:
        # A line that is only a date, among the first three, is the release's date line ("12 March 2024").
        for line in text.strip().splitlines()[:3]:
            if (alone := _DATE_LINE.fullmatch(line.strip())) or (alone := _ISO.search(line)):
                words = alone.group()
                break
    if words is None:
        return None
    words = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", re.sub(r"[\s,]+", " ", words))
    for form in ("%Y-%m-%d", "%d %B %Y", "%B %d %Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(words, form).date()
        except ValueError:
            continue
    return None


def find_publisher(text: str) -> str | None:
    """The force that speaks most often in the release: "Thames Valley Police"."""
    names = Counter(m.group(1) for m in _PUBLISHER.finditer(text) if not m.group(1).startswith(("The ", "A ")))
    return names.most_common(1)[0][0] if names else None


def find_area(text: str, areas: Collection[Area]) -> Area | None:
    """The area the commander leads, else the area the release names most (the first named on a tie)."""
    terms: dict[str, Area] = {}
    for area in areas:
        for term in (area.name, *area.aliases, *area.towns):
            terms.setdefault(fold(term), area)
    if not terms:
        return None
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(terms, key=len, reverse=True))) + r")\b")
    match = _COMMANDER.search(text)
    if match and (place := pattern.search(fold(match["place"] or match["place2"] or ""))):
        return terms[place.group(1)]
    hits = [terms[m.group(1)] for m in pattern.finditer(fold(text))]
    if not hits:
        return None
    counts = Counter(area.id for area in hits)
    return max(hits, key=lambda area: (counts[area.id], -hits.index(area)))
