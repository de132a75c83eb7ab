"""A thin typed client for the Zalo Bot API (POST + JSON on aiohttp; zalo-bot-api.md §2-3).

The token sits in every request URL, so no URL ever reaches a log line or an exception: errors
are re-raised as ZaloApiError `from None`, carrying only the method, code and description."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com/bot"
NETWORK_ERROR = -1  # error_code of a failure that never got an API answer
TIMEOUT = -2
INVALID_BODY = -3
# 403 is documented as "Internal server error" (sic); 408 outside getUpdates is a server timeout.
_TRANSIENT_CODES = {NETWORK_ERROR, TIMEOUT, INVALID_BODY, 403, 408, 429}


class ZaloApiError(Exception):
    """A failed call: `error_code` from the API (or a negative local code) and its text."""

    def __init__(self, method: str, error_code: int, description: str) -> None:
        self.method, self.error_code, self.description = method, error_code, description
        super().__init__(f"Zalo {method}: lỗi {error_code} ({description})")

    @property
    def transient(self) -> bool:
        """Worth retrying later: rate limit, server error, timeout or network failure."""
        return self.error_code in _TRANSIENT_CODES or self.error_code >= 500


class ZaloBotClient:
    """One bot token, one injected aiohttp session; `close()` closes that session."""

    def __init__(self, session: aiohttp.ClientSession, token: str, *,
                 base_url: str = DEFAULT_BASE_URL, timeout_s: float = 10.0,
                 poll_timeout_s: int = 30) -> None:
        self._session = session
        self._token = token
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.poll_timeout_s = poll_timeout_s

    def __repr__(self) -> str:
        return f"ZaloBotClient(base_url={self.base_url!r})"

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "<redacted>") if self._token else text

    async def call(self, method: str, payload: dict[str, Any] | None = None, *,
                   timeout_s: float | None = None) -> Any:
        """POST one method; return `result` when `ok` is true, raise ZaloApiError otherwise."""
        status, body = await self._post(method, payload or {}, timeout_s or self.timeout_s)
        if not isinstance(body, dict):
            raise ZaloApiError(method, status if status >= 400 else INVALID_BODY,
                               "phản hồi không phải JSON")
        if body.get("ok") is True:
            return body.get("result")
        code = body.get("error_code")
        code = code if isinstance(code, int) and code else status
        raise ZaloApiError(method, code, self._redact(str(body.get("description") or "")[:300]))

    async def _post(self, method: str, payload: dict[str, Any],
                    timeout_s: float) -> tuple[int, Any]:
        url = f"{self.base_url}{self._token}/{method}"
        timeout = aiohttp.ClientTimeout(total=timeout_s)
        try:
            async with self._session.post(url, json=payload, timeout=timeout) as resp:
                try:
                    return resp.status, await resp.json(content_type=None)
                except ValueError:
                    return resp.status, None
        except TimeoutError:
            raise ZaloApiError(method, TIMEOUT, "hết thời gian chờ") from None
        except aiohttp.ClientError as exc:
            # The exception text may hold the URL (and so the token): keep only its type.
            raise ZaloApiError(method, NETWORK_ERROR, f"lỗi mạng {type(exc).__name__}") from None

    async def get_me(self) -> dict[str, Any]:
        return dict(await self.call("getMe") or {})

    async def get_updates(self, timeout_s: int | None = None) -> dict[str, Any] | None:
        """One update (long poll), or None when the poll ended idle (HTTP/error 408)."""
        wait = self.poll_timeout_s if timeout_s is None else timeout_s
        try:
            result = await self.call("getUpdates", {"timeout": wait}, timeout_s=wait + 10)
        except ZaloApiError as exc:
            if exc.error_code == 408:
                return None
            raise
        return result if isinstance(result, dict) and result else None

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        return dict(await self.call("setWebhook", {"url": url, "secret_token": secret_token})
                    or {})

    async def delete_webhook(self) -> dict[str, Any]:
        return dict(await self.call("deleteWebhook") or {})

    async def get_webhook_info(self) -> dict[str, Any] | None:
        """The registered webhook, or None when none is set (HTTP/error 404)."""
        try:
            return dict(await self.call("getWebhookInfo") or {})
        except ZaloApiError as exc:
            if exc.error_code == 404:
                return None
            raise

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        """Plain text only: user-typed names must never change formatting."""
        return dict(await self.call("sendMessage", {"chat_id": chat_id, "text": text}) or {})

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> dict[str, Any]:
        payload: dict[str, Any] = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            payload["caption"] = caption
        return dict(await self.call("sendPhoto", payload) or {})

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def close(self) -> None:
        await self._session.close()
