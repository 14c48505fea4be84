"""``python -m handbook check``: every problem in a handbook directory, one ``file:line`` each."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from handbook.loader import load_handbook
from handbook.model import Problem


def check(directory: Path, today: date | None = None) -> list[Problem]:
    """All problems (errors and warnings), in file and line order."""
    loaded = load_handbook(directory, today=today or date.today())
    return sorted(loaded.problems, key=lambda p: (str(p.path), p.line))


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.warning]
