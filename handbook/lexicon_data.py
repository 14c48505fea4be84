"""Word lists for the Norwegian analyzer: stop words and nynorsk → bokmål word forms.

Field vocabulary (synonyms, abbreviations) is not here: it belongs to the handbook and lives in
its editable ``synonymer.yaml``.
"""

from __future__ import annotations

from whoosh.lang.stopwords import stoplists

# Whoosh's Norwegian list (bokmål and nynorsk), less words that carry meaning in this field
# ("samme dag", "uten bolig", "over 18"), plus question and filler words people type in chat.
_KEEP = {"samme", "uten", "mellom", "over", "mot"}
_EXTRA = set(
    """
    hei takk lurer lurte lure gjør gjøre gjer gjere gjorde går finnes få får fikk fått kanskje nok
    litt bare egentlig altså liksom vel jo da hm ok okei please pls spørsmål spm noen noe vi
    dere dei oss eg jeg meg du deg sin sitt sine min mitt mine vår våre hvilken hvilket hvilke
    kva kvifor korleis kven kvar når nar hvordan hvorfor hva hvem hvor må ma bør burde kunne
    skal skulle vil ville er var være vere blir bli ble vart har hadde ha sånn slik sånt sa si
    sier gang nå no her der dette denne disse det den de som ein eit ei en et ett og å i på pa
    til fra frå med om av for ved hos hjå enn eller men at så også ogsa òg ikke ikkje rutine
    rutinen rutiner rutina hjelpe han ham hun henne dem seg selv to tre fire fem seks sju syv
    åtte ni ti ganske veldig helt bra godt gikk kommer kom tar tok ta gi gir ga gitt sett se
    ser vet vite tror tenker trenger trengte treng ønsker prøve prøver egen eget egne hele mye
    mange flere alle allerede igjen fortsatt enda
""".split()
)
_STOP = (set(stoplists["no"]) - _KEEP) | _EXTRA
_ASCII = str.maketrans({"æ": "e", "ø": "o", "å": "a"})
# The same words typed without æøå ("gar", "nar", "for") are stop words too.
STOP_WORDS: frozenset[str] = frozenset(_STOP | {w.translate(_ASCII) for w in _STOP})

# Prepositions and adverbial particles. As the first part of a word they make a prefixed
# derivation whose meaning is not the sum of its parts ("forslag", "innhold", "overføre",
# "utenfor", "gjennomføre"), not a compound: the compound splitter never takes them as a part.
PREFIX_WORDS: frozenset[str] = frozenset(
    """
    av bort etter for fore foran fra fram frem gjennom inn med mellom mot ned om omkring opp over sammen
    på pa til tilbake under ut uten utenfor ved videre
    """.split()
)

