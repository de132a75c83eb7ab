"""A loopback fake Telegram Bot API server (aiohttp) that the REAL python-telegram-bot talks to.

It speaks the HTTP contract PTB relies on (telegram-bot-api.md §2.1, §3.2): POST
`/bot<token>/<method>` with form or multipart fields whose non-string values are JSON, answers
`{"ok": true, "result": ...}` or an error with the same HTTP status. It records every call, keeps
the messages the bot sent (so buttons can be "pressed"), long-polls `getUpdates`, delivers updates
to a registered webhook (with the secret header), serves files for `getFile`, and injects faults
(429 with retry_after, 5xx, 403, delays longer than the client's read timeout). Optional flood
control answers 429 beyond N messages/s overall and per chat, like Telegram.

Tests wait on `wait_for(predicate)`, which wakes on every recorded call: no sleeps."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.flood import FloodGate

TOKEN = "7012345678:AAH-fake_token_for_tests_0123456789"
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
# Edits count against the flood limits too.
FLOOD_METHODS = SEND_METHODS | {"editMessageText", "editMessageReplyMarkup"}
INT_FIELDS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout", "max_connections"})
MAX_TEXT, MAX_CAPTION, MAX_CALLBACK_DATA, MAX_DOWNLOAD = 4096, 1024, 64, 20 * 1024 * 1024


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    status: int = 200


@dataclass
class Fault:
    status: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None
    delay: float = 0.0  # answer only after this many seconds (beyond the read timeout: TimedOut)


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters or {}


def _decode(key: str, value: str) -> Any:
    """PTB sends strings as-is and JSON-encodes everything else into the form field."""
    if key in INT_FIELDS and value.lstrip("-").isdigit():
        return int(value)
    if value[:1] in "[{" or value in ("true", "false"):
        return json.loads(value)
    return value


class FakeTelegram:
    """One fake Bot API server; start() it, point PTB's base_url at `base_url`."""

    def __init__(self, token: str = TOKEN, username: str = "danvan_test_bot") -> None:
        self.token, self.username, self.bot_id = token, username, int(token.split(":")[0])
        self.calls: list[Call] = []
        self.unknown_methods: list[str] = []
        self.sent: dict[int, list[dict[str, Any]]] = {}  # chat id -> messages the bot sent
        # chat id -> each successful edit of a bot message: a copy of the message as edited
        self.edited: dict[int, list[dict[str, Any]]] = {}
        self.commands: list[dict[str, Any]] = []
        self.answered: list[str] = []  # callback query ids
        self.blocked: set[int] = set()  # chats that blocked the bot: 403 on send
        self.webhook_url, self.webhook_secret = "", ""
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        self.rate_limited = 0
        self._faults: dict[str, deque[Fault]] = {}
        self._pending: list[dict[str, Any]] = []
        self._history: dict[int, dict[str, Any]] = {}
        self._files: dict[str, tuple[bytes, str]] = {}
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._touches = itertools.count(1)
        self._touched: dict[tuple[int, int], int] = {}  # (chat, message) -> last sent or edited
        self._ids = itertools.count(1)
        self._flood: FloodGate | None = None
        self._changed = asyncio.Event()
        self._sent_waiters: dict[int, list[tuple[int, asyncio.Future[None]]]] = {}
        self._new_update = asyncio.Event()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._deliverer: asyncio.Task[None] | None = None
        self.port = 0

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._closing.set()
        if self._deliverer is not None:
            self._deliverer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._deliverer
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def settings(self) -> dict[str, str]:
        """The settings that point a bot at this server (for make_settings)."""
        return {"telegram_bot_token": self.token, "telegram_api_base_url": self.base_url,
                "telegram_file_base_url": self.file_base_url}

    # --- test-facing: faults, limits, waiting ---------------------------------------------

    def fail(self, method: str, status: int = 500, description: str = "Internal Server Error",
             *, retry_after: int | None = None, delay: float = 0.0, times: int = 1) -> None:
        """The next `times` calls of `method` get this fault instead of an answer."""
        queue = self._faults.setdefault(method, deque())
        queue.extend(Fault(status, description, retry_after, delay) for _ in range(times))

    def flood_limits(self, per_second: float = 30, per_chat_per_second: float = 1,
                     chat_burst: int = 1) -> None:
        """Answer 429 (retry_after 1) beyond these send rates, as Telegram does; a chat may
        get `chat_burst` messages at once first."""
        self._flood = FloodGate(per_second, per_chat_per_second, chat_burst)

    async def wait_for(self, predicate: Callable[[], bool],
                       timeout: float = 5.0) -> None:  # noqa: ASYNC109 - the helpers' API
        """Return once predicate() holds; re-checked after every call the server records."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    self._changed.clear()
                    if predicate():
                        return
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(f"condition not met within {timeout} s; calls: "
                                 f"{[c.method for c in self.calls[-15:]]}") from None

    async def wait_for_sent(self, chat_id: int, count: int,
                            timeout: float = 5.0) -> None:  # noqa: ASYNC109 - as wait_for
        """Return once the bot has sent `count` messages to this chat in all. Unlike
        wait_for, only this chat's sends wake the caller: with hundreds of simulated users
        waiting at once, waking every one on every call would cost more than the bot under
        test (bench/conversation.py)."""
        if len(self.sent.get(chat_id, [])) >= count:
            return
        future = asyncio.get_running_loop().create_future()
        waiters = self._sent_waiters.setdefault(chat_id, [])
        waiters.append((count, future))
        try:
            async with asyncio.timeout(timeout):
                await future
        except TimeoutError:
            raise AssertionError(f"chat {chat_id} got {len(self.sent.get(chat_id, []))} "
                                 f"messages, not {count}, within {timeout} s") from None
        finally:
            waiters.remove((count, future))

    def poke(self) -> None:
        """Re-check waiting predicates (for state outside the fake, e.g. updates handled)."""
        self._changed.set()

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def texts(self, chat_id: int) -> list[str]:
        """Texts and captions of every message the bot sent to a chat (as edited)."""
        return [m.get("text") or m.get("caption") or "" for m in self.sent.get(chat_id, [])]

    def edited_texts(self, chat_id: int, since: int = 0) -> dict[int, str]:
        """message id → text of each bot message edited in this chat (edit number `since`
        onwards), as it reads after its last edit, in the order they were first edited."""
        latest: dict[int, str] = {}
        for message in self.edited.get(chat_id, [])[since:]:
            latest[message["message_id"]] = message.get("text") or message.get("caption") or ""
        return latest

    def buttons(self, chat_id: int) -> list[tuple[str, str]]:
        """(label, callback data) of the latest message (sent or edited) still with buttons."""
        message = self._menu_message(chat_id)
        if message is None:
            return []
        rows = message["reply_markup"]["inline_keyboard"]
        return [(b["text"], b["callback_data"]) for row in rows for b in row]

    # --- test-facing: updates from "users" ------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (an update_id is assigned when missing)."""
        update.setdefault("update_id", next(self._update_ids))
        self._history[update["update_id"]] = copy.deepcopy(update)
        self._pending.append(update)
        self._new_update.set()
        self._wake_deliverer()
        return int(update["update_id"])

    def redeliver(self, update_id: int) -> None:
        """Deliver an earlier update again, as Telegram does after a missed acknowledgement."""
        self._pending.append(copy.deepcopy(self._history[update_id]))
        self._new_update.set()
        self._wake_deliverer()

    def user(self, chat_id: int, first_name: str = "Nguyễn Văn", last_name: str = "An") -> dict:
        return {"id": chat_id, "is_bot": False, "first_name": first_name, "last_name": last_name}

    def _message(self, chat_id: int, **content: Any) -> dict[str, Any]:
        return {"message_id": next(self._message_ids), "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Nguyễn Văn"},
                "from": self.user(chat_id), **content}

    def text_update(self, chat_id: int, text: str, update_id: int | None = None) -> dict:
        """A text-message update as Telegram would send it (not queued)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"update_id": update_id or next(self._update_ids),
                "message": self._message(chat_id, **content)}

    def push_text(self, chat_id: int, text: str) -> int:
        return self.push_update(self.text_update(chat_id, text))

    def push_callback(self, chat_id: int, data: str, message_id: int | None = None) -> int:
        """A button press; the message is the bot's message carrying it (or a made-up one)."""
        message = self._menu_message(chat_id) if message_id is None else next(
            (m for m in self.sent.get(chat_id, []) if m["message_id"] == message_id), None)
        message = copy.deepcopy(message) if message else {
            "message_id": 999_999, "date": int(time.time()), "chat": {"id": chat_id,
                                                                      "type": "private"}}
        query = {"id": str(next(self._ids)), "from": self.user(chat_id), "chat_instance": "ci",
                 "data": data, "message": message}
        return self.push_update({"callback_query": query})

    def press(self, chat_id: int, label_part: str) -> int:
        """Press the button whose label contains `label_part` on the newest keyboard."""
        buttons = self.buttons(chat_id)
        data = next((d for label, d in buttons if label_part in label), None)
        if data is None:
            raise AssertionError(f"no button with {label_part!r}; buttons: {buttons}")
        return self.push_callback(chat_id, data)

    def add_file(self, content: bytes, file_name: str = "") -> str:
        file_id = f"file-{next(self._ids)}"
        self._files[file_id] = (content, file_name)
        return file_id

    def push_photo(self, chat_id: int, content: bytes, caption: str = "", *,
                   declare_size: bool = True) -> int:
        file_id = self.add_file(content, "photo.jpg")
        size = {"file_size": len(content)} if declare_size else {}
        photo = [{"file_id": f"thumb-{file_id}", "file_unique_id": "t" + file_id, "width": 90,
                  "height": 90},
                 {"file_id": file_id, "file_unique_id": "u" + file_id, "width": 1280,
                  "height": 960, **size}]
        extra = {"caption": caption} if caption else {}
        return self.push_update({"message": self._message(chat_id, photo=photo, **extra)})

    def push_document(self, chat_id: int, content: bytes, file_name: str,
                      mime_type: str = "application/pdf") -> int:
        file_id = self.add_file(content, file_name)
        document = {"file_id": file_id, "file_unique_id": "u" + file_id, "file_name": file_name,
                    "mime_type": mime_type, "file_size": len(content)}
        return self.push_update({"message": self._message(chat_id, document=document)})

    # --- HTTP -------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files = await self._read(request)
        call = Call(method, params, files)
        self.calls.append(call)
        self._changed.set()  # a long poll answers late: waiters may care that it started
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            await self._apply_fault(method)
            self._check_flood(method, params)
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                self.unknown_methods.append(method)
                raise ApiError(404, "Not Found")
            result = await handler(params, files)
            body: dict[str, Any] = {"ok": True, "result": result}
        except ApiError as err:
            call.status = err.status
            body = {"ok": False, "error_code": err.status, "description": err.description}
            if err.parameters:
                body["parameters"] = err.parameters
        finally:
            self._changed.set()
        return web.json_response(body, status=call.status)

    async def _read(self, request: web.Request) -> tuple[dict[str, Any], dict[str, Any]]:
        if request.content_type == "application/json":
            return dict(await request.json()), {}
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = (value.filename, value.file.read())
                continue
            params[key] = _decode(key, value if isinstance(value, str) else bytes(value).decode())
        return params, files

    async def _apply_fault(self, method: str) -> None:
        queue = self._faults.get(method)
        if not queue:
            return
        fault = queue.popleft()
        if fault.delay:
            await asyncio.sleep(fault.delay)  # the fake server is slow: the client must time out
        if fault.status == 429:
            raise ApiError(429, f"Too Many Requests: retry after {fault.retry_after or 1}",
                           {"retry_after": fault.retry_after or 1})
        if fault.status >= 400:
            raise ApiError(fault.status, fault.description)

    def _check_flood(self, method: str, params: dict[str, Any]) -> None:
        if self._flood is None or method not in FLOOD_METHODS:
            return
        if not self._flood.admit(str(params.get("chat_id", ""))):
            self.rate_limited += 1
            raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        self.calls.append(Call("<download>", {"file_id": file_id}))
        self._changed.set()
        if file_id not in self._files:
            return web.Response(status=404)
        return web.Response(body=self._files[file_id][0])

    # --- Bot API methods ------------------------------------------------------------------

    async def _m_getMe(self, p: dict, f: dict) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Dân vận bot",
                "username": self.username, "can_join_groups": False,
                "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _m_deleteWebhook(self, p: dict, f: dict) -> bool:
        self.webhook_url = self.webhook_secret = ""
        if p.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _m_setWebhook(self, p: dict, f: dict) -> bool:
        self.webhook_url, self.webhook_secret = p["url"], p.get("secret_token", "")
        if self._deliverer is None:
            self._deliverer = asyncio.create_task(self._deliver_loop())
        self._wake_deliverer()
        return True

    async def _m_getWebhookInfo(self, p: dict, f: dict) -> dict[str, Any]:
        return {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self._pending)}

    async def _m_setMyCommands(self, p: dict, f: dict) -> bool:
        self.commands = list(p["commands"])
        return True

    async def _m_getUpdates(self, p: dict, f: dict) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset, limit = int(p.get("offset", 0)), int(p.get("limit", 100))
        deadline = time.monotonic() + float(p.get("timeout", 0))
        while True:
            # An offset confirms (and forgets) every earlier update, as on Telegram.
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
            remaining = deadline - time.monotonic()
            if self._pending or remaining <= 0 or self._closing.is_set():
                return self._pending[:limit]
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), remaining)

    async def _m_sendMessage(self, p: dict, f: dict) -> dict[str, Any]:
        text = str(p.get("text", ""))
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return self._store(p, text=text)

    async def _m_sendPhoto(self, p: dict, f: dict) -> dict[str, Any]:
        content = self._upload(p, f, "photo")
        file_id = self.add_file(content, "photo.jpg")
        sizes = [{"file_id": file_id, "file_unique_id": "u" + file_id, "width": 800,
                  "height": 600, "file_size": len(content)}]
        return self._store(p, photo=sizes, caption=self._caption(p))

    async def _m_sendDocument(self, p: dict, f: dict) -> dict[str, Any]:
        content = self._upload(p, f, "document")
        name = f["document"][0] if "document" in f else "file"
        file_id = self.add_file(content, name)
        return self._store(p, document={"file_id": file_id, "file_unique_id": "u" + file_id,
                                        "file_name": name, "file_size": len(content)},
                           caption=self._caption(p))

    def _upload(self, p: dict, f: dict, key: str) -> bytes:
        if key in f:
            return f[key][1]
        if isinstance(p.get(key), str) and p[key] in self._files:
            return self._files[p[key]][0]
        raise ApiError(400, f"Bad Request: there is no {key} in the request")

    @staticmethod
    def _caption(p: dict) -> str:
        caption = str(p.get("caption", ""))
        if len(caption) > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        return caption

    async def _m_editMessageText(self, p: dict, f: dict) -> dict[str, Any]:
        message = self._find(p)
        markup = p.get("reply_markup")
        if message.get("text") == p.get("text") and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        text = str(p.get("text", ""))
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        self._set_markup(message, markup)
        message["text"] = text
        return self._record_edit(message)

    async def _m_editMessageReplyMarkup(self, p: dict, f: dict) -> dict[str, Any]:
        message = self._find(p)
        self._set_markup(message, p.get("reply_markup"))
        return self._record_edit(message)

    def _record_edit(self, message: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(message["chat"]["id"])
        self._touched[(chat_id, message["message_id"])] = next(self._touches)
        self.edited.setdefault(chat_id, []).append(copy.deepcopy(message))
        return message

    async def _m_answerCallbackQuery(self, p: dict, f: dict) -> bool:
        self.answered.append(str(p["callback_query_id"]))
        return True

    async def _m_getFile(self, p: dict, f: dict) -> dict[str, Any]:
        file_id = str(p.get("file_id", ""))
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        content = self._files[file_id][0]
        if len(content) > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return {"file_id": file_id, "file_unique_id": "u" + file_id, "file_size": len(content),
                "file_path": f"documents/{file_id}"}

    # --- helpers ----------------------------------------------------------------------------

    def _store(self, p: dict, **content: Any) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": self.bot_id, "is_bot": True, "first_name": "Dân vận bot",
                     "username": self.username},
            **{k: v for k, v in content.items() if v}}
        self._set_markup(message, p.get("reply_markup"))
        self._touched[(chat_id, message["message_id"])] = next(self._touches)
        sent = self.sent.setdefault(chat_id, [])
        sent.append(message)
        for count, future in self._sent_waiters.get(chat_id, ()):
            if len(sent) >= count and not future.done():
                future.set_result(None)
        return message

    @staticmethod
    def _set_markup(message: dict[str, Any], markup: Any) -> None:
        if not markup or not markup.get("inline_keyboard"):
            message.pop("reply_markup", None)
            return
        for row in markup["inline_keyboard"]:
            for button in row:
                if len(button.get("callback_data", "").encode()) > MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        message["reply_markup"] = markup

    def _find(self, p: dict) -> dict[str, Any]:
        chat_id, message_id = int(p.get("chat_id", 0)), int(p.get("message_id", 0))
        for message in self.sent.get(chat_id, []):
            if message["message_id"] == message_id:
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    def _menu_message(self, chat_id: int) -> dict[str, Any] | None:
        menus = [m for m in self.sent.get(chat_id, []) if m.get("reply_markup")]
        return max(menus, key=lambda m: self._touched[(chat_id, m["message_id"])], default=None)

    def _wake_deliverer(self) -> None:
        self._new_update.set()

    async def _deliver_loop(self) -> None:
        """POST pending updates to the webhook one by one; retry a non-2xx answer twice."""
        async with aiohttp.ClientSession() as session:
            while not self._closing.is_set():
                if not self._pending or not self.webhook_url:
                    self._new_update.clear()
                    await self._new_update.wait()
                    continue
                update = self._pending[0]
                headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret}
                status = 0
                for _attempt in range(3):
                    with contextlib.suppress(aiohttp.ClientError):
                        async with session.post(self.webhook_url, json=update,
                                                headers=headers) as resp:
                            status = resp.status
                    if 200 <= status < 300:
                        break
                self.webhook_deliveries.append((update["update_id"], status))
                self._pending.pop(0)
                self._changed.set()
