"""What a number in a press release counts: drug lines, kilos seized, street value, cash, prison years, arrests..."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.figure_nouns import KIND_NOUNS, PEOPLE, SEIZED, Counted, counted
from bot.quantities import Quantity

_DRUG = r"drugs?|substances|cocaine|crack|heroin|cannabis|skunk|ketamine|mdma|ecstasy|amphetamines?|spice|class [ab]"
_DRUG_NAMES = r"class [ab] drugs|crack cocaine|cocaine|heroin|cannabis|ketamine|mdma|illegal drugs|drugs|substances"
_DRUG_NAME = re.compile(
    r"^\W*(?:of\s+)?(?:suspected\s+)?(class [ab] drugs|crack cocaine|cocaine|heroin|cannabis|ketamine)", re.I
)


@dataclass(frozen=True, slots=True)
class Kind:
    id: str
    unit: str  # the unit a number must have to count this
    label: str  # what the bot calls the figure
    topics: tuple[str, ...]  # words a person might ask about
    cue: re.Pattern[str]  # words near the number that say what it counts
    needs: re.Pattern[str] | None = None  # words the clause must also have


def _kind(kind_id: str, unit: str, label: str, topics: str, cue: str, needs: str | None = None) -> Kind:
    flags = re.IGNORECASE
    needs_re = re.compile(needs, flags) if needs else None
    return Kind(kind_id, unit, label, tuple(topics.split(", ")), re.compile(cue, flags), needs_re)


# Order breaks ties between cues at the same distance from the number.
KINDS = (
    _kind("lines", "count", "Drug lines dismantled", "lines, drug lines, dismantled, busted, closed", r"\blines?\b"),
    _kind("awaiting", "count", "Offenders awaiting sentencing",
          "awaiting sentence, sentencing, offenders, court, charged", r"\bawait(?:ing)? sentenc\w*"),
    _kind("awaiting_trial", "count", "Offenders awaiting trial", "awaiting trial, offenders, court, charged",
          r"\bawait(?:ing)? trial"),
    _kind("arrests", "count", "Arrests", "arrests, arrested, detained", r"\barrest(?:s|ed)?\b"),
    _kind("charged", "count", "People charged", "charged, charges, court", r"\bcharged\b|\bcharges\b"),
    _kind("jailed", "count", "People jailed", "jailed, prison, sentenced, locked up", r"\b(?:jailed|imprisoned)\b"),
    _kind("convicted", "count", "People convicted", "convicted, convictions, court", r"\bconvict(?:ed|ions?)\b"),
    _kind("weapons", "count", "Weapons seized", "weapons, knives, seized",
          r"\b(?:knives|knife|weapons?|firearms?|guns?|machetes?|blades?|swords?)\b"),
    _kind("safeguarded", "count", "Vulnerable people safeguarded", "safeguarded, vulnerable, exploitation, exploited",
          r"\bsafeguard\w*|\bvulnerable\b"),
    _kind("warrants", "count", "Warrants executed", "warrants, raids, searches", r"\bwarrants?\b"),
    _kind("raids", "count", "Raids carried out", "raids, warrants, searches", r"\braids?\b"),
    _kind("stop_search", "count", "Stop and searches", "stop and search, searches",
          r"\bstop(?:ped)?[- ]?(?:and[- ])?search"),
    _kind("plants", "count", "Cannabis plants seized", "cannabis, plants, cannabis factory, seized", r"\bplants?\b"),
    _kind("vehicles", "count", "Vehicles seized", "vehicles, cars, seized", r"\b(?:vehicles?|cars?|mopeds?)\b"),
    _kind("phones", "count", "Phones seized", "phones, mobiles, seized", r"\b(?:phones?|handsets?)\b"),
    _kind("seizures", "count", "Drug seizures", "drug seizures, seizures, seized", r"\bseizures\b"),
    _kind("street_value", "GBP", "Street value of the drugs seized", "value, worth, street value, drugs seized, seized",
          rf"street value|\bworth\b|\bvalued\b|^\W*(?:of|in) (?:suspected |illegal )?(?:{_DRUG})\b",
          needs=rf"street value|\b(?:{_DRUG})\b"),
    _kind("cash", "GBP", "Cash from crime recovered", "cash, money, recovered, criminal cash", r"\bcash\b"),
    _kind("assets", "GBP", "Criminal assets recovered", "assets, proceeds of crime, confiscated, recovered",
          r"\bassets\b|proceeds of crime|\bconfiscat\w*|\bforfeit\w*"),
    _kind("drugs", "kg", "Drugs seized", "drugs seized, seized, weight, kilos, kg", rf"\b(?:{_DRUG})\b"),
    _kind("prison", "years", "Prison sentences handed down", "prison, jail, sentences, years, locked up",
          r"\bprison\b|\bjail\w*|\bimprison\w*|behind bars|\bcustod\w*|\bsentenc\w*|\bserving\b|\blocked up\b"),
)  # fmt: skip
_MORE_DRUGS = re.compile(rf"\s*(?:,|and|or)\s+(?:{_DRUG})", re.I)
_COUNTY_AMONG = re.compile(r"^\W*(?:of (?:these|them|those|which)\b[^.]{0,30}?|)\bcounty\b", re.I)
_SUBSET_BEFORE = re.compile(r"(?:including|among them|of which|of these|of those)\W*$", re.I)
_ONE_SENTENCE = re.compile(r"\b(?:was|has been|is)\s+(?:jailed|sentenced|imprisoned|locked up)\b", re.I)
_TOTAL = re.compile(r"\b(?:total|combined|collectively|altogether|between them|serving)\b", re.I)
# Words that say a number is a figure even when the table above does not know what it counts.
_FIGURE_VERB = re.compile(
    r"\b(?:seized|recovered|closed|executed|carried out|conducted|issued|removed|visited|referred|identified|"
    r"disrupted|dismantled|taken off the streets|handed in|surrendered|found|made|served|secured)\b",
    re.I,
)


# Labels that a kind's words make more exact, with topics of their own.
_TOPICS = {
    "Cash seized": ("cash", "money", "seized"),
    "Charges brought": ("charges", "charged", "court"),
    "Drug lines disrupted": ("lines", "drug lines", "disrupted", "closed"),
}


_WEAPONS = {
    **dict.fromkeys(["knife", "knives", "blade", "blades"], "Knives"),
    **dict.fromkeys(["machete", "machetes"], "Machetes"),
    **dict.fromkeys(["firearm", "firearms", "gun", "guns"], "Firearms"),
    **dict.fromkeys(["sword", "swords"], "Swords"),
}
# Who did the work, not what it achieved: "10 officers carried out 5 warrants".
_NOT_COUNTED = re.compile(r"\b(?:officers|police|staff|detectives|teams|members|colleagues|agencies|partners)$", re.I)


@dataclass(frozen=True, slots=True)
class Reading:
    """What one number counts: the label and topics to publish, and why a person must look, if they must."""

    kind: str
    label: str
    topics: tuple[str, ...]
    why: str | None = None
    counted: str = ""  # what exactly it counts, where the label does not say ("cannabis", "machetes")


def _nearest(kinds: list[Kind], before: str, after: str) -> Kind | None:
    """The kind whose cue is closest to the number; after the number wins a tie ("15 drug lines")."""
    best: tuple[int, int, Kind] | None = None
    for rank, kind in enumerate(kinds):
        distances = [m.start() for m in kind.cue.finditer(after)]
        distances += [len(before) - m.end() + 1 for m in kind.cue.finditer(before)]
        if distances and (best is None or (min(distances), rank) < best[:2]):
            best = (min(distances), rank, kind)
    return best[2] if best else None


def _label(kind: Kind, before: str, after: str, clause: str, counted: Counted | None = None) -> str:
    """The kind's label, made more exact by the words around the number."""
    text = f"{before} {after}".lower()
    if kind.id == "lines" and "disrupt" in before.lower():
        return "Drug lines disrupted"
    if kind.id == "drugs" and (drug := _DRUG_NAME.match(after)) and not _MORE_DRUGS.match(after[drug.end() :]):
        name = drug.group(1).lower().replace("class a", "Class A").replace("class b", "Class B")
        return f"{name[0].upper()}{name[1:]} seized"
    if kind.id == "weapons":
        noun = "Knives" if re.search(r"kni|blade|machete|sword", text) else "Weapons"
        noun = "Firearms" if re.search(r"firearm|\bguns?\b", text) else noun
        if counted is not None:  # the noun counted names the weapon: "3 machetes", "2 imitation firearms"
            noun = _WEAPONS.get(counted.head, noun)
            noun = counted.phrase.capitalize() if re.search(r"imitation|replica|air|bb", counted.phrase) else noun
        return f"{noun} {'handed in' if re.search(r'surrender|handed in|amnest', clause, re.I) else 'seized'}"
    if kind.id == "charged" and re.match(r"^\W*charges\b", after, re.I):
        return "Charges brought"
    if kind.id == "cash" and not re.search(r"recover|criminal|proceeds|made through", clause, re.I):
        return "Cash seized"
    if kind.id == "prison" and re.search(r"\bserving\b", clause, re.I):
        return "Prison time being served" + (" by drug dealers" if re.search(r"drug dealers", clause, re.I) else "")
    return kind.label


