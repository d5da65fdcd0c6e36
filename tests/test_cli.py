"""The command line with piped stdin: `chat`, `classify`, `init`, `python -m bot` without a token, and an installed
(non-editable) copy run from another folder."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from bot.commands import COMMANDS
from bot.content import FILES
from bot.engine import Engine
from bot.model import Route

ROOT = Path(__file__).resolve().parent.parent
FIELDS = {"text", "intent", "route", "area", "reply", "buttons"}


def run_bot(
    *args: str, stdin: str = "", cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` with `stdin` piped in; the token is never passed on."""
    base = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_BOT_TOKEN", "BOT_LOG_LEVEL"}}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


# ---------------------------------------------------------------------- chat
def test_chat_numbers_buttons_and_a_number_picks_a_choice(engine: Engine) -> None:
    # Work out from the engine which message gets choice buttons, so this tests the terminal, not the matcher.
    opening = "hello"
    first = engine.handle(engine.new_state(), opening)
    choices = [(n, b) for n, b in enumerate(first.buttons, 1) if b.url is None]
    assert choices, f"{opening!r} gets no choice buttons: {first}"
    number, choice = choices[-1]
    result = run_bot("chat", stdin=f"{opening}\n{number}\nquit\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in out + result.stderr
    assert any(line.startswith("bot> ") for line in out.splitlines()), out
    for n, button in enumerate(first.buttons, 1):
        assert f"[{n}] {button.text}" in out, out
    # The typed number became the button's text, and the bot answered that.
    assert f"you> {choice.text}" in out, out
    answer = engine.handle(engine.new_state(), choice.text)
    assert answer.text.splitlines()[0] in out, out
    assert out.rstrip().splitlines()[-1].startswith("bot> "), out


def test_chat_link_button_number_shows_the_link(engine: Engine) -> None:
    message = "lads dealing weed behind the flats every night"
    links = [n for n, b in enumerate(engine.handle(engine.new_state(), message).buttons, 1) if b.url]
    assert links, f"{message!r} gets no link buttons"
    result = run_bot("chat", stdin=f"{message}\n{links[0]}\n")
    assert result.returncode == 0, result.stderr
    assert re.search(rf"\[{links[0]}\] .+ -> https://", result.stdout), result.stdout
    assert re.search(r"^bot> Open this link: https://\S+$", result.stdout, re.MULTILINE), result.stdout


def test_chat_keeps_context_between_lines() -> None:
    result = run_bot("chat", stdin="what have police done about drugs in bletchley\nand how much cash?\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Milton Keynes") >= 2 and "157,000" in result.stdout, result.stdout


def test_chat_answers_every_command_the_telegram_bot_does_from_the_content(engine: Engine) -> None:
    result = run_bot("chat", stdin="".join(f"/{command.name}\n" for command in COMMANDS))
    assert result.returncode == 0, result.stderr
    answers = result.stdout.split("you> ")[1:]
    assert len(answers) == len(COMMANDS), result.stdout
    for command, answer in zip(COMMANDS, answers, strict=True):
        expected = engine.reply_by_id(command.reply).text.splitlines()[0]
        assert answer.startswith(f"/{command.name}\nbot> {expected}"), (command, answer)
    unknown = run_bot("chat", stdin="/reload\n/Numbers@some_bot\n").stdout
    assert engine.reply_by_id("unknown_command").text.splitlines()[0] in unknown, unknown
    assert engine.reply_by_id("which_number").text.splitlines()[0] in unknown, unknown


# ---------------------------------------------------------------------- classify
def test_classify_one_json_object_per_line_each_a_fresh_conversation() -> None:
    long_line = ("the lads on the corner are always there and " * 250)[:10_000]
    lines = [
        "theres a man with a knife outside the shop",
        "",
        "😂😂😂",
        long_line,
        "what have the police done about drugs in bletchley",
        "and how much cash?",
        "   ",
    ]
    result = run_bot("classify", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout.splitlines()
    assert len(out) == len(lines), result.stdout[:2000]
    records = [json.loads(line) for line in out]
    routes = {route.value for route in Route}
    for sent, record in zip(lines, records, strict=True):
        assert set(record) == FIELDS, record.keys()
        assert record["text"] == sent
        assert record["route"] in routes
        assert isinstance(record["intent"], str) and record["intent"]
        assert record["area"] is None or isinstance(record["area"], str)
        assert isinstance(record["reply"], str) and record["reply"]
        for button in record["buttons"]:
            assert set(button) in ({"text"}, {"text", "url"}), button
            assert button["text"] and button.get("url", "https://").startswith("https://"), button
    knife, empty, emoji, long, bletchley, cash, spaces = records
    assert knife["route"] == "call_999" and knife["reply"].startswith("Call 999")
    for record in (empty, emoji, spaces):
        assert record["route"] == "clarify", record
        assert "call 999" in record["reply"], record
    assert long["text"] == long_line and len(long["text"]) == 10_000
    assert bletchley["route"] == "area_stats" and bletchley["area"] == "milton_keynes"
    # A fresh conversation: the area of the line before is not remembered.
    assert cash["area"] is None, cash


def test_classify_with_broken_content_exits_1_naming_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "content_copy"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content")
    intents = (ROOT / "intents.yaml").read_text(encoding="utf-8")
    (root / "intents.yaml").write_text(intents.replace("route: call_999", "route: call_9999", 1), encoding="utf-8")
    line = next(n for n, text in enumerate(intents.splitlines(), 1) if "route: call_999" in text)
    result = run_bot("classify", stdin="hello\n", env={"BOT_CONTENT_ROOT": str(root)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"intents.yaml:{line}:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


# ---------------------------------------------------------------------- no token
def test_without_a_token_it_says_so_in_one_line_and_starts_the_chat(tmp_path: Path) -> None:
    assert not (tmp_path / ".env").exists()
    result = run_bot(
        stdin="hello\n",
        cwd=tmp_path,
        env={"BOT_CONTENT_ROOT": str(ROOT), "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    said = result.stderr.strip().splitlines()
    assert len(said) == 1 and "TELEGRAM_BOT_TOKEN" in said[0], result.stderr
    assert "terminal chat" in said[0].lower(), said
    assert "you> hello" in result.stdout and "bot> " in result.stdout, result.stdout


# ---------------------------------------------------------------------- init, and an installed copy
def test_init_copies_the_content_into_a_folder_to_edit_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "our-content"
    result = run_bot("init", str(target), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for file in FILES.values():
        assert (target / file).read_bytes() == (ROOT / file).read_bytes(), file
    (target / "intents.yaml").write_text("# ours\n", encoding="utf-8")
    again = run_bot("init", str(target), cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr, again.stderr
    assert (target / "intents.yaml").read_text(encoding="utf-8") == "# ours\n"


def test_the_current_folder_with_content_wins_over_the_checkout(tmp_path: Path) -> None:
    assert run_bot("init", str(tmp_path)).returncode == 0
    result = run_bot("check", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == f"content folder: {tmp_path} (found in the current folder)"


def test_an_installed_copy_carries_its_content_and_finds_it_from_any_folder(tmp_path: Path, engine: Engine) -> None:
    """Build the wheel as `pip install .` does (offline, no registry), unpack it, and run it from an empty folder.
    .ci/run does the same with a real `pip install .` into a fresh virtual environment."""
    source, site, elsewhere = tmp_path / "src", tmp_path / "site", tmp_path / "elsewhere"
    skip = shutil.ignore_patterns("__pycache__", "packaged_content")
    for folder in ("bot", "content"):
        shutil.copytree(ROOT / folder, source / folder, ignore=skip)
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "intents.yaml"):
        shutil.copy2(ROOT / name, source / name)
    build = "from setuptools import build_meta; print(build_meta.build_wheel('../dist'))"
    built = subprocess.run([sys.executable, "-c", build], cwd=source, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr[-2000:]
    zipfile.ZipFile(tmp_path / "dist" / built.stdout.split()[-1]).extractall(site)
    packaged = site / "bot" / "packaged_content"
    for file in FILES.values():
        assert (packaged / file).read_bytes() == (ROOT / file).read_bytes(), file
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(site), "BOT_CONTENT_ROOT": ""}  # the unpacked copy, not this checkout
    check = run_bot("check", cwd=elsewhere, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.splitlines()[-1].startswith(f"content folder: {packaged} (the copy installed"), check.stdout
    chat = run_bot("chat", stdin="/privacy\n/numbers\n/help\n", cwd=elsewhere, env=env)
    assert chat.returncode == 0, chat.stderr
    answers = chat.stdout.split("you> ")[1:]
    for reply, answer in zip(("privacy", "which_number", "help"), answers, strict=True):
        assert f"bot> {engine.reply_by_id(reply).text.splitlines()[0]}" in answer, (reply, answer)


# ---------------------------------------------------------------------- the README, as written
def readme_blocks(language: str) -> list[str]:
    """The README's fenced blocks in `language` before its Deploy section (.ci/run runs every `sh` one as written)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Deploy\n")[0]
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.DOTALL | re.MULTILINE)


def test_readme_commands_work_as_written(tmp_path: Path) -> None:
    """The README's commands that need no fresh install, with `.venv/bin/python` as the Python running this test
    (the one the README's quick start makes); .ci/run runs all of them, installs included, in a fresh copy."""
    blocks = [block for block in readme_blocks("sh") if "pip install" not in block]
    assert blocks, "the README has no example commands"
    for name in ("intents.yaml", "content"):
        (shutil.copytree if name == "content" else shutil.copy2)(ROOT / name, tmp_path / name)
    for block in blocks:
        for command in block.strip().splitlines():
            assert "python -m" not in command.replace("bin/python -m", ""), f"say .venv/bin/python: {command}"
        script = re.sub(r"(\.\./)?\.venv/bin/python", sys.executable, block)
        env = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_BOT_TOKEN", "BOT_CONTENT_ROOT"}}
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=tmp_path,
            env={**env, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"{block}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        assert "Traceback" not in done.stdout + done.stderr, block


def test_the_readme_conversation_is_what_the_chat_says() -> None:
    """The sample conversation, figures included, comes from the content: replay it and compare line by line
    ("..." at the end of a line or alone stands for text left out)."""
    [sample] = [block for block in readme_blocks("text") if block.startswith("you> ")]
    said = [line.removeprefix("you> ") for line in sample.splitlines() if line.startswith("you> ")]
    result = run_bot("chat", stdin="\n".join(said) + "\n")
    assert result.returncode == 0, result.stderr
    out = [line.rstrip() for line in result.stdout.splitlines()]
    at = 0
    for line in sample.splitlines():
        if line.strip() == "...":
            continue
        expected = line.removesuffix(" ...")
        at = next((i for i in range(at, len(out)) if out[i].startswith(expected)), -1) + 1
        assert at, f"the README shows {line!r}, the chat does not say it (in this order):\n{result.stdout}"
