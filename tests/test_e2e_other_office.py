"""Another office's own Word handbook (tests/other_office.py, written without our routines)
imported as the office would, nothing filled in by hand, and asked in Microsoft 365 Agents
Playground in a caseworker's words: the answer card comes back confident with that office's
routine, because the import lent it the example questions, tags and synonyms of the shipped
routine on its topic (handbook/counterpart.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.other_office import write_docx
from tests.playground import Client, serve

ROOT = Path(__file__).resolve().parent.parent
CONTACT = "Fagleder Fjordby"
# Asked of the import without lending, this question's best hit is the same routine, but at a
# confidence of 0.04: the caseworker would get «Jeg fant ikke et sikkert svar».
QUESTION = "hvem må se over vedtaket før det sendes"
TITLE = "To par øyne: godkjenning før vedtaket sendes"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("other-office")
    source, out = root / "fjordby.docx", root / "handbok"
    write_docx(source)
    done = subprocess.run(
        [sys.executable, "-m", "handbook", "import", str(source), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"«{TITLE}»: 5 eksempelspørsmål (sporsmal)" in done.stdout
    return out


@pytest.fixture(scope="module")
def stack(imported, tmp_path_factory):
    root = tmp_path_factory.mktemp("other-office-stack")
    yield from serve(root / "data", root, CONTACT, {"HANDBOOK_DIR": str(imported)})


async def test_a_question_in_a_caseworker_s_words_gets_the_office_s_routine_confidently(stack):
    chat = stack.personal_chat
    async with Client(stack) as playground:
        await playground.send(chat, QUESTION)
        [reply] = await playground.wait_for_bot(conversation_id=chat)
        [card] = reply.cards()
        assert card["body"][0]["text"] == TITLE  # an answer card, not «ikke et sikkert svar»
        assert "Ikke kvalitetssikret ennå" in str(card)  # the document states no owner for it