def read_quantity(quantity: Quantity, before: str, after: str, clause: str, lead_in: str = "") -> Reading | None:
    """What `quantity` counts, from the words `before` and `after` it in its clause; None if it is no figure."""
    if quantity.unit == "percent":
        why = "a percentage: content/figures.yaml has no unit for one; add it by hand if it matters"
        what = re.sub(r"\s+by\s*$", "", before.strip()) or after.strip(" .")
        return Reading("percent", f"{what[:1].upper()}{what[1:60]} (per cent)", (), why)
    if quantity.unit == "count" and _COUNTY_AMONG.match(after) and (_SUBSET_BEFORE.search(before) or "of" in after[:6]):
        return Reading("county_lines", "County drug lines among them", ("county lines", "lines", "closed"))
    why = None if quantity.value is not None else f"the release gives no exact number ({quantity.written!r})"
    noun = counted(before, after, lead_in) if quantity.unit == "count" and not _STOP_SEARCH.match(after) else None
    fitting = [k for k in KINDS if k.unit == quantity.unit and (k.needs is None or k.needs.search(clause))]
    if noun is not None:
        kind = _by_noun(noun, fitting, after)
        if kind is None:
            return _other(noun, why)
    else:
        kind = _nearest(fitting, before, after)
    if kind is None:
        return _unknown(quantity, before, after, why)
    label = _label(kind, before, after, clause, noun)
    topics = _TOPICS.get(label, kind.topics)
    if label.endswith(" seized") and kind.id == "drugs" and label != kind.label:
        topics = (*topics, label.removesuffix(" seized").lower())
    if kind.id == "lines" and re.search(r"\bcounty\b", clause, re.I):
        topics = (*topics[:2], "county lines", *topics[2:])
    if (
        quantity.unit == "GBP"
        and quantity.written.lower().endswith("pounds")
        and re.match(rf"\W*of\s+(?:{_DRUG})", after)
    ):
        why = why or "'pounds of' a drug may be its weight, not its value"
    if kind.id == "prison" and _ONE_SENTENCE.search(clause) and not _TOTAL.search(clause):
        why = why or "this may be one person's sentence, not a total"
    what = _drug_named(before, after) if kind.id == "street_value" else ""
    what = _WEAPONS.get(noun.head, noun.head) if noun and kind.id == "weapons" else what
    if what and kind.id == "street_value":
        label = f"Street value of the {what} seized"
        topics = (*topics, what.lower())
    return Reading(kind.id, label, topics, why, what)


