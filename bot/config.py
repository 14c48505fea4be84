"""Settings: the only module that reads ``os.environ``.

Every setting is declared once in :data:`SETTINGS` (name, default, help); ``.env.example`` and
the settings table in docs/operations.md are checked against it by ``tests/test_docs.py``.

    >>> config = Config.from_env({"PORT": "4000"})
    >>> config.port, config.local_only
    (4000, True)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("PORT", "3978", "the bot's HTTP port"),
    Setting("DATA_DIR", "./data", "where the embedded database and the search index live"),
    Setting(
        "DATABASE_URL",
        "",
        "SQLAlchemy URL, e.g. postgresql://… for several instances; unset: SQLite in DATA_DIR",
        secret=True,
    ),
    Setting("HANDBOOK_DIR", "", "routines (Markdown) and synonyms; unset: the shipped handbook"),
    Setting("SCHEDULE_DIR", "", "sessions, deadlines, recurring items (YAML); unset: shipped"),
    Setting(
        "PUBLIC_BASE_URL", "", "base of links in cards and feeds; unset: http://localhost:PORT"
    ),
    Setting("MicrosoftAppId", "", "the Azure bot registration's app id; unset: local development"),
    Setting("MicrosoftAppPassword", "", "the app registration's client secret", secret=True),
    Setting("MicrosoftAppTenantId", "", "tenant of a SingleTenant registration"),
    Setting("MicrosoftAppType", "MultiTenant", "MultiTenant, SingleTenant or UserAssignedMSI"),
    Setting("BOT_DOMAIN", "", "public host of the bot, written into the Teams manifest"),
    Setting("CALENDAR_TOKEN", "", "secret in the private deadline feed's URL", secret=True),
    Setting("LEADER_AAD_IDS", "", "comma-separated Azure AD object ids of leaders"),
    Setting(
        "HANDBOOK_CONTACT",
        "",
        "who owns the handbook, shown when there is no answer (e.g. a name and e-mail)",
    ),
    Setting(
        "DELIVERY_ENABLED", "true", "send planned reminders and invitations (false: plan nothing)"
    ),
    Setting("DELIVERY_TICK_SECONDS", "15", "how often the outbox is planned and due messages sent"),
    Setting("DELIVERY_GRACE_HOURS", "6", "what fell due longer ago is reported, not sent"),
    Setting(
        "DELIVERY_LEASE_SECONDS",
        "300",
        "how long a claimed message is an instance's; a dead instance's claims go to another after",
    ),
    Setting(
        "DELIVERY_RATE_LIMIT",
        "true",
        "keep to Teams' limits: 50 messages/s per tenant, 7/s and 60/30 s per conversation",
    ),
    Setting(
        "AUTO_INVITATION",
        "added",
        "Fredagsprat invitation to subscribers: added (when a session appears in the schedule), "
        "a number of days before each session, or off (only a leader's inviter)",
    ),
    Setting(
        "REMINDER_DAYS",
        "14,7,1",
        "days before an evaluation deadline or a yearly-cycle item that its reminders go out",
    ),
    Setting("REMINDER_TIME", "08:00", "Oslo time of day the deadline reminders go out"),
    Setting(
        "SESSION_REMINDER_MINUTES",
        "1440,15",
        "minutes before a Fredagsprat that its reminders (with the join link) go out",
    ),
    Setting(
        "DELIVERY_TENANT_RATE",
        "50",
        "messages a second per tenant from this instance; with N instances set 50/N (Teams: 50)",
    ),
)

TRUE = ("1", "true", "yes", "on", "ja")

DEFAULTS = {s.name: s.default for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    port: int
    data_dir: Path
    database_url: str
    handbook_dir: Path | None
    schedule_dir: Path | None
    public_base_url: str
    app_id: str
    app_password: str
    app_tenant_id: str
    app_type: str
    bot_domain: str
    calendar_token: str
    leader_aad_ids: tuple[str, ...]
    handbook_contact: str
    delivery_enabled: bool = True
    delivery_tick_seconds: float = 15.0
    delivery_grace_hours: float = 6.0
    delivery_rate_limit: bool = True
    delivery_lease_seconds: float = 300.0
    delivery_tenant_rate: int = 50
    auto_invitation: int | str | None = "added"  # see bot.delivery.planner.PlannerSettings
    reminder_days: tuple[int, ...] = (14, 7, 1)
    reminder_time: time = time(8, 0)
    session_reminder_minutes: tuple[int, ...] = (1440, 15)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return env.get(name, "").strip() or DEFAULTS[name]

        port = int(get("PORT"))
        data_dir = Path(get("DATA_DIR"))
        database_url = get("DATABASE_URL") or f"sqlite:///{(data_dir / 'rutinebot.db').resolve()}"
        return cls(
            port=port,
            data_dir=data_dir,
            database_url=database_url,
            handbook_dir=Path(get("HANDBOOK_DIR")) if get("HANDBOOK_DIR") else None,
            schedule_dir=Path(get("SCHEDULE_DIR")) if get("SCHEDULE_DIR") else None,
            public_base_url=(get("PUBLIC_BASE_URL") or f"http://localhost:{port}").rstrip("/"),
            app_id=get("MicrosoftAppId"),
            app_password=get("MicrosoftAppPassword"),
            app_tenant_id=get("MicrosoftAppTenantId"),
            app_type=get("MicrosoftAppType"),
            bot_domain=get("BOT_DOMAIN"),
            calendar_token=get("CALENDAR_TOKEN"),
            leader_aad_ids=tuple(x.strip() for x in get("LEADER_AAD_IDS").split(",") if x.strip()),
            handbook_contact=get("HANDBOOK_CONTACT"),
            delivery_enabled=get("DELIVERY_ENABLED").lower() in TRUE,
            delivery_tick_seconds=_positive(get, "DELIVERY_TICK_SECONDS"),
            delivery_grace_hours=_positive(get, "DELIVERY_GRACE_HOURS"),
            delivery_rate_limit=get("DELIVERY_RATE_LIMIT").lower() in TRUE,
            delivery_lease_seconds=_positive(get, "DELIVERY_LEASE_SECONDS"),
            delivery_tenant_rate=_whole(get, "DELIVERY_TENANT_RATE"),
            auto_invitation=_invitation(get("AUTO_INVITATION")),
            reminder_days=_numbers(get, "REMINDER_DAYS"),
            reminder_time=_clock_time(get("REMINDER_TIME")),
            session_reminder_minutes=_numbers(get, "SESSION_REMINDER_MINUTES", smallest=1),
        )

    @property
    def local_only(self) -> bool:
        """No app id: local development, the server listens on 127.0.0.1 only, no auth."""
        return not self.app_id

    @property
    def host(self) -> str:
        return "127.0.0.1" if self.local_only else "0.0.0.0"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    def __repr__(self) -> str:  # never print secrets
        return (
            f"Config(port={self.port}, data_dir={str(self.data_dir)!r}, "
            f"app_id={self.app_id!r}, local_only={self.local_only})"
        )


def _positive(get, name: str) -> float:
    value = get(name)
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if not number > 0:
        raise ValueError(f"{name} must be greater than 0, not {value!r}")
    return number


def _whole(get, name: str) -> int:
    value = get(name)
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if number < 1:
        raise ValueError(f"{name} must be at least 1, not {value!r}")
    return number


def _invitation(value: str) -> int | str | None:
    word = value.lower()
    if word in ("off", "av", "false", "no", "nei"):
        return None
    if word == "added":
        return "added"
    if word.isdigit() and int(word) <= 365:
        return int(word)
    raise ValueError(
        f"AUTO_INVITATION must be added, off or a number of days (0-365), not {value!r}"
    )


def _numbers(get, name: str, smallest: int = 0) -> tuple[int, ...]:
    value = get(name)
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts or not all(p.isdigit() and int(p) >= smallest for p in parts):
        raise ValueError(
            f"{name} must be whole numbers of at least {smallest}, comma-separated, not {value!r}"
        )
    return tuple(sorted({int(p) for p in parts}, reverse=True))


def _clock_time(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValueError(f"REMINDER_TIME must be a time such as 08:00, not {value!r}") from None
