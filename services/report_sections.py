"""Use cases for the parts of the ward's Báo cáo that only people write (issue 16): section I
beyond the facts, III (ưu điểm; hạn chế, khó khăn; nguyên nhân), IV, V, and the report's
Nơi nhận and signer. Saved per period with history; used by chat, the CLI and the web desk.

Nothing here invents text: a part nobody wrote stays empty and the document prints a visible
placeholder for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from storage import report_sections as repo

# The free-text parts, in the order the report prints them and the chat asks for them.
TEXT_KEYS = ("overview", "strengths", "weaknesses", "causes", "direction", "proposals")
# The report's addressing: one recipient or one title line per line of text.
RECIPIENTS, SIGNER_TITLE, SIGNER_NAME = "recipients", "signer_title", "signer_name"
KEYS = (*TEXT_KEYS, RECIPIENTS, SIGNER_TITLE, SIGNER_NAME)


@dataclass(frozen=True, slots=True)
class ReportDefaults:
    """What a report uses until the admin changes it (settings; picklable for the worker)."""

    recipients: tuple[str, ...]
    signer_title: tuple[str, ...]
    signer_name: str  # empty: the plan's signer


@dataclass(frozen=True, slots=True)
class ReportParts:
    texts: dict[str, str] = field(default_factory=dict)  # TEXT_KEYS → text ("" if not written)
    recipients: tuple[str, ...] = ()
    signer_title: tuple[str, ...] = ()
    signer_name: str = ""

    def paragraphs(self, key: str) -> list[str]:
        """The part's paragraphs (one per non-empty line); [] when nobody wrote it."""
        return [line.strip() for line in self.texts.get(key, "").splitlines() if line.strip()]


class UnknownPart(ValueError):
    pass


def defaults_from(settings: Settings) -> ReportDefaults:
    return ReportDefaults(tuple(settings.report_recipients), tuple(settings.report_signer_title),
                          settings.report_signer_name)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip().lstrip("-").strip().rstrip(";.").strip()
                 for line in text.splitlines() if line.strip().lstrip("-").strip())


def resolve(saved: dict[str, str], defaults: ReportDefaults) -> ReportParts:
    """Saved texts over the defaults; a saved empty list falls back to the default."""
    texts = {key: saved.get(key, "").strip() for key in TEXT_KEYS}
    return ReportParts(texts, _lines(saved.get(RECIPIENTS, "")) or defaults.recipients,
                       _lines(saved.get(SIGNER_TITLE, "")) or defaults.signer_title,
                       saved.get(SIGNER_NAME, "").strip() or defaults.signer_name)


async def load_parts(s: AsyncSession, period_id: int, defaults: ReportDefaults) -> ReportParts:
    return resolve(await repo.current(s, period_id), defaults)


async def save_part(s: AsyncSession, *, period_id: int, key: str, text: str,
                    author_id: int | None, now: datetime) -> None:
    """Save a new version of one part (the earlier ones stay, as history)."""
    if key not in KEYS:
        raise UnknownPart(key)
    await repo.save(s, period_id=period_id, key=key, text=text.strip(), author_id=author_id,
                    now=now)


async def save_parts(s: AsyncSession, *, period_id: int, parts: dict[str, str],
                     author_id: int | None, now: datetime) -> None:
    for key, text in parts.items():
        await save_part(s, period_id=period_id, key=key, text=text, author_id=author_id,
                        now=now)


def parse_section_file(text: str) -> dict[str, str]:
    """A plain file of parts for the CLI: a line "[key]" starts a part, e.g.

        [strengths]
        Các cơ quan, đơn vị triển khai kịp thời …
        [recipients]
        UBND thành phố (b/c)
    """
    parts: dict[str, list[str]] = {}
    key: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            key = stripped[1:-1].strip()
            if key not in KEYS:
                raise UnknownPart(key)
            parts[key] = []
        elif key is not None:
            parts[key].append(line)
    return {k: "\n".join(v).strip() for k, v in parts.items()}
