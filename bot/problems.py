"""Content problems in plain English: which intent, area, link or figure, the value found and what is allowed.

The people who edit the content are volunteers, not programmers: a message names the thing by its id and says
what to change, never a pydantic path like `figures.0.source`. YAML syntax errors point at the line of the
mistake where it can be known (an unclosed quote, a key without a colon, an unclosed bracket), else they say
"at or just before line N", since a parser notices a mistake only where it stops making sense.
"""

from __future__ import annotations

import re
import string
import types
from collections.abc import Collection
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

# What each file holds, and how one of its entries is named in a message.
_ENTRY = {"intents.yaml": "intent", "content/replies.yaml": "reply", "content/links.yaml": "link"}
_ENTRY |= {"content/areas.yaml": "area", "content/spelling.yaml": "spelling"}
# A list field's entries, in the singular: "example 3", "button 1".
_SINGULAR = {"examples": "example", "buttons": "button", "aliases": "alias", "towns": "town"}
_SINGULAR |= {"postcodes": "postcode", "topics": "topic", "centre": "centre number", "words": "word"}
# What a constrained text must look like, by the pattern the schema uses.
_PATTERNS = {
    r"^[a-z][a-z0-9_]*$": "an id: lower-case letters, digits and _, starting with a letter (like drug_dealing)",
    r"^https://\S+$": "a web address starting with https:// and without spaces",
    r"^[A-Z]{1,2}[0-9][0-9A-Z]?$": "a postcode district in capitals, like MK2 or HP19",
}


