"""A local stand-in for the Telegram Bot API on 127.0.0.1, for end-to-end tests and benchmarks.

The real Application talks to it over real HTTP (TELEGRAM_BASE_URL=standin.base_url): getMe, getUpdates with long
polling and offsets, sendMessage, editMessageText, answerCallbackQuery, setMyCommands, deleteMessage(s), the webhook
methods and a few more, answering with the JSON shapes the Bot API documents. Tests inject what people do
(messages, edits, button presses, locations, photos, stickers, voice notes, contacts, group messages), then wait
for and inspect what the bot sent. Every call is recorded with its parameters and arrival time.

Faults: `fail_next("sendMessage", status=429, retry_after=1)`, `fail_next(..., status=500)`,
`fail_next(..., delay=2.0)`, `fail_next(..., drop=True)` (connection closed without an answer),
`fail_next(..., body=b"{not json")`. A fault is "before": the call is refused or lost on its way in and the
method does nothing, as with Telegram's 429 and 5xx, so a retry cannot repeat it. `after=True` makes it the
other, ambiguous kind: the method acts (the message is sent, the updates are handed out), then the answer is
lost or garbled, so the bot cannot tell it from a call that never arrived.

Standard library only; the server runs in a thread, so it works under any event loop or none.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import queue
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TOKEN = "123456789:TESTstandinTOKEN_abcdefghijklmnopqrstu"  # well formed, and never valid anywhere else
BOT_ID = 123456789
BOT_USERNAME = "community_crime_test_bot"
# Form fields PTB sends as plain strings; every other field is JSON (numbers, booleans, objects).
STRING_FIELDS = frozenset(
    {"text", "caption", "callback_query_id", "url", "secret_token", "parse_mode", "language_code", "action"}
    | {"inline_message_id", "emoji", "ip_address", "business_connection_id", "message_effect_id", "description"}
)
MEDIA = {
    "photo": [{"file_id": "AgAD-photo", "file_unique_id": "p1", "width": 1280, "height": 960, "file_size": 123456}],
    "voice": {"file_id": "AwAD-voice", "file_unique_id": "v1", "duration": 7, "mime_type": "audio/ogg"},
    "video": {"file_id": "BAAD-video", "file_unique_id": "vi1", "width": 640, "height": 480, "duration": 12},
    "video_note": {"file_id": "DQAD-note", "file_unique_id": "vn1", "length": 240, "duration": 5},
    "audio": {"file_id": "CQAD-audio", "file_unique_id": "a1", "duration": 30},
    "sticker": {
        "file_id": "CAAD-sticker", "file_unique_id": "s1", "type": "regular", "width": 512, "height": 512,
        "is_animated": False, "is_video": False, "emoji": "\U0001f44d",
    },
    "document": {
        "file_id": "BQAD-doc", "file_unique_id": "d1", "file_name": "evidence.pdf", "mime_type": "application/pdf",
    },
    "contact": {"phone_number": "+447700900123", "first_name": "Sam", "last_name": "Witness"},
}  # fmt: skip


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float  # time.perf_counter() on arrival
    status: int = 200


@dataclass
class Fault:
    status: int | None = None  # answer with this HTTP status and error JSON instead of the real answer
    description: str = "Internal Server Error"
    retry_after: int | None = None  # with status 429: parameters.retry_after
    delay: float = 0.0  # wait this long before answering (or failing)
    drop: bool = False  # close the connection without any answer
    body: bytes | None = None  # answer 200 with this raw body (malformed JSON and the like)
    after: bool = False  # act on the call first, then fail as above (the answer is lost, not the request)


@dataclass
class _Chat:
    info: dict[str, Any]
    next_message_id: itertools.count = field(default_factory=lambda: itertools.count(1))


class BotApiStandIn:
    """The fake Bot API. Use as a context manager, or start() and stop()."""

    def __init__(self, token: str = TOKEN, *, username: str = BOT_USERNAME, bot_id: int = BOT_ID) -> None:
        self.token, self.username, self.bot_id = token, username, bot_id
        self.calls: list[Call] = []
        self.injected_at: dict[int, float] = {}  # update_id -> time.perf_counter() when injected
        self.answered_callbacks: set[str] = set()
        self.commands: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status from the bot)
        self.confirmed_offset = 0  # updates below this id are confirmed: Telegram would never hand them out again
        self.handed_out = 0  # the highest update id any getUpdates answer has carried
        self.polls = 0  # getUpdates calls received so far (the bot is polling once this is above 0)
        self.deleted: dict[int, set[int]] = defaultdict(set)  # chat id -> message ids the bot deleted
        self.sent_count = 0  # messages the bot sent, all chats together (cheap to poll at 20,000 chats)
        self._cond = threading.Condition()
        self._pending: deque[dict[str, Any]] = deque()
        self._sent: dict[int, list[dict[str, Any]]] = defaultdict(list)  # chat id -> messages the bot sent
        self._chats: dict[int, _Chat] = {}
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._stopping = False
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._outbox: queue.Queue[tuple[dict[str, Any], str | None] | None] = queue.Queue()
        self._courier: threading.Thread | None = None

    # ------------------------------------------------------------------ life cycle
    def start(self, port: int = 0) -> BotApiStandIn:
        """Listen on 127.0.0.1 (a free port unless one is given) in a background thread."""
        handler = type("Handler", (_Handler,), {"standin": self})
        self._server = _Server(("127.0.0.1", port), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._outbox.put(None)
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> BotApiStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """What TELEGRAM_BASE_URL should be (the bot appends /bot<token>/<method>)."""
        return f"http://127.0.0.1:{self.port}"

    # ------------------------------------------------------------------ what people do
    def chat(self, chat_id: int, chat_type: str = "private") -> dict[str, Any]:
        with self._cond:
            if chat_id not in self._chats:
                info: dict[str, Any] = {"id": chat_id, "type": chat_type}
                info.update({"first_name": "Person"} if chat_type == "private" else {"title": "Neighbourhood group"})
                self._chats[chat_id] = _Chat(info)
            return self._chats[chat_id].info

    def _message(
        self, chat_id: int, chat_type: str, user_id: int | None, *, date: float | None = None, **content: Any
    ) -> dict[str, Any]:
        chat = self.chat(chat_id, chat_type)
        with self._cond:
            message_id = next(self._chats[chat_id].next_message_id)
        sender = {"id": user_id or (chat_id if chat_id > 0 else 424242), "is_bot": False, "first_name": "Person"}
        sent = int(time.time() if date is None else date)
        return {"message_id": message_id, "date": sent, "chat": chat, "from": sender, **content}

    def text(
        self,
        chat_id: int,
        text: str,
        *,
        chat_type: str = "private",
        user_id: int | None = None,
        reply_to: dict[str, Any] | None = None,
        entities: list[dict[str, Any]] | None = None,
        date: float | None = None,
    ) -> int:
        """A text message; entities for commands and @mentions are added as Telegram does. Returns the update id.
        `date` is when the person sent it (seconds since the epoch; now by default), as in a backlog."""
        content: dict[str, Any] = {"text": text}
        found = entities if entities is not None else _entities(text)
        if found:
            content["entities"] = found
        if reply_to is not None:
            content["reply_to_message"] = reply_to
        return self.push({"message": self._message(chat_id, chat_type, user_id, date=date, **content)})

    def edit(self, chat_id: int, message_id: int, text: str, *, chat_type: str = "private") -> int:
        """The person edited an earlier message."""
        message = self._message(chat_id, chat_type, None, text=text, edit_date=int(time.time()))
        message["message_id"] = message_id
        if found := _entities(text):
            message["entities"] = found
        return self.push({"edited_message": message})

    def location(
        self, chat_id: int, latitude: float, longitude: float, *, live: bool = False, edit_of: int | None = None
    ) -> int:
        """A shared location; `live` adds live_period, `edit_of` sends it as an update of a live location."""
        where: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if live or edit_of:
            where["live_period"] = 900
        message = self._message(chat_id, "private", None, location=where)
        if edit_of is not None:
            message.update(message_id=edit_of, edit_date=int(time.time()))
            return self.push({"edited_message": message})
        return self.push({"message": message})

    def media(self, chat_id: int, kind: str, *, caption: str | None = None, chat_type: str = "private") -> int:
        """A photo, voice, video, video_note, audio, sticker, document or contact."""
        content: dict[str, Any] = {kind: MEDIA[kind]}
        if caption is not None:
            content["caption"] = caption
            if found := _entities(caption):
                content["caption_entities"] = found
        return self.push({"message": self._message(chat_id, chat_type, None, **content)})

    def press(self, chat_id: int, button_text: str, *, user_id: int | None = None) -> int:
        """Press the choice button `button_text` on the latest bot message in the chat that has it."""
        for message in reversed(self.sent(chat_id)):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == button_text and "callback_data" in button:
                        return self.press_data(chat_id, message, button["callback_data"], user_id=user_id)
        raise AssertionError(f"no choice button {button_text!r} in chat {chat_id}")

    def press_data(self, chat_id: int, message: dict[str, Any], data: str, *, user_id: int | None = None) -> int:
        sender = {"id": user_id or (chat_id if chat_id > 0 else 424242), "is_bot": False, "first_name": "Person"}
        query = {
            "id": str(next(self._callback_ids)),
            "from": sender,
            "message": message,
            "chat_instance": "ci",
            "data": data,
        }
        return self.push({"callback_query": query})

    def push(self, update: dict[str, Any]) -> int:
        """Queue a raw update (without update_id) for getUpdates, or deliver it to the webhook if one is set."""
        with self._cond:
            update = {"update_id": next(self._update_ids), **update}
            self.injected_at[update["update_id"]] = time.perf_counter()
            webhook = self.webhook
            if webhook is None:
                self._pending.append(update)
                self._cond.notify_all()
        if webhook is not None:
            # Delivered from a thread, in order: the bot's webhook server may share the caller's event loop.
            self._outbox.put((update, webhook.get("secret_token")))
            if self._courier is None:
                self._courier = threading.Thread(target=self._deliver_in_order, daemon=True)
                self._courier.start()
        return update["update_id"]

    def _deliver_in_order(self) -> None:
        while (item := self._outbox.get()) is not None:
            update, secret = item
            try:
                status = self.deliver(update, secret)
            except OSError:
                status = 0
            with self._cond:
                self.webhook_deliveries.append((update["update_id"], status))
                self._cond.notify_all()

    def deliver(self, update: dict[str, Any], secret: str | None, url: str | None = None) -> int:
        """POST an update to the webhook as Telegram would (blocking); the HTTP status. Loopback only."""
        url = url or self.webhook["url"]
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost"):
            raise AssertionError(f"the stand-in only delivers to loopback, not {url}")
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        request = urllib.request.Request(url, json.dumps(update).encode(), headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    # ------------------------------------------------------------------ what the bot did
    def sent(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent to a chat, in order, as Message objects (text, reply_markup, ...)."""
        with self._cond:
            return list(self._sent.get(chat_id, []))

    def texts(self, chat_id: int) -> list[str]:
        return [m["text"] for m in self.sent(chat_id)]

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def all_sent(self) -> dict[int, list[dict[str, Any]]]:
        with self._cond:
            return {chat: list(messages) for chat, messages in self._sent.items()}

    async def wait_for(self, predicate, timeout: float = 5.0, what: str = "condition") -> None:
        """Wait (without blocking the event loop) until predicate() is true; AssertionError after `timeout`."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            await asyncio.sleep(0.005)

    def wait_for_sync(self, predicate, timeout: float = 5.0, what: str = "condition") -> None:
        """The same for code that runs the bot in another process or thread."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
                self._cond.wait(min(left, 0.05))

    async def wait_messages(self, chat_id: int, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The first `count` messages the bot sent to the chat, once that many have arrived."""
        await self.wait_for(
            lambda: len(self._sent.get(chat_id, ())) >= count, timeout, f"{count} message(s) in {chat_id}"
        )
        return self.sent(chat_id)[:count]

    async def wait_call(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        await self.wait_for(lambda: len(self.calls_to(method)) >= count, timeout, f"{count} {method} call(s)")
        return self.calls_to(method)

    def fail_next(self, method: str, times: int = 1, **fault: Any) -> None:
        """Make the next `times` calls to `method` fail (or be slow) as described by Fault's fields."""
        with self._cond:
            self._faults[method].extend(Fault(**fault) for _ in range(times))

    def faults_left(self, method: str) -> int:
        """How many of the faults set with fail_next for `method` have not been used yet."""
        with self._cond:
            return len(self._faults.get(method, ()))

    # ------------------------------------------------------------------ the API
    def _take_fault(self, method: str) -> Fault | None:
        with self._cond:
            return self._faults[method].popleft() if self._faults.get(method) else None

    def _record(self, method: str, params: dict[str, Any], status: int = 200) -> None:
        with self._cond:
            self.calls.append(Call(method, params, time.perf_counter(), status))
            self._cond.notify_all()

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        allowed = params.get("allowed_updates") or None
        with self._cond:
            self.polls += 1  # counted on arrival: a long poll is only recorded in `calls` when it returns
            self._cond.notify_all()
            if offset:
                # Updates below the offset are confirmed: Telegram forgets them.
                self.confirmed_offset = max(self.confirmed_offset, offset)
                while self._pending and self._pending[0]["update_id"] < offset:
                    self._pending.popleft()
            while True:
                ready = [u for u in self._pending if allowed is None or any(k in u for k in allowed)]
                if ready or self._stopping or time.monotonic() >= deadline:
                    ready = ready[:limit]
                    if ready:
                        self.handed_out = max(self.handed_out, ready[-1]["update_id"])
                    return ready
                self._cond.wait(min(deadline - time.monotonic(), 0.5))

    def _send_message(self, params: dict[str, Any]) -> tuple[int, Any]:
        chat_id = int(params["chat_id"])
        text = str(params.get("text") or "")
        if not text.strip():
            return 400, "Bad Request: message text is empty"
        if len(text.encode("utf-16-le")) // 2 > 4096:
            return 400, "Bad Request: message is too long"
        markup = params.get("reply_markup")
        if markup is not None and (problem := _markup_problem(markup)):
            return 400, f"Bad Request: {problem}"
        chat = self.chat(chat_id, "private" if chat_id > 0 else "supergroup")
        with self._cond:
            message_id = next(self._chats[chat_id].next_message_id)
        bot = {"id": self.bot_id, "is_bot": True, "first_name": "Crime helper", "username": self.username}
        message = {"message_id": message_id, "from": bot, "chat": chat, "date": int(time.time()), "text": text}
        if markup is not None:
            message["reply_markup"] = markup
        if params.get("reply_parameters"):
            message["reply_to_message_id"] = params["reply_parameters"].get("message_id")
        with self._cond:
            self._sent[chat_id].append(message)
            self.sent_count += 1
        return 200, message

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        """(HTTP status, result or error description) for one Bot API call."""
        if method == "getMe":
            return 200, {
                "id": self.bot_id, "is_bot": True, "first_name": "Crime helper", "username": self.username,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False,
            }  # fmt: skip
        if method == "getUpdates":
            if self.webhook is not None:
                return 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook first"
            return 200, self._get_updates(params)
        if method == "sendMessage":
            return self._send_message(params)
        if method == "answerCallbackQuery":
            with self._cond:
                self.answered_callbacks.add(str(params.get("callback_query_id")))
            return 200, True
        if method == "setMyCommands":
            commands = params.get("commands")
            if not isinstance(commands, list) or not all({"command", "description"} <= set(c) for c in commands):
                return 400, "Bad Request: commands must be a list of {command, description}"
            self.commands = commands
            return 200, True
        if method == "getMyCommands":
            return 200, self.commands
        if method == "editMessageText":
            chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
            for message in self.sent(chat_id):
                if message["message_id"] == message_id:
                    message.update(text=params.get("text"), edit_date=int(time.time()))
                    return 200, message
            return 400, "Bad Request: message to edit not found"
        if method in ("setWebhook", "deleteWebhook"):
            with self._cond:
                if params.get("drop_pending_updates"):
                    self._pending.clear()
                url = params.get("url") if method == "setWebhook" else None
                self.webhook = {"url": url, "secret_token": params.get("secret_token")} if url else None
            return 200, True
        if method == "getWebhookInfo":
            url = (self.webhook or {}).get("url") or ""
            return 200, {"url": url, "has_custom_certificate": False, "pending_update_count": len(self._pending)}
        if method in ("deleteMessage", "deleteMessages"):
            ids = params.get("message_ids") if method == "deleteMessages" else [params.get("message_id")]
            if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
                return 400, "Bad Request: message_ids must hold 1-100 message identifiers"
            with self._cond:
                self.deleted[int(params["chat_id"])].update(int(i) for i in ids)
            return 200, True
        if method in ("sendChatAction", "editMessageReplyMarkup", "close", "logOut"):
            return 200, True
        return 404, "Not Found: method not found"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256  # the default backlog of 5 resets connections when 100 chats are answered at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up mid-answer (a long poll cancelled at shutdown) is not a stand-in failure


class _Handler(BaseHTTPRequestHandler):
    standin: BotApiStandIn
    protocol_version = "HTTP/1.1"  # keep-alive, as Telegram and httpx do

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; without this, Nagle's algorithm and delayed ACKs add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self.do_POST()

    def do_POST(self) -> None:
        standin = self.standin
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", urlsplit(self.path).path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if not match:
            return self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method = match.groups()
        params = _params(self.headers.get("Content-Type") or "", body, urlsplit(self.path).query)
        if token != standin.token:
            standin._record(method, params, 401)
            return self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        fault = standin._take_fault(method)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.after:
                standin.answer(method, params)  # done, but the bot never hears of it
            if fault.drop:
                standin._record(method, params, 0)
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return None
            if fault.body is not None:
                standin._record(method, params, 200)
                return self._reply(200, fault.body)
            if fault.status is not None:
                standin._record(method, params, fault.status)
                error: dict[str, Any] = {"ok": False, "error_code": fault.status, "description": fault.description}
                if fault.retry_after is not None:
                    error["parameters"] = {"retry_after": fault.retry_after}
                    error["description"] = f"Too Many Requests: retry after {fault.retry_after}"
                return self._reply(fault.status, error)
        status, result = standin.answer(method, params)
        standin._record(method, params, status)
        if status == 200:
            return self._reply(200, {"ok": True, "result": result})
        return self._reply(status, {"ok": False, "error_code": status, "description": result})

    def _reply(self, status: int, payload: dict[str, Any] | bytes) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the stand-in is quiet: its output would hold the token in every URL


def _params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    if content_type.startswith("application/json"):
        return json.loads(body or b"{}")
    if content_type.startswith("multipart/"):
        return {"_multipart": True}  # the bot under test sends no files
    params: dict[str, Any] = {}
    for key, value in [*parse_qsl(query), *parse_qsl(body.decode())]:
        if key in STRING_FIELDS:
            params[key] = value
        else:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
    return params


def _markup_problem(markup: Any) -> str | None:
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        return "reply_markup must hold inline_keyboard rows"
    for row in rows:
        for button in row:
            if not button.get("text"):
                return "button text is empty"
            if "url" in button and not str(button["url"]).startswith(("https://", "http://", "tg://")):
                return "BUTTON_URL_INVALID"
            if "callback_data" in button and not 1 <= len(str(button["callback_data"]).encode()) <= 64:
                return "BUTTON_DATA_INVALID"
            if "url" not in button and "callback_data" not in button:
                return "a button needs url or callback_data"
    return None


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _entities(text: str) -> list[dict[str, Any]]:
    """bot_command and mention entities where Telegram would put them (offsets in UTF-16 units)."""
    found = []
    if command := re.match(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?", text):
        found.append({"type": "bot_command", "offset": 0, "length": _utf16(command.group())})
    for mention in re.finditer(r"(?<![\w/])@[A-Za-z0-9_]{5,32}", text):
        found.append({"type": "mention", "offset": _utf16(text[: mention.start()]), "length": _utf16(mention.group())})
    return found


def main() -> None:
    """Run the stand-in by hand: start the bot against it, then type as a person would (a number presses a button)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081)
    port = parser.parse_args().port
    api = BotApiStandIn().start(port)
    print(f"Bot API stand-in on {api.base_url}. Start the bot in another terminal with:")
    print(f"  TELEGRAM_BASE_URL={api.base_url} TELEGRAM_BOT_TOKEN={api.token} python -m bot")
    print("then type messages here (a number presses that button; Ctrl-D quits).")
    shown = 0

    def show_new() -> None:
        nonlocal shown
        for message in api.sent(1)[shown:]:
            print("bot> " + message["text"].replace("\n", "\n     "))
            for number, button in enumerate(
                b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row
            ):
                print(f"     [{number + 1}] {button['text']}" + (f" -> {button['url']}" if "url" in button else ""))
        shown = len(api.sent(1))

    try:
        for line in iter(input, None):
            last = api.sent(1)[-1] if api.sent(1) else {}
            choices = [b for row in (last.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
            if line.strip().isdigit() and 0 < int(line) <= len(choices) and "callback_data" in choices[int(line) - 1]:
                api.press_data(1, last, choices[int(line) - 1]["callback_data"])
            else:
                api.text(1, line)
            deadline = time.monotonic() + 5
            while len(api.sent(1)) == shown and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(0.1)
            show_new()
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        api.stop()


if __name__ == "__main__":
    main()
