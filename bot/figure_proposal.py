"""A proposal of figures from one release, as YAML for content/figures.yaml: what a person reviews."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.figure_file import Entry, Flow, Quoted, dump
from bot.figure_text import Excluded, Finding

FIGURES = "content/figures.yaml"


@dataclass
class Proposal:
    """What a release gives: its source, its figures, the numbers left out and the area (new when none is known)."""

    source_id: str
    source: dict[str, Any]
    entries: list[Entry]
    excluded: list[Excluded]
    new_area: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


def entry_for(finding: Finding, area: str | None, source_id: str) -> Entry:
    mention, quantity = finding.mention, finding.mention.quantity
    value = quantity.value
    fields = {
        "area": area,
        "label": finding.label,
        "value": None if value is None else int(value) if value == int(value) else value,
        "unit": quantity.unit,
        "qualifier": quantity.qualifier or Quoted(""),
        "period": finding.period,
        "source": source_id,
        "topics": Flow(finding.topics),
        "quote": Quoted(mention.quote),
    }
    comments = [f"from: {_said(mention.sentence.text)}"]
    comments += [f"also stated: {_said(m.sentence.text)} ({m.quantity.written}, {m.period})" for m in finding.also]
    return Entry(fields, tuple(comments), finding.why)


def _said(sentence: str) -> str:
    return '"' + sentence.strip(" \"“”'‘’") + '"'


def render(command: str, proposal: Proposal, existing: dict[str, Any]) -> str:
    """The proposal as YAML: sources:, figures: (sure ones), review: (those a person must settle), the area to add
    when the release names none that content/areas.yaml knows, and, as comments, the numbers that are no figure."""
    source_id, entries = proposal.source_id, proposal.entries
    sure = [e for e in entries if e.why is None]
    unsure = [e for e in entries if e.why is not None]
    out = [f"# Proposed by `{command}`. Check each figure against the sentence above it.\n"]
    out += [f"# {line}\n" for line in proposal.warnings]
    if source_id in (existing.get("sources") or {}):
        out.append(f"# {source_id} is already in {FIGURES} (the same text): --write keeps that entry as it is.\n")
    if proposal.new_area:
        out.append(
            "\n# REVIEW: no area in content/areas.yaml is the one this release is about. Check this entry (add the\n"
            "# towns and postcode districts it covers) and add it to content/areas.yaml, or pass --area ID.\n"
            "new_area:\n" + dump(proposal.new_area, 2)
        )
    elif entries and entries[0].fields["area"] is None:
        out.append("\n# REVIEW: the release names no place the extractor can use: set area: on each figure.\n")
    out += ["\nsources:\n", dump({source_id: proposal.source}, 2), "\nfigures:\n" if sure else "\nfigures: []\n"]
    out += [entry.text(2) for entry in sure]
    if unsure:
        out.append("\n# Not sure of these: fix each by hand, then add it to figures.yaml.\nreview:\n")
        out += [entry.text(2).replace("value: null", "value: null  # the release gives no number") for entry in unsure]
    if proposal.excluded:
        out.append("\n# Numbers in the release that are no figure, and why:\n")
        out += [f"#   {x.written!r}: {x.reason}; in {_said(x.sentence)}\n" for x in proposal.excluded]
    return "".join(out)
