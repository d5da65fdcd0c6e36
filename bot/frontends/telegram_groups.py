"""Group chats: whether a message is for the bot (a command, a mention, a reply to it), and its text without @bot."""

from __future__ import annotations

import re

from telegram import Message, MessageEntity, Update


def addressed(update: Update, bot_id: int, username: str) -> bool:
    """In a group: a button press, a command, a mention of the bot, or a reply to one of its messages."""
    if update.callback_query is not None:
        return True
    message = update.effective_message
    if message is None:
        return False
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return True
    text = message.text or ""
    if text.startswith("/") and message.entities and message.entities[0].type == MessageEntity.BOT_COMMAND:
        command = text[: message.entities[0].length]
        return "@" not in command or command.split("@", 1)[1].lower() == (username or "").lower()
    return names_bot(message, username) or any(
        e.type == MessageEntity.TEXT_MENTION and e.user and e.user.id == bot_id
        for e in (*message.entities, *message.caption_entities)
    )


def names_bot(message: Message, username: str | None) -> bool:
    """Whether the text or caption contains @username (as a mention or in /command@username)."""
    if not username:
        return False
    pattern = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE)
    return bool(pattern.search(message.text or "") or pattern.search(message.caption or ""))


def without_mention(text: str, username: str | None) -> str:
    """The text without "@username", so the engine reads only what the person said."""
    if not username:
        return text
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()
