"""Typed conversation state: the flows' names, a refusal a step may raise, and the one
helper that turns a flow's draft (a frozen dataclass) into the dialog's JSON data and back.

Step enums are StrEnums whose values are the strings stored before they existed, so dialogs
saved by an older version keep working; a draft read back ignores keys it does not know."""

from __future__ import annotations

import dataclasses
import enum
import types
from collections.abc import Mapping
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

D = TypeVar("D")


class Flow(enum.StrEnum):
    """Every conversation a chat can be in (the `flow` column of a dialog)."""

    REGISTER = "register"
    INVITE = "invite"
    REPORT = "report"
    SUBMIT = "submit"
    SUMMARY = "summary"
    EXPORT = "export"
    NUDGE = "nudge"
    CLOSE = "close"
    BROADCAST = "broadcast"
    BROADCAST_EDIT = "broadcast_edit"
    ROUNDS = "rounds"
    ASSIGN = "assign"
    REPORT_SECTIONS = "report_sections"
    ROSTER = "roster"
    PLAN_IMPORT = "plan_import"


class Refusal(Exception):
    """A step cannot go on (no unit, not registered, the draft is gone): the engine ends the
    flow and shows `text` instead of the step's replies."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def encode(draft: object) -> dict[str, Any]:
    """A draft dataclass as JSON-ready data (enums as their values, tuples as lists)."""
    if not dataclasses.is_dataclass(draft) or isinstance(draft, type):
        raise TypeError(f"not a draft: {draft!r}")
    return {f.name: _plain(getattr(draft, f.name)) for f in dataclasses.fields(draft)}


def _plain(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return encode(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def decode(cls: type[D], data: Mapping[str, Any]) -> D:
    """The draft `cls` read from dialog data; unknown keys are ignored, missing ones take the
    field's default. Raises LookupError when a field without a default is missing."""
    hints = _field_types(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data and data[f.name] is not None:
            values[f.name] = _typed(hints[f.name], data[f.name])
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            if f.name not in data:
                raise LookupError(f"{cls.__name__}.{f.name} missing from the dialog")
            values[f.name] = None
    return cls(**values)


# Drafts' annotations are strings (postponed evaluation): resolving them compiles and
# evaluates each one, which every step of every dialog would otherwise pay again.
_FIELD_TYPES: dict[type, dict[str, Any]] = {}


def _field_types(cls: type) -> dict[str, Any]:
    if cls not in _FIELD_TYPES:
        _FIELD_TYPES[cls] = get_type_hints(cls)
    return _FIELD_TYPES[cls]


def _typed(hint: Any, value: Any) -> Any:
    if get_origin(hint) in (Union, types.UnionType):
        hint = next(a for a in get_args(hint) if a is not type(None))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and isinstance(value, Mapping):
        return decode(hint, value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    if get_origin(hint) is tuple and isinstance(value, list | tuple):
        return tuple(value)
    return value
