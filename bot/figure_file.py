"""Proposed figures as YAML in content/figures.yaml's shape, and merged into that file keeping its comments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

REVIEW_MARK = "# REVIEW"
# Comment lines the extractor writes above a figure; --replace removes them with the figure.
OWN_COMMENTS = ("# from:", "# also stated:")


class _Dumper(yaml.SafeDumper):
    """Writes topics as [a, b] and quotes in double quotes, like the hand-made file."""


class Flow(list):
    pass


class Quoted(str):
    __slots__ = ()


_Dumper.add_representer(Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style='"'))


def dump(data: Any, indent: int = 0) -> str:
    """YAML for `data`, every line indented by `indent` spaces."""
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return "".join(" " * indent + line if line.strip() else line for line in text.splitlines(keepends=True))


@dataclass(frozen=True, slots=True)
class Entry:
    """One proposed figure: the fields figures.yaml holds, the comment lines beside it, and why to review it."""

    fields: dict[str, Any]
    comments: tuple[str, ...]
    why: str | None = None

    def text(self, indent: int, *, commented: bool = False) -> str:
        lines = [f"{REVIEW_MARK}: {self.why}"] if self.why else []
        lines += [f"# {c}" for c in self.comments]
        body = dump([self.fields]).splitlines()
        lines += [f"# {line}" for line in body] if commented else body
        return "".join(" " * indent + line + "\n" for line in lines)


class MergeError(Exception):
    """content/figures.yaml is not laid out as `sources:` and `figures:` blocks this can add to."""


def _last_line(node: yaml.Node) -> int:
    """The 0-based line after the node's last character, found through its last leaf (block ends run on)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark.line + (0 if node.end_mark.column == 0 else 1)


def figure_lines(text: str) -> list[tuple[int, int, dict[str, Any]]]:
    """Each figure in figures.yaml text: first line, line after it (0-based) and its fields."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    figures = _top(root).get("figures")
    if not isinstance(figures, yaml.SequenceNode):
        return []
    loaded = yaml.safe_load(text).get("figures") or []
    return [(n.start_mark.line, _last_line(n), f) for n, f in zip(figures.value, loaded, strict=True)]


def _top(root: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(root, yaml.MappingNode):
        raise MergeError("content/figures.yaml is not a mapping with sources: and figures:")
    return {key.value: value for key, value in root.value}


def merge(text: str, source_id: str, source: dict[str, Any] | None, entries: list[Entry], remove: list[int]) -> str:
    """`text` with the source (when new) added under sources:, the figures appended under figures:, and the
    figures at the 0-based positions `remove` taken out; every other line, comments included, left as it was."""
    top = _top(yaml.compose(text, Loader=yaml.SafeLoader))
    sources, figures = top.get("sources"), top.get("figures")
    for name, node in (("sources", sources), ("figures", figures)):
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode) or node.flow_style or not node.value:
            raise MergeError(f"content/figures.yaml: {name}: is not a block with entries; add the figures by hand")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    edits = [(start, end, "") for start, end in _review_blocks(lines, source_id)]  # this run proposes them anew
    for start, end, _ in (item for k, item in enumerate(figure_lines(text)) if k in remove):
        while start > 0 and lines[start - 1].strip().startswith(OWN_COMMENTS):
            start -= 1
        edits.append((start, end, ""))
    if source is not None:
        at = _last_line(sources)
        indent = sources.value[0][0].start_mark.column
        edits.append((at, at, dump({source_id: source}, indent)))
    at = _last_line(figures)
    indent = max(figures.value[0].start_mark.column - 2, 0)
    block = "".join(entry.text(indent, commented=entry.why is not None) for entry in entries)
    edits.append((at, at, "\n" + block))
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = [new] if new else []
    return re.sub(r"\n(?:[ \t]*\n){2,}", "\n\n", "".join(lines))  # removals leave no stack of blank lines


def _review_blocks(lines: list[str], source_id: str) -> list[tuple[int, int]]:
    """The commented-out figures to review that an earlier run left for `source_id`: (first line, line after)."""
    blocks = []
    for i, line in enumerate(lines):
        if not line.strip().startswith(REVIEW_MARK):
            continue
        j = i + 1
        while j < len(lines) and lines[j].strip().startswith("# ") and not lines[j].strip().startswith("# - "):
            j += 1
        j += j < len(lines) and lines[j].strip().startswith("# - ")
        while j < len(lines) and lines[j].strip().startswith("#   "):
            j += 1
        if any(re.fullmatch(rf"#\s+source: {re.escape(source_id)}", x.strip()) for x in lines[i:j]):
            blocks.append((i, j))
    return blocks
