"""Legal references as caseworkers type them."""

import pytest

from handbook.legal import find_refs, parse_ref, strip_refs


def tokens(text):
    return [f.token for f in find_refs(text)]


@pytest.mark.parametrize(
    "typed",
    [
        "§17",
        "§ 17",
        "paragraf 17",
        "stl 17",
        "stl. § 17",
        "sotjl. § 17",
        "sotjl § 17",
        "sosialtjenesteloven § 17",
        "§ 17 i sosialtjenesteloven",
        "Sosialtjenesteloven §17",
    ],
)
def test_forms_of_sosialtjenesteloven_17(typed):
    assert tokens(f"vedtak etter {typed} hvordan") == ["stl§17"]


@pytest.mark.parametrize(
    "typed",
    ["fvl. § 17", "fvl § 17", "forvaltningsloven § 17", "§ 17 i forvaltningsloven", "§ 17 fvl"],
)
def test_forvaltningsloven_17_is_a_different_paragraph(typed):
    assert tokens(typed) == ["fvl§17"]


def test_lists_letters_and_dashes():
    assert tokens("sosialtjenesteloven §§ 4, 18, 19, 42 og 43") == [
        "stl§4",
        "stl§18",
        "stl§19",
        "stl§42",
        "stl§43",
    ]
    assert tokens("kommuneloven § 25-1") == ["koml§25-1"]
    assert tokens("fvl § 11 d om muntlige samtaler") == ["fvl§11d"]
    assert tokens("stl § 17 og fvl § 6") == ["stl§17", "fvl§6"]


def test_regulation_by_number():
    assert tokens("forskrift 2018-06-04-810") == ["forskrift:2018-06-04-810"]


def test_plain_numbers_are_not_references():
    assert tokens("ringe tilbake innen 48 timer, minst 10 vedtak") == []


def test_lovdata_links():
    assert parse_ref("sosialtjenesteloven § 17").url == "https://lovdata.no/lov/2009-12-18-131/§17"
    assert parse_ref("forvaltningsloven § 17").url == "https://lovdata.no/lov/1967-02-10/§17"
    assert (
        parse_ref("forskrift 2018-06-04-810").url == "https://lovdata.no/forskrift/2018-06-04-810"
    )
    assert parse_ref("kommuneloven § 25-1").text == "kommuneloven § 25-1"
    assert parse_ref("forvaltningsloven § 11 d").text == "forvaltningsloven § 11 d"


def test_unparseable_front_matter_entry():
    assert parse_ref("noen lov § 17") is None
    assert parse_ref("sosialtjenesteloven") is not None


def test_strip_refs_leaves_the_words():
    assert strip_refs("vedtak etter § 17 samme dag").split() == ["vedtak", "etter", "samme", "dag"]


def test_a_bare_paragraph_after_a_law_we_do_not_know_is_not_sosialtjenesteloven():
    # found by importing another office's handbook: «Grunnloven § 104» became stl. § 104
    assert find_refs("Grunnloven § 104 sier at barnets beste skal vektlegges") == []
    assert find_refs("etter opplæringslova § 9 A") == []
    assert [f.ref.text for f in find_refs("jf. § 17 og fvl. § 17")] == [
        "sosialtjenesteloven § 17",
        "forvaltningsloven § 17",
    ]
