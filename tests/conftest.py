"""Shared fixtures: a small handbook written into a temporary directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def small_handbook(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/handbook that a test may edit."""
    target = tmp_path / "handbook"
    shutil.copytree(FIXTURES / "handbook", target)
    return target


def write_routine(directory: Path, name: str, front: str, body: str = "## Del\nTekst.\n") -> Path:
    path = directory / f"{name}.md"
    path.write_text(f"---\n{front.strip()}\n---\n{body}", encoding="utf-8")
    return path


VALID_FRONT = """
id: {id}
title: Tittel
owner: Fagansvarlig sosiale tjenester
revised: 2026-09-01
review_by: 2027-09-01
legal:
  - sosialtjenesteloven § 17
"""
from tests.bot_fixtures import bot_client, bot_config, connector, shipped_handbook  # noqa: E402,F401
