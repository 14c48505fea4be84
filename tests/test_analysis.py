"""The Norwegian analyzer, piece by piece: stemming, nynorsk, folding, stop words."""

import pytest

from handbook.analysis import analyze_word, fold, folded_analyzer, norwegian_analyzer


def tokens(analyzer, text):
    return [t.text for t in analyzer(text)]


@pytest.mark.parametrize(
    "forms",
    [
        ("samtale", "samtaler", "samtalen", "samtalene"),
        ("søknad", "søknader", "søknaden", "søknadene"),
        ("vedtak", "vedtaket", "vedtakene"),
        ("stønad", "stønaden", "stønader"),
    ],
)
def test_bokmal_inflections_share_a_stem(forms):
    assert len({tokens(norwegian_analyzer(), form)[0] for form in forms}) == 1


@pytest.mark.parametrize(
    ("nynorsk", "bokmal"),
    [
        ("søknadane", "søknadene"),
        ("vedtaka", "vedtakene"),
        ("tenesta", "tjenesten"),
        ("rettleiing", "veiledning"),
        ("teieplikt", "taushetsplikt"),
        ("mellombels", "midlertidig"),
        ("butilbod", "botilbud"),
        ("naudhjelp", "nødhjelp"),
        ("kartlegginga", "kartleggingen"),
    ],
)
def test_nynorsk_forms_land_on_the_bokmal_stem(nynorsk, bokmal):
    assert tokens(norwegian_analyzer(), nynorsk) == tokens(norwegian_analyzer(), bokmal)


def test_nynorsk_question_words_are_stop_words():
    assert tokens(norwegian_analyzer(), "korleis skriv eg vedtak") == ["skriv", "vedtak"]


@pytest.mark.parametrize(
    ("typed", "proper"),
    [
        ("okonomisk", "økonomisk"),
        ("soknad", "søknad"),
        ("radgivning", "rådgivning"),
        ("soeknad", "søknad"),
        ("paaklage", "påklage"),
        ("naer", "nær"),
    ],
)
def test_folding_meets_words_typed_without_aeoeaa(typed, proper):
    assert fold(typed) == fold(proper)
    assert tokens(folded_analyzer(), typed) == tokens(folded_analyzer(), proper)


def test_folding_is_an_extra_form_not_a_replacement():
    # "møte" (meeting) and "mote" (fashion) must stay apart in the main field.
    assert tokens(norwegian_analyzer(), "møte") != tokens(norwegian_analyzer(), "mote")


def test_meaningful_short_words_are_kept_but_chat_filler_is_not():
    assert "samm" in tokens(norwegian_analyzer(), "hjelp samme dag")
    assert tokens(norwegian_analyzer(), "hei, lurer på hvordan jeg gjør det") == []


def test_hyphenated_words_index_their_parts_and_the_whole():
    assert tokens(norwegian_analyzer(), "§17-saker") == ["17", "sak", "17sak"]


def test_analyze_word_returns_stem_and_folded_stem():
    assert analyze_word("Økonomisk") == ("økonomisk", "okonomisk")
    assert analyze_word("hvordan") is None


def test_every_form_of_the_verb_faa_is_a_stop_word():
    from handbook.analysis import analyze_word

    assert [analyze_word(w) for w in ("få", "får", "fikk", "fått")] == [None] * 4
