"""A loopback fake of the Zalo Bot API (aiohttp on 127.0.0.1, port 0) that the real client uses.

It records every call, queues updates for `getUpdates` (an idle long poll answers HTTP 408
like the real API) or posts them to the registered webhook with the secret header, answers
failures with `ok: false` bodies, can inject 429/5xx/slow answers, and serves image files."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.flood import FloodGate

TOKEN = "8012345678:AAbbCCddEEffGGhhIIjjKKllMMnnOOpp"  # looks real: the redaction must catch it


@dataclass
class Fault:
    status: int
    body: Any = None  # None: an `ok: false` body with the status as error_code
    delay_s: float = 0.0  # server-side slowness, to make the client time out
    after: int = 0  # calls answered normally before this fault applies


@dataclass
class Call:
    method: str
    payload: dict[str, Any]


@dataclass
class FakeZalo:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)  # sendMessage / sendPhoto payloads
    webhook: dict[str, str] | None = None
    webhook_statuses: list[int] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    file_downloads: int = 0

    def __post_init__(self) -> None:
        self._updates: deque[dict[str, Any]] = deque()
        self._arrived = asyncio.Event()
        self._faults: dict[str, deque[Fault]] = {}
        self._ids = itertools.count(1)
        self._posts: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self.port = 0
        self.rate_limited = 0
        self._flood: FloodGate | None = None

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{bot}/{method}", self._api)
        app.router.add_get("/files/{name}", self._file)
        # Cancel a held long poll when its client disconnects, so it cannot eat an update.
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._client = aiohttp.ClientSession()

    async def close(self) -> None:
        if self._posts:
            await asyncio.gather(*self._posts, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- test controls --------------------------------------------------------------------

    def fail(self, method: str, status: int, *, body: Any = None, delay_s: float = 0.0,
             times: int = 1, after: int = 0) -> None:
        """The next `times` calls of `method` (after `after` normal ones) fail like this."""
        queue = self._faults.setdefault(method, deque())
        queue.extend(Fault(status, body, delay_s, after if i == 0 else 0) for i in range(times))

    def flood_limits(self, per_second: float, per_chat_per_second: float = 1,
                     chat_burst: int = 1) -> None:
        """Answer 429 to sends beyond these rates (Zalo publishes none: the test picks)."""
        self._flood = FloodGate(per_second, per_chat_per_second, chat_burst)

    def add_file(self, name: str, content: bytes) -> str:
        self.files[name] = content
        return f"http://127.0.0.1:{self.port}/files/{name}"

    def make_update(self, user: str, event: str, *, message_id: str | None = None,
                    name: str = "Người thử Zalo", **fields: Any) -> dict[str, Any]:
        message = {"from": {"id": user, "display_name": name, "is_bot": False},
                   "chat": {"id": user, "chat_type": "PRIVATE"},
                   "message_id": message_id or f"msg{next(self._ids)}",
                   "date": int(time.time() * 1000), **fields}
        return {"event_name": event, "message": message}

    def push(self, update: dict[str, Any], *, flat: bool = False) -> dict[str, Any]:
        """Deliver an update: to the webhook when one is set, else to the next getUpdates."""
        body = update if flat else {"ok": True, "result": update}
        if self.webhook is not None:
            task = asyncio.create_task(self._post_webhook(body))
            self._posts.add(task)
            task.add_done_callback(self._posts.discard)
        else:
            self._updates.append(update)
            self._arrived.set()
        return update

    def push_text(self, user: str, text: str, **kw: Any) -> dict[str, Any]:
        return self.push(self.make_update(user, "message.text.received", text=text, **kw))

    def push_image(self, user: str, url: str, *, key: str = "photo", caption: str = "",
                   **kw: Any) -> dict[str, Any]:
        extra = {key: url, "caption": caption} if caption else {key: url}
        return self.push(self.make_update(user, "message.image.received", **extra, **kw))

    def push_sticker(self, user: str, **kw: Any) -> dict[str, Any]:
        return self.push(self.make_update(user, "message.sticker.received", sticker="abc",
                                          url="https://zalo.example/sticker.png", **kw))

    def push_unsupported(self, user: str, **kw: Any) -> dict[str, Any]:
        return self.push(self.make_update(user, "message.unsupported.received", **kw))

    def texts_to(self, chat_id: str) -> list[str]:
        return [str(p.get("text", "")) for p in self.sent if p.get("chat_id") == chat_id]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    async def wait_for(self, predicate: Callable[[], bool], limit_s: float = 10.0) -> None:
        """Poll a condition until it holds; fail with a clear message at the deadline."""
        deadline = time.monotonic() + limit_s
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("condition not reached before the deadline")
            await asyncio.sleep(0.005)

    # --- the API --------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["bot"] != f"bot{self.token}":
            return _error(401, "Unauthorized")
        try:
            payload = await request.json()
        except ValueError:
            return _error(400, "Bad Request")
        self.calls.append(Call(method, dict(payload or {})))
        faults = self._faults.get(method)
        if faults and faults[0].after > 0:
            faults[0].after -= 1
        elif faults:
            return await self._fault(faults.popleft())
        if (self._flood is not None and method in ("sendMessage", "sendPhoto")
                and not self._flood.admit(str((payload or {}).get("chat_id", "")))):
            self.rate_limited += 1
            return _error(429, "Too Many Requests")
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _error(400, "Bad Request")
        response: web.Response = await handler(payload or {})
        return response

    async def _fault(self, fault: Fault) -> web.Response:
        if fault.delay_s:
            await asyncio.sleep(fault.delay_s)  # a slow server, not test synchronisation
        if isinstance(fault.body, str):
            return web.Response(status=fault.status, text=fault.body)
        body = fault.body or {"ok": False, "error_code": fault.status,
                              "description": f"fault {fault.status}"}
        return web.json_response(body, status=fault.status)

    async def _m_getMe(self, _p: dict[str, Any]) -> web.Response:
        return _ok({"id": "900", "account_name": "Bot Dân vận", "account_type": "BASIC",
                    "can_join_groups": False})

    async def _m_getUpdates(self, payload: dict[str, Any]) -> web.Response:
        if self.webhook is not None:
            return _error(400, "Webhook is set")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(payload.get("timeout", 30))
        while not self._updates:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return _error(408, "Request timeout")
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)
        return _ok(self._updates.popleft())

    async def _m_setWebhook(self, payload: dict[str, Any]) -> web.Response:
        if not payload.get("secret_token"):
            return _error(400, "The secret_token must not be empty")
        self.webhook = {"url": str(payload["url"]), "secret": str(payload["secret_token"])}
        return _ok({"url": self.webhook["url"], "updated_at": int(time.time() * 1000)})

    async def _m_deleteWebhook(self, _p: dict[str, Any]) -> web.Response:
        self.webhook = None
        return _ok({"url": "", "updated_at": int(time.time() * 1000)})

    async def _m_getWebhookInfo(self, _p: dict[str, Any]) -> web.Response:
        if self.webhook is None:
            return _error(404, "Not Found")
        return _ok({"url": self.webhook["url"], "updated_at": 0})

    async def _m_sendMessage(self, payload: dict[str, Any]) -> web.Response:
        text = payload.get("text")
        if not payload.get("chat_id") or not isinstance(text, str) or not 1 <= len(text) <= 2000:
            return _error(400, "Bad Request: text must be 1-2000 characters")
        self.sent.append(dict(payload))
        return _ok({"message_id": f"out{next(self._ids)}", "date": int(time.time() * 1000)})

    async def _m_sendPhoto(self, payload: dict[str, Any]) -> web.Response:
        if not payload.get("chat_id") or not payload.get("photo"):
            return _error(400, "Bad Request")
        self.sent.append(dict(payload))
        return _ok({"message_id": f"out{next(self._ids)}", "date": int(time.time() * 1000)})

    async def _m_sendChatAction(self, _p: dict[str, Any]) -> web.Response:
        return _ok(None)

    async def _file(self, request: web.Request) -> web.Response:
        content = self.files.get(request.match_info["name"])
        if content is None:
            return web.Response(status=404)
        self.file_downloads += 1
        return web.Response(body=content, content_type="image/jpeg")

    async def _post_webhook(self, body: dict[str, Any]) -> None:
        assert self.webhook is not None and self._client is not None
        headers = {"X-Bot-Api-Secret-Token": self.webhook["secret"]}
        async with self._client.post(self.webhook["url"], json=body, headers=headers) as resp:
            self.webhook_statuses.append(resp.status)


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result, "error_code": 0})


def _error(code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description},
                             status=code)
