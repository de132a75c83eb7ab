"""Settings from the environment and `.env` (documented in .env.example)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.validation import vietnamese

# The default of the CONCURRENT_CHATS setting. More lanes than this bought nothing in bench 2 and
# cost CPU: the HTTP client checks every pooled connection on each request, and each lane keeps
# one open. SQLAlchemy's pool holds 5 + 10 connections; the scheduler and the delivery worker
# need some.
MAX_CONCURRENT_UPDATES = 4
# sqlite:/// runs SQLite on the event loop (storage.sqlite_driver), full name sqlite+loop:///.
SUPPORTED_DATABASES = ("sqlite:///", "sqlite+loop:///", "sqlite+aiosqlite:///",
                       "postgresql+asyncpg://")


def _env(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, env_file=".env", env_file_encoding="utf-8",
                              extra="ignore")


class TelegramSettings(BaseSettings):
    """TELEGRAM_* settings."""

    model_config = _env("TELEGRAM_")
    bot_token: SecretStr = SecretStr("")
    api_base_url: str = "https://api.telegram.org/bot"
    file_base_url: str = "https://api.telegram.org/file/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_secret: SecretStr = SecretStr("")
    bot_username: str = ""
    rate_per_second: float = Field(default=30, gt=0)
    rate_per_chat_per_second: float = Field(default=1, gt=0)
    # Messages one chat may get at once before the per-chat rate applies (a step's answer).
    chat_burst: int = Field(default=3, ge=1, le=20)
    poll_seconds: int = Field(default=25, ge=0, le=50)  # getUpdates long-poll length


class ZaloSettings(BaseSettings):
    """ZALO_* settings."""

    model_config = _env("ZALO_")
    bot_token: SecretStr = SecretStr("")
    api_base_url: str = "https://bot-api.zaloplatforms.com/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_secret: SecretStr = SecretStr("")
    monthly_quota: int = Field(default=3000, ge=0)
    rate_per_second: float = Field(default=5, gt=0)
    rate_per_chat_per_second: float = Field(default=1, gt=0)
    chat_burst: int = Field(default=3, ge=1, le=20)
    poll_seconds: int = Field(default=30, ge=1, le=60)


class Settings(BaseSettings):
    """Every setting of the bot; names match the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Core
    database_url: str = "sqlite:///./danvan.db"
    timezone: str = "Asia/Ho_Chi_Minh"
    log_level: str = "INFO"
    dialog_timeout_minutes: int = Field(default=30, ge=1, le=24 * 60)
    invite_ttl_days: int = Field(default=7, ge=1, le=365)
    invite_max_failures_per_hour: int = Field(default=5, ge=1, le=100)
    max_text_length: int = Field(default=4000, ge=100, le=20000)
    # Chats answered side by side (bot/lanes.py). Capped well
    # inside the database pool (5 + 10), which the scheduler and the delivery worker share.
    concurrent_chats: int = Field(default=MAX_CONCURRENT_UPDATES, ge=1, le=10)
    evidence_dir: Path = Path("./data/evidence")
    evidence_max_mb: float = Field(default=20, gt=0, le=2000)
    ward_name: str = "Nam Đồ Sơn"
    ward_kind: str = "phường"
    # The ward a one-off command acts on when several share the deployment (`--ward` wins).
    ward_code: str = ""
    # The ward's report to the city (issue 16): defaults an admin may change per report.
    # Lists are JSON in the environment, e.g. REPORT_RECIPIENTS='["Sở Nội vụ (b/c)", …]'.
    report_recipients: tuple[str, ...] = (
        "UBND thành phố (b/c)", "Sở Nội vụ (b/c)", "Đảng ủy phường (b/c)", "TT HĐND phường",
        "CT, các PCT UBND phường", "Lưu: VT, VHXH")
    report_signer_title: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
                                            "PHÓ CHỦ TỊCH")
    report_signer_name: str = ""  # empty: the signer named in the plan
    report_template: Path | None = None  # the ward's own .docx template for the Báo cáo
    # The city above the wards (issue 19): the issuer of the city's summary DOCX and of city
    # broadcasts, its Nơi nhận and signer (lists are JSON in the environment, as above).
    city_name: str = "UBND thành phố Hải Phòng"
    city_recipients: tuple[str, ...] = ("Thường trực Thành ủy", "Ban Dân vận Thành ủy",
                                        "Sở Nội vụ", "Lưu: VT")
    city_signer_title: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    city_signer_name: str = ""  # empty: a blank line to sign on

    # HTTP server (health check, webhooks, signed export links)
    http_host: str = "0.0.0.0"
    http_port: int = Field(default=8080, ge=0, le=65535)
    public_base_url: str = ""
    link_secret: SecretStr = SecretStr("")
    link_ttl_hours: int = Field(default=24, ge=1, le=24 * 30)
    export_dir: Path = Path("./data/exports")
    # The web desk (bot/desk): a session ends after this long unused, and at the latest after
    # the absolute limit, whatever its use.
    web_session_idle_minutes: int = Field(default=60, ge=1, le=24 * 60)
    web_session_max_hours: int = Field(default=12, ge=1, le=24 * 30)

    # Each messenger's settings (TELEGRAM_*, ZALO_* in the environment)
    telegram: TelegramSettings = Field(default_factory=lambda: TelegramSettings())
    zalo: ZaloSettings = Field(default_factory=lambda: ZaloSettings())

    # Scheduler
    reminder_hour: int = Field(default=8, ge=0, le=23)
    # Reminders, also caught-up ones, go out only before this local hour on working days.
    reminder_until_hour: int = Field(default=17, ge=1, le=24)
    # Working days before the deadline: "5,2,1,0" in the environment.
    reminder_offsets: Annotated[tuple[int, ...], NoDecode] = (5, 2, 1, 0)
    # The after-deadline digest to admins stops once every unit has submitted, or after this
    # many working days past the deadline.
    digest_working_days: int = Field(default=10, ge=1, le=60)
    delivery_max_attempts: int = Field(default=8, ge=1, le=100)
    # How long a worker holds the outbox rows it claimed; rows of a process that died are sent
    # by another once it runs out. A batch stops at half of it.
    outbox_lease_seconds: float = Field(default=30, gt=0, le=3600)
    # One automatic reminder to tổ trưởng who have not acknowledged a broadcast after this many
    # working hours; 0 turns it off.
    broadcast_remind_after_hours: int = Field(default=0, ge=0, le=24 * 30)

    # Operating it (bot/adapters/supervisor.py, /healthz, /metrics, backups)
    channel_backoff_max_seconds: float = Field(default=60, gt=0, le=3600)
    channel_probe_seconds: float = Field(default=60, gt=0, le=3600)
    channel_stale_seconds: float = Field(default=120, gt=0, le=24 * 3600)
    webhook_check_seconds: float = Field(default=300, gt=0, le=24 * 3600)
    sweep_stale_seconds: float = Field(default=300, gt=0, le=24 * 3600)
    metrics_token: SecretStr = SecretStr("")
    backup_dir: Path = Path("./data/backups")
    backup_keep_days: int = Field(default=0, ge=0, le=3650)  # 0: no automatic backup
    export_keep_days: int = Field(default=30, ge=0, le=3650)  # 0: exports kept forever

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"múi giờ không tồn tại: {value!r}") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(SUPPORTED_DATABASES):
            raise ValueError("chỉ hỗ trợ sqlite:///... (hoặc sqlite+aiosqlite:///...) "
                             "hoặc postgresql+asyncpg://...")
        return value

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _offsets(cls, value: object) -> tuple[int, ...]:
        parts = value.split(",") if isinstance(value, str) else value
        if not isinstance(parts, list | tuple):
            raise ValueError("phải là các số nguyên cách nhau bởi dấu phẩy, ví dụ 5,2,1,0")
        try:
            numbers = sorted({int(str(part)) for part in parts if str(part).strip()},
                             reverse=True)
        except (TypeError, ValueError):
            raise ValueError("phải là các số nguyên cách nhau bởi dấu phẩy, ví dụ 5,2,1,0") \
                from None
        if not numbers or any(n < 0 or n > 60 for n in numbers):
            raise ValueError("mỗi số phải từ 0 đến 60")
        return tuple(numbers)

    @model_validator(mode="before")
    @classmethod
    def _messenger_keywords(cls, data: object) -> object:
        """`telegram_bot_token=…` given by name (tests, the CLI) goes to `telegram.bot_token`;
        what is not given is read from the environment by the messenger's own settings."""
        if not isinstance(data, dict):
            return data
        for name, model in (("telegram", TelegramSettings), ("zalo", ZaloSettings)):
            given = {key.removeprefix(f"{name}_"): data.pop(key) for key in list(data)
                     if key.startswith(f"{name}_")
                     and key.removeprefix(f"{name}_") in model.model_fields}
            if given:
                try:
                    data[name] = model(**given)
                except ValidationError as exc:
                    raise ValueError(_describe(exc, f"{name}_")) from None
        return data

    def secret_values(self) -> list[str]:
        """Every secret setting's value (log redaction), found by its type, nested included."""
        found: list[str] = []
        for model in (self, self.telegram, self.zalo):
            for name in type(model).model_fields:
                value = getattr(model, name)
                if isinstance(value, SecretStr) and value.get_secret_value():
                    found.append(value.get_secret_value())
        return found

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def offsets(self) -> list[int]:
        return list(self.reminder_offsets)


class SettingsError(Exception):
    """Invalid configuration, with one readable Vietnamese message."""


def load_settings(**overrides: object) -> Settings:
    """Read settings; turn validation errors into one clear message (no traceback)."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        prefix = {"TelegramSettings": "TELEGRAM_", "ZaloSettings": "ZALO_"}.get(exc.title, "")
        raise SettingsError(
            "Cấu hình không hợp lệ (xem .env.example):\n" + _describe(exc, prefix)
        ) from None


def _describe(exc: ValidationError, prefix: str = "") -> str:
    """One line per bad setting, named as in the environment."""
    lines = []
    for err in exc.errors():
        name = (prefix + "_".join(str(p) for p in err["loc"])).upper() or "?"
        lines.append(f"  - {name}: {vietnamese(err)}")
    return "\n".join(lines)
