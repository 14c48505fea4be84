"""Compound words and typo tolerance against the index's own vocabulary."""

from handbook.vocabulary import Vocabulary, edit_distance

STEMS = {
    "kartlegging": 5,
    "skjem": 3,
    "kartleggingsskjem": 2,
    "gjeld": 2,
    "rådgivning": 4,
    "gjeldsrådgivning": 1,
    "sosial": 3,
    "tjenest": 6,
    "lov": 4,
    "sosialtjenestelov": 3,
}
FOLDED = {"kartlegging": 5, "journalforing": 3, "inhabilit": 2, "rutin": 9}


def vocab():
    return Vocabulary(STEMS, FOLDED, documents=40)


def test_compounds_split_into_known_parts_with_linking_letters():
    assert vocab().split("kartleggingsskjem") == ("kartlegging", "skjem")
    assert vocab().split("gjeldsrådgivning") == ("gjeld", "rådgivning")
    assert vocab().split("sosialtjenestelov") == ("sosial", "tjenest", "lov")


def test_a_part_finds_the_compounds_that_contain_it():
    assert vocab().compounds_with("skjem") == ("kartleggingsskjem",)
    assert "gjeldsrådgivning" in vocab().compounds_with("rådgivning")


def test_unknown_words_do_not_split():
    assert vocab().split("lunsjmeny") is None


def test_typos_find_the_near_word():
    assert vocab().near("journalfring") == ("journalforing",)
    assert vocab().near("kartleging") == ("kartlegging",)
    assert vocab().near("inhabilitt") == ("inhabilit",)
    assert vocab().near("kantin") == ()


def test_edit_distance_counts_transpositions_as_one():
    assert edit_distance("søknad", "søknda") == 1
    assert edit_distance("abc", "abc") == 0
    assert edit_distance("rutine", "kantine", limit=2) == 3


def test_a_preposition_or_particle_is_a_prefix_not_a_compound_part():
    stems = {"for": 9, "slag": 2, "forslag": 3, "over": 5, "send": 4, "oversend": 2, "sak": 8}
    v = Vocabulary(stems, {}, documents=40)
    assert v.split("forslag") is None
    assert v.split("oversend") is None
    assert v.compounds_with("over") == ()
    # a real modifier still splits
    assert Vocabulary({**stems, "saksslag": 1}, {}).split("saksslag") == ("sak", "slag")


def test_the_ering_suffix_is_not_a_compound_head():
    stems = {"vurd": 6, "ring": 3, "vurdering": 9, "telefon": 4, "telefonring": 1}
    v = Vocabulary(stems, {}, documents=40)
    assert v.split("vurdering") is None
    assert v.compounds_with("ring") == ("telefonring",)


def test_a_typo_that_hides_a_suffix_meets_the_written_word():
    # "tydelig" stems to "tyd", the typo "tydleig" to "tydl": the stems are too far apart, but
    # the words as written are one swap apart.
    v = Vocabulary({"tyd": 3}, {"tyd": 3}, surface={"tydelig": ("tyd", 3)})
    assert v.near("tydl") == ()
    assert v.near_written("tydleig") == ("tyd",)
    assert v.near_written("tyd") == ()  # short words are too often another word
    assert Vocabulary({}, {}).near_written("tydleig") == ()


def test_a_first_part_in_its_citation_form_meets_its_stem():
    # "oversendelse" is indexed as the stem "oversend"; in "oversendelsesbrev" it is written
    # whole, with a linking "s".
    stems = {"oversend": 2, "brev": 3, "oversendelsesbrev": 1, "for": 9, "slag": 2, "forsslag": 1}
    v = Vocabulary(stems, {}, documents=40, stem=lambda w: w[:-4] if w.endswith("else") else w)
    assert v.split("oversendelsesbrev") == ("oversend", "brev")
    assert "oversendelsesbrev" in v.compounds_with("brev")
    # a prefix stays a prefix behind a linking letter too
    assert v.split("forsslag") is None
