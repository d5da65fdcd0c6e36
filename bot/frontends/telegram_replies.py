"""How the Telegram front end answers: one reading of a chat's waiting text, a reply split to fit and sent with
its buttons, /forget's deletions, and log lines that hold facts, never anything a person wrote."""

from __future__ import annotations

import logging
import time
import traceback

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.engine import Engine
from bot.frontends.telegram_lines import Reading
from bot.frontends.telegram_state import ButtonKeys, ChatStates, FloodGuard, MessageLog, split_text
from bot.model import Button, Reply, Route

log = logging.getLogger("bot.frontends.telegram")

DELETE_AT_ONCE = 100  # message ids in one deleteMessages call (the Bot API's limit)


class Replies:
    """The sending half of TelegramFrontend (which sets these attributes)."""

    app: Application | None
    engine: Engine
    states: ChatStates
    flood: FloodGuard
    keys: ButtonKeys
    messages: MessageLog

    async def _read(self, chat_id: int, reading: Reading) -> None:
        """A chat's turn to have its waiting text read: one engine call on the texts joined with a line break
        (the engine reads the whole for danger), one answer quoting the latest, then maybe the notice."""
        latest = reading[-1]
        update, kind = latest.update, latest.extra["kind"]
        reply = self.engine.handle(self.states.get(chat_id), "\n".join(item.text or "" for item in reading))
        private = update.effective_chat.type == ChatType.PRIVATE
        earlier = [i for item in reading[:-1] for i in item.update_ids]
        await self._send_logged(update, chat_id, reply, kind, None if private else latest.extra["message_id"], earlier)
        bursting = any(item.bursting for item in reading)
        if bursting and reply.route is not Route.CALL_999 and self.flood.notice_due(chat_id, time.time()):
            await self._send_logged(update, chat_id, self.engine.reply_by_id("typing_fast"), "flood")

    async def _send_logged(
        self, update: Update, chat_id: int, reply: Reply, kind: str, quote: int | None = None, earlier: list[int] = ()
    ) -> None:
        """Send, then log the facts (never the text): a logged answer is a sent one. `earlier` are the updates
        read together with this one."""
        started = time.perf_counter()
        await self.deliver(chat_id, reply, quote)
        if earlier:
            log.info(
                "update %s %s: intent=%s route=%s, read with %s",
                update.update_id, kind, reply.intent, reply.route, earlier,
            )  # fmt: skip
        else:
            log.info("update %s %s: intent=%s route=%s", update.update_id, kind, reply.intent, reply.route)
        log.debug("update %s: reply sent in %.1f ms", update.update_id, (time.perf_counter() - started) * 1000)

    async def forget(self, update: Update, chat_id: int, private: bool) -> None:
        """/forget, in the chat's turn: start the conversation afresh; in a private chat, delete every message
        this process has seen there (the person's and the bot's) and say plainly if some could not be."""
        self.states.forget(chat_id)
        if not private:
            await self._send_logged(update, chat_id, self.engine.reply_by_id("forget_group"), "forget")
            return
        ids, incomplete = self.messages.take(chat_id)
        for start in range(0, len(ids), DELETE_AT_ONCE):
            try:
                await self.app.bot.delete_messages(chat_id, ids[start : start + DELETE_AT_ONCE])
            except TelegramError as exc:
                log.warning("update %s: deleteMessages failed: %s", update.update_id, describe(exc))
                incomplete = True
        log.info("update %s: /forget deleted up to %d message(s)", update.update_id, len(ids))
        reply = self.engine.reply_by_id("forget_partial" if incomplete else "forget_done")
        await self._send_logged(update, chat_id, reply, "forget")

    async def deliver(self, chat_id: int, reply: Reply, quote: int | None) -> None:
        """Send a reply, split to fit Telegram's limit; the buttons go under the last part."""
        parts = split_text(reply.text)
        for number, part in enumerate(parts, 1):
            sent = await self.app.bot.send_message(
                chat_id,
                part,
                reply_markup=self.keyboard(reply.buttons) if number == len(parts) else None,
                # In a group, quote the message being answered so everyone sees who the answer is for.
                reply_parameters=ReplyParameters(quote, allow_sending_without_reply=True)
                if quote and number == 1
                else None,
            )
            if chat_id > 0:  # a private chat: /forget may delete it
                self.messages.add(chat_id, sent.message_id)

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


async def acknowledge(query: CallbackQuery) -> None:
    """Stop the button's spinner. A failure here is not the person's problem: their answer is sent regardless."""
    try:
        await query.answer()
    except TelegramError as exc:  # most often "query is too old": a button pressed long after it was sent
        log.info("callback query not acknowledged: %s", type(exc).__name__)


def describe(error: BaseException | None) -> str:
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
