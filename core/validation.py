"""pydantic's validation errors in Vietnamese: a bad setting or a bad field of a YAML file is
named with what it should be, never with pydantic's English ("Input should be …")."""

from __future__ import annotations

from typing import Any

from core.texts import validation as t


def vietnamese(error: Any) -> str:
    """One pydantic error (an item of ValidationError.errors()) as a short Vietnamese phrase.
    The value given is never repeated: it may be a secret."""
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error":  # our own validators already speak Vietnamese
        return str(error.get("msg", "")).removeprefix("Value error, ")
    template = t.MESSAGES.get(kind)
    if template is None:
        return t.INVALID
    try:
        return template.format(**{key: _plain(value) for key, value in ctx.items()})
    except (KeyError, IndexError):
        return t.INVALID


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("'", "").replace(" or ", " hoặc ")