# ---------------------------------------------------------------------- YAML syntax
def yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The 1-based line of a YAML syntax mistake and what to do about it."""
    problem, context = exc.problem or "", exc.context or ""
    found = exc.problem_mark.line + 1 if exc.problem_mark else 0
    opened = exc.context_mark.line + 1 if exc.context_mark else found
    if "quoted scalar" in context:
        return opened, "not valid YAML: a quote opens on this line and is never closed"
    quote = _runaway_quote(text, exc)
    if quote:
        return quote, f"not valid YAML: the quote that opens on this line runs on to line {found}; close it"
    if "simple key" in context:
        return opened, (
            "not valid YAML: this line has no ':' after its name, or is indented differently from the lines around it"
        )
    if "flow mapping" in context or "flow sequence" in context:
        bracket = "{ ... }" if "mapping" in context else "[ ... ]"
        return opened, f"not valid YAML: the {bracket} that opens on this line is not closed where it should be"
    if "mapping values are not allowed" in problem:
        return found, "not valid YAML: a second ': ' on this line; put the value in double quotes (\"...\")"
    if "cannot start any token" in problem and "\t" in "".join(text.splitlines()[found - 1 : found]):
        return found, "not valid YAML: a tab on this line; indent with spaces only"
    if "expected key" in problem or "expected <block end>" in problem:
        return found, f"not valid YAML at or just before line {found}: the indentation does not match the lines above"
    return found, f"not valid YAML at or just before line {found}: {problem or context}"


def _runaway_quote(text: str, exc: yaml.MarkedYAMLError) -> int:
    """The line where a quoted value starts when that value swallowed the next lines: a forgotten closing quote
    makes the parser stop a line or more later. 0 when the last value before the stop is not such a quote."""
    if exc.problem_mark is None:
        return 0
    stop, last = exc.problem_mark.index, None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):  # the pure-Python scanner: this is the error path
            if token.start_mark.index >= stop:
                break
            last = token
    except yaml.YAMLError:
        pass
    quoted = isinstance(last, yaml.ScalarToken) and last.style in ('"', "'")
    if quoted and last.start_mark.line != last.end_mark.line:
        return last.start_mark.line + 1
    return 0


# ---------------------------------------------------------------------- schema errors
def without_echoes(errors: list[Any]) -> list[Any]:
    """A misspelt key is reported twice by pydantic (the key it does not know, and the key it misses); a person
    needs only the first, which names both."""
    misspelt = {tuple(e["loc"][:-1]) for e in errors if e["type"] == "extra_forbidden"}
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"][:-1]) in misspelt)]


def schema_problem(file: str, error: dict[str, Any], raw: Any, kind: Any) -> str:
    """One pydantic error as a sentence naming the entry by its id, the value found and what is allowed."""
    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and "[" in part))
    subject, rest = _subject(file, loc, raw)
    field = _field(rest)
    found = error.get("input")
    ctx = error.get("ctx") or {}
    kind_of = error["type"]
    owner = _field(rest[:-1]) if rest[:-1] else "it"
    if kind_of == "missing" and rest and isinstance(rest[-1], int):
        return f"{subject}: {owner} should be {_WANTED['tuple']}"
    if kind_of == "missing":
        return f"{subject}: {owner} has no '{rest[-1] if rest else '?'}'; add it"
    if kind_of in ("enum", "literal_error"):
        allowed = ", ".join(repr(v) if v == "" else v for v in re.findall(r"'([^']*)'", ctx.get("expected", "")))
        return f"{subject}: {field} {_show(found)} is not one of {allowed}"
    if kind_of == "extra_forbidden":
        known = _keys_at(kind, loc[:-1])
        allowed = f" ({', '.join(known)})" if known else ""
        return f"{subject}: {owner} has '{loc[-1]}', which is not one of its keys{allowed}; check the spelling"
    if kind_of == "string_pattern_mismatch":
        wanted = _PATTERNS.get(ctx.get("pattern", ""), f"text matching {ctx.get('pattern')}")
        return f"{subject}: {field} {_show(found)} must be {wanted}"
    if kind_of == "string_too_short":
        return f"{subject}: {field} is empty; write something or remove it"
    if kind_of == "too_short":
        return f"{subject}: {field} needs at least {ctx.get('min_length', 1)} entry; it has {ctx.get('actual_length')}"
    if kind_of in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        limit = {"greater_than": "more than", "greater_than_equal": "at least", "less_than": "less than"}
        bound = next(iter(ctx.values()), "")
        bound = f"{bound:g}" if isinstance(bound, int | float) else bound
        return f"{subject}: {field} is {_show(found)}, but it must be {limit.get(kind_of, 'at most')} {bound}"
    if kind_of == "value_error":
        return f"{subject}: {ctx.get('error', error['msg'])!s}"
    wanted = _WANTED.get(kind_of.removesuffix("_parsing").removesuffix("_type"), error["msg"].lower())
    return f"{subject}: {field} should be {wanted}, not {_show(found)}"


_WANTED = {
    "string": "text",
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "list": "a list (one '- ' line per entry, or [a, b])",
    "tuple": "a list of two numbers, like [52.04, -0.76]",
    "dict": "a set of 'name: value' lines",
    "model": "a set of 'name: value' lines",
    "date_from_datetime": "a date written as YYYY-MM-DD",
    "date": "a date written as YYYY-MM-DD",
}


def _subject(file: str, loc: tuple[Any, ...], raw: Any) -> tuple[str, tuple[Any, ...]]:
    """'intent 'drug_dealing'' and the rest of the path inside it."""
    if file == "content/figures.yaml" and loc[:1] == ("figures",) and len(loc) > 1:
        entry = _entry(raw, ("figures", loc[1]))
        label = entry.get("label") if isinstance(entry, dict) else None
        return (f"figure '{label}'" if label else f"figure number {loc[1] + 1}"), loc[2:]
    if file == "content/figures.yaml" and loc[:1] == ("sources",) and len(loc) > 1:
        return f"source '{loc[1]}'", loc[2:]
    if file in ("content/safety.yaml", "content/figures.yaml") or not loc:
        return (f"the '{loc[0]}' list" if loc else "the file"), loc[1:]
    noun = _ENTRY.get(file, "entry")
    if isinstance(loc[0], int):
        entry = _entry(raw, loc[:1])
        name = entry.get("id") if isinstance(entry, dict) else None
        return (f"{noun} '{name}'" if isinstance(name, str) else f"{noun} number {loc[0] + 1}"), loc[1:]
    return f"{noun} '{loc[0]}'", loc[1:]


def _entry(raw: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        try:
            raw = raw[part]
        except (KeyError, IndexError, TypeError):
            return None
    return raw


def _field(rest: tuple[Any, ...]) -> str:
    """('buttons', 0, 'url') -> "button 1's url"."""
    words: list[str] = []
    for part in rest:
        if isinstance(part, int) and words:
            words[-1] = f"{_SINGULAR.get(words[-1], words[-1])} {part + 1}"
        elif isinstance(part, int):
            words.append(f"entry {part + 1}")
        else:
            words.append(str(part))
    return "'s ".join(words) or "the value"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a set of 'name: value' lines"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value) if isinstance(value, str) else str(value)


def _keys_at(kind: Any, path: tuple[Any, ...]) -> list[str]:
    """The keys the schema allows at `path` (an int steps into a list, a key into a dict or a model)."""
    for part in (*path, None):
        while get_origin(kind) in (Annotated, Union, types.UnionType):
            kind = next(arg for arg in get_args(kind) if arg is not type(None))
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            if part is None:
                return [info.alias or name for name, info in kind.model_fields.items()]
            info = next((f for n, f in kind.model_fields.items() if (f.alias or n) == part), None)
            if info is None:
                return []
            kind = info.annotation
        elif part is None:
            return []
        elif get_origin(kind) in (list, tuple, dict):
            kind = get_args(kind)[-1]
        else:
            return []
    return []


# ---------------------------------------------------------------------- reply placeholders
def placeholder_problems(text: str, links: Collection[str], known: Collection[str]) -> list[str]:
    """What is wrong with the {placeholders} of a reply's text; [] when nothing is."""
    problems = []
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        return [f"broken braces ({exc}); write {{{{ and }}}} for a literal brace"]
    for name in fields:
        if name.startswith("links."):
            if name.removeprefix("links.") not in links:
                problems.append(f"placeholder {{{name}}} names a link that content/links.yaml does not define")
        elif name not in known:
            problems.append(f"placeholder {{{name}}} does not exist (known: {', '.join(sorted(known))}, links.ID)")
    return problems
