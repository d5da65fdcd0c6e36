"""No update payload, message text or name in any log line from a library's logger, at any level.

python-telegram-bot logs whole updates (a batch it cannot parse, at CRITICAL; request parameters at DEBUG),
httpx logs request URLs (the token), tornado logs webhook bodies it cannot read, and asyncio logs the repr of
a failed task (its arguments). None of them can be trusted with people's words, so on the root handlers
every record from a logger outside "bot" keeps only its fixed wording: the first line of its format string,
each argument replaced by "…", anything quoted or bracketed in a preformatted message cut out, and an
exception reduced to its type. The bot's own loggers never log what people wrote (tests check that).
"""

from __future__ import annotations

import logging
import re

# printf-style placeholders as logging uses them ("%s", "%(name)s", "%.2f", "%d")
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsab]")
# In a message formatted before logging (asyncio's "Task exception was never retrieved"), what a repr,
# a quotation or a JSON object would hold.
_CONTENT = re.compile(r"'[^']*'|\"[^\"]*\"|\{.*\}|\[.*\]|<.*>|\(.*\)")
MAX_LINE = 200


def _own(name: str) -> bool:
    return name == "bot" or name.startswith("bot.")


class RedactPayloads(logging.Filter):
    """A handler filter: records from the bot's loggers pass as they are, all others keep their wording only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _own(record.name):
            return True
        template = record.msg if isinstance(record.msg, str) else f"<{type(record.msg).__name__}>"
        line = template.split("\n", 1)[0]
        line = _PLACEHOLDER.sub("…", line) if record.args else _CONTENT.sub("…", line)
        line = line.replace("%%", "%")[:MAX_LINE]
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            line += f" ({type(error).__name__})"
        record.msg, record.args = line, None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def redact_library_logs(handlers: list[logging.Handler] | None = None) -> None:
    """Put RedactPayloads on `handlers` (the root logger's by default), once each."""
    for handler in logging.getLogger().handlers if handlers is None else handlers:
        if not any(isinstance(f, RedactPayloads) for f in handler.filters):
            handler.addFilter(RedactPayloads())
