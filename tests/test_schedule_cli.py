"""``python -m schedule`` as a user runs it, and where it takes its settings from."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

from schedule.paths import SHIPPED_DIR, public_base_url, schedule_dir
from tests.conftest import ROOT, WriteDir, deadline_yaml, session_yaml


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("SCHEDULE_DIR", "PUBLIC_BASE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "schedule", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environ | env,
        timeout=60,
        check=False,
    )


def test_check_shipped_example_passes() -> None:
    result = run("check")

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"{SHIPPED_DIR}: 14 samlinger, 20 frister, 7 faste oppgaver; ok"
    )


def test_check_prints_one_line_per_problem_and_fails(write_dir: WriteDir) -> None:
    text = (
        "sessions:\n"
        + session_yaml("a", "2027-02-30")
        + session_yaml("b", "2027-02-26", status="avlyst")
        + "deadlines:\n"
        + deadline_yaml("c", evaluate_by="2026-01-01")
    )
    directory = write_dir(plan__yaml=text)

    result = run("check", str(directory))

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert all(
        re.match(rf"^{re.escape(str(directory / 'plan.yaml'))}:\d+: \S", line) for line in lines
    )
    assert "3 feil" in result.stderr


def test_check_reads_schedule_dir_from_the_environment(write_dir: WriteDir) -> None:
    directory = write_dir(plan__yaml="sessions:\n" + session_yaml("a", "2027-02-30"))

    result = run("check", SCHEDULE_DIR=str(directory))

    assert result.returncode == 1
    assert result.stdout.startswith(str(directory / "plan.yaml") + ":3: date:")


def test_check_with_only_warnings_passes(write_dir: WriteDir) -> None:
    text = "sessions:\n" + session_yaml("a", "2027-05-28", status="cancelled")
    result = run("check", str(write_dir(plan__yaml=text)))

    assert result.returncode == 0
    assert "advarsel: samlingen «a» er avlyst" in result.stdout


def test_upcoming_shows_the_next_session() -> None:
    result = run("upcoming", "--now", "2026-11-23 10:00")

    assert result.returncode == 0, result.stderr
    assert (
        "  fre. 27.11.2026 12:00  "
        "Fredagsprat med Statsforvalteren: Tilgjengelighet til sosiale tjenester"
    ) in result.stdout.splitlines()
    assert result.stdout.startswith("Forfalt, ikke evaluert:\n  tor. 12.11.2026")
    assert "De neste 14 dagene (fra mandag 23. november 2026):" in result.stdout


def test_upcoming_days_and_dir(write_dir: WriteDir) -> None:
    directory = write_dir(plan__yaml="sessions:\n" + session_yaml("a", "2027-01-29"))

    near = run("upcoming", "--days", "3", "--dir", str(directory), "--now", "2027-01-25 08:00")
    far = run("upcoming", "--days", "7", "--dir", str(directory), "--now", "2027-01-25 08:00")

    assert "Ingenting." in near.stdout
    assert "fre. 29.01.2027 12:00  Fredagsprat med Statsforvalteren" in far.stdout


def test_upcoming_warns_about_skipped_entries(write_dir: WriteDir) -> None:
    text = "sessions:\n" + session_yaml("a", "2027-01-29") + session_yaml("b", "2027-13-01")
    result = run("upcoming", "--dir", str(write_dir(p__yaml=text)), "--now", "2027-01-28 08:00")

    assert result.returncode == 0
    assert "fre. 29.01.2027" in result.stdout
    assert "1 feil i timeplanen er hoppet over" in result.stderr


def test_ics_fredagsprat_uses_the_public_base_url() -> None:
    result = run(
        "ics", "fredagsprat", "--now", "2026-11-23 10:00", PUBLIC_BASE_URL="https://nav.example.no/"
    )

    assert result.returncode == 0, result.stderr
    calendar = Calendar.from_ical(result.stdout)
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == 13
    assert all(uid.endswith("@nav.example.no") for uid in uids)
    assert "Alle samlinger: https://nav.example.no/" in str(
        calendar.walk("VEVENT")[0]["DESCRIPTION"]
    )


def test_ics_single_session_and_unknown_id() -> None:
    one = run("ics", "fredagsprat", "--session", "fredagsprat-2027-01")
    missing = run("ics", "fredagsprat", "--session", "finnes-ikke")

    assert [str(e["UID"]) for e in Calendar.from_ical(one.stdout).walk("VEVENT")] == [
        "fredagsprat-fredagsprat-2027-01@localhost"
    ]
    assert missing.returncode == 1
    assert "fant ingen samling med id «finnes-ikke»" in missing.stderr


def test_ics_frister() -> None:
    result = run("ics", "frister", "--base-url", "https://nav.example.no")

    calendar = Calendar.from_ical(result.stdout)
    assert calendar["X-WR-CALNAME"] == "Frister og årshjul – sosiale tjenester"
    assert len(calendar.walk("VEVENT")) == 2 * 20 + 7


def test_bad_usage_exits_2() -> None:
    assert run("ics", "alt").returncode == 2
    assert run().returncode == 2


def test_settings_come_from_the_given_environment(tmp_path: Path) -> None:
    assert schedule_dir({}) == SHIPPED_DIR
    assert schedule_dir({"SCHEDULE_DIR": ""}) == SHIPPED_DIR
    assert schedule_dir({"SCHEDULE_DIR": str(tmp_path)}) == tmp_path
    assert public_base_url({}) == "http://localhost:3978"
    assert public_base_url({"PORT": "8080"}) == "http://localhost:8080"
    assert (
        public_base_url({"PUBLIC_BASE_URL": "https://nav.example.no/"}) == "https://nav.example.no"
    )