_STOP_SEARCH = re.compile(r"^\W*stop(?:ped)?[- ]?(?:and[- ])?search", re.I)
_PERSON_KINDS = ("arrests", "charged", "jailed", "convicted", "safeguarded", "awaiting", "awaiting_trial")
_WORTH = re.compile(rf"^\W*(?:worth\s+)?(?:of|in)\s+(?:suspected\s+|illegal\s+)?({_DRUG_NAMES})\b", re.I)
_WORTH_BEFORE = re.compile(rf"\b({_DRUG_NAMES})\s+(?:worth|valued at|with a (?:street )?value of)\W*$", re.I)


def _drug_named(before: str, after: str) -> str:
    """The drug a value is of, when the release names one ("£300k worth of cannabis"); "" for drugs in general."""
    match = _WORTH.match(after) or _WORTH_BEFORE.search(before)
    name = match.group(1).lower() if match else ""
    return "" if name in ("drugs", "illegal drugs", "substances") else name.replace("class a", "Class A")


def _by_noun(noun: Counted, fitting: list[Kind], after: str) -> Kind | None:
    """The kind the counted noun names; for people, the kind their verb names ("11 people were arrested")."""
    ids = {k.id: k for k in fitting}
    if noun.head in PEOPLE:
        people = [k for k in fitting if k.id in _PERSON_KINDS]
        return _nearest(people, f"{noun.verb} {noun.phrase}", after[noun.end :][:40])
    kind = ids.get(KIND_NOUNS.get(noun.head, ""))
    if kind is None or (kind.id in SEIZED and not noun.seized):
        return None  # "searched 22 vehicles" counts searches of vehicles, not vehicles seized
    return kind


def _other(noun: Counted, why: str | None) -> Reading:
    """A count of something the table does not know: labelled with its own noun and verb, for a person to check."""
    # A noun and the verb beside it name a figure as the release does ("handed out 48 fixed penalty notices");
    # a verb from further back ("colleagues joined officers at 19 shops") may belong to something else.
    if not noun.near:
        why = why or "what it counts is new to the extractor, and its verb is not beside it: check the label"
    topics = tuple(dict.fromkeys(t for t in (noun.phrase, noun.head, noun.verb) if t))
    return Reading("other", noun.label(), topics, why, noun.head)


def _unknown(quantity: Quantity, before: str, after: str, why: str | None) -> Reading | None:
    """A number with a figure's verb nearby but no kind in the table: proposed, for a person to name."""
    if quantity.unit in ("years",) or quantity.value is None:
        return None  # ages, periods and vague sizes say too little on their own
    near = f"{before[-30:]} {after[:40]}"
    verb = _FIGURE_VERB.search(near)
    noun = re.match(r"^\W*(?:of\s+)?((?:[a-z-]+\s+){0,2}?[a-z-]+s)\b", after, re.I)
    if not verb or (quantity.unit == "count" and not noun) or (noun and _NOT_COUNTED.search(noun.group(1))):
        return None
    words = noun.group(1) if noun else "money" if quantity.unit == "GBP" else "items"
    label = f"{words[0].upper()}{words[1:]} {verb.group().lower()}"
    why = why or "what it counts is new to the extractor: check the label and topics"
    return Reading("other", label, tuple(dict.fromkeys((words, verb.group().lower()))), why)