# Nynorsk forms whose bokmål counterpart the stemmer would not reach (suffixes such as -ane, -a
# and -inga it handles itself). Keys are lowercased words as typed.
NYNORSK_TO_BOKMAL: dict[str, str] = {
    # pronouns, question words, function words (then dropped as stop words)
    "korleis": "hvordan",
    "vidare": "videre",
    "munnleg": "muntlig",
    "munnlege": "muntlige",
    "leggje": "legge",
    "inntekta": "inntekten",
    "brukaren": "brukeren",
    "brukarar": "brukere",
    "brukarane": "brukerne",
    "brukar": "bruker",
    "kva": "hva",
    "kven": "hvem",
    "kvar": "hvor",
    "kvifor": "hvorfor",
    "eg": "jeg",
    "ikkje": "ikke",
    "berre": "bare",
    "utan": "uten",
    "saman": "sammen",
    "heile": "hele",
    "mykje": "mye",
    "nokon": "noen",
    "noko": "noe",
    "dykk": "dere",
    # verbs
    "søkjer": "søker",
    "søkje": "søke",
    "treng": "trenger",
    "trengje": "trenge",
    "skriv": "skriver",
    "gjer": "gjør",
    "fekk": "fikk",
    "gje": "gi",
    "gjev": "gir",
    "handsame": "behandle",
    "handsamar": "behandler",
    "set": "setter",
    "seie": "si",
    "seier": "sier",
    "ringde": "ringte",
    "tek": "tar",
    "følgje": "følge",
    "følgjer": "følger",
    "fylgje": "følge",
    # nouns
    "teneste": "tjeneste",
    "tenesta": "tjenesten",
    "tenester": "tjenester",
    "tenestene": "tjenestene",
    "tenestetilbod": "tjenestetilbud",
    "rettleiing": "veiledning",
    "rettleiar": "veileder",
    "rettleiaren": "veilederen",
    "heim": "hjem",
    "heime": "hjemme",
    "heimebesøk": "hjemmebesøk",
    "mellombels": "midlertidig",
    "butilbod": "botilbud",
    "tilbod": "tilbud",
    "tilbodet": "tilbudet",
    "avgjerd": "avgjørelse",
    "avgjerda": "avgjørelsen",
    "teieplikt": "taushetsplikt",
    "teieplikta": "taushetsplikten",
    "søkjar": "søker",
    "søkjaren": "søkeren",
    "sakshandsamar": "saksbehandler",
    "sakshandsamaren": "saksbehandleren",
    "sakshandsaming": "saksbehandling",
    "handsaming": "behandling",
    "handsaminga": "behandlingen",
    "naudhjelp": "nødhjelp",
    "naud": "nød",
    "pengar": "penger",
    "pengane": "pengene",
    "born": "barn",
    "borna": "barna",
    "borni": "barna",
    "skule": "skole",
    "skulen": "skolen",
    "leiar": "leder",
    "leiaren": "lederen",
    "leiinga": "ledelsen",
    "tilsett": "ansatt",
    "tilsette": "ansatte",
    "statsforvaltaren": "statsforvalteren",
    "statsforvaltar": "statsforvalter",
    "fylkesmannen": "statsforvalteren",
    "fylkesmann": "statsforvalter",
    "opplysningar": "opplysninger",
    "opplysningane": "opplysningene",
    "vedtaka": "vedtakene",
    "søknadane": "søknadene",
    "samtala": "samtalen",
    "samtalane": "samtalene",
    "avvika": "avvikene",
    "klaga": "klagen",
    "straum": "strøm",
    "husleige": "husleie",
    "leige": "leie",
    "bustad": "bolig",
    "bustaden": "boligen",
    "husvære": "bolig",
    "stad": "sted",
    "staden": "stedet",
    "natta": "natten",
    "veke": "uke",
    "veka": "uken",
    "veker": "uker",
    "månad": "måned",
    "månaden": "måneden",
    "einskild": "enkelt",
    "einskilde": "enkelte",
    "særleg": "særlig",
    "høve": "anledning",
    "samtykkje": "samtykke",
    "kartlegginga": "kartleggingen",
    "vurderinga": "vurderingen",
    "sjekklista": "sjekklisten",
    "oppfølginga": "oppfølgingen",
    "innkallinga": "innkallingen",
    "journalføringa": "journalføringen",
    "rettleiingstenesta": "veiledningstjenesten",
    "gjeldsrådgjeving": "gjeldsrådgivning",
    "rådgjeving": "rådgivning",
    "sosialhjelpa": "sosialhjelpen",
}


# Abbreviations caseworkers type, as a word or as the last part of a compound ("vakttlf"):
# expanded before stemming on both sides, so "tlf" meets "telefon" and "vakttlf" "vakttelefon".
ABBREVIATIONS: dict[str, str] = {
    "tlf": "telefon",
    "avd": "avdeling",
    "adr": "adresse",
    "mnd": "måned",
}

# Verb + particle idioms whose verb is a stop word, read as the one content verb they mean: "skal
# noen se over vedtaket?" asks whether someone checks it, "kan noen se på saken?" whether someone
# assesses it. Without this only the particle would be left of the idiom ("over"), which is noise.
# Keys are (verb form as typed, particle); "så" is left out (mostly the conjunction "so").
_SE = ("se", "ser", "sett")
LIGHT_VERB_IDIOMS: dict[tuple[str, str], str] = {
    **{(verb, "over"): "kontrollere" for verb in _SE},
    **{(verb, "gjennom"): "kontrollere" for verb in _SE},
    **{(verb, "på"): "vurdere" for verb in _SE},
    **{(verb, "pa"): "vurdere" for verb in _SE},
}
LIGHT_VERBS: frozenset[str] = frozenset(verb for verb, _particle in LIGHT_VERB_IDIOMS)
# Words that may stand between the verb and its particle ("se det over", "se dem gjennom").
IDIOM_GAP_WORDS: frozenset[str] = frozenset({"det", "den", "dem", "de", "dette", "litt"})
