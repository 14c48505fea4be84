"""Shared test helpers: a small handbook to edit, and for the schedule a fixed clock, YAML
directories and Mozilla's ical.js."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from schedule.model import OSLO

# --- the handbook ---

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


# --- the schedule ---

ROOT = Path(__file__).resolve().parent.parent
ICALJS_SCRIPT = ROOT / "tests" / "icaljs_dump.mjs"
BASE_URL = "https://rutinebot.example.no"
#: "Today" in the shipped example.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=OSLO)

JOIN = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_TEST%40thread.v2/0"


def entry_yaml(base: dict[str, str], fields: dict[str, str | None]) -> str:
    """A YAML list item from ``base`` with ``fields`` overriding (a None value drops a key)."""
    values = base | fields
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "  - " + "\n    ".join(lines) + "\n"


def session_yaml(entry_id: str, day: str, **fields: str | None) -> str:
    """One valid session as a ``sessions:`` list item."""
    base = {
        "id": entry_id,
        "date": day,
        "start": '"12:00"',
        "end": '"13:00"',
        "title": "Fredagsprat med Statsforvalteren",
        "join_url": JOIN,
        "organiser": "Statsforvalteren",
        "status": "planned",
        "changed": "2026-11-01",
    }
    return entry_yaml(base, fields)


def deadline_yaml(entry_id: str, **fields: str | None) -> str:
    """One valid deadline as a ``deadlines:`` list item."""
    base = {
        "id": entry_id,
        "title": "Kartleggingsskjema for familier",
        "breach": "Kommunen sikrer ikke tilstrekkelig kartlegging av barnas behov.",
        "measure": "Ta i bruk kartleggingsskjema i alle kartleggingssamtaler.",
        "responsible": "Fagansvarlig sosiale tjenester",
        "start": "2027-01-04",
        "evaluate_by": "2027-03-15",
        "status": "open",
        "changed": "2026-11-01",
    }
    return entry_yaml(base, fields)


def recurring_yaml(entry_id: str, **fields: str | None) -> str:
    """One valid recurring item as a ``recurring:`` list item."""
    base = {
        "id": entry_id,
        "title": "Stikkprøver av saksbehandling etter § 17",
        "responsible": "Avdelingsleder og fagutviklere",
        "dtstart": "2027-01-15",
        "rrule": "FREQ=MONTHLY;INTERVAL=3;COUNT=8",
        "changed": "2026-11-01",
    }
    return entry_yaml(base, fields)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line number of the ``occurrence``-th line of ``text`` containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not in the test YAML"
    return hits[occurrence - 1]


WriteDir = Callable[..., Path]


@pytest.fixture
def write_dir(tmp_path: Path) -> WriteDir:
    """``write_dir(name=text, ...)`` writes dedented YAML files into a fresh directory."""

    def write(directory: str = "schedule", **files: str) -> Path:
        target = tmp_path / directory
        target.mkdir(exist_ok=True)
        for name, text in files.items():
            (target / name.replace("__", ".")).write_text(textwrap.dedent(text), "utf-8")
        return target

    return write


def icaljs(body: bytes) -> dict:
    """The feed as Mozilla's ical.js reads it (see tests/icaljs_dump.mjs)."""
    node = shutil.which("node")
    assert node, "node is needed for the ical.js tests (make test installs the rest)"
    assert (ROOT / "node_modules" / "ical.js").is_dir(), "run `npm ci` (make test does it)"
    result = subprocess.run(
        [node, str(ICALJS_SCRIPT)],
        input=body,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "TZ": "UTC"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


from tests.bot_fixtures import bot_client, bot_config, connector, shipped_handbook  # noqa: E402,F401
from tests.playground import playground  # noqa: E402,F401

# --- the databases: SQLite and a real PostgreSQL ---


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL server for the whole session (see tests/postgres.py)."""
    from tests.postgres import PostgresCluster

    cluster = PostgresCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster):
    """A fresh, empty PostgreSQL database for one test (dropped after it)."""
    url = postgres_cluster.create_database()
    yield url
    postgres_cluster.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each storage test twice: on a SQLite file and on a PostgreSQL database (both empty)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'rutinebot.db'}"
    return request.getfixturevalue("postgres_url")
