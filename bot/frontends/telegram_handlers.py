"""The Telegram front end's handlers: each kind of update becomes the engine's reply, sent in order per chat.

Decisions (README "Deploy" has the user-facing side):
- Edited text messages are answered as new messages: an edit usually corrects what the person meant, and the
  corrected text may be the one that says someone is in danger. Edited locations are ignored: a live location
  arrives as a stream of edits, and one answer to the first position is enough.
- In group chats the bot answers commands, messages that mention it and replies to its own messages; nothing
  else (people talk to each other there). A command meant for another bot (/start@other_bot) is left alone, and
  an unknown command only gets an answer when it names this bot.
- Conversation context is the engine's ChatState, kept in memory per chat and forgotten after the engine's
  context_ttl; nothing about people is written anywhere.
- /reload (telegram_admin.py) answers only the admin user ids from the settings, in a private chat; anyone
  else gets no answer at all, as if the command did not exist, and it is not in the command menu. A reload
  swaps the engine between two updates and starts every conversation afresh: the remembered area or intent
  may not exist in the new content.
- Nothing is dropped. Handlers only decide whether an update is for the bot and queue it in its chat's line
  (telegram_lines.py); the engine runs when the chat's turn comes, so a chat sending long messages quickly
  costs the others nothing, and a bursting chat's waiting messages are read together and answered once (the
  engine reads the whole for danger). Past the flood rate, judged by when each message was *sent*, the chat
  is told once, after the answer, that fast messages are read together; never after a 999 answer.
- Each update is settled in the Ledger once answered (or once it is clear it needs no answer): the poller
  confirms updates to Telegram only as fast as that (telegram_polling.py).
- /forget (private chats) deletes the person's and the bot's messages that this process has seen, as far as
  the Bot API allows (48 hours), starts the conversation afresh, and says plainly what it could not delete.
- Every task the handlers start (button acknowledgements, reloads) and every chat line is waited for at a
  stop: PTB's own tracking ignores tasks created once it has begun stopping.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.commands import COMMANDS, answer_command
from bot.engine import Engine
from bot.frontends.telegram_admin import Reloader, ReloadOutcome
from bot.frontends.telegram_groups import addressed, names_bot, without_mention
from bot.frontends.telegram_lines import ChatLines, Item
from bot.frontends.telegram_polling import RetryBudgetSpent
from bot.frontends.telegram_replies import Replies, acknowledge, describe
from bot.frontends.telegram_state import (
    ButtonKeys,
    ChatStates,
    FloodGuard,
    Ledger,
    MessageLog,
    refreeze_memory,
)
from bot.model import Reply, Route

log = logging.getLogger("bot.frontends.telegram")

# The commands that only show a reply (bot/commands.py is the one table); /start, /area and /forget do more.
PLAIN_COMMANDS = [command.name for command in COMMANDS if command.name not in ("start", "area", "forget")]
# Errors after which the error reply would not help: the person blocked the bot, the token stopped working, or
# Telegram kept answering 429 for longer than the rate limiter waits (another send would meet the same 429).
NO_ERROR_REPLY = (Forbidden, InvalidToken, RetryAfter, RetryBudgetSpent)
Context = ContextTypes.DEFAULT_TYPE
Make = Callable[[], Reply]


def choice_texts(engine: Engine) -> list[str]:
    """Every choice button the content defines, so their keys survive a restart."""
    return [b.text for spec in engine.content.replies.values() for b in spec.buttons if not b.url and "{" not in b.text]


class TelegramFrontend(Replies):
    """The handlers, with the per-chat memory they share. `attach` registers them on an Application."""

    def __init__(
        self,
        engine: Engine,
        *,
        flood: FloodGuard,
        admins: frozenset[int] = frozenset(),
        load_engine: Callable[[], Engine] | None = None,
        ledger: Ledger | None = None,
        messages: MessageLog | None = None,
    ) -> None:
        self.flood = flood
        self.admins = admins
        self.keys = ButtonKeys()
        self.reloader = Reloader(load_engine) if load_engine else None
        self.ledger = ledger if ledger is not None else Ledger()
        self.messages = messages if messages is not None else MessageLog()
        self.lines = ChatLines(self._read, self.ledger.answered, self._failed)
        self.app: Application | None = None
        self._claimed: set[int] = set()  # updates queued in a line, which settles them once answered
        self._tasks: set[asyncio.Task[None]] = set()
        self._use(engine)

    def _use(self, engine: Engine) -> None:
        """Answer with `engine` from the next update on. No await in here: no handler sees half of a swap."""
        self.engine = engine
        self.states = ChatStates(engine.new_state, engine.context_ttl)
        for text in choice_texts(engine):  # buttons of the old content keep their keys too
            self.keys.key(text)

    def attach(self, app: Application) -> None:
        self.app = app
        app.add_handler(TypeHandler(Update, self.on_arrival), group=-1)
        app.add_handler(CommandHandler("start", self.on_start))
        app.add_handler(CommandHandler("area", self.on_area))
        app.add_handler(CommandHandler(PLAIN_COMMANDS, self.on_command))
        app.add_handler(CommandHandler("forget", self.on_forget))
        app.add_handler(CommandHandler("reload", self.on_reload))
        app.add_handler(MessageHandler(filters.COMMAND, self.on_unknown_command))
        # filters.UpdateType.MESSAGES: new and edited messages (see the module docstring).
        app.add_handler(MessageHandler(filters.TEXT & filters.UpdateType.MESSAGES, self.on_text))
        app.add_handler(MessageHandler(filters.LOCATION & filters.UpdateType.MESSAGE, self.on_location))
        app.add_handler(MessageHandler(filters.ATTACHMENT & filters.UpdateType.MESSAGE, self.on_non_text))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_handler(TypeHandler(Update, self.on_settle), group=1)
        app.add_error_handler(self.on_error)

    def spawn(self, coroutine: Coroutine[Any, Any, None], update: object) -> asyncio.Task[None]:
        """Run `coroutine` as a task that a stop waits for; its failure goes to the error handler with `update`."""

        async def guarded() -> None:
            try:
                await coroutine
            except Exception as exc:
                await self.app.process_error(update, exc)

        task = asyncio.get_running_loop().create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def drain(self) -> None:
        """Wait until every chat's line is empty and every task started here has finished."""
        while [task for task in self._tasks if not task.done()] or len(self.lines):
            await self.lines.drain()
            if pending := [task for task in self._tasks if not task.done()]:
                await asyncio.wait(pending)

    async def reload(self, source: str) -> ReloadOutcome | None:
        """Read and check the content again; switch to it only if it has no problem. None without a loader."""
        if self.reloader is None:
            return None
        outcome = await self.reloader.reload()
        if outcome.engine is not None:
            self._use(outcome.engine)
            refreeze_memory()
            log.info("content reloaded (%s): %s", source, outcome.summary)
        else:
            log.error("content not reloaded (%s): %s", source, outcome.summary)
            for problem in outcome.problems:
                log.error("  %s", problem)
        return outcome

    # ------------------------------------------------------------------ bookkeeping around every update
    async def on_arrival(self, update: Update, context: Context) -> None:
        """Before the handlers: remember the message id of a new message in a private chat, for /forget."""
        message, chat = update.message, update.effective_chat
        if message is not None and chat is not None and chat.type == ChatType.PRIVATE:
            self.messages.add(chat.id, message.message_id)

    async def on_settle(self, update: Update, context: Context) -> None:
        """After the handlers: an update that nothing queued needs no answer, so it is settled now."""
        if update.update_id in self._claimed:
            self._claimed.discard(update.update_id)
        else:
            self.ledger.answered([update.update_id])

    # ------------------------------------------------------------------ handlers
    async def on_start(self, update: Update, context: Context) -> None:
        """/start, and deep links: /start report, /start numbers, /start area, /start area_<area id>."""
        payload = (context.args or [""])[0].lower()
        chat = update.effective_chat.id

        def make() -> Reply:
            return answer_command(self.engine, self.states.get(chat), "start", payload)

        self._queue(update, context, make, "start")

    async def on_command(self, update: Update, context: Context) -> None:
        """/help, /report, /numbers, /privacy."""
        name = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
        chat = update.effective_chat.id
        self._queue(update, context, lambda: answer_command(self.engine, self.states.get(chat), name), "command")

    async def on_area(self, update: Update, context: Context) -> None:
        """/area shows the area picker; /area PLACE answers for that place."""
        place, chat = " ".join(context.args or []), update.effective_chat.id

        def make() -> Reply:
            if place:
                return self.engine.handle(self.states.get(chat), place)
            return self.engine.reply_by_id("area_picker")

        self._queue(update, context, make, "command")

    async def on_forget(self, update: Update, context: Context) -> None:
        """/forget: delete this private chat's messages (the person's and the bot's) that can be deleted, and
        forget the conversation; in a group, only the conversation (the bot cannot delete people's messages)."""
        if not self._for_bot(update, context):
            return
        chat = update.effective_chat
        self._count(update)
        forget = lambda: self.forget(update, chat.id, chat.type == ChatType.PRIVATE)  # noqa: E731
        self._put(chat.id, Item([update.update_id], update, act=forget))

    async def on_reload(self, update: Update, context: Context) -> None:
        """/reload from an admin in a private chat: read the content again and say how it went. Anyone else gets
        no answer at all. The reload runs beside the updates, which keep being answered meanwhile."""
        user, chat = update.effective_user, update.effective_chat
        admin = user is not None and user.id in self.admins and chat.type == ChatType.PRIVATE
        if not admin or update.edited_message is not None or self.reloader is None:
            log.info("update %s: /reload not from an admin in a private chat; no answer", update.update_id)
            return

        async def reload_and_tell() -> None:
            outcome = await self.reload(f"/reload, update {update.update_id}")
            reply = Reply(Route.INFO, "reload", outcome.text)
            self.lines.put(chat.id, Item([], update, act=lambda: self.deliver(chat.id, reply, None)))

        self.spawn(reload_and_tell(), update)

    async def on_unknown_command(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message.chat.type != ChatType.PRIVATE and not names_bot(message, context.bot.username):
            return  # "/roll" in a group is probably for another bot
        self._queue(update, context, lambda: self.engine.reply_by_id("unknown_command"), "command")

    async def on_text(self, update: Update, context: Context) -> None:
        """A message in the person's own words (or an edit of one): read when its chat's turn comes, together
        with the chat's other waiting messages if it is bursting."""
        if not self._for_bot(update, context):
            return
        message = update.effective_message
        text = without_mention(message.text, context.bot.username)
        bursting = self._count(update)
        extra = {"kind": "edit" if update.edited_message else "text", "message_id": message.message_id}
        self._put(message.chat.id, Item([update.update_id], update, text=text, bursting=bursting, extra=extra))

    async def on_location(self, update: Update, context: Context) -> None:
        """A shared location (or venue) is answered with its area's figures and routes, or the honest answer."""
        where, chat = update.effective_message.location, update.effective_chat.id
        make = lambda: self.engine.handle_location(self.states.get(chat), where.latitude, where.longitude)  # noqa: E731
        self._queue(update, context, make, "location")

    async def on_non_text(self, update: Update, context: Context) -> None:
        """Photos, voice notes, videos, stickers, files, contacts: the bot reads text only.

        A caption is read for danger ("he has a knife" under a photo gets the 999 reply); anything else in it
        waits for a text message, since a caption is usually about the picture ("look at this").
        """
        caption, chat = update.effective_message.caption, update.effective_chat.id
        caption = without_mention(caption, context.bot.username) if caption else None

        def make() -> Reply:
            reply = self.engine.handle(self.states.get(chat), caption) if caption else None
            return reply if reply is not None and reply.route is Route.CALL_999 else self.engine.reply_by_id("non_text")

        self._queue(update, context, make, "caption" if caption else "non_text")

    async def on_button(self, update: Update, context: Context) -> None:
        """A choice button sends its text as the next message; the press is acknowledged first."""
        query = update.callback_query
        # Telegram shows a spinner on the button until the callback query is answered.
        self.spawn(acknowledge(query), update)
        if query.message is None:
            return
        text, chat = self.keys.text(query.data), update.effective_chat.id
        if text is None:  # a button from an older version of the content
            self._queue(update, context, lambda: self.engine.reply_by_id("start"), "old_button")
            return
        self._queue(update, context, lambda: self.engine.handle(self.states.get(chat), text), "button")

    async def on_error(self, update: object, context: Context) -> None:
        """Log the failure without anything the person wrote, and tell them, with the 999 line."""
        error = context.error
        if not isinstance(update, Update):
            # Start-up trouble: retried. The message of an InvalidToken holds the token.
            log.warning("Telegram problem outside an update: %s; retrying", describe(error))
            return
        log.error("update %s failed: %s", update.update_id, describe(error))
        chat = update.effective_chat
        if chat is None or isinstance(error, NO_ERROR_REPLY):
            return
        reply = self.engine.reply_by_id("error")

        async def tell() -> None:
            try:
                await self.deliver(chat.id, reply, None)
            except TelegramError as exc:
                log.warning("update %s: the error reply failed too: %s", update.update_id, describe(exc))

        # Queued like any reply, so it comes after the answers already on their way to this chat.
        self.lines.put(chat.id, Item([], update, act=tell))

    # ------------------------------------------------------------------ shared steps
    def _for_bot(self, update: Update, context: Context) -> bool:
        """A private chat, or a group message that addresses the bot."""
        chat = update.effective_chat
        if chat is None:
            return False
        if chat.type != ChatType.PRIVATE and not addressed(update, context.bot.id, context.bot.username):
            log.debug("update %s: group message not addressed to the bot", update.update_id)
            return False
        return True

    def _count(self, update: Update) -> bool:
        """Count the update against its chat's rate (by the date the person sent it); whether it is bursting."""
        message = update.effective_message
        date = message.date.timestamp() if message is not None and update.callback_query is None else time.time()
        return self.flood.bursting(update.effective_chat.id, date)

    def _queue(self, update: Update, context: Context, make: Make, kind: str) -> None:
        """Queue an answer that is not a text reading: `make` builds the reply when the chat's turn comes."""
        if not self._for_bot(update, context):
            return
        self._count(update)
        chat_id = update.effective_chat.id
        message = update.effective_message if update.callback_query is None else None
        quote = message.message_id if message and message.chat.type != ChatType.PRIVATE else None

        async def act() -> None:
            await self._send_logged(update, chat_id, make(), kind, quote)

        self._put(chat_id, Item([update.update_id], update, act=act))

    def _put(self, chat_id: int, item: Item) -> None:
        """Queue an item that answers its updates: the line settles them, so on_settle leaves them alone. Nothing
        can fail between the two steps, so an update is never left unsettled (which would stall fetching)."""
        self._claimed.update(item.update_ids)
        self.lines.put(chat_id, item)

    async def _failed(self, chat_id: int, item: Item, error: Exception) -> None:
        await self.app.process_error(item.update, error)
