"""Word forms a question may use that the handbook writes differently: particle verbs, the -ing
noun of a verb, abbreviations; and the proximity bonus for words that stand together."""

from handbook import proximity
from handbook.query import build_plan
from handbook.synonyms import SynonymIndex
from handbook.units import units
from handbook.vocabulary import Vocabulary

STEMS = {
    "innkalling": 3,
    "oppfølging": 4,
    "kartlegg": 2,
    "kartlegging": 5,
    "telefon": 3,
    "grunn": 2,
}


def plan(question: str):
    return build_plan(question, Vocabulary(STEMS, {}, documents=40), SynonymIndex([]))


def kinds(question: str) -> dict[str, list[str]]:
    return {
        c.text: [f"{a.kind}:{'+'.join(t for _, t in a.words)}" for a in c.alternatives]
        for c in plan(question).concepts
    }


def test_a_particle_after_a_verb_joins_it_even_past_a_pronoun():
    found = {u.text: u.joined for u in units("kalle inn, følger vi opp, sender vi det videre")}
    assert found == {"kalle": "innkall", "følger": "oppfølg", "sender": "videresend", "videre": ""}
    # three stop words between are too many: no particle verb
    assert units("følger vi det nok opp")[0].joined == ""


def test_a_particle_verb_matches_the_noun_the_handbook_uses():
    assert "particle-verb:innkalling" in kinds("hvordan kaller jeg inn")["kaller"]
    assert "particle-verb:oppfølging" in kinds("hvem følger opp")["følger"]


def test_a_verb_and_its_ing_noun_meet_both_ways():
    assert "derived:kartlegging" in kinds("hvordan kartlegger jeg")["kartlegger"]
    assert "derived:kartlegg" in kinds("kartleggingen")["kartleggingen"]
    assert not any(a.startswith("derived") for a in kinds("telefonen")["telefonen"])


def test_abbreviations_are_written_out_also_inside_compounds():
    assert kinds("tlf")["tlf"][0] == "exact:telefon"
    assert [u.stem for u in units("vakttlf")] == ["vakttelefon"]


def test_neighbouring_concepts_close_in_a_section_earn_a_bonus():
    terms = proximity.concept_terms(plan("legge til grunn kartleggingen"))
    assert [sorted(stems) for stems, _ in terms] == [[], ["grunn"], ["kartlegg", "kartlegging"]]
    near = {"grunn": [4], "kartlegging": [5]}
    far = {"grunn": [4], "kartlegging": [9]}
    assert proximity.bonus(terms, near) > 0
    assert proximity.bonus(terms, far) == 0.0
    assert proximity.bonus(terms, {"grunn": [4]}) == 0.0


def joined_plan(question: str, stems: dict[str, int], groups=()):
    return [
        c.text for c in build_plan(question, Vocabulary(stems, {}), SynonymIndex(groups)).concepts
    ]


def test_a_compound_written_apart_is_read_as_one_word():
    stems = {"sosialhjelp": 4, "saksbehandl": 6, "hjelp": 8, "sak": 9, "behandl": 5, "epost": 2}
    assert joined_plan("sosial hjelp til mat", stems) == ["sosialhjelp", "mat"]
    # also without the linking s
    assert joined_plan("saks behandler", stems) == ["saksbehandler"]
    assert joined_plan("sak behandler", stems) == ["saksbehandler"]
    assert joined_plan("e-post", stems) == ["epost"]
    # not across other words, and not into a word the handbook does not use
    assert joined_plan("sosial og hjelp", stems) == ["sosial", "hjelp"]
    assert joined_plan("rask hjelp", stems) == ["rask", "hjelp"]


def test_a_split_compound_joins_only_when_the_head_survives_stemming():
    # "ofte" + "s" + "tas" stems to "oftest", a word, but "tas" is not its head
    assert joined_plan("ofte tas", {"oftest": 2, "tas": 1}) == ["ofte", "tas"]


def test_a_split_compound_that_is_a_synonym_phrase_stays_the_phrase():
    groups = [("nødhjelp", "akutt hjelp", "akutthjelp")]
    stems = {"akutthjelp": 2, "nødhjelp": 5, "hjelp": 8, "akutt": 3}
    assert joined_plan("akutt hjelp", stems, groups) == ["akutt hjelp"]
    # a compound of the synonym file joins even where the handbook never writes it
    assert joined_plan("nød hjelp", {"hjelp": 8}, groups) == ["nødhjelp"]


def test_a_verb_meets_its_participle_and_its_asjon_noun():
    stems = {"journalført": 3, "godkjenn": 4, "innkalt": 2, "dokumentasjon": 5, "sat": 2}
    v = Vocabulary(stems, {}, documents=40)

    def derived(question):
        concept = build_plan(question, v, SynonymIndex([])).concepts[0]
        return [a.words[0][1] for a in concept.alternatives if a.kind == "derived"]

    assert derived("journalføre") == ["journalført"]
    assert derived("godkjent") == ["godkjenn"]
    assert derived("innkalle") == ["innkalt"]
    assert derived("dokumentere") == ["dokumentasjon"]
    assert derived("satt") == []  # "sat" (of "sats") is too short to be the verb


def test_a_light_verb_and_its_particle_read_as_the_verb_they_mean():
    # "se" is a stop word: without the idiom only "over" would be left of "se over"
    found = [(u.text, u.stem) for u in units("skal noen se over vedtaket først")]
    assert found == [("se over", "kontroller"), ("vedtaket", "vedtak"), ("først", "først")]
    assert [u.stem for u in units("kan noen se på saken")] == ["vurder", "sak"]
    assert [u.stem for u in units("ser det gjennom")] == ["kontroller"]


def test_no_idiom_without_the_light_verb_right_before_its_particle():
    # "så" is mostly the conjunction; another word between breaks the idiom
    assert [u.stem for u in units("så på mandag")] == ["mandag"]
    assert [u.stem for u in units("se saken over")] == ["sak", "over"]
    assert [u.stem for u in units("noen over oss")] == ["over"]


def test_a_misspelt_word_near_a_synonym_gets_the_synonyms_of_its_near_spelling():
    groups = [("klage", "klagefrist", "klage på vedtak", "forvaltningsloven § 29")]
    terms = {"klag": 6, "klagefrist": 2, "vedtak": 9, "sosialhjelp": 4}
    v = Vocabulary(terms, terms, documents=40)

    def alternatives(question: str) -> list[tuple[str, str, float, float]]:
        concept = build_plan(question, v, SynonymIndex(groups)).concepts[0]
        return [
            (a.kind, "+".join(t for _, t in a.words), a.boost, a.credit)
            for a in concept.alternatives
        ]

    assert alternatives("klagfrist på vedtaket") == [
        ("near", "klagefrist", 1.0, 0.8),
        ("near-synonym", "klag", 0.8, 0.8),
        ("near-synonym", "klag+vedtak", 0.8, 0.8),
        ("near-synonym", "fvl§29", 0.8, 0.8),
    ]
    # a word the handbook has keeps to its own alternatives, and a near spelling outside every
    # group brings no synonyms
    assert [kind for kind, *_ in alternatives("sosialhjelp")] == ["exact"]
    assert [kind for kind, *_ in alternatives("sosialhjlep")] == ["near"]
