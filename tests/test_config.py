"""Settings: every one documented in .env.example; bad values refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented_in_env_example() -> None:
    documented = {line.split("=", 1)[0].lstrip("# ").strip()
                  for line in (ROOT / ".env.example").read_text("utf-8").splitlines()
                  if "=" in line}
    assert {name.upper() for name in Settings.model_fields} <= documented


def test_defaults_need_no_configuration() -> None:
    settings = load_settings(_env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///./danvan.db"
    assert settings.timezone == "Asia/Ho_Chi_Minh" and settings.offsets == [5, 2, 1, 0]


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("database_url", "mysql://x", "DATABASE_URL"),
    ("reminder_offsets", "5,hai", "REMINDER_OFFSETS"),
    ("telegram_mode", "push", "TELEGRAM_MODE"),
    ("zalo_monthly_quota", -1, "ZALO_MONTHLY_QUOTA"),
])
def test_bad_values_are_named(field: str, value: object, expected: str) -> None:
    with pytest.raises(SettingsError, match=expected):
        load_settings(_env_file=None, **{field: value})
