"""/forget: the person's and the bot's messages in a private chat are deleted, the conversation starts afresh, and
what cannot be deleted (sent before a restart, older than 48 hours) is said plainly."""

from __future__ import annotations

from botapi_standin import BOT_USERNAME, BotApiStandIn
from telegram_harness import running_bot, settled

from bot.engine import Engine


async def test_forget_deletes_both_sides_of_a_private_chat_and_forgets_the_context(engine: Engine) -> None:
    async with running_bot(engine) as (api, app):
        api.text(81, "what have the police done in bletchley")
        api.text(81, "is 101 the right number")
        await api.wait_messages(81, 2)
        api.text(81, "/forget")
        [*_, confirmation] = await api.wait_messages(81, 3)
        await settled(api, app)
        assert confirmation["text"] == engine.reply_by_id("forget_done").text
        # Ids 1-5: the person's two messages, the bot's two replies and the /forget itself; not the confirmation.
        assert api.deleted[81] == {1, 2, 3, 4, 5}
        assert confirmation["message_id"] == 6
        api.text(81, "and how much cash?")
        [*_, after] = await api.wait_messages(81, 4)
        assert after["text"] == engine.handle(engine.new_state(), "and how much cash?").text
        # A second /forget deletes what came since, the first confirmation included.
        api.text(81, "/forget")
        await api.wait_messages(81, 5)
        assert {6, 7, 8, 9} <= api.deleted[81]


async def test_forget_after_a_restart_says_what_it_could_not_delete(engine: Engine) -> None:
    with BotApiStandIn() as api:
        async with running_bot(engine, api=api):
            api.text(82, "lads dealing by the garages")
            await api.wait_messages(82, 1)
        async with running_bot(engine, api=api) as (_, app):  # a new process knows nothing of those two
            api.text(82, "/forget")
            [_, confirmation] = await api.wait_messages(82, 2)
            await settled(api, app)
    assert confirmation["text"] == engine.reply_by_id("forget_partial").text
    assert "48 hours" in confirmation["text"] and "restarted" in confirmation["text"]
    assert api.deleted[82] == {3}


async def test_forget_in_a_group_forgets_the_context_and_deletes_nobodys_messages(engine: Engine) -> None:
    async with running_bot(engine) as (api, app):
        api.text(-100882, f"/forget@{BOT_USERNAME}", chat_type="group")
        [reply] = await api.wait_messages(-100882, 1)
        await settled(api, app)
    assert reply["text"] == engine.reply_by_id("forget_group").text
    assert not api.calls_to("deleteMessages") and not api.calls_to("deleteMessage")


async def test_a_failed_delete_is_reported_as_partial_not_as_done(engine: Engine) -> None:
    async with running_bot(engine) as (api, app):
        api.text(83, "hello")
        await api.wait_messages(83, 1)
        api.fail_next("deleteMessages", status=400, description="Bad Request: message can't be deleted")
        api.text(83, "/forget")
        [_, confirmation] = await api.wait_messages(83, 2)
        await settled(api, app)
    assert confirmation["text"] == engine.reply_by_id("forget_partial").text
