from pathlib import Path

from bot.config import SETTINGS, Config


def test_defaults():
    config = Config.from_env({})
    assert config.port == 3978
    assert config.data_dir == Path("data")
    assert config.database_url.startswith("sqlite:///") and config.database_url.endswith(
        "data/rutinebot.db"
    )
    assert config.public_base_url == "http://localhost:3978"
    assert config.local_only and config.host == "127.0.0.1"
    assert config.handbook_dir is None


def test_app_id_switches_to_all_interfaces():
    config = Config.from_env({"MicrosoftAppId": "abc", "MicrosoftAppPassword": "secret"})
    assert not config.local_only and config.host == "0.0.0.0"
    assert "secret" not in repr(config)


def test_values():
    config = Config.from_env(
        {
            "PORT": "4000",
            "DATABASE_URL": "postgresql://db/rutinebot",
            "PUBLIC_BASE_URL": "https://bot.example.no/",
            "LEADER_AAD_IDS": "a, b,,c",
            "HANDBOOK_DIR": "/srv/handbook",
        }
    )
    assert config.port == 4000
    assert config.database_url == "postgresql://db/rutinebot"
    assert config.public_base_url == "https://bot.example.no"
    assert config.leader_aad_ids == ("a", "b", "c")
    assert config.handbook_dir == Path("/srv/handbook")


def test_settings_are_unique_and_documented():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    assert all(s.help for s in SETTINGS)


def test_only_config_reads_the_environment():
    package = Path(__file__).parent.parent / "bot"
    readers = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if "os.environ" in p.read_text(encoding="utf-8")
        or "getenv" in p.read_text(encoding="utf-8")
    ]
    assert readers == ["config.py"]


def test_reminder_and_invitation_settings():
    from datetime import time

    import pytest

    config = Config.from_env(
        {
            "AUTO_INVITATION": "7",
            "REMINDER_DAYS": "1, 30,7",
            "REMINDER_TIME": "07:30",
            "SESSION_REMINDER_MINUTES": "60",
        }
    )
    assert config.auto_invitation == 7
    assert config.reminder_days == (30, 7, 1)
    assert config.reminder_time == time(7, 30)
    assert config.session_reminder_minutes == (60,)
    assert Config.from_env({}).auto_invitation == "added"
    assert Config.from_env({"AUTO_INVITATION": "off"}).auto_invitation is None
    for name, bad in [
        ("AUTO_INVITATION", "snart"),
        ("REMINDER_DAYS", "14,sju"),
        ("REMINDER_TIME", "8 om morgenen"),
        ("SESSION_REMINDER_MINUTES", "0"),
    ]:
        with pytest.raises(ValueError, match=name):
            Config.from_env({name: bad})
