"""`python -m bot extract ARTICLE.txt`: propose figures for content/figures.yaml from a police press release."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from bot.config import Settings
from bot.content import FILES, ContentError, load_content
from bot.figure_file import Entry, Flow, MergeError, Quoted, figure_lines, merge
from bot.figure_proposal import Proposal, entry_for, render
from bot.figure_source import (
    digest,
    find_area,
    find_commander,
    find_kind,
    find_places,
    find_published,
    find_publisher,
    looks_like_release,
)
from bot.figure_text import find_figures, scan
from bot.normalise import fold
from bot.schema import Area

FIGURES = FILES["figures"]
NO_DATE = "the release gives no publication date"
NO_PUBLISHER = "the release does not name its force"
IN_FORCE = "thames_valley"


class Refusal(Exception):
    """Stop with one clear line on stderr and this exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot extract",
        description="Read a police press release and propose its figures for content/figures.yaml, as YAML.",
    )
    parser.add_argument("article", help="the release as a text file; - reads standard input")
    parser.add_argument("--area", help="the area id from content/areas.yaml (default: the area the release names)")
    parser.add_argument("--published", type=_date, help="publication date YYYY-MM-DD (default: a date the text gives)")
    parser.add_argument("--source-id", help="id for the source (default: force initials, area and date)")
    parser.add_argument("--title", help="the source's title (default: '<area> press release')")
    parser.add_argument("--url", help="a link to the release (https://...), which the bot's source line then carries")
    parser.add_argument("--write", action="store_true", help="add the figures to content/figures.yaml if check passes")
    parser.add_argument("--replace", action="store_true", help="with --write: replace figures already there")
    return parser


def read_article(name: str) -> str:
    """The release's text; Refusal (exit 2) when it is missing, empty or not text."""
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise Refusal(f"{name}: no such file", 2) from None
    except IsADirectoryError:
        raise Refusal(f"{name}: is a folder, not a text file", 2) from None
    except OSError as exc:
        raise Refusal(f"{name}: cannot read it ({exc.strerror or exc})", 2) from None
    if b"\0" in data:
        raise Refusal(f"{name}: is a binary file, not the text of a press release", 2)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # text saved by older Windows tools
    if not text.strip():
        raise Refusal(f"{name}: is empty", 2)
    if sum(not (c.isprintable() or c.isspace()) for c in text) > len(text) // 100:
        raise Refusal(f"{name}: is not plain text (is it a PDF or a word-processor file? save it as .txt)", 2)
    return text


def _areas(root: Path) -> tuple[Area, ...]:
    """The areas from content/, even while another content file fails the check (--write checks it all)."""
    try:
        return load_content(root).areas
    except ContentError:
        try:
            raw = yaml.safe_load((root / FILES["areas"]).read_text(encoding="utf-8"))
            return tuple(TypeAdapter(list[Area]).validate_python(raw))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise Refusal(
                f"{FILES['areas']}: cannot read the areas ({type(exc).__name__}); run `python -m bot check`"
            ) from None


