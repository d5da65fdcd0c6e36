"""Text -> area, forgiving small misspellings; an area's published figures, ready to quote."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz, process

from bot.normalise import fold
from bot.schema import Area, Figure, FigureFile, Source

_POSTCODE = re.compile(r"\b([a-z]{1,2}[0-9][0-9a-z]?)(?: ?[0-9][a-z]{2})?\b")
_PLACE_PREPOSITIONS = frozenset({"in", "around", "round", "near", "at", "from", "for", "about"})
MAX_WORDS = 4  # the longest place name, in words
FUZZY_CUTOFF = 86.0  # rapidfuzz ratio a misspelt place must reach ("miltn keynes", "aylesbery")
FUZZY_MIN_LENGTH = 6  # shorter words are too easily another word


@dataclass(frozen=True, slots=True)
class AreaHit:
    area: Area
    place: str  # the place as the person wrote it, cleaned up: "Bletchley", "MK14"
    start: int = 0  # the words of the message that name it: words[start:end]
    end: int = 0

    def remove_from(self, folded: str) -> str:
        """The text without the place, so a place name is no evidence of what the person wants."""
        words = folded.split()
        return " ".join(words[: self.start] + words[self.end :])


class AreaFinder:
    """Find the first place a message names, by name, alias, town or postcode district."""

    def __init__(
        self, areas: Collection[Area], vocabulary: frozenset[str] = frozenset(), english: frozenset[str] = frozenset()
    ) -> None:
        self._by_term: dict[str, Area] = {}
        self._postcodes: dict[str, Area] = {}
        for area in areas:
            for term in (area.name, *area.aliases, *area.towns):
                self._by_term.setdefault(fold(term), area)
            for postcode in area.postcodes:
                self._postcodes[postcode.lower()] = area
        self._first_words = frozenset(term.split()[0] for term in self._by_term if term)
        self._circles = [area for area in areas if area.centre is not None]
        self._terms = [term for term in self._by_term if len(term) >= FUZZY_MIN_LENGTH]
        # Words of the examples and common English words are real words, not misspelt places; the sets are
        # shared with the matcher, not copied ("reading" is both a word and a place, and stays a place).
        self._vocabulary, self._english = vocabulary, english

    def at(self, latitude: float, longitude: float) -> Area | None:
        """The area whose circle holds the point (the nearest centre when circles overlap), or None."""
        inside = [(distance_km(latitude, longitude, *a.centre), a) for a in self._circles]
        inside = [(d, a) for d, a in inside if d <= (a.radius_km or 0)]
        return min(inside, key=lambda pair: pair[0])[1] if inside else None

    def find(self, folded: str) -> AreaHit | None:
        """The earliest place named in already-folded text, or None."""
        words = folded.split()
        first: AreaHit | None = None
        for start in range(len(words)):
            hit = self._exact_at(words, start)
            if hit is None:
                continue
            # A place that is also a common word ("reading") gives way to a later, unambiguous one.
            if hit.end - hit.start > 1 or words[start] not in self._english:
                return hit
            first = first or hit
        return first or self._fuzzy(words)

    def find_all(self, folded: str) -> list[AreaHit]:
        """Every area the text names, each once, in the order named ("cash in bletchley and aylesbury")."""
        first = self.find(folded)
        if first is None:
            return []
        words, hits = folded.split(), [first]
        start = 0
        while start < len(words):
            hit = self._exact_at(words, start)
            if hit is not None and all(h.area.id != hit.area.id for h in hits) and not self._common_word(words, hit):
                hits.append(hit)
            start = hit.end if hit is not None else start + 1
        return hits

    def _common_word(self, words: list[str], hit: AreaHit) -> bool:
        """A one-word place that is also a common word ("reading") is a further place only after "and", "in"..."""
        after_link = hit.start > 0 and words[hit.start - 1] in _PLACE_PREPOSITIONS | {"and", "or", "&"}
        return hit.end - hit.start == 1 and words[hit.start] in self._english and not after_link

    def _is_word(self, word: str) -> bool:
        return (word in self._vocabulary or word in self._english) and word not in self._by_term

    def names_unknown_place(self, folded: str) -> bool:
        """Whether the text seems to name a place the content does not know ("what about in newtown")."""
        words = folded.split()
        return any(
            before in _PLACE_PREPOSITIONS
            and len(word) >= FUZZY_MIN_LENGTH - 2
            and word.isalpha()
            and not self._is_word(word)
            for before, word in pairwise(words)
        )

    def _exact_at(self, words: list[str], start: int) -> AreaHit | None:
        if words[start] not in self._first_words and not words[start][-1].isdigit():
            return None  # no place name starts with this word, and it is no postcode district
        for size in range(min(MAX_WORDS, len(words) - start), 0, -1):
            phrase = " ".join(words[start : start + size])
            if area := self._by_term.get(phrase):
                return AreaHit(area, phrase.title() if len(phrase) > 3 else phrase.upper(), start, start + size)
        if (m := _POSTCODE.fullmatch(words[start])) and (area := self._postcodes.get(m.group(1))):
            return AreaHit(area, m.group(1).upper(), start, start + 1)
        return None

    def _fuzzy(self, words: list[str]) -> AreaHit | None:
        unknown = [not self._is_word(w) for w in words]
        if not any(unknown):
            return None  # every word is a real word: nothing can be a misspelt place
        for start in range(len(words)):
            for size in (2, 1, 3):
                chunk = words[start : start + size]
                if len(chunk) < size or not any(unknown[start : start + size]):
                    continue
                phrase = " ".join(chunk)
                if len(phrase) < FUZZY_MIN_LENGTH:
                    continue
                best = process.extractOne(phrase, self._terms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
                if best:
                    return AreaHit(self._by_term[best[0]], best[0].title(), start, start + size)
        return None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def format_value(figure: Figure) -> str:
    """15 -> '15', 520000 GBP -> '£520,000', 20 kg -> '20kg', 47 years -> '47 years'."""
    number = f"{figure.value:,.0f}" if figure.value == int(figure.value) else f"{figure.value:,g}"
    return {"GBP": f"£{number}", "kg": f"{number}kg", "years": f"{number} years"}.get(figure.unit, number)


def format_figure(figure: Figure) -> str:
    """One line a figure: label, qualifier and value, and the period it covers."""
    value = f"{figure.qualifier} {format_value(figure)}".strip()
    period = "period not stated" if figure.period == "not stated" else figure.period
    return f"- {figure.label}: {value} ({period})"


def format_source(source: Source) -> str:
    """Who published the figures, in what, when (or "undated"), and a link when the content has one."""
    when = source.published.strftime("%-d %B %Y") if source.published else "undated"
    what = (
        f"{source.publisher}, quoted in a news report"
        if source.kind == "news report"
        else (f"{source.publisher}, {source.kind}")
    )
    return f"Source: {what} ({when})." + (f" {source.url}" if source.url else "")


# What a person may ask an area's figures about, and how the answer names it when the area has no such figure.
# Words like "seized" or "drugs" ask about every figure, so they are not here.
ASKED = {
    **dict.fromkeys(["arrest", "arrests", "arrested", "detained"], "arrests"),
    **dict.fromkeys(["charged", "charges", "charge"], "people charged"),
    **dict.fromkeys(["convicted", "convictions", "conviction"], "convictions"),
    **dict.fromkeys(["knife", "knives", "blades", "machetes"], "knives seized"),
    **dict.fromkeys(["weapons", "weapon"], "weapons seized"),
    **dict.fromkeys(["gun", "guns", "firearms", "firearm"], "firearms seized"),
    **dict.fromkeys(["cash", "money"], "cash"),
    **dict.fromkeys(["prison", "jail", "jailed", "locked up", "sentences", "years"], "prison sentences"),
    **dict.fromkeys(["lines", "drug lines", "county lines"], "drug lines"),
    **dict.fromkeys(["kilos", "kg", "weight"], "drugs seized by weight"),
    **dict.fromkeys(["street value", "worth"], "the street value of drugs seized"),
    **dict.fromkeys(["warrants", "raids", "raid"], "warrants and raids"),
    **dict.fromkeys(["stop and search", "stop and searches", "stop search"], "stop and search"),
    **dict.fromkeys(["cannabis plants", "plants", "cannabis factory"], "cannabis plants"),
    **dict.fromkeys(["safeguarded", "vulnerable", "safeguarding"], "people safeguarded"),
    **dict.fromkeys(["assets", "proceeds of crime"], "criminal assets"),
}


class Figures:
    """Published figures by area, with the topics each answers."""

    def __init__(self, figure_file: FigureFile) -> None:
        self._sources = figure_file.sources
        self._by_area: dict[str, list[Figure]] = {}
        # Topics folded once, padded with spaces so " lines " does not match inside "headlines".
        self._topics = {id(f): tuple(f" {fold(t)} " for t in f.topics) for f in figure_file.figures}
        for figure in figure_file.figures:
            self._by_area.setdefault(figure.area, []).append(figure)

    @property
    def area_ids(self) -> list[str]:
        return list(self._by_area)

    def has(self, area_id: str) -> bool:
        return area_id in self._by_area

    def topics_in(self, folded: str, area_id: str) -> list[Figure]:
        """The figures of an area whose topics the text mentions."""
        padded = f" {folded} "
        return [f for f in self._by_area.get(area_id, []) if any(t in padded for t in self._topics[id(f)])]

    def asked(self, folded: str) -> list[str]:
        """The kinds of figure the text asks about ("arrests", "cash"), as the answer names them, each once."""
        padded = f" {folded} "
        return list(dict.fromkeys(name for word, name in ASKED.items() if f" {word} " in padded))

    def missing(self, folded: str, area_id: str) -> list[str]:
        """The kinds of figure asked about that the area has no figure for ("how many arrests in mk")."""
        padded = f" {folded} "
        # Each figure's topics and label, padded, so " cash " is found and " lines " is not found in "headlines".
        texts = [" ".join(self._topics[id(f)]) + f" {fold(f.label)} " for f in self._by_area.get(area_id, [])]
        asked: dict[str, bool] = {}
        for word, name in ASKED.items():
            if f" {word} " in padded:
                asked[name] = asked.get(name, False) or any(f" {word} " in text for text in texts)
        return [name for name, answered in asked.items() if not answered]

    def block(self, area: Area, place: str, folded: str, phrases: Mapping[str, str]) -> str:
        """What the police published for one area, in the words of the area-answer replies: what is not published,
        a heading, that a town's figures are its area's, then the figures asked about (or all) and their sources."""
        names = {"area": area.name, "place": place}
        missing = self.missing(folded, area.id)
        lines = [phrases["figure_not_published"].format(asked=asked, **names) for asked in missing]
        lines.append(phrases["area_heading"].format(**names))
        if fold(place) not in {fold(area.name), *map(fold, area.aliases)}:
            lines.append(phrases["area_covers_whole"].format(**names))
        figures, sources = self.render(area.id, folded)
        return "\n".join([*lines, figures, sources])

    def render(self, area_id: str, folded: str = "") -> tuple[str, str]:
        """The figures asked about ("how much cash?"), or all of the area's when none is named; and their sources."""
        shown = self.topics_in(folded, area_id) or self._by_area.get(area_id, [])
        sources = dict.fromkeys(f.source for f in shown)
        return "\n".join(map(format_figure, shown)), "\n".join(format_source(self._sources[s]) for s in sources)

    def answer(self, hits: list[AreaHit], folded: str, phrases: Mapping[str, str]) -> tuple[str, str]:
        """The reply id and the {figures} text for a question about one or more places: each area's figures (or that
        it has none), so that an area with figures is answered with them wherever it is."""
        if not any(self.has(hit.area.id) for hit in hits):
            first = hits[0].area
            return ("outside_force" if not first.in_force else "no_figures_here"), ""
        blocks, elsewhere = [], False
        for hit in hits:
            area = hit.area
            if self.has(area.id):
                blocks.append(self.block(area, hit.place, folded, phrases))
                if not area.in_force:
                    elsewhere = True
                    blocks[-1] += "\n" + phrases["area_elsewhere_note"].format(area=area.name, place=hit.place)
            else:
                blocks.append(phrases["area_none" if area.in_force else "area_elsewhere_none"].format(area=area.name))
        return ("area_figures_elsewhere" if elsewhere else "area_figures"), "\n\n".join(blocks)


# The replies that area answers are built from (content/replies.yaml, "Area answers").
AREA_PHRASES = (
    "area_heading",
    "area_covers_whole",
    "figure_not_published",
    "area_none",
    "area_elsewhere_none",
    "area_elsewhere_note",
)
