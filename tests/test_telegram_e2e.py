"""The Telegram bot end to end: the real Application, real HTTP and long polling against the Bot API stand-in.

Every message kind, commands and deep links, button presses, a location in each area, group chats, the flood
guard, long replies, retries after a 429 or a 500, the error handler and webhook mode.
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from typing import Any

import pytest
from botapi_standin import BOT_USERNAME, BotApiStandIn
from telegram.error import InvalidToken
from telegram_harness import covered_in, running_bot, settled

from bot.engine import Engine
from bot.frontends.telegram_state import split_text
from bot.model import Reply, Route

EMERGENCY_LINE = "If a crime is happening now or someone is in danger, call 999."
GROUP = -1001234567890


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def choice_texts(message: dict[str, Any]) -> list[str]:
    return [b["text"] for b in buttons(message) if "callback_data" in b]


def link_buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in buttons(message) if "url" in b]


async def ask(api: BotApiStandIn, chat: int, text: str, **kwargs: Any) -> dict[str, Any]:
    """Send a text and return the one new message the bot answers with."""
    before = len(api.sent(chat))
    api.text(chat, text, **kwargs)
    return (await api.wait_messages(chat, before + 1))[before]


# ---------------------------------------------------------------------- start-up, commands and deep links
async def test_start_registers_the_commands_and_shows_the_menu(engine: Engine) -> None:
    async with running_bot(engine) as (api, _):
        [call] = await api.wait_call("setMyCommands")
        assert [c["command"] for c in call.params["commands"]] == [
            "start",
            "report",
            "area",
            "numbers",
            "privacy",
            "help",
            "forget",
        ]
        reply = await ask(api, 1, "/start")
        assert EMERGENCY_LINE in reply["text"]
        assert choice_texts(reply) == ["Report something", "What has been done in my area?", "Which number do I use?"]
        assert all(len(b["callback_data"].encode()) <= 64 for b in buttons(reply))


@pytest.mark.parametrize(
    ("command", "expected", "kind"),
    [
        ("/help", "I'm an automated helper", "choice"),
        ("/report", "report online to Thames Valley Police", "link"),
        ("/numbers", "101 is the police non-emergency number", "link"),
        ("/privacy", "What this bot keeps: nothing about you", None),
        ("/area", "Which area?", "choice"),
        ("/help@" + BOT_USERNAME, "I'm an automated helper", "choice"),
    ],
)
async def test_each_command_answers_with_its_reply(engine: Engine, command: str, expected: str, kind: str) -> None:
    async with running_bot(engine) as (api, _):
        reply = await ask(api, 7, command)
        assert expected in reply["text"]
        if command != "/area":  # the area picker is a question, without the 999 line
            assert "999" in reply["text"]
        if kind == "link":
            assert link_buttons(reply) and all(b["url"].startswith("https://") for b in link_buttons(reply))
        if kind == "choice":
            assert choice_texts(reply)
        if command == "/area":
            assert choice_texts(reply) == ["Milton Keynes", "Aylesbury Vale"]


async def test_deep_links_open_the_matching_flow(engine: Engine) -> None:
    async with running_bot(engine) as (api, _):
        report = await ask(api, 2, "/start report")
        assert report["text"] == engine.reply_by_id("how_to_report").text
        numbers = await ask(api, 2, "/start numbers")
        assert numbers["text"].startswith("999 is for emergencies")
        mk = await ask(api, 2, "/start area_milton_keynes")
        assert mk["text"].startswith("What the police have published for Milton Keynes")
        # a follow-up after a deep link keeps the deep link's area
        follow = await ask(api, 2, "and how much cash?")
        assert follow["text"].startswith("What the police have published for Milton Keynes")
        vale = await ask(api, 2, "/start area_aylesbury_vale")
        assert vale["text"].startswith("What the police have published for Aylesbury Vale")
        oxford = await ask(api, 2, "/start area_oxford")
        assert oxford["text"].startswith("I don't have any published figures for Oxford")
        unknown = await ask(api, 2, "/start area_atlantis")
        assert unknown["text"] == engine.reply_by_id("start").text


async def test_area_command_with_a_place_answers_for_it(engine: Engine) -> None:
    async with running_bot(engine) as (api, _):
        reply = await ask(api, 3, "/area bletchley")
        assert reply["text"].startswith("What the police have published for Milton Keynes")


async def test_an_unknown_command_lists_the_real_ones(engine: Engine) -> None:
    async with running_bot(engine) as (api, _):
        reply = await ask(api, 4, "/reportt")
        assert reply["text"] == engine.reply_by_id("unknown_command").text
        assert "/report" in reply["text"] and EMERGENCY_LINE in reply["text"]


# ---------------------------------------------------------------------- free text and buttons
async def test_danger_gets_the_999_line_first(engine: Engine) -> None:
    async with running_bot(engine) as (api, _):
        reply = await ask(api, 5, "theres a man with a knife outside")
        assert reply["text"].startswith("Call 999")


async def test_a_report_gets_link_buttons_for_the_online_forms(engine: Engine) -> None:
    async with running_bot(engine) as (api, _):
        reply = await ask(api, 6, "lads dealing weed from the flat above the chippy every night")
        assert reply["text"].rstrip().endswith(EMERGENCY_LINE)
        links = link_buttons(reply)
        assert links, reply
        assert all("callback_data" not in b and b["url"].startswith("https://") for b in links)


async def test_pressing_a_choice_button_answers_the_query_and_sends_its_text(engine: Engine) -> None:
    async with running_bot(engine) as (api, _):
        await ask(api, 8, "/start")
        api.press(8, "Which number do I use?")
        [_, answer] = await api.wait_messages(8, 2)
        assert answer["text"] == engine.handle(engine.new_state(), "Which number do I use?").text
        query_id = next(c.params["callback_query_id"] for c in await api.wait_call("answerCallbackQuery"))
        assert query_id in api.answered_callbacks
        # the area button leads to the area picker, and its buttons to the figures
        api.press(8, "What has been done in my area?")
        [*_, which] = await api.wait_messages(8, 3)
        assert "Milton Keynes" in choice_texts(which)
        api.press(8, "Milton Keynes")
        [*_, figures] = await api.wait_messages(8, 4)
        assert figures["text"].startswith("What the police have published for Milton Keynes")
        assert len(api.answered_callbacks) == 3


async def test_a_button_from_an_older_content_version_still_gets_an_answer(engine: Engine) -> None:
    async with running_bot(engine) as (api, _):
        first = await ask(api, 9, "/start")
        api.press_data(9, first, "c:0000000000000000")
        [_, reply] = await api.wait_messages(9, 2)
        assert reply["text"] == engine.reply_by_id("start").text
        await api.wait_call("answerCallbackQuery")


# ---------------------------------------------------------------------- locations
async def test_a_location_in_each_area_gets_that_areas_answer(engine: Engine) -> None:
    areas = [a for a in engine.content.areas if a.centre is not None]
    assert len(areas) >= 2
    async with running_bot(engine) as (api, _):
        for number, area in enumerate(areas, 100):
            api.location(number, *area.centre)
        for number, area in enumerate(areas, 100):
            [reply] = await api.wait_messages(number, 1)
            if engine.figures.has(area.id):
                assert reply["text"].startswith(f"What the police have published for {area.name}"), area.id
            else:
                assert reply["text"].startswith(f"I don't have any published figures for {area.name}"), area.id
            assert link_buttons(reply), area.id
            assert EMERGENCY_LINE in reply["text"]


async def test_a_location_outside_every_area_gets_the_honest_answer(engine: Engine) -> None:
    async with running_bot(engine) as (api, _):
        api.location(11, 55.9533, -3.1883)  # Edinburgh
        [reply] = await api.wait_messages(11, 1)
        assert reply["text"] == engine.reply_by_id("location_unknown").text
        assert "outside the areas I know" in reply["text"]


async def test_live_location_updates_are_not_answered_again(engine: Engine) -> None:
    async with running_bot(engine) as (api, app):
        api.location(12, 52.04, -0.76, live=True)
        await api.wait_messages(12, 1)
        for step in range(3):
            api.location(12, 52.04 + step / 1000, -0.76, edit_of=1)
        api.text(12, "/privacy")  # answered in order, so any answer to the edits would come before it
        messages = await api.wait_messages(12, 2)
        assert messages[1]["text"] == engine.reply_by_id("privacy").text
        await settled(api, app)
        assert len(api.sent(12)) == 2


# ---------------------------------------------------------------------- other message kinds and edits
@pytest.mark.parametrize("kind", ["photo", "voice", "video", "video_note", "audio", "sticker", "document", "contact"])
async def test_media_gets_the_kind_text_only_reply(engine: Engine, kind: str) -> None:
    async with running_bot(engine) as (api, _):
        api.media(13, kind, caption="look at this" if kind in ("photo", "video", "document") else None)
        [reply] = await api.wait_messages(13, 1)
        assert reply["text"] == engine.reply_by_id("non_text").text
        assert "only read text" in reply["text"] and "101" in reply["text"] and "999" in reply["text"]
        assert link_buttons(reply)


async def test_an_edited_message_is_answered_as_a_new_message(engine: Engine) -> None:
    async with running_bot(engine) as (api, _):
        api.text(14, "hello")
        await api.wait_messages(14, 1)
        api.edit(14, 1, "theres a man with a knife outside")
        [_, reply] = await api.wait_messages(14, 2)
        assert reply["text"].startswith("Call 999")


# ---------------------------------------------------------------------- group chats
async def test_in_a_group_only_commands_mentions_and_replies_to_the_bot_are_answered(engine: Engine) -> None:
    group = {"chat_type": "supergroup", "user_id": 501}
    async with running_bot(engine) as (api, app):
        api.text(GROUP, "theres a man with a knife outside", **group)  # people talking to each other
        api.text(GROUP, "/roll", **group)  # probably another bot's command
        api.text(GROUP, "/start@some_other_bot", **group)
        api.media(GROUP, "photo", chat_type="supergroup")
        api.text(GROUP, f"@{BOT_USERNAME} theres a man with a knife outside", **group)
        [emergency] = await api.wait_messages(GROUP, 1)
        assert emergency["text"].startswith("Call 999")
        assert emergency["reply_to_message_id"], "in a group the answer quotes the message it answers"
        help_ = await ask(api, GROUP, "/help", **group)
        assert help_["text"] == engine.reply_by_id("help").text
        reply_to_bot = await ask(api, GROUP, "which number do i use", reply_to=help_, **group)
        assert reply_to_bot["text"].startswith("999 is for emergencies")
        unknown = await ask(api, GROUP, f"/roll@{BOT_USERNAME}", **group)
        assert unknown["text"] == engine.reply_by_id("unknown_command").text
        api.press(GROUP, "Which number do I use?", user_id=777)
        [*_, pressed] = await api.wait_messages(GROUP, 5)
        assert pressed["text"].startswith("999 is for emergencies")
        await settled(api, app)
        assert len(api.sent(GROUP)) == 5


# ---------------------------------------------------------------------- splitting, flood guard, faults, errors
class _Stub:
    """The real engine, with handle() replaced."""

    def __init__(self, engine: Engine, handle: Any) -> None:
        self._engine, self._handle = engine, handle

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def handle(self, state: Any, text: str) -> Reply:
        return self._handle(self._engine, state, text)


async def test_a_reply_longer_than_telegram_allows_is_split(engine: Engine) -> None:
    paragraph = "Figures line with some words in it. " * 30
    long_text = "\n".join(f"{n}: {paragraph}" for n in range(10)) + "\n" + EMERGENCY_LINE
    assert len(long_text) > 2 * 4096

    def handle(real: Engine, state: Any, text: str) -> Reply:
        return Reply(Route.INFO, "long", long_text, real.reply_by_id("start").buttons)

    async with running_bot(_Stub(engine, handle)) as (api, app):
        api.text(15, "tell me everything")
        await api.wait_messages(15, 3)
        await settled(api, app)
        parts = api.sent(15)
        assert len(parts) == len(split_text(long_text)) >= 3
        assert all(len(p["text"]) <= 4096 for p in parts)
        assert [bool(buttons(p)) for p in parts] == [False] * (len(parts) - 1) + [True]
        assert re.sub(r"\s", "", "".join(p["text"] for p in parts)) == re.sub(r"\s", "", long_text)
        assert parts[-1]["text"].endswith(EMERGENCY_LINE)


async def test_a_burst_is_read_together_nothing_dropped_and_one_notice_comes_after_the_answer(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    async with running_bot(engine, flood_messages=3, flood_seconds=60, flood_pause=60) as (api, app):
        ids = [api.text(16, "hello") for _ in range(8)]
        api.text(17, "hello")
        await api.wait_messages(17, 1)
        await api.wait_for(lambda: set(ids) <= covered_in(caplog.records), 5, "every hello answered")
        await settled(api, app)
        texts = api.texts(16)
        notice = engine.reply_by_id("typing_fast").text
        assert texts.count(notice) == 1 and texts[0] != notice, texts
        assert 1 < len(texts) <= 8, "a burst is answered, and read together rather than one by one"
        assert notice not in api.texts(17)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # raised inside PTB's RetryAfter
async def test_a_429_is_waited_out_and_retried(engine: Engine) -> None:
    async with running_bot(engine) as (api, app):
        api.fail_next("sendMessage", status=429, retry_after=1)
        api.text(18, "/numbers")
        [reply] = await api.wait_messages(18, 1, timeout=5)
        assert reply["text"].startswith("999 is for emergencies")
        statuses = [c.status for c in api.calls_to("sendMessage")]
        assert statuses == [429, 200]
        await settled(api, app)
        assert len(api.sent(18)) == 1


async def test_server_errors_and_dropped_connections_are_retried(engine: Engine) -> None:
    async with running_bot(engine) as (api, _):
        api.fail_next("sendMessage", status=500)
        api.fail_next("sendMessage", status=502, description="Bad Gateway")
        api.fail_next("sendMessage", drop=True)
        api.text(19, "/numbers")
        [reply] = await api.wait_messages(19, 1, timeout=5)
        assert reply["text"].startswith("999 is for emergencies")
        assert [c.status for c in api.calls_to("sendMessage")] == [500, 502, 0, 200]


async def test_telegram_trouble_at_start_up_and_while_polling_is_retried_not_fatal(engine: Engine) -> None:
    with BotApiStandIn() as api:
        api.fail_next("getMe", status=500)
        api.fail_next("getMe", drop=True)
        api.fail_next("getUpdates", status=502, description="Bad Gateway")
        api.fail_next("getUpdates", drop=True)
        async with running_bot(engine, api=api):
            reply = await ask(api, 23, "/numbers")
            assert reply["text"].startswith("999 is for emergencies")
        assert [c.status for c in api.calls_to("getMe")][:3] == [500, 0, 200]
        assert [c.status for c in api.calls_to("getUpdates")][:2] == [502, 0]


async def test_a_failure_is_logged_without_the_text_and_the_person_gets_the_999_line(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "my neighbour Jo Bloggs at 14 Acacia Avenue"

    def handle(real: Engine, state: Any, text: str) -> Reply:
        if "Acacia" in text:
            raise RuntimeError(f"could not handle {text}")
        return real.handle(state, text)

    caplog.set_level("DEBUG", logger="bot")
    async with running_bot(_Stub(engine, handle)) as (api, _):
        api.text(20, secret)
        [reply] = await api.wait_messages(20, 1)
        assert reply["text"] == engine.reply_by_id("error").text
        assert "call 999" in reply["text"]
        follow = await ask(api, 20, "/numbers")  # the bot carries on
        assert follow["text"].startswith("999 is for emergencies")
    failures = [r for r in caplog.records if r.levelname == "ERROR"]
    assert failures and "RuntimeError" in failures[0].getMessage()
    assert all("Acacia" not in r.getMessage() and "Jo Bloggs" not in r.getMessage() for r in caplog.records)
    assert all(not r.exc_info for r in failures)


async def test_a_rejected_token_stops_start_up_with_invalid_token(engine: Engine) -> None:
    with pytest.raises(InvalidToken):
        async with running_bot(engine, telegram_bot_token="987654321:ANOTHERtokenANOTHERtokenANOTHERtok"):
            pass


async def test_the_base_url_may_end_with_bot(engine: Engine) -> None:
    with BotApiStandIn() as api:
        async with running_bot(engine, api=api, telegram_base_url=api.base_url + "/bot/"):
            reply = await ask(api, 21, "/numbers")
            assert reply["text"].startswith("999 is for emergencies")


# ---------------------------------------------------------------------- webhook mode
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_mode_with_a_secret_token(engine: Engine) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram-hook"
    secret = "s3cret_Webhook-token"
    settings = {"mode": "webhook", "webhook_url": url, "webhook_port": port, "webhook_secret": secret}
    async with running_bot(engine, **settings) as (api, _):
        assert api.webhook == {"url": url, "secret_token": secret}
        assert not api.calls_to("getUpdates")
        reply = await ask(api, 22, "theres a man with a knife outside")
        assert reply["text"].startswith("Call 999")
        # Without the secret (or with a wrong one) the webhook refuses the update and nothing is sent.
        forged = {"update_id": 999, "message": {**reply, "from": {"id": 22, "is_bot": False, "first_name": "X"}}}
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(None, api.deliver, forged, "wrong-secret") == 403
        assert await loop.run_in_executor(None, api.deliver, forged, None) == 403
        await asyncio.sleep(0.2)
        assert len(api.sent(22)) == 1
        assert all(status == 200 for _, status in api.webhook_deliveries)


async def test_a_caption_that_tells_of_danger_gets_the_999_reply(engine: Engine) -> None:
    """The bot cannot see the photo, but it reads the words under it."""
    async with running_bot(engine) as (api, _):
        api.media(21, "photo", caption="this man has a knife and hes outside my door right now")
        [reply] = await api.wait_messages(21, 1)
        assert reply["text"].startswith("Call 999"), reply["text"]


async def test_a_flooding_chat_still_gets_the_999_reply(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    """Past the flood rate the bot reads the messages together; danger in any of them leads with 999."""
    caplog.set_level(logging.INFO, logger="bot")
    async with running_bot(engine) as (api, app):
        ids = [api.text(22, "hello") for _ in range(12)]
        ids.append(api.text(22, "theres a man with a knife outside my flat"))
        await api.wait_for(lambda: set(ids) <= covered_in(caplog.records), 10, "every message answered")
        await settled(api, app)
        texts = api.texts(22)
        assert texts[-1].startswith("Call 999"), [t[:30] for t in texts]
        assert engine.reply_by_id("typing_fast").text not in texts[-1:], "no notice after a 999 answer"
