"""Synonym groups: phrase matching on analysed units, and live edits of synonymer.yaml."""

from __future__ import annotations

from handbook import Handbook
from handbook.synonyms import SynonymIndex
from handbook.units import units


def spans(index: SynonymIndex, text: str) -> list[tuple[str, bool]]:
    return [
        (" ".join(u.text for u in s.units), s.group is not None) for s in index.match(units(text))
    ]


def test_longest_phrase_wins_and_inflections_and_spelling_meet():
    index = SynonymIndex([("økonomisk rådgivning", "gjeldsrådgivning"), ("rådgivning", "råd")])
    assert spans(index, "Vedtak om okonomisk radgivning") == [
        ("vedtak", False),
        ("okonomisk radgivning", True),
    ]


def test_legal_references_can_be_synonyms():
    index = SynonymIndex([("sosialtjenesteloven § 17", "økonomisk rådgivning")])
    assert spans(index, "vedtak etter stl 17") == [("vedtak", False), ("stl 17", True)]


def test_nynorsk_question_meets_bokmal_synonym():
    index = SynonymIndex([("midlertidig botilbud", "akuttbolig")])
    assert spans(index, "mellombels butilbod") == [("mellombels butilbod", True)]


def test_hyphenated_words_are_split_like_the_index_splits_them():
    assert [u.key for u in units("nav-saker")] == ["nav", "sak"]


def test_editing_the_synonym_file_takes_effect_without_restart(small_handbook):
    clock = [0.0]
    hb = Handbook(small_handbook, index_dir=None, clock=lambda: clock[0])
    assert not hb.search("sjiraff").hits
    (small_handbook / "synonymer.yaml").write_text("- [sjiraff, skranke]\n", encoding="utf-8")
    clock[0] += 2
    assert hb.search("sjiraff").hits[0].routine_id == "muntlig-soknad"
