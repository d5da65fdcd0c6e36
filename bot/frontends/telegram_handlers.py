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
- Every task the handlers start (sends, button acknowledgements, reloads) is tracked here, so that a stop can
  wait for all of them: PTB's own tracking ignores tasks created once it has begun stopping, such as the
  error reply for a send that failed during the stop.
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.engine import Engine
from bot.frontends.telegram_admin import Reloader, ReloadOutcome
from bot.frontends.telegram_groups import addressed, names_bot, without_mention
from bot.frontends.telegram_state import (
    ButtonKeys,
    ChatStates,
    FloodGuard,
    OrderedSender,
    Verdict,
    refreeze_memory,
    split_text,
)
from bot.model import Button, ChatState, Reply, Route

log = logging.getLogger("bot.frontends.telegram")

# /command -> the reply it shows (and the route it stands for, for the logs)
COMMAND_REPLIES: dict[str, tuple[str, Route]] = {
    "help": ("help", Route.INFO),
    "report": ("how_to_report", Route.REPORT_ONLINE),
    "numbers": ("which_number", Route.INFO),
    "privacy": ("privacy", Route.INFO),
}
# /start PAYLOAD (deep links t.me/<bot>?start=PAYLOAD) -> reply; "area_<area id>" opens that area's figures.
START_PAYLOADS: dict[str, tuple[str, Route]] = {
    **COMMAND_REPLIES,
    "which_number": ("which_number", Route.INFO),
    "area": ("area_picker", Route.INFO),
}
AREA_PAYLOAD = "area_"
Context = ContextTypes.DEFAULT_TYPE


def choice_texts(engine: Engine) -> list[str]:
    """Every choice button the content defines, so their keys survive a restart."""
    return [b.text for spec in engine.content.replies.values() for b in spec.buttons if not b.url and "{" not in b.text]


