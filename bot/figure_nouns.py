"""What a count counts, by the noun after it and its verb: "handed out 48 fixed penalty notices", "120 people were
spoken to". The counted noun decides the kind; a cue word nearby does not ("attended 230 schools to talk about
county lines" counts schools, not lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that end the counted noun phrase: prepositions, verbs of being, determiners, pronouns.
_STOP = frozenset(
    [
        "of",
        "in",
        "at",
        "from",
        "with",
        "for",
        "to",
        "on",
        "by",
        "during",
        "since",
        "after",
        "and",
        "or",
        "but",
        "were",
        "was",
        "are",
        "is",
        "have",
        "has",
        "had",
        "been",
        "be",
        "being",
        "that",
        "which",
        "who",
        "as",
        "than",
        "into",
        "across",
        "over",
        "under",
        "our",
        "their",
        "the",
        "a",
        "an",
        "his",
        "her",
        "its",
        "this",
        "these",
        "those",
        "we",
        "they",
        "he",
        "she",
        "it",
        "them",
        "there",
        "here",
        "who",
        "whose",
        "while",
        "when",
        "where",
        "so",
        "also",
    ]
)
# A phrase that starts with these is no noun ("nine awaiting sentence", "35 of these").
_NOT_A_NOUN = frozenset({"awaiting", "being", "facing", "more", "other", "of", "further", "times", "per"})
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_IRREGULAR = {"took": "taken", "spoke": "spoken", "gave": "given", "ran": "run", "saw": "seen", "shut": "shut"}
_VERB = (
    r"(?:[a-z]+ed|made|took|taken|seized|found|held|gave|given|ran|run|caught|brought|spoke|spoken|sent|got|put|"
    r"shut|hit|saw|seen|won|led|set|done)"
)
_PARTICLE = r"(?: (?:out of circulation|off the streets|out|off|in|up|down|to|away|over|on))?"
_FILLER = r"(?:(?:a total of|a further|another|some|a|an)\s+)?"
_VERB_BEFORE = re.compile(rf"\b(?P<verb>{_VERB}{_PARTICLE})\s+{_FILLER}$", re.I)
_VERB_ANYWHERE = re.compile(rf"\b{_VERB}{_PARTICLE}(?=\s)", re.I)
_VERB_AFTER = re.compile(
    r"^\s*(?:that |who |which )?(?:were|was|have|has|had|are|is)(?: (?:since|also|now|all|then|already))?"
    rf"(?: been)?(?: (?:since|also|now|all|then|already))? (?P<verb>{_VERB}{_PARTICLE})\b",
    re.I,
)
PEOPLE = frozenset(
    [
        "people",
        "persons",
        "individuals",
        "men",
        "women",
        "offenders",
        "suspects",
        "adults",
        "children",
        "teenagers",
        "youths",
        "dealers",
        "boys",
        "girls",
        "males",
        "females",
        "members",
        "residents",
        "pupils",
        "students",
        "drivers",
    ]
)
# The noun that names each known kind, as a release writes it after the number.
KIND_NOUNS = {
    **dict.fromkeys(["line", "lines"], "lines"),
    **dict.fromkeys(["arrest", "arrests"], "arrests"),
    **dict.fromkeys(["warrant", "warrants"], "warrants"),
    **dict.fromkeys(["raid", "raids"], "raids"),
    **dict.fromkeys(
        [
            "knife",
            "knives",
            "weapon",
            "weapons",
            "firearm",
            "firearms",
            "gun",
            "guns",
            "machete",
            "machetes",
            "blade",
            "blades",
            "sword",
            "swords",
        ],
        "weapons",
    ),
    **dict.fromkeys(["plant", "plants"], "plants"),
    **dict.fromkeys(["vehicle", "vehicles", "car", "cars", "moped", "mopeds"], "vehicles"),
    **dict.fromkeys(["phone", "phones", "handset", "handsets"], "phones"),
    "seizures": "seizures",
}
# Kinds that count things taken: with another verb ("searched 22 vehicles") they count something else.
SEIZED = frozenset({"weapons", "plants", "vehicles", "phones"})
_SEIZE_VERB = re.compile(
    r"^(?:seized|recovered|found|took|taken|handed in|handed over|surrendered|confiscated|removed|uncovered|"
    r"discovered|collected|located|intercepted|got)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Counted:
    """The noun phrase a count counts ("fixed penalty notices"), its head word and the verb that did it."""

    phrase: str
    head: str  # the word that says what is counted: the kind's noun when there is one, else the last
    verb: str  # "handed out", "spoken to"; "" when the release gives none near the number
    end: int  # where the phrase ends in the text after the number
    near: bool = False  # the verb is beside the number or its noun ("seized 600 vapes", "people were spoken to")

    def label(self) -> str:
        words = f"{self.phrase} {self.verb}".strip()
        return words[0].upper() + words[1:]

    @property
    def seized(self) -> bool:
        return not self.verb or bool(_SEIZE_VERB.match(self.verb))


def _verb(words: str) -> str:
    first, _, rest = re.sub(r"\s+", " ", words.lower()).partition(" ")
    return f"{_IRREGULAR.get(first, first)} {rest}".strip()


def counted(before: str, after: str, lead_in: str = "") -> Counted | None:
    """The noun phrase after a count, with its verb: before the number, after the phrase, or earlier in the
    clause ("seized 600 vapes and 12,000 cigarettes"); None when no noun follows the number."""
    words: list[re.Match[str]] = []
    for match in _WORD.finditer(after):
        gap = after[words[-1].end() if words else 0 : match.start()]
        if (words and gap.strip()) or (not words and gap.strip(" \t")) or match.group().lower() in _STOP:
            break
        if len(words) >= 4 or (words and re.search(r"(?:ing|ed)$", match.group()) and match.group() != "seed"):
            break  # "50 drug lines operating in the area": the participle is not part of the noun
        words.append(match)
    if not words or words[0].group().lower() in _NOT_A_NOUN or (len(words) == 1 and words[0].group().endswith("ed")):
        return None  # "58 people have been arrested and 40 charged": no noun after 40
    rest = after[words[-1].end() :]
    if (of := re.match(r"\s+of\s+([a-z][\w-]*)\b", rest)) and of.group(1) not in _STOP:
        words.append(of)  # "200 rounds of ammunition", "40 bags of cannabis"
    names = [w.group().lower() if w.re is _WORD else f"of {w.group(1).lower()}" for w in words]
    head = next((n for n in names if n in KIND_NOUNS or n in PEOPLE), names[-1].removeprefix("of "))
    end = words[-1].end()
    near = _VERB_BEFORE.search(before) or _VERB_AFTER.match(after[end:])
    far = None if near else next(reversed(list(_VERB_ANYWHERE.finditer(lead_in))), None)
    verb_words = _verb(near.group("verb")) if near else _verb(far.group()) if far else ""
    phrase = " ".join(names)
    return Counted(phrase, head, verb_words, end, near=near is not None)
