"""Engine.handle(state, text) -> Reply: picks the route, fills the reply. No I/O after start-up, no Telegram."""

from __future__ import annotations

import logging
import time
from types import SimpleNamespace

from bot.areas import AREA_PHRASES, AreaFinder, AreaHit, Figures
from bot.content import Content
from bot.matcher import IntentIndex, Match, load_english_words, rank
from bot.model import Button, ChatState, Reply, Route
from bot.normalise import Normaliser, split_sentences
from bot.safety import Assessment, SafetyRules
from bot.schema import Area

log = logging.getLogger(__name__)

MAX_CHARS = 4000  # longer messages are read up to here (the safety rules read them whole)
CONFIDENT = 18.0  # below this best score the engine asks what the person means
MARGIN = 2.0  # two intents with different routes closer than this are too close to call
EMERGENCY_MIN = 30.0  # a matched emergency at or above this leads with 999 unless the rules say it is calm
CALM_EVIDENCE = 1000.0  # taken off the emergency score when the rules say the message is calm
PLACE_EVIDENCE = 10.0  # added to the area-figures score when the message names a place
TOPIC_EVIDENCE = 15.0  # and again when it also names something the place's figures count ("cash", "prison")
PLACE_ONLY_WORDS = 3  # "bletchley", "what about mk": a place and little else asks for its figures


