"""Everyday words weigh less in the ranking than the field's words (handbook.everyday)."""

from __future__ import annotations

from handbook import Handbook, everyday
from tests.conftest import VALID_FRONT, write_routine


def test_the_field_s_words_keep_their_weight_everyday_words_lose_some():
    assert everyday.share(["taushetsplikt"]) == 1.0
    assert everyday.share(["samtykke"]) == 1.0
    assert everyday.share(["første"]) == everyday.FLOOR  # once per 1,000 words
    assert everyday.FLOOR < everyday.share(["skjer"]) < 1.0
    # unknown to the word list (jargon, compound, typo): full weight
    assert everyday.share(["gjeldsrådgivningsvedtak"]) == 1.0
    assert everyday.share(["taushetspilkt"]) == 1.0
    # a phrase is as specific as its rarest word; nothing typed, nothing to scale
    assert everyday.share(["klar", "avgjørelse"]) == everyday.share(["avgjørelse"])
    assert everyday.share([]) == 1.0


def test_concepts_carry_their_share(tmp_path):
    hb = Handbook.open(_two_routines(tmp_path), index_dir=None)
    try:
        concepts = hb.explain("hva skjer med samtykke")["concepts"]
        shares = {c["text"]: c["share"] for c in concepts}
    finally:
        hb.close()
    assert shares["samtykke"] == 1.0
    assert shares["skjer"] < 1.0


def _two_routines(tmp_path):
    directory = tmp_path / "hb"
    directory.mkdir()
    # Each word in one section: by the handbook's own statistics "skjer" is as rare as
    # "samtykke", and the shorter section would win.
    write_routine(
        directory,
        "hendelser",
        VALID_FRONT.format(id="hendelser"),
        "## Melding\nDette skjer nå.\n\n## Annet\nTekst om noe annet.\n",
    )
    write_routine(
        directory,
        "samtykke",
        VALID_FRONT.format(id="samtykke"),
        "## Deling\nBe om samtykke ved deling.\n\n## Lagring\nLagre dokumentene i Socio.\n",
    )
    return directory


def test_everyday_words_do_not_outweigh_the_word_the_question_is_about(tmp_path, monkeypatch):
    question = "hva skjer med samtykke"
    hb = Handbook.open(_two_routines(tmp_path), index_dir=None)
    try:
        ranked = [hit.routine_id for hit in hb.search(question).hits]
        # the same search with every word at full weight ranks the other routine first
        monkeypatch.setattr(everyday, "FLOOR", 1.0)
        unscaled = [hit.routine_id for hit in hb.search(question).hits]
    finally:
        hb.close()
    assert ranked[0] == "samtykke"
    assert unscaled[0] == "hendelser"
