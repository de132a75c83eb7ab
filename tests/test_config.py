"""Settings: every one documented in .env.example; bad values refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings, SettingsError, TelegramSettings, ZaloSettings, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented_in_env_example() -> None:
    documented = {line.split("=", 1)[0].lstrip("# ").strip()
                  for line in (ROOT / ".env.example").read_text("utf-8").splitlines()
                  if "=" in line}
    names = {name.upper() for name in Settings.model_fields} - {"TELEGRAM", "ZALO"}
    for prefix, model in (("TELEGRAM_", TelegramSettings), ("ZALO_", ZaloSettings)):
        names |= {prefix + name.upper() for name in model.model_fields}
    assert names <= documented


def test_defaults_need_no_configuration() -> None:
    settings = load_settings(_env_file=None)
    assert settings.database_url == "sqlite:///./danvan.db"
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


def test_messenger_settings_are_nested_and_secrets_found_by_type(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # setup: one from the environment, one given by name
    monkeypatch.setenv("ZALO_WEBHOOK_SECRET", "zalo-secret-value")
    monkeypatch.setenv("TELEGRAM_MODE", "push")
    # execute
    settings = load_settings(_env_file=None, telegram_bot_token="123:tok", telegram_mode="webhook",
                             link_secret="link-secret", reminder_offsets="2, 5,0")
    # verify
    assert settings.telegram.bot_token.get_secret_value() == "123:tok"
    assert settings.telegram.mode == "webhook" and settings.zalo.mode == "polling"
    assert settings.reminder_offsets == (5, 2, 0)
    assert sorted(settings.secret_values()) == ["123:tok", "link-secret", "zalo-secret-value"]
    with pytest.raises(SettingsError, match="TELEGRAM_MODE"):
        load_settings(_env_file=None)  # the bad value from the environment is named
