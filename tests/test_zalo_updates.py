"""Zalo update shapes → IncomingMessage (wrapped or flat, image keys, stickers, groups)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.zalo_updates import dedupe_key, to_incoming, unwrap
from core.types import Platform


def update(event: str, **fields: Any) -> dict[str, Any]:
    message = {"from": {"id": "u1", "display_name": "Nguyễn Văn A", "is_bot": False},
               "chat": {"id": "c1", "chat_type": "PRIVATE"}, "message_id": "m9",
               "date": 1750316131602, **fields}
    return {"event_name": event, "message": message}


def test_wrapped_and_flat_bodies_give_the_same_message() -> None:
    # setup
    flat = update("message.text.received", text="  bao cao\r\n")
    # execute
    a, b = to_incoming(unwrap(flat) or {}), to_incoming(unwrap({"ok": True, "result": flat}) or {})
    # verify
    assert a == b and a is not None
    assert a.chat.platform is Platform.ZALO and a.chat.chat_id == "c1" and a.sender_id == "u1"
    assert a.text == "bao cao" and a.native_id == "message.text.received:m9"
    assert a.display_name == "Nguyễn Văn A" and a.received_at.year == 2025


@pytest.mark.parametrize("fields", [
    {"photo": "https://cdn.example/a.jpg"},
    {"photo_url": "https://cdn.example/a.jpg"},
    {"url": "https://cdn.example/a.jpg"},
    {"attachments": [{"type": "image", "payload": {"url": "https://cdn.example/a.jpg"}}]},
])
def test_image_url_found_under_any_known_key(fields: dict[str, Any]) -> None:
    # execute
    msg = to_incoming(update("message.image.received", caption="Ảnh hội nghị", **fields))
    # verify
    assert msg is not None and msg.text == "Ảnh hội nghị"
    assert [(a.kind, a.ref) for a in msg.attachments] == [("photo", "https://cdn.example/a.jpg")]


def test_sticker_unsupported_and_voice_kinds() -> None:
    # execute
    kinds = [to_incoming(update(e)) for e in ("message.sticker.received",
                                              "message.unsupported.received",
                                              "message.voice.received")]
    # verify
    assert [m.kind if m else None for m in kinds] == ["sticker", "unsupported", "unsupported"]


def test_ignored_events_groups_and_bots() -> None:
    # setup
    group = update("message.text.received", text="x")
    group["message"]["chat"]["chat_type"] = "GROUP"
    bot = update("message.text.received", text="x")
    bot["message"]["from"]["is_bot"] = True
    # execute / verify
    assert to_incoming(update("user.follow")) is None
    assert to_incoming({"event_name": "message.text.received"}) is None
    assert to_incoming(group) is None and to_incoming(bot) is None
    assert unwrap("not json object") is None
    assert dedupe_key({"event_name": "x", "message": {}}) == ""
