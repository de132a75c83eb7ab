"""How replies look on each messenger: its capabilities, and the plain-text rendering for
channels without buttons (terminal, Zalo), where menus become numbered lists.

Handlers and services ask a chat's `Capabilities` ("can it show buttons?", "how many parts
will this text take?") and never the platform's name; the adapters fall back themselves
(numbered text for buttons, a notice for a file they cannot upload)."""

from __future__ import annotations

from dataclasses import dataclass

from core import texts
from core.textutil import split_numbered
from core.types import Platform, Reply


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a messenger can show; one instance per platform (see `capabilities`)."""

    buttons: bool  # inline buttons; otherwise menus are numbered text answered by typing
    documents: bool  # uploads a document; otherwise hand the person a signed link
    photo_upload: bool  # uploads a photo (a chart); otherwise leave the picture out
    photo_url: bool  # shows a photo given by public URL
    text_limit: int  # characters in one message; longer texts are split into numbered parts
    edits_menus: bool = False  # a menu message can be edited into the next step
    receives_documents: bool = False  # a person can send the bot a document (a plan .docx)

    def split(self, text: str) -> list[str]:
        """A text as the messages it takes: '(1/3) …' parts on line boundaries."""
        return split_numbered(text, self.text_limit) if text.strip() else []

    def parts(self, reply: Reply) -> int:
        """Messages a text-only rendering of `reply` takes (quota counting)."""
        return len(self.split(render_plain(reply)))


TELEGRAM = Capabilities(buttons=True, documents=True, photo_upload=True, photo_url=True,
                        text_limit=4096, edits_menus=True, receives_documents=True)
# Zalo: no buttons, no document upload, photos by public URL only; sendMessage takes 1-2000
# characters (zalo-bot-api.md).
ZALO = Capabilities(buttons=False, documents=False, photo_upload=False, photo_url=True,
                    text_limit=2000)
# The terminal prints a file's path and cannot show a picture.
SHELL = Capabilities(buttons=False, documents=True, photo_upload=False, photo_url=False,
                     text_limit=100_000)
_BY_PLATFORM = {Platform.TELEGRAM: TELEGRAM, Platform.ZALO: ZALO, Platform.SHELL: SHELL}


def capabilities(platform: Platform) -> Capabilities:
    """What a chat on `platform` can show (the adapters declare the same instance)."""
    return _BY_PLATFORM[platform]


def render_plain(reply: Reply) -> str:
    if not reply.options:
        return reply.text
    lines = [f"{i}. {option.label}" for i, option in enumerate(reply.options, 1)]
    text = reply.text
    if texts.MENU_HINT not in text:
        lines.append(f"({texts.MENU_HINT})")
    return f"{text}\n\n" + "\n".join(lines)
