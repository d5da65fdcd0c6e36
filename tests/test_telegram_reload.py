"""Content reload: /reload from an admin, or SIGHUP, re-reads and checks the content. Good content replaces the
running one; bad content leaves the last good content answering and names each problem's file and line; anyone
but an admin gets no answer to /reload at all; nothing a reload does can stop the bot or show a traceback."""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from botapi_standin import BotApiStandIn
from telegram_harness import running_bot, settled, start_bot_process

from bot.content import ContentError, Problem
from bot.engine import Engine
from bot.frontends.telegram_admin import Reloader

ROOT = Path(__file__).resolve().parent.parent
ADMIN, PERSON = 9001, 9002
GROUP = -1009001
NEW_PRIVACY = "What this bot keeps: nothing at all, as rewritten for the reload test."
PROBLEM_LINE = re.compile(r"(?m)^intents\.yaml:\d+: intent 'drug_dealing' names reply 'no_such_reply'")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the content that the test may edit."""
    shutil.copy(ROOT / "intents.yaml", tmp_path / "intents.yaml")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def rewrite_privacy(root: Path) -> None:
    replies = root / "content" / "replies.yaml"
    text = replies.read_text(encoding="utf-8")
    old = "What this bot keeps: nothing about you."
    assert old in text
    replies.write_text(text.replace(old, NEW_PRIVACY), encoding="utf-8")


def break_intents(root: Path) -> None:
    intents = root / "intents.yaml"
    text = intents.read_text(encoding="utf-8")
    intents.write_text(text.replace("reply: report_drugs", "reply: no_such_reply", 1), encoding="utf-8")


async def ask(api: BotApiStandIn, chat: int, text: str, **kwargs: object) -> str:
    before = len(api.sent(chat))
    api.text(chat, text, **kwargs)
    return (await api.wait_messages(chat, before + 1, timeout=10))[before]["text"]


async def test_an_admin_reloads_new_content_and_everyone_gets_it(engine: Engine, root: Path) -> None:
    async with running_bot(engine, admin_user_ids=frozenset({ADMIN}), content_root=root) as (api, _):
        old = await ask(api, PERSON, "/privacy")
        rewrite_privacy(root)
        report = await ask(api, ADMIN, "/reload")
        intents = len(engine.content.intents)
        examples = sum(len(i.examples) for i in engine.content.intents)
        assert report.startswith(f"reloaded: {intents} intents, {examples:,} examples"), report
        new = await ask(api, PERSON, "/privacy")
        assert old != new and new.startswith(NEW_PRIVACY)
        assert (await ask(api, PERSON, "theres a man with a knife outside")).startswith("Call 999")
        [menu] = api.calls_to("setMyCommands")
        assert "reload" not in [c["command"] for c in menu.params["commands"]]


async def test_bad_content_keeps_the_last_good_content_and_names_file_and_line(engine: Engine, root: Path) -> None:
    async with running_bot(engine, admin_user_ids=frozenset({ADMIN}), content_root=root) as (api, app):
        rewrite_privacy(root)
        break_intents(root)
        report = await ask(api, ADMIN, "/reload")
        assert report.startswith("not reloaded: the content has 2 problem(s); still answering"), report
        assert PROBLEM_LINE.search(report), report
        assert "Traceback" not in report
        # Still the content from start-up, every part of it.
        assert await ask(api, PERSON, "/privacy") == engine.reply_by_id("privacy").text
        assert (await ask(api, PERSON, "lads dealing weed by the park")).startswith("Thank you for speaking up")
        assert app.running and app.updater.running


async def test_nobody_but_an_admin_in_a_private_chat_gets_any_answer_to_reload(engine: Engine, root: Path) -> None:
    async with running_bot(engine, admin_user_ids=frozenset({ADMIN}), content_root=root) as (api, app):
        rewrite_privacy(root)
        api.text(PERSON, "/reload")
        api.text(PERSON, "/reload now please")
        api.text(GROUP, "/reload", chat_type="supergroup", user_id=PERSON)
        api.text(GROUP, "/reload", chat_type="supergroup", user_id=ADMIN)  # the whole group would see the answer
        first = api.text(ADMIN, "hello")
        api.edit(ADMIN, first, "/reload")  # an edit is not a new command
        await api.wait_messages(ADMIN, 1)
        await settled(api, app)
        await asyncio.sleep(0.3)  # a reload would take about this long
        assert api.sent(PERSON) == [] and api.sent(GROUP) == []
        assert len(api.sent(ADMIN)) == 1
        assert await ask(api, PERSON, "/privacy") == engine.reply_by_id("privacy").text  # nothing was reloaded


async def test_a_long_list_of_problems_is_split_to_fit_and_shortened(engine: Engine) -> None:
    problems = [Problem("intents.yaml", n, "intent 'x' names reply 'y', which is not there " * 3) for n in range(250)]

    def load() -> Engine:
        raise ContentError(problems)

    async with running_bot(engine, admin_user_ids=frozenset({ADMIN})) as (api, app):
        app.bot_data["frontend"].reloader = Reloader(load)
        api.text(ADMIN, "/reload")
        await api.wait_messages(ADMIN, 2)
        await settled(api, app)
        parts = api.texts(ADMIN)
        assert len(parts) >= 2 and all(len(part) <= 4096 for part in parts)
        whole = "\n".join(parts)
        assert whole.startswith("not reloaded: the content has 250 problem(s)")
        assert "intents.yaml:0: " in whole and "intents.yaml:99: " in whole and "intents.yaml:100: " not in whole
        assert "... and 150 more: run `python -m bot check`" in whole


async def test_an_unexpected_failure_is_reported_without_a_traceback_and_the_bot_carries_on(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    def load() -> Engine:
        raise RuntimeError("/home/somebody/private/path exploded")

    async with running_bot(engine, admin_user_ids=frozenset({ADMIN})) as (api, app):
        app.bot_data["frontend"].reloader = Reloader(load)
        report = await ask(api, ADMIN, "/reload")
        assert report.startswith("not reloaded: reading the content failed (RuntimeError)")
        assert "exploded" not in report and "Traceback" not in report
        assert (await ask(api, PERSON, "/numbers")).startswith("999 is for emergencies")
    assert all("exploded" not in r.getMessage() and not r.exc_info for r in caplog.records)


async def test_replies_keep_flowing_while_a_slow_reload_runs(engine: Engine) -> None:
    release = threading.Event()

    def load() -> Engine:
        release.wait(5)  # a reload of very large content, in its worker thread
        return engine

    async with running_bot(engine, admin_user_ids=frozenset({ADMIN})) as (api, app):
        app.bot_data["frontend"].reloader = Reloader(load)
        api.text(ADMIN, "/reload")
        started = time.perf_counter()
        assert (await ask(api, PERSON, "/numbers")).startswith("999 is for emergencies")
        assert time.perf_counter() - started < 1.0 and api.sent(ADMIN) == []
        release.set()
        [report] = await api.wait_messages(ADMIN, 1)
        assert report["text"].startswith("reloaded: ")


# ---------------------------------------------------------------------- SIGHUP, in the real process
class Stderr:
    """Collects a process's stderr lines in a thread, so the test can wait for one."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        for line in process.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, needle: str, after: int, timeout: float = 15) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, line in enumerate(self.lines[after:], after):
                if needle in line:
                    return index
            time.sleep(0.02)
        raise AssertionError(f"no {needle!r} in the log within {timeout} s:\n" + "\n".join(self.lines[-20:]))


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this system")
def test_sighup_reloads_and_logs_the_result(root: Path) -> None:
    with BotApiStandIn() as api:
        env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url, "BOT_CONTENT_ROOT": str(root)}
        env |= {"BOT_LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1", "PATH": "/usr/bin:/bin"}
        process = start_bot_process(root, env)
        log = Stderr(process)
        try:
            api.wait_for_sync(lambda: api.polls > 0, 30, "the bot to start polling")
            api.text(PERSON, "/privacy")
            api.wait_for_sync(lambda: len(api.sent(PERSON)) == 1, 10, "the first reply")

            rewrite_privacy(root)
            break_intents(root)
            process.send_signal(signal.SIGHUP)
            refused = log.wait_for("content not reloaded (SIGHUP)", 0)
            problem = log.wait_for("intents.yaml:", refused)
            assert PROBLEM_LINE.search(log.lines[problem].split(": ", 1)[1].strip()), log.lines[problem]
            api.text(PERSON, "/privacy")
            api.wait_for_sync(lambda: len(api.sent(PERSON)) == 2, 10, "a reply after the refused reload")
            assert api.texts(PERSON)[1] == api.texts(PERSON)[0]  # the last good content

            shutil.copy(ROOT / "intents.yaml", root / "intents.yaml")
            process.send_signal(signal.SIGHUP)
            log.wait_for("content reloaded (SIGHUP): reloaded: ", problem)
            api.text(PERSON, "/privacy")
            api.wait_for_sync(lambda: len(api.sent(PERSON)) == 3, 10, "a reply after the reload")
            assert api.texts(PERSON)[2].startswith(NEW_PRIVACY)
            assert process.poll() is None
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
    assert process.returncode == 0, "\n".join(log.lines)
    assert not any("Traceback" in line for line in log.lines)
    assert all(api.token not in line for line in log.lines)