def _existing(root: Path) -> dict[str, Any]:
    """content/figures.yaml as plain data; empty when it cannot be read."""
    try:
        data = yaml.safe_load((root / FIGURES).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _source(text: str, name: str, args: argparse.Namespace, place: str, existing: dict[str, Any]) -> tuple[str, dict]:
    """The source id and entry, read from the text; the id already in figures.yaml when it holds the same text."""
    publisher = find_publisher(text) or NO_PUBLISHER
    published = args.published or find_published(text)
    kind = find_kind(text)
    source: dict[str, Any] = {
        "publisher": publisher,
        "title": Quoted(args.title or f"{place} {kind}"),
        "kind": kind,
        "published": published,
    }
    if published is None:
        source["date_note"] = Quoted(NO_DATE)
    if commander := find_commander(text):
        source["commander"] = Quoted(commander)
    if name != "stdin":
        source["seed"] = name
    source["digest"] = digest(text)
    if args.url:
        if not re.fullmatch(r"https://\S+", args.url):
            raise Refusal(f"--url {args.url}: give the whole link, starting https://", 2)
        source["url"] = args.url
    sources = existing.get("sources") if isinstance(existing.get("sources"), dict) else {}
    if args.source_id:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", args.source_id):
            raise Refusal(f"--source-id {args.source_id}: use lower-case letters, digits and _ (tvp_mk_2024_03_01)", 2)
        return args.source_id, source
    # The same release is the same words, whatever the file is called; another text under an old name is new.
    same = [sid for sid, old in sources.items() if isinstance(old, dict) and old.get("digest") == source["digest"]]
    if same:
        return same[0], source
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", publisher) if word[0].isupper()).lower()
    area_id = re.sub(r"[^a-z0-9]+", "_", fold(place)).strip("_") or "area"
    base = f"{initials or 'src'}_{area_id}_{published.strftime('%Y_%m_%d') if published else 'undated'}"
    source_id, n = base, 1
    while source_id in sources:
        n += 1
        source_id = f"{base}_{n}"
    return source_id, source


def _new_area(text: str, publisher: str | None) -> dict[str, Any] | None:
    """An entry for content/areas.yaml from the places the release names, for a person to check; None if it names
    none."""
    places = find_places(text, publisher)
    if not places:
        return None
    area_id = re.sub(r"[^a-z0-9]+", "_", fold(places[0])).strip("_")
    force = publisher or "the local police force"
    return {"id": area_id, "name": places[0], "force": force, "towns": Flow([fold(p) for p in places])}


def propose(text: str, name: str, args: argparse.Namespace, root: Path) -> Proposal:
    """The release's source, one Entry a figure it states, and where the figures belong; never refused for its area."""
    if not looks_like_release(text):
        raise Refusal(f"{name}: this does not read like a police press release (it hardly mentions the police)", 2)
    findings = find_figures(text)
    if not findings:
        raise Refusal(f"{name}: the release states no figures the extractor can read; nothing to propose", 1)
    areas = {area.id: area for area in _areas(root)}
    if args.area and args.area not in areas:
        raise Refusal(f"--area {args.area}: not an area in {FILES['areas']} (known: {', '.join(areas)})", 2)
    area = areas[args.area] if args.area else find_area(text, areas.values())
    publisher = find_publisher(text)
    warnings, new_area = [], None
    if area is None:
        new_area = _new_area(text, publisher)
        if new_area and new_area["id"] in areas:
            area, new_area = areas[new_area["id"]], None
    if area is not None and area.force != IN_FORCE:
        warnings.append(
            f"warning: {area.name} is policed by {area.force}, not by the force this content serves; "
            "the bot will quote these figures for it and point reports to that force"
        )
    place = area.name if area else new_area["name"] if new_area else "unnamed area"
    source_id, source = _source(text, name, args, place, _existing(root))
    area_id = area.id if area else new_area["id"] if new_area else None
    entries = [entry_for(finding, area_id, source_id) for finding in findings]
    return Proposal(source_id, source, entries, scan(text)[1], new_area, warnings)


def write(root: Path, source_id: str, source: dict, entries: list[Entry], *, replace: bool) -> str:
    """Add the entries to content/figures.yaml once the whole content passes the check; what was done, in words."""
    path = root / FIGURES
    if not any(e.why is None for e in entries):
        raise Refusal("nothing written: every figure needs review first (see review: above)")
    try:
        text = path.read_text(encoding="utf-8")
        placed = figure_lines(text)
    except (OSError, yaml.YAMLError, AttributeError, MergeError) as exc:
        raise Refusal(
            f"nothing written: cannot read {FIGURES} ({type(exc).__name__}); run `python -m bot check`"
        ) from None
    new = {(e.fields["area"], e.fields["label"], source_id) for e in entries if e.why is None}
    remove = [k for k, (_, _, f) in enumerate(placed) if (f.get("area"), f.get("label"), f.get("source")) in new]
    if remove and not replace:
        for k in remove:
            start, _, figure = placed[k]
            print(f"{FIGURES}:{start + 1}: '{figure['label']}' for {figure['area']} is already there", file=sys.stderr)
        raise Refusal(
            f"nothing written: {len(remove)} figure(s) from {source_id} already there; --replace replaces them"
        )
    is_new = source_id not in (_existing(root).get("sources") or {})
    try:
        merged = merge(text, source_id, source if is_new else None, entries, remove)
    except MergeError as exc:
        raise Refusal(f"nothing written: {exc}") from None
    _check(root, merged)
    temp = path.with_name(f".{path.name}.extract")
    temp.write_text(merged, encoding="utf-8")
    os.replace(temp, path)  # all or nothing: the bot never reads a half-written file
    sure = sum(e.why is None for e in entries)
    done = f"{FIGURES}: added {sure} figure(s)" + (f" and source {source_id}" if is_new else f" to source {source_id}")
    done += f", replacing {len(remove)}" if remove else ""
    unsure = len(entries) - sure
    return done + (f"; {unsure} to review left commented out (lines starting '# REVIEW')" if unsure else "")


def _check(root: Path, figures: str) -> None:
    """Run the content check on a copy holding the new figures.yaml; Refusal listing file:line problems."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        shutil.copytree(root / "content", copy / "content")
        if (root / FILES["intents"]).exists():
            shutil.copy2(root / FILES["intents"], copy / FILES["intents"])
        (copy / FIGURES).write_text(figures, encoding="utf-8")
        try:
            load_content(copy)
        except ContentError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            count = len(exc.problems)
            raise Refusal(
                f"nothing written: the content would fail `python -m bot check` ({count} problem(s))"
            ) from None


def main(argv: list[str], settings: Settings) -> int:
    """Print the proposal; with --write, add it to content/figures.yaml. 0 done, 1 refused, 2 bad input."""
    args = _parser().parse_args(argv)
    root = settings.content_root
    name = "stdin" if args.article == "-" else Path(args.article).name
    try:
        text = read_article(args.article)
        proposal = propose(text, name, args, root)
        command = " ".join(["python -m bot extract", *argv])
        print(render(command, proposal, _existing(root)), end="")
        for warning in proposal.warnings:
            print(warning, file=sys.stderr)
        if args.write:
            if proposal.entries[0].fields["area"] not in {a.id for a in _areas(root)}:
                raise Refusal(f"nothing written: add the area to {FILES['areas']} first (see new_area: above)")
            print(
                write(root, proposal.source_id, proposal.source, proposal.entries, replace=args.replace),
                file=sys.stderr,
            )
    except Refusal as exc:
        print(exc, file=sys.stderr)
        return exc.code
    return 0
