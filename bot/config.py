"""Settings: the only module that reads ``os.environ``.

Every setting is declared once in :data:`SETTINGS` (name, default, help); ``.env.example`` and
the README's settings table are checked against it by ``tests/test_docs.py``.

    >>> config = Config.from_env({"PORT": "4000"})
    >>> config.port, config.local_only
    (4000, True)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
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
