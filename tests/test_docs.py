"""The docs name every setting and command the code declares (datasette's tests/test_docs.py)."""

import re
from pathlib import Path

import pytest

from bot.chat.commands import COMMANDS
from bot.config import SETTINGS

ROOT = Path(__file__).parent.parent
# The settings table is in the operators' manual, the command table in the Teams one.
OPERATIONS = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
TEAMS = (ROOT / "docs" / "teams.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_setting_in_env_example(setting):
    assert re.search(rf"^{setting.name}=", ENV_EXAMPLE, re.MULTILINE)
    assert setting.help in ENV_EXAMPLE


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_setting_in_docs(setting):
    assert f"| `{setting.name}` |" in OPERATIONS


def test_env_example_has_nothing_else():
    names = re.findall(r"^([A-Za-z_]+)=", ENV_EXAMPLE, re.MULTILINE)
    assert names == [s.name for s in SETTINGS]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.kind)
def test_command_in_docs(command):
    assert f"| `{command.usage}` |" in TEAMS
