"""Issue 15: unanswered questions and «Ikke nyttig» votes become example-question suggestions in
``python -m bot report``, and ``python -m bot sporsmal`` adds one to the routine's file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.features.digest.suggestions import (
    NOT_USEFUL,
    UNANSWERED,
    QuestionRefused,
    add_question,
    format_suggestions,
    suggestions,
)
from bot.store import Store
from handbook import Handbook
from handbook.service import SHIPPED_HANDBOOK

ROOT = Path(__file__).resolve().parents[2]
# Not confident on the shipped handbook today, but plainly about a complaint.
UNSURE = "bruker er sur for vedtaket og vil at noen andre skal se på det"
ID_NUMBER = "15076500565"  # a valid test number (bot.pii's doctest)


@pytest.fixture
def handbook_dir(tmp_path) -> Path:
    directory = tmp_path / "handbok"
    shutil.copytree(SHIPPED_HANDBOOK, directory)
    return directory


@pytest.fixture
def handbook(handbook_dir):
    opened = Handbook.open(handbook_dir, index_dir=None)
    yield opened
    opened.close()


@pytest.fixture
def store(tmp_path):
    opened = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    yield opened
    opened.close()


def test_suggestions_name_the_routine_a_question_probably_belongs_to(store, handbook):
    assert not handbook.search(UNSURE).confident
    expected = handbook.search(UNSURE).hits[0].routine_id
    store.record_unanswered(UNSURE, (), False, "personal")
    store.record_unanswered(UNSURE.upper(), (), False, "personal")  # the same question again
    store.record_unanswered("hvordan skriver jeg vedtak etter § 17?", (), False, "personal")
    store.record_vote("klage", "frister", "down", "personal", "hvem melder avvik om klagesaken")
    found = suggestions(store, handbook)
    by_question = {s.question.lower(): s for s in found}
    assert set(by_question) == {UNSURE, "hvem melder avvik om klagesaken"}  # § 17: confident now
    unsure = by_question[UNSURE]
    assert (unsure.routine_id, unsure.source) == (expected, UNANSWERED)
    assert 0.0 < unsure.confidence < 1.0
    voted = by_question["hvem melder avvik om klagesaken"]
    assert voted.routine_id != "klage" and voted.source == NOT_USEFUL  # not the one voted down
    assert voted.confidence is not None  # klage was not the first hit: the search's own choice
    text = format_suggestions(found)
    assert f'python -m bot sporsmal {expected} "{unsure.question}"' in text


def test_an_added_example_question_is_used_at_once_and_not_suggested_again(
    store, handbook, handbook_dir
):
    store.record_unanswered(UNSURE, (), False, "personal")
    [suggestion] = suggestions(store, handbook)
    before = handbook.search(UNSURE).confidence
    path = add_question(handbook, suggestion.routine_id, UNSURE)
    assert path == handbook_dir / "routines" / f"{suggestion.routine_id}.md"
    assert f'  - "{UNSURE}"' in path.read_text(encoding="utf-8")
    handbook.refresh(force=True)
    assert UNSURE in handbook.routine(suggestion.routine_id).questions
    after = handbook.search(UNSURE)
    assert after.hits[0].routine_id == suggestion.routine_id and after.confidence > before
    assert [s.question for s in suggestions(store, handbook)] == []


def test_an_example_question_is_refused_with_a_reason(handbook, handbook_dir):
    path = handbook_dir / "routines" / "klage.md"
    original = path.read_text(encoding="utf-8")
    for routine, question, reason in (
        ("klage", f"bruker {ID_NUMBER} vil klage", "fødselsnummer"),
        ("finnes-ikke", "hva er klagefristen", "finner ingen rutine"),
        ("klage", "  ", "tomt"),
    ):
        with pytest.raises(QuestionRefused, match=reason):
            add_question(handbook, routine, question)
    assert path.read_text(encoding="utf-8") == original
    add_question(handbook, "klage", "kan bruker klage på e-post")
    handbook.refresh(force=True)
    with pytest.raises(QuestionRefused, match="står der allerede"):
        add_question(handbook, "klage", "Kan bruker klage på e-post")


def test_the_report_and_the_command_as_a_maintainer_runs_them(tmp_path, handbook_dir):
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "HANDBOOK_DIR": str(handbook_dir),
        "PYTHONPATH": str(ROOT),
    }
    store = Store.open(f"sqlite:///{tmp_path / 'data' / 'rutinebot.db'}")
    store.record_unanswered(UNSURE, (), False, "personal")
    store.close()

    def bot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )

    report = bot("report")
    assert report.returncode == 0, report.stderr
    [command] = [line.strip() for line in report.stdout.splitlines() if "sporsmal" in line]
    routine = command.split()[4]
    added = bot("sporsmal", routine, UNSURE)
    assert added.returncode == 0, added.stderr
    assert "La til eksempelspørsmålet" in added.stdout
    assert UNSURE in (handbook_dir / "routines" / f"{routine}.md").read_text(encoding="utf-8")
    again = bot("report")
    assert "python -m bot sporsmal" not in again.stdout
    refused = bot("sporsmal", routine, f"søker {ID_NUMBER}")
    assert refused.returncode == 1 and "fødselsnummer" in refused.stderr
    assert ID_NUMBER not in refused.stderr + refused.stdout


def test_not_useful_on_the_first_hit_proposes_the_next_one_without_a_confidence(store, handbook):
    question = "hvem melder avvik om klagesaken"
    first, second = [hit.routine_id for hit in handbook.search(question).hits[:2]]
    store.record_vote(first, "", "down", "personal", question)
    [suggestion] = suggestions(store, handbook)
    assert (suggestion.routine_id, suggestion.confidence) == (second, None)
    assert "nest beste treff, ikke nyttig" in format_suggestions([suggestion])