class Engine:
    """The conversation engine: one per process, shared by all conversations, read-only after start-up."""

    def __init__(self, content: Content, *, context_ttl: float = 300.0) -> None:
        started = time.perf_counter()
        self.content = content
        self.context_ttl = context_ttl
        self.normalise = Normaliser(content.spelling)
        self.safety = SafetyRules(content.safety, self.normalise)
        self.index = IntentIndex(content.intents, self.normalise, load_english_words())
        self.areas = AreaFinder(content.areas, self.index.vocabulary, self.index.english)
        self.figures = Figures(content.figures)
        self.intents = {intent.id: intent for intent in content.intents}
        self.stats_intent = next((i.id for i in content.intents if i.route is Route.AREA_STATS), None)
        self.areas_by_id = {area.id: area for area in content.areas}
        names = [self.areas_by_id[a].name for a in self.figures.area_ids]
        links = {key: link.url or link.number for key, link in content.links.items()}
        self._values = {
            "links": SimpleNamespace(**links),
            "areas_with_figures": " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
            or "no area yet",
            "area": "",
            "figures": "",
            "sources": "",
            "place": "",
        }
        self._values["emergency_line"] = content.replies["emergency_line"].text.format_map(self._values)
        log.info(
            "engine ready: %d intents, %d examples, %.0f ms",
            len(self.intents),
            sum(len(i.examples) for i in content.intents),
            (time.perf_counter() - started) * 1000,
        )

    def new_state(self) -> ChatState:
        return ChatState(ttl=self.context_ttl)

    # ------------------------------------------------------------------ the one entry point
    def handle(self, state: ChatState, text: str) -> Reply:
        """Answer one message in a conversation, updating the conversation's short-lived context."""
        state.expire()
        text = text or ""
        # Sentences are normalised once, for the safety rules (which read them all) and then for the matcher.
        sentences = [self.normalise(raw) for raw in split_sentences(text)]
        assessment = self.safety.assess_sentences(sentences)
        if assessment.danger:
            return self._remember(
                state, self._reply(self.content.safety.danger_intent, Route.CALL_999, "emergency_first")
            )
        normalised = " ".join(sentences)[:MAX_CHARS]
        if not any(ch.isalnum() for ch in normalised):
            return self._reply("empty", Route.CLARIFY, "empty_message")
        danger_intent = self.content.safety.danger_intent
        hit = self.areas.find(normalised)
        # The place itself says nothing about what the person wants ("fight in bletchley" is no figures question
        # because examples of figures questions name bletchley); it counts below, as evidence for area figures.
        scores = self.index.scores(hit.remove_from(normalised) if hit else normalised)
        calm = assessment.calm or assessment.negated
        unboosted = rank(scores)
        if not calm and unboosted and unboosted.intent == danger_intent and unboosted.score >= CONFIDENT:
            # Decided before a named place counts for anything: "fight in bletchley" is not a figures question.
            return self._remember(state, self._reply(danger_intent, Route.CALL_999, "emergency_first"))
        evidence = self._area_evidence(hit, normalised)
        if calm:
            # The rules saw the past, "not urgent" or a negated danger sign: the emergency intent is out of the
            # running, so "nobody's in danger, I want to report dealing" is not "too close to call".
            evidence[danger_intent] = -CALM_EVIDENCE
        match = rank(scores, evidence)
        if calm and self._told_calmly(assessment, scores, match):
            # Words of an emergency told calmly ("there was a stabbing last year"): a report, not a 999 call.
            past = self.intents[self.content.safety.calm_intent]
            return self._remember(state, self._reply(past.id, past.route, past.reply))
        if self._wants_figures(state, normalised, match, hit):
            return self._remember(state, self._area_reply(hit, state, normalised))
        if match is None or match.score < CONFIDENT or self._too_close(match):
            return self._reply("unclear", Route.CLARIFY, "clarify")
        intent = self.intents[match.intent]
        return self._remember(
            state, self._reply(intent.id, intent.route, intent.reply, area=hit.area.id if hit else None)
        )

    def handle_location(self, state: ChatState, latitude: float, longitude: float) -> Reply:
        """Answer a shared location with that area's figures and routes, or the honest answer when unknown."""
        state.expire()
        area = self.areas.at(latitude, longitude)
        if area is None:
            return self._reply(self.stats_intent or "area_stats", Route.INFO, "location_unknown")
        return self._figures_for(state, area)

    def reply_by_id(self, reply_id: str, route: Route = Route.INFO) -> Reply:
        """A reply the front end asks for by name (/start, /privacy, non-text messages, errors)."""
        return self._reply(reply_id, route, reply_id)

    # ------------------------------------------------------------------ decisions
    def _too_close(self, match: Match) -> bool:
        if match.runner_up is None or match.score - match.runner_up_score >= MARGIN:
            return False
        return self.intents[match.intent].route is not self.intents[match.runner_up].route

    def _told_calmly(self, assessment: Assessment, scores: dict[str, float], match: Match | None) -> bool:
        """A calm message about an emergency that no reporting intent answers well: the past-crime report.

        It is never answered as small talk: "my son was stabbed last night" must not get "thanks" or "hello".
        """
        weak = (
            match is None or match.score < CONFIDENT or self.intents[match.intent].route in (Route.INFO, Route.CLARIFY)
        )
        sounds_urgent = scores.get(self.content.safety.danger_intent, 0.0) >= EMERGENCY_MIN or assessment.calmed
        return weak and sounds_urgent

    def _area_evidence(self, hit: AreaHit | None, normalised: str) -> dict[str, float]:
        """A named place is evidence for the area-figures intent; a place and a figure's topic, more so."""
        if hit is None or self.stats_intent is None:
            return {}
        topical = self.figures.topics_in(normalised, hit.area.id) or self.figures.asked(normalised)
        return {self.stats_intent: PLACE_EVIDENCE + (TOPIC_EVIDENCE if topical else 0.0)}

    def _wants_figures(self, state: ChatState, normalised: str, match: Match | None, hit: AreaHit | None) -> bool:
        if self.stats_intent is None:
            return False
        if match and match.intent == self.stats_intent and match.score >= CONFIDENT:
            return True
        few_words = len(normalised.split()) <= PLACE_ONLY_WORDS + len(hit.place.split()) if hit else False
        if hit and few_words and (match is None or match.score < CONFIDENT * 1.5 or state.intent == self.stats_intent):
            return True
        # A follow-up in the same conversation: "and how much cash?" keeps the area of the last answer.
        # "and how many arrests?" is a follow-up too, answered with "no published figure for arrests".
        asks = state.area and (self.figures.topics_in(normalised, state.area) or self.figures.asked(normalised))
        return bool(state.intent == self.stats_intent and asks)

    def _area_reply(self, hit: AreaHit | None, state: ChatState, normalised: str) -> Reply:
        stats = self.stats_intent or "area_stats"
        # The last answer's area serves a follow-up, not a question about a place the content does not know.
        if hit is None and (state.area is None or self.areas.names_unknown_place(normalised)):
            return self._reply(stats, Route.CLARIFY, "which_area")
        area = hit.area if hit else self.areas_by_id[state.area]
        place = hit.place if hit else area.name
        # Every area the message names is answered ("cash in bletchley and aylesbury"); the wording is in replies.yaml.
        hits = (self.areas.find_all(normalised) if hit and normalised else []) or [AreaHit(area, place)]
        phrases = {key: self.content.replies[key].text for key in AREA_PHRASES}
        reply_id, figures = self.figures.answer(hits, normalised, phrases)
        if reply_id == "outside_force":
            return self._reply(stats, Route.INFO, "outside_force", area=area.id, place=place)
        if reply_id == "no_figures_here":
            return self._reply(stats, Route.INFO, "no_figures_here", area=area.id, area_name=area.name)
        names = " and ".join(dict.fromkeys(h.area.name for h in hits if self.figures.has(h.area.id)))
        return self._reply(stats, Route.AREA_STATS, reply_id, area=area.id, area_name=names, figures=figures)

    # ------------------------------------------------------------------ building replies
    def _reply(
        self, intent: str, route: Route, reply_id: str, *, area: str | None = None, area_name: str = "", **values: str
    ) -> Reply:
        spec = self.content.replies[reply_id]
        filled = {**self._values, "area": area_name, **values}
        buttons = tuple(
            Button(b.text.format_map(filled), b.url.format_map(filled) if b.url else None) for b in spec.buttons
        )
        return Reply(route=route, intent=intent, text=spec.text.format_map(filled), buttons=buttons, area=area)

    @staticmethod
    def _remember(state: ChatState, reply: Reply) -> Reply:
        state.intent = reply.intent
        if reply.area:
            state.area = reply.area
        return reply

    # ---- for front ends
    def handle_area(self, state: ChatState, area_id: str) -> Reply | None:
        """An area's figures and reporting routes by area id (deep links such as /start area_milton_keynes), as
        for a shared location in that area; None for an id the content does not have."""
        state.expire()
        area = self.areas_by_id.get(area_id)
        return None if area is None else self._figures_for(state, area)

    def _figures_for(self, state: ChatState, area: Area) -> Reply:
        return self._remember(state, self._area_reply(AreaHit(area, area.name), state, ""))
