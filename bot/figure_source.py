"""What a press release says about itself: whether it is one, its area, commander, publisher and date."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
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
_W = r"[A-Z][a-z]+"
# "Thames Valley Police", "Hampshire and Isle of Wight Constabulary", "South East Regional Organised Crime Unit".
_PUBLISHER = re.compile(
    rf"\b({_W} (?:(?:{_W}|and|of) ){{0,5}}(?:Police|Constabulary|Organised Crime Unit|Crime Agency)|{_W} Police"
    r"|Police Scotland|Police Service of Northern Ireland)\b"
)
# Words that start a sentence before a force's name ("Contact West Mercia Police"), not part of it.
_NOT_NAME = frozenset(
    [
        "The",
        "A",
        "An",
        "Contact",
        "Call",
        "Report",
        "Ring",
        "Phone",
        "Email",
        "Tell",
        "Anyone",
        "Information",
        "Please",
        "If",
        "Today",
        "Officers",
        "Residents",
        "Detectives",
        "Local",
        "Our",
        "Your",
        "Their",
        "Said",
        "Says",
        "Dial",
        "Visit",
        "Follow",
        "Thank",
        "Thanks",
        "Thankfully",
    ]
)
# A news report of what the police said, rather than the police's own release.
_NEWS = re.compile(
    r"\b(?:this (?:article|newspaper|paper|website)|the article|told (?:the|this) \w+|a spokes(?:person|man|woman) "
    r"for (?:the )?\w+|according to (?:the )?(?:police|figures)|(?:has|have) released a video)\b",
    re.I,
)
_PLACE_AFTER = re.compile(r"\b(?:in|across|around|near|at|of) ([A-Z][a-z]+(?: (?:and |upon |on )?[A-Z][a-z]+){0,3})\b")
_NOT_PLACE = frozenset(
    [
        "The",
        "A",
        "An",
        "Operation",
        "Crown",
        "Court",
        "Police",
        "Constabulary",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "England",
        "Wales",
        "UK",
    ]
)


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
    """The force or unit that speaks most often in the release: "Thames Valley Police"; the first named on a tie."""
    names: Counter[str] = Counter()
    for match in _PUBLISHER.finditer(text):
        words = match.group(1).split()
        while words and words[0] in _NOT_NAME:
            words = words[1:]
        if len(words) >= 2 and words[0] not in ("and", "of"):
            names[" ".join(words)] += 1
    return names.most_common(1)[0][0] if names else None


def find_kind(text: str) -> str:
    """ "news report" when the text reports what the police said ("a spokesperson for ... said", "this article");
    else "press release"."""
    return "news report" if _NEWS.search(text) else "press release"


def digest(text: str) -> str:
    """A fingerprint of the release's words, the same however its lines are wrapped or saved."""
    words = " ".join(text.replace("\r", "").split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:16]


def find_places(text: str, publisher: str | None) -> list[str]:
    """The places a release's opening names ("officers in Carlisle and Penrith"), for a new area to propose."""
    skip = set((publisher or "").split()) | _NOT_PLACE
    places: list[str] = []
    for match in _PLACE_AFTER.finditer(_opening(text)):
        for place in re.split(r" and ", match.group(1)):
            words = list(itertools.takewhile(lambda w: w not in skip, place.split()))
            if words and " ".join(words) not in places:
                places.append(" ".join(words))
    return places[:4]


def _opening(text: str) -> str:
    """The headline and first paragraphs, where a release says where it is about."""
    return "\n".join(re.split(r"\n\s*\n", text.strip())[:4])


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
    opening = {terms[m.group(1)].id for m in pattern.finditer(fold(_opening(text)))}
    counts = Counter(area.id for area in hits)
    # A place named once in passing ("a lorry stopped near Reading") is not the area the release is about.
    hits = [area for area in hits if counts[area.id] >= 2 or area.id in opening]
    if not hits:
        return None
    return max(hits, key=lambda area: (counts[area.id], -hits.index(area)))