class TelegramFrontend:
    """The handlers, with the per-chat memory they share. `attach` registers them on an Application."""

    def __init__(
        self,
        engine: Engine,
        *,
        flood: FloodGuard,
        admins: frozenset[int] = frozenset(),
        load_engine: Callable[[], Engine] | None = None,
    ) -> None:
        self.flood = flood
        self.admins = admins
        self.keys = ButtonKeys()
        self.reloader = Reloader(load_engine) if load_engine else None
        self.sender = OrderedSender(self.spawn)
        self.app: Application | None = None
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
        app.add_handler(CommandHandler("start", self.on_start))
        app.add_handler(CommandHandler("area", self.on_area))
        app.add_handler(CommandHandler(list(COMMAND_REPLIES), self.on_command))
        app.add_handler(CommandHandler("reload", self.on_reload))
        app.add_handler(MessageHandler(filters.COMMAND, self.on_unknown_command))
        # filters.UpdateType.MESSAGES: new and edited messages (see the module docstring).
        app.add_handler(MessageHandler(filters.TEXT & filters.UpdateType.MESSAGES, self.on_text))
        app.add_handler(MessageHandler(filters.LOCATION & filters.UpdateType.MESSAGE, self.on_location))
        app.add_handler(MessageHandler(filters.ATTACHMENT & filters.UpdateType.MESSAGE, self.on_non_text))
        app.add_handler(CallbackQueryHandler(self.on_button))
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
        """Wait until every task the handlers started has finished, including those started meanwhile."""
        while pending := [task for task in self._tasks if not task.done()]:
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

    # ------------------------------------------------------------------ handlers
    async def on_start(self, update: Update, context: Context) -> None:
        """/start, and deep links: /start report, /start numbers, /start area, /start area_<area id>."""
        if not self._admit(update, context):
            return
        payload = (context.args or [""])[0].lower()
        reply = None
        if payload.startswith(AREA_PAYLOAD):
            reply = self.engine.handle_area(self._state(update), payload.removeprefix(AREA_PAYLOAD))
        elif payload in START_PAYLOADS:
            reply = self.engine.reply_by_id(*START_PAYLOADS[payload])
        self._answer(update, context, reply or self.engine.reply_by_id("start"), "start")

    async def on_command(self, update: Update, context: Context) -> None:
        """/help, /report, /numbers, /privacy."""
        if not self._admit(update, context):
            return
        name = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
        self._answer(update, context, self.engine.reply_by_id(*COMMAND_REPLIES[name]), "command")

    async def on_area(self, update: Update, context: Context) -> None:
        """/area shows the area picker; /area PLACE answers for that place."""
        if not self._admit(update, context):
            return
        if context.args:
            reply = self.engine.handle(self._state(update), " ".join(context.args))
        else:
            reply = self.engine.reply_by_id("area_picker")
        self._answer(update, context, reply, "command")

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
            self.sender.submit(chat.id, lambda: self.deliver(context, chat.id, reply, None), update)

        self.spawn(reload_and_tell(), update)

    async def on_unknown_command(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message.chat.type != ChatType.PRIVATE and not names_bot(message, context.bot.username):
            return  # "/roll" in a group is probably for another bot
        if self._admit(update, context):
            self._answer(update, context, self.engine.reply_by_id("unknown_command"), "command")

    async def on_text(self, update: Update, context: Context) -> None:
        """A message in the person's own words (or an edit of one) goes to the engine."""
        if not self._for_bot(update, context):
            return
        text = without_mention(update.effective_message.text, context.bot.username)
        reply = self.engine.handle(self._state(update), text)
        # The flood guard never silences a 999 answer: someone in danger may well be typing fast.
        if self._flood_allows(update, context) or reply.route is Route.CALL_999:
            self._answer(update, context, reply, "edit" if update.edited_message else "text")

    async def on_location(self, update: Update, context: Context) -> None:
        """A shared location (or venue) is answered with its area's figures and routes, or the honest answer."""
        if not self._admit(update, context):
            return
        where = update.effective_message.location
        reply = self.engine.handle_location(self._state(update), where.latitude, where.longitude)
        self._answer(update, context, reply, "location")

    async def on_non_text(self, update: Update, context: Context) -> None:
        """Photos, voice notes, videos, stickers, files, contacts: the bot reads text only.

        A caption is read for danger ("he has a knife" under a photo gets the 999 reply); anything else in it
        waits for a text message, since a caption is usually about the picture ("look at this").
        """
        if not self._for_bot(update, context):
            return
        caption = update.effective_message.caption
        reply = (
            self.engine.handle(self._state(update), without_mention(caption, context.bot.username)) if caption else None
        )
        if reply is not None and reply.route is Route.CALL_999:
            self._flood_allows(update, context)  # counted, but never silenced
            self._answer(update, context, reply, "caption")
        elif self._flood_allows(update, context):
            self._answer(update, context, self.engine.reply_by_id("non_text"), "non_text")

    async def on_button(self, update: Update, context: Context) -> None:
        """A choice button sends its text as the next message; the press is acknowledged first."""
        query = update.callback_query
        # Telegram shows a spinner on the button until the callback query is answered.
        self.spawn(_acknowledge(query), update)
        if query.message is None or not self._admit(update, context):
            return
        text = self.keys.text(query.data)
        if text is None:  # a button from an older version of the content
            self._answer(update, context, self.engine.reply_by_id("start"), "old_button")
            return
        self._answer(update, context, self.engine.handle(self._state(update), text), "button")

    async def on_error(self, update: object, context: Context) -> None:
        """Log the failure without anything the person wrote, and tell them, with the 999 line."""
        error = context.error
        if not isinstance(update, Update):
            # Polling or start-up trouble: PTB retries it. The message of an InvalidToken holds the token.
            log.warning("Telegram problem outside an update: %s; retrying", _describe(error))
            return
        log.error("update %s failed: %s", update.update_id, _describe(error))
        chat = update.effective_chat
        if chat is None or isinstance(error, Forbidden):  # Forbidden: the person blocked the bot
            return
        reply = self.engine.reply_by_id("error")

        async def tell() -> None:
            try:
                await self.deliver(context, chat.id, reply, None)
            except TelegramError as exc:
                log.warning("update %s: the error reply failed too: %s", update.update_id, _describe(exc))

        # Queued like any reply, so it comes after the answers already on their way to this chat.
        self.sender.submit(chat.id, tell, update)

    # ------------------------------------------------------------------ shared steps
    def _admit(self, update: Update, context: Context) -> bool:
        """Whether to answer: the message is for the bot and the chat is not flooding it."""
        return self._for_bot(update, context) and self._flood_allows(update, context)

    def _for_bot(self, update: Update, context: Context) -> bool:
        """A private chat, or a group message that addresses the bot."""
        chat = update.effective_chat
        if chat is None:
            return False
        if chat.type != ChatType.PRIVATE and not addressed(update, context.bot.id, context.bot.username):
            log.debug("update %s: group message not addressed to the bot", update.update_id)
            return False
        return True

    def _flood_allows(self, update: Update, context: Context) -> bool:
        """Counts the message against the chat's rate; past it, one notice, then quiet until it cools down."""
        verdict = self.flood.check(update.effective_chat.id)
        if verdict is Verdict.NOTICE:
            self._answer(update, context, self.engine.reply_by_id("flood_notice"), "flood")
        elif verdict is Verdict.QUIET:
            log.info("update %s: not answered, chat is over the flood limit", update.update_id)
        return verdict is Verdict.ANSWER

    def _state(self, update: Update) -> ChatState:
        return self.states.get(update.effective_chat.id)

    def _answer(self, update: Update, context: Context, reply: Reply, kind: str) -> None:
        """Log the facts (never the text) and queue the reply behind this chat's earlier replies."""
        log.info("update %s %s: intent=%s route=%s", update.update_id, kind, reply.intent, reply.route)
        chat_id = update.effective_chat.id
        message = update.effective_message if update.callback_query is None else None
        quote = message.message_id if message and message.chat.type != ChatType.PRIVATE else None
        received = time.perf_counter()

        async def send() -> None:
            await self.deliver(context, chat_id, reply, quote)
            log.debug("update %s: reply sent in %.1f ms", update.update_id, (time.perf_counter() - received) * 1000)

        self.sender.submit(chat_id, send, update)

    async def deliver(self, context: Context, chat_id: int, reply: Reply, quote: int | None) -> None:
        """Send a reply, split to fit Telegram's limit; the buttons go under the last part."""
        parts = split_text(reply.text)
        for number, part in enumerate(parts, 1):
            await context.bot.send_message(
                chat_id,
                part,
                reply_markup=self.keyboard(reply.buttons) if number == len(parts) else None,
                # In a group, quote the message being answered so everyone sees who the answer is for.
                reply_parameters=ReplyParameters(quote, allow_sending_without_reply=True)
                if quote and number == 1
                else None,
            )

    def keyboard(self, buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
        """Link buttons open the online forms; choice buttons carry a short key for their text."""
        rows = [
            [
                InlineKeyboardButton(b.text, url=b.url)
                if b.url
                else InlineKeyboardButton(b.text, callback_data=self.keys.key(b.text))
            ]
            for b in buttons
        ]
        return InlineKeyboardMarkup(rows) if rows else None


async def _acknowledge(query: CallbackQuery) -> None:
    """Stop the button's spinner. A failure here is not the person's problem: their answer is sent regardless."""
    try:
        await query.answer()
    except TelegramError as exc:  # most often "query is too old": a button pressed long after it was sent
        log.info("callback query not acknowledged: %s", type(exc).__name__)


def _describe(error: BaseException | None) -> str:
    """An error's type and where it was raised, plus Telegram's description; never the text of a message."""
    if error is None:
        return "unknown error"
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    where = " < ".join(f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}" for frame in reversed(frames))
    detail = type(error).__name__
    # Telegram's own descriptions ("Bad Request: chat not found") carry no user text; an InvalidToken carries
    # the token and other exceptions may carry anything, so only the type is logged for those.
    if isinstance(error, TelegramError) and not isinstance(error, InvalidToken):
        detail += f" ({error.message})"
        if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
            detail += " [network]"
    return f"{detail} at {where}" if where else detail
