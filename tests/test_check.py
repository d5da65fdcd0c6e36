"""`python -m bot check` on content broken on purpose: exit 1, the file:line of the break and what is wrong."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Break:
    """What a breakage changed: the file and line `check` must name, and words its message must carry."""

    file: str
    line: int  # 0 for a missing file
    words: tuple[str, ...]


def copy_content(target: Path) -> Path:
    """A copy of intents.yaml and content/ that a test may break."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "intents.yaml", target / "intents.yaml")
    shutil.copytree(ROOT / "content", target / "content")
    return target


def run_check(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BOT_CONTENT_ROOT": str(root)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _save(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _first(lines: list[str], pattern: str, start: int = 0) -> int:
    """Index of the first line from `start` matching `pattern`."""
    for index in range(start, len(lines)):
        if re.search(pattern, lines[index]):
            return index
    raise AssertionError(f"no line matches {pattern!r}: the test needs updating for the new content")


def _append(path: Path, block: str, marker: str) -> int:
    """Append a YAML block; return the 1-based line of the appended line containing `marker`."""
    lines = _lines(path)
    start = len(lines)
    lines += block.splitlines()
    _save(path, lines)
    return _first(lines, re.escape(marker), start) + 1


# ---------------------------------------------------------------------- breakages
def bad_yaml(root: Path) -> Break:
    path = root / "content/links.yaml"
    lines = _lines(path)
    index = _first(lines, r"^  for: ")
    lines[index] = "  for: emergencies: anything urgent"
    _save(path, lines)
    return Break("content/links.yaml", index + 1, ("not valid YAML",))


def unknown_route(root: Path) -> Break:
    path = root / "intents.yaml"
    lines = _lines(path)
    index = _first(lines, r"^\s+route: report_online\b")
    lines[index] = lines[index].replace("report_online", "call_1o1")
    _save(path, lines)
    intent = re.sub(r"^- id: ", "", lines[max(i for i in range(index) if lines[i].startswith("- id: "))])
    allowed = "call_999, call_101, report_online, area_stats, info, clarify"
    return Break("intents.yaml", index + 1, (f"intent '{intent}': route 'call_1o1' is not one of {allowed}",))


def unknown_placeholder(root: Path) -> Break:
    path = root / "content/replies.yaml"
    lines = _lines(path)
    index = _first(lines, r"^  text: \".*call 999\.\"", _first(lines, r"^emergency_line:"))
    lines[index] = lines[index].replace("call 999.", "call {phone_number}.")
    _save(path, lines)
    return Break("content/replies.yaml", index + 1, ("{phone_number}", "does not exist"))


def undefined_link(root: Path) -> Break:
    path = root / "content/replies.yaml"
    lines = _lines(path)
    index = _first(lines, r"\{links\.online_report\}")
    lines[index] = lines[index].replace("{links.online_report}", "{links.online_reprot}")
    _save(path, lines)
    return Break("content/replies.yaml", index + 1, ("links.online_reprot", "does not define"))


def example_under_two_intents(root: Path) -> Break:
    path = root / "intents.yaml"
    intents = yaml.safe_load(path.read_text(encoding="utf-8"))
    example, owner = intents[0]["examples"][0], intents[0]["id"]
    line = _append(
        path,
        f"\n- id: copy_cat\n  route: info\n  reply: thanks\n  examples:\n    - {json.dumps(example)}\n",
        json.dumps(example),
    )
    return Break("intents.yaml", line, (owner, "copy_cat"))


def place_in_two_areas(root: Path) -> Break:
    path = root / "content/areas.yaml"
    line = _append(
        path,
        "\n- id: copy_cat_area\n  name: Copy Cat\n  force: thames_valley\n  towns: [bletchley]\n",
        "towns: [bletchley]",
    )
    return Break("content/areas.yaml", line, ("bletchley", "milton_keynes", "copy_cat_area"))


def figure_without_source(root: Path) -> Break:
    path = root / "content/figures.yaml"
    lines = _lines(path)
    index = _first(lines, r"^\s+source: \w+", _first(lines, r"^figures:"))
    lines[index] = re.sub(r"source: \w+", "source: no_such_release", lines[index])
    _save(path, lines)
    return Break("content/figures.yaml", index + 1, ("no_such_release", "source"))


def figure_missing_field(root: Path) -> Break:
    path = root / "content/figures.yaml"
    lines = _lines(path)
    index = _first(lines, r"^\s+period: ", _first(lines, r"^figures:"))
    del lines[index]
    _save(path, lines)
    # The field is gone, so the problem is on the line where that figure starts ("  - area: ...").
    start = max(i for i in range(index) if re.match(r"^\s*- ", lines[i]))
    label = _label(lines, start)
    return Break("content/figures.yaml", start + 1, (f"figure '{label}': it has no 'period'; add it",))


def figure_missing_source(root: Path) -> Break:
    path = root / "content/figures.yaml"
    lines = _lines(path)
    index = _first(lines, r"^\s+source: ", _first(lines, r"^figures:"))
    del lines[index]
    _save(path, lines)
    start = max(i for i in range(index) if re.match(r"^\s*- ", lines[i]))
    return Break("content/figures.yaml", start + 1, (f"figure '{_label(lines, start)}': it has no 'source'",))


def _label(lines: list[str], start: int) -> str:
    return re.sub(r"^\s+label: ", "", lines[_first(lines, r"^\s+label: ", start)]).strip('"')


def unclosed_double_quote(root: Path) -> Break:
    """The parser only stumbles a line later, where the runaway quote ends: check must name the line it opens."""
    path = root / "content/links.yaml"
    lines = _lines(path)
    index = _first(lines, r'^  name: "[^"]+"$')
    lines[index] = lines[index].rstrip('"')
    _save(path, lines)
    return Break("content/links.yaml", index + 1, ("not valid YAML", "quote", "opens on this line"))


def unclosed_single_quote(root: Path) -> Break:
    path = root / "content/links.yaml"
    lines = _lines(path)
    index = _first(lines, r'^  name: "[^"]+"$')
    lines[index] = lines[index].replace('"', "'").rstrip("'")
    _save(path, lines)
    # It runs on to the next apostrophe, or to the end of the file: either way, the line where it opens.
    return Break("content/links.yaml", index + 1, ("not valid YAML", "quote", "opens on this line"))


def bad_indent(root: Path) -> Break:
    """A line of a reply's text indented less than the lines around it: the parser notices three lines later."""
    path = root / "content/replies.yaml"
    lines = _lines(path)
    index = next(
        i + 1
        for i in range(len(lines) - 1)
        if lines[i] == "  text: |-" and re.fullmatch(r"    [A-Za-z][^:#{}\[\]]*", lines[i + 1])
    )
    lines[index] = lines[index][2:]
    _save(path, lines)
    return Break("content/replies.yaml", index + 1, ("not valid YAML", "indented differently"))


def unclosed_bracket(root: Path) -> Break:
    path = root / "content/replies.yaml"
    lines = _lines(path)
    index = _first(lines, r"^    - \{text: \"[^\"]+\"\}$")
    lines[index] = lines[index].removesuffix("}")
    _save(path, lines)
    return Break("content/replies.yaml", index + 1, ("not valid YAML", "{ ... }", "not closed"))


def misspelt_key(root: Path) -> Break:
    path = root / "content/replies.yaml"
    lines = _lines(path)
    index = _first(lines, r"^    - \{text: \"[^\"]+\"\}$")
    reply = lines[max(i for i in range(index) if re.match(r"^[a-z_]+:$", lines[i]))].rstrip(":")
    lines[index] = lines[index].replace("{text:", "{txt:")
    _save(path, lines)
    button = sum(1 for i in range(index) if re.match(r"^    - ", lines[i]) and i > _first(lines, f"^{reply}:")) + 1
    words = (f"reply '{reply}': button {button} has 'txt', which is not one of its keys (text, url)",)
    return Break("content/replies.yaml", index + 1, words)


def bad_postcode(root: Path) -> Break:
    path = root / "content/areas.yaml"
    lines = _lines(path)
    index = _first(lines, r"^  postcodes: \[MK")
    lines[index] = lines[index].replace("[MK", "[mk", 1)
    _save(path, lines)
    area = re.sub(r"^- id: ", "", lines[max(i for i in range(index) if lines[i].startswith("- id: "))])
    return Break("content/areas.yaml", index + 1, (f"area '{area}': postcode 1 'mk", "like MK2 or HP19"))


def unknown_unit(root: Path) -> Break:
    path = root / "content/figures.yaml"
    lines = _lines(path)
    index = _first(lines, r"^    unit: kg$")
    lines[index] = "    unit: kilos"
    _save(path, lines)
    start = max(i for i in range(index) if re.match(r"^\s*- ", lines[i]))
    words = (f"figure '{_label(lines, start)}': unit 'kilos' is not one of count, GBP, kg, years",)
    return Break("content/figures.yaml", index + 1, words)


def missing_reply(root: Path) -> Break:
    path = root / "intents.yaml"
    line = _append(
        path,
        '\n- id: lost_reply\n  route: info\n  reply: no_such_reply\n  examples:\n    - "a message nobody sends zq"\n',
        "reply: no_such_reply",
    )
    return Break("intents.yaml", line, ("no_such_reply", "not in content/replies.yaml"))


def missing_file(root: Path) -> Break:
    (root / "content/spelling.yaml").unlink()
    return Break("content/spelling.yaml", 0, ("missing",))


def bad_regex(root: Path) -> Break:
    path = root / "content/safety.yaml"
    lines = _lines(path)
    index = _first(lines, r"^danger:")
    lines.insert(index + 1, "  - '\\b(knife|gun'")
    _save(path, lines)
    return Break("content/safety.yaml", index + 2, ("the 'danger' list", "does not compile"))


def regex_matching_everything(root: Path) -> Break:
    """A calm rule that matches every sentence would silence every emergency."""
    path = root / "content/safety.yaml"
    lines = _lines(path)
    index = _first(lines, r"^calm:")
    lines.insert(index + 1, "  - 'zzz|'")
    _save(path, lines)
    return Break("content/safety.yaml", index + 2, ("matches empty text",))


def reporting_reply_without_999_line(root: Path) -> Break:
    path = root / "content/replies.yaml"
    lines = _lines(path)
    start = _first(lines, r"^report_drugs:")
    index = _first(lines, r"^    \{emergency_line\}$", start)
    del lines[index]
    _save(path, lines)
    return Break("content/replies.yaml", _first(lines, r"^  text:", start) + 1, ("must end with", "emergency_line"))


def emergency_reply_not_leading_with_999(root: Path) -> Break:
    path = root / "content/replies.yaml"
    lines = _lines(path)
    start = _first(lines, r"^emergency_first:")
    index = _first(lines, r"^  text:", start)
    lines.insert(index + 1, "    Stay calm.")
    _save(path, lines)
    return Break("content/replies.yaml", index + 1, ("999", "first line"))


def figure_value_not_in_quote(root: Path) -> Break:
    path = root / "content/figures.yaml"
    lines = _lines(path)
    index = _first(lines, r"^    value: 157000$")
    lines[index] = "    value: 175000"
    _save(path, lines)
    return Break("content/figures.yaml", _first(lines, r"^    quote: .*157,000", index) + 1, ("175,000", "quote"))


BREAKAGES: dict[str, Callable[[Path], Break]] = {
    "invalid YAML": bad_yaml,
    "unknown route": unknown_route,
    "reply placeholder that does not exist": unknown_placeholder,
    "link that is not defined": undefined_link,
    "same example under two intents": example_under_two_intents,
    "town claimed by two areas": place_in_two_areas,
    "figure whose source does not exist": figure_without_source,
    "figure missing a field": figure_missing_field,
    "figure missing its source": figure_missing_source,
    "unclosed double quote": unclosed_double_quote,
    "unclosed single quote": unclosed_single_quote,
    "line indented less than its neighbours": bad_indent,
    "unclosed bracket": unclosed_bracket,
    "misspelt key": misspelt_key,
    "postcode in lower case": bad_postcode,
    "unknown unit": unknown_unit,
    "intent naming a missing reply": missing_reply,
    "missing file": missing_file,
    "regular expression that does not compile": bad_regex,
    "regular expression that matches everything": regex_matching_everything,
    "reporting reply without the 999 line": reporting_reply_without_999_line,
    "emergency reply not leading with 999": emergency_reply_not_leading_with_999,
    "figure whose value is not in its quote": figure_value_not_in_quote,
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_check_names_the_broken_line(tmp_path: Path, breakage: Callable[[Path], Break]) -> None:
    root = copy_content(tmp_path / "content_copy")
    broken = breakage(root)
    result = run_check(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, f"exit {result.returncode}\n{output}"
    assert "Traceback" not in output, output
    prefix = f"{broken.file}:{broken.line}:"
    named = [line for line in output.splitlines() if line.startswith(prefix)]
    assert named, f"no problem reported at {prefix}\n{output}"
    assert any(all(word.casefold() in line.casefold() for word in broken.words) for line in named), (
        f"{prefix} should say {broken.words}\n{output}"
    )
    assert re.search(r"^\d+ problem\(s\) found$", result.stdout, re.MULTILINE), output
    # Plain English: no pydantic paths (figures.0.source) or pydantic phrases.
    assert not re.search(r"\b[a-z_]+\.\d+[.:]|Input should|Field required|Extra inputs", output), output
    assert result.stdout.rstrip().endswith(f"content folder: {root} (set by BOT_CONTENT_ROOT)"), output


def test_check_passes_clean_content_with_a_summary_and_the_folder(tmp_path: Path) -> None:
    root = copy_content(tmp_path / "content_copy")
    result = run_check(root)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    summary, folder = result.stdout.strip().splitlines()
    assert summary.startswith("content OK"), output
    assert folder == f"content folder: {root} (set by BOT_CONTENT_ROOT)", output


# ---------------------------------------------------------------------- wording, in-process (no subprocess: fast)
WORDING = [
    ("intents.yaml", r"^  route: (\w+)$", "  rout: info", "has 'rout', which is not one of its keys (id, route, reply"),
    ("intents.yaml", r"^  reply: \w+$", "  reply: Thanks", "reply 'Thanks' must be an id: lower-case letters"),
    ("content/figures.yaml", r"^    value: 15$", "    value: -15", "figure 'Drug lines dismantled': value is -15, but"),
    ("content/figures.yaml", r"^    published: 2023-10-26$", "    published: last autumn", "written as YYYY-MM-DD"),
    ("content/links.yaml", r"^  url: ", "  url: http://example.org", "url 'http://example.org' must be a web address"),
    ("content/links.yaml", r"^  for: ", '\tfor: "x"', "not valid YAML: a tab on this line; indent with spaces only"),
]


@pytest.mark.parametrize(("file", "pattern", "new", "says"), WORDING, ids=[w[3][:40] for w in WORDING])
def test_check_words_problems_plainly(tmp_path: Path, file: str, pattern: str, new: str, says: str) -> None:
    from bot.content import ContentError, load_content

    root = copy_content(tmp_path / "content_copy")
    lines = _lines(root / file)
    index = _first(lines, pattern)
    lines[index] = new
    _save(root / file, lines)
    with pytest.raises(ContentError) as caught:
        load_content(root)
    messages = [str(problem) for problem in caught.value.problems]
    # the line of the mistake, or the start of the entry that lacks something (for "examples: []", the same line)
    assert any(m.startswith(f"{file}:{index + 1}:") and says in m for m in messages), messages
    assert not any(re.search(r"\b[a-z_]+\.\d+[.:]|Input should|Field required", m) for m in messages), messages


def test_a_misspelt_key_is_one_problem_not_two(tmp_path: Path) -> None:
    from bot.content import ContentError, load_content

    root = copy_content(tmp_path / "content_copy")
    broken = misspelt_key(root)
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert [str(p) for p in caught.value.problems] == [
        f"{broken.file}:{broken.line}: {broken.words[0]}; check the spelling"
    ]


def test_a_folder_without_content_is_one_problem_naming_the_folder(tmp_path: Path) -> None:
    result = run_check(tmp_path)
    assert result.returncode == 1, result.stdout
    problem, count, folder = result.stdout.strip().splitlines()
    assert problem.startswith(f"intents.yaml:0: no content in {tmp_path}") and "python -m bot init" in problem
    assert count == "1 problem(s) found" and folder == f"content folder: {tmp_path} (set by BOT_CONTENT_ROOT)"
