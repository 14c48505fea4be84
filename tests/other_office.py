"""Another office's Word handbook: «Rutinehåndbok for sosiale tjenester – Nav Fjordby».

What it is: seventeen routines of a fictional Nav office, one per topic of the shipped handbook,
written as that office would write its own routines in Word: its own titles, structure,
vocabulary and emphasis, some with «Ansvarlig:» and «Sist revidert» lines and some without,
a few tables, and the odd field line placed at the end of a routine rather than under its title.

Who wrote it, and how: written independently, by a colleague who read only the product's domain
notes (`/work/shared/domain.md`) and the public source documents beside them (supervision reports
and follow-up plans, the Fredagsprat slides), and wrote from those and general knowledge of
sosialtjenesteloven and forvaltningsloven. The author did not see the shipped routines
(`handbook/data/`), their synonyms, the question sets (`tests/eval/*.yaml`) or the generated
Word shapes, and never ran the search. Any overlap in wording with the shipped handbook comes
from the shared subject matter, not from copying.

What it is for: an honest yardstick for importing an office's own handbook. `write_docx` writes
it as a .docx (Title, routines as Heading 1, subsections as Heading 2, List Bullet, real tables);
`TOPIC_OF` maps each routine title to the shipped routine id on the same topic, so a question set
written for the shipped handbook can be scored against this import (is the right topic found?).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document


@dataclass(frozen=True)
class Table:
    """A Word table; the first row is the header."""

    rows: tuple[tuple[str, ...], ...]


# A block in a section: a paragraph (str), a bulleted list (list[str]) or a table.
Block = str | list[str] | Table


@dataclass(frozen=True)
class Routine:
    topic: str  # the shipped routine id on the same topic
    title: str
    purpose: str
    sections: tuple[tuple[str, tuple[Block, ...]], ...]
    fields: tuple[str, ...] = field(default=())  # lines right under the title


HANDBOOK_TITLE = "Rutinehåndbok for sosiale tjenester – Nav Fjordby"

PREFACE = (
    "Denne håndboka samler rutinene for de kommunale sosiale tjenestene ved Nav Fjordby. "
    "Den gjelder for alle ansatte ved kontoret, både kommunalt og statlig ansatte, og skal "
    "gjøre det lett å finne ut hvordan vi gjør ting her. Rutinene gjennomgås minst én gang i "
    "året. Forslag til endringer sendes til fagansvarlig for sosiale tjenester."
)

ROUTINES: tuple[Routine, ...] = (
    Routine(
        topic="akutt-hjelp",
        title="Nødhjelp – når noen står uten mat eller husrom i dag",
        fields=("Ansvarlig: Fagansvarlig sosiale tjenester", "Sist revidert 14.01.2026"),
        purpose=(
            "Rutinen skal sikre at personer som ikke har penger til mat, eller som ikke har et "
            "sted å sove i natt, får hjelp samme dag. Nav-kontoret er det siste sikkerhetsnettet. "
            "Vi ber aldri en person med et akutt behov om å komme tilbake i morgen."
        ),
        sections=(
            (
                "Ansvar",
                (
                    "Den som først får henvendelsen, i mottaket, på telefon eller i et møte om noe "
                    "annet, har ansvar for at den blir fanget opp og gitt videre til dagens "
                    "sosialvakt. Hvem som har sosialvakt står på vaktlista. Sosialvakten går ikke "
                    "fra kontoret før alle akutte henvendelser den dagen er avklart.",
                ),
            ),
            (
                "Slik gjør du det",
                (
                    [
                        "Snakk med personen samme dag, helst ved oppmøte. Ringer personen, avtal "
                        "oppmøte før stengetid eller behandle saken på telefon.",
                        "Få oversikt: Hva mangler personen nå? Er det barn i husholdningen? Hvor "
                        "skal hen sove i natt? Hvilke penger har hen, og når kommer neste "
                        "utbetaling?",
                        "Registrer henvendelsen som søknad i Socio, også når den bare er muntlig.",
                        "Vurder stønad til mat og andre nødvendige utgifter fram til neste inntekt, "
                        "eller til en ordinær søknad er behandlet. Pengene kan utbetales til konto "
                        "samme dag, eller gis som rekvisisjon til dagligvarebutikk.",
                        "Mangler personen et sted å sove, følg rutinen for midlertidig botilbud.",
                        "Skriv vedtak. Når det haster, kan avgjørelsen gis muntlig først, men "
                        "vedtaket skal være skrevet og sendt senest neste virkedag.",
                    ],
                ),
            ),
            (
                "Familier med barn",
                (
                    "Har søkeren barn i husholdningen, vurderer vi hjelpen ut fra ordinær sats for "
                    "voksne og barn, ikke en redusert nødhjelpssats. Skriv i vedtaket hvor mange "
                    "barn hjelpen gjelder, og hvordan barnas behov er vurdert. Perioden skal dekke "
                    "det familien faktisk trenger for å klare seg til neste inntekt.",
                ),
            ),
            (
                "Når vi mener det ikke er et akutt behov",
                (
                    "Vi sier ikke nei fordi det er sent på dagen. Mener vi at personen har penger "
                    "eller andre muligheter, skal det stå i et skriftlig vedtak med begrunnelse og "
                    "opplysning om klagerett. Etter kontorets åpningstid kan personen ringe "
                    "kommunens sosialvakt via legevakta. Søker noen nødhjelp gang på gang, skal de "
                    "få tilbud om en oppfølgingssamtale.",
                    "Lovgrunnlag: sosialtjenesteloven §§ 4 og 18.",
                ),
            ),
        ),
    ),
    Routine(
        topic="avvik",
        title="Melding av avvik i saksbehandlingen",
        purpose=(
            "Vi melder avvik for å lære, ikke for å finne noen å gi skylda. Et avvik er når noe "
            "ikke er gjort slik loven, rutinene eller et vedtak krever, eller når det var nær ved "
            "å gå galt. Feil i saksbehandlingen er like viktige å melde som HMS-avvik. Uten "
            "meldinger har ledelsen ikke oversikt over hvor det er fare for svikt."
        ),
        sections=(
            (
                "Hva skal meldes",
                (
                    [
                        "en muntlig søknad som ikke ble skrevet ned eller registrert",
                        "et vedtak som ble sendt uten godkjenning, med feil beløp eller til feil "
                        "mottaker",
                        "en søknad som ble liggende uten svar og uten foreløpig svar",
                        "en person med akutt behov som ikke fikk hjelp samme dag",
                        "feil bruk av lov eller forskrift, eller vedtak der barnas behov ikke er "
                        "vurdert",
                        "opplysninger sendt til feil person, eller personopplysninger i e-post "
                        "eller Teams",
                    ],
                    "Er du i tvil om noe er et avvik, meld det likevel. Det er bedre med én "
                    "melding for mye enn én for lite.",
                ),
            ),
            (
                "Hvor du melder",
                (
                    Table(
                        (
                            ("Type avvik", "System", "Hvem følger opp"),
                            (
                                "Faglige avvik i de kommunale tjenestene",
                                "Compilo",
                                "Avdelingsleder kommunale tjenester",
                            ),
                            (
                                "Brudd på taushetsplikt eller personvern",
                                "Compilo, merket «personvern»",
                                "Avdelingsleder, som varsler kommunens personvernombud",
                            ),
                            ("HMS og statlige tjenester", "ASYS", "Nav-leder"),
                        )
                    ),
                ),
            ),
            (
                "Slik skriver du meldingen",
                (
                    "Beskriv kort hva som skjedde, når det skjedde, hva følgene ble eller kunne "
                    "blitt, og hva du gjorde med en gang. Skriv ikke navn eller fødselsnummer på "
                    "brukeren; bruk saksnummeret i Socio hvis det trengs. Meld så snart du kan, "
                    "og senest innen to virkedager. Rett opp feilen i saken så langt det er "
                    "mulig, og si fra til brukeren dersom feilen har betydning for hen.",
                ),
            ),
            (
                "Etter at avviket er meldt",
                (
                    "Avdelingsleder bekrefter at meldingen er mottatt innen en uke, finner ut "
                    "hvorfor det skjedde og bestemmer tiltak. Den som meldte, får svar. Avvikene "
                    "oppsummeres i fagmøtet hvert kvartal, og gjennomgangen av Compilo er eget tema "
                    "på kontormøtet én gang i året. Avvikene inngår i årsrapporten om "
                    "internkontrollen til kommunalsjefen.",
                    "Lovgrunnlag: sosialtjenesteloven § 5 og kommuneloven § 25-1.",
                ),
            ),
        ),
    ),
    Routine(
        topic="barneperspektiv-vedtak",
        title="Barna skal synes i vedtaket",
        fields=("Ansvarlig: Fagansvarlig sosiale tjenester", "Sist revidert: mars 2026"),
        purpose=(
            "I alle vedtak om økonomisk stønad til en familie med barn skal det gå fram at vi har "
            "sett barna, vurdert hva de trenger og lagt vekt på det i avgjørelsen. Det gjelder "
            "like mye når vi gir avslag. Tilsyn har vist at mange vedtak bare nevner hvor gamle "
            "barna er. Det er ikke nok."
        ),
        sections=(
            (
                "Dette skal stå i vedtaket",
                (
                    [
                        "hvilke barn som bor i husholdningen, hvor gamle de er, og om de bor fast "
                        "hos søkeren eller er der på samvær",
                        "om barna går i barnehage, på skole eller SFO, og hvilke fritidsaktiviteter "
                        "de deltar i",
                        "særlige behov, for eksempel helse, briller, utstyr til skole eller idrett",
                        "hvordan barnas behov er vurdert, og hva det har betydd for utmålingen",
                        "hva som er innvilget, til hvilket formål og til hvem i familien",
                    ],
                    "Søkeren skal ikke være i tvil om hva pengene er til, og hvilket "
                    "familiemedlem de gjelder.",
                ),
            ),
            (
                "Vurderingen av barnets beste",
                (
                    "Barnets beste skal være et grunnleggende hensyn. Vi veier barnas behov mot "
                    "andre hensyn, for eksempel at familien først må bruke egne inntekter og "
                    "midler, eller at en utgift ikke er nødvendig. Skriv vurderingen for den "
                    "konkrete familien med egne ord. En standardtekst fra tekstbanken er ikke nok "
                    "alene. Husk at barnetrygd ikke regnes som inntekt når stønaden utmåles.",
                ),
            ),
            (
                "Når søknaden avslås",
                (
                    "Også et avslag skal vise hva vi har tenkt om barna. Skriv hvorfor avslaget "
                    "likevel er forsvarlig for barna, og hva familien kan gjøre. Vurder om deler "
                    "av søknaden kan innvilges, eller om det er grunn til å gi stønad etter § 19. "
                    "Vis til andre ordninger der det passer, som fritidstilbud i kommunen, "
                    "helsestasjonen eller oppfølging gjennom BTS.",
                ),
            ),
            (
                "Lovgrunnlag",
                (
                    [
                        "sosialtjenesteloven §§ 1, 4, 18 og 19",
                        "forvaltningsloven §§ 17, 24 og 25",
                        "Grunnloven § 104 og barnekonvensjonen artikkel 3",
                    ],
                ),
            ),
        ),
    ),
    Routine(
        topic="godkjenning-vedtak",
        title="To par øyne: godkjenning før vedtaket sendes",
        purpose=(
            "Ingen vedtak etter sosialtjenesteloven sendes ut før en annen person med "
            "godkjenningsmyndighet har lest og godkjent det. Ordningen skal fange opp feil før de "
            "når brukeren, og gi lik praksis på kontoret."
        ),
        sections=(
            (
                "Hvem kan godkjenne",
                (
                    "Avdelingsleder, fagansvarlig og de veilederne som har fått delegert "
                    "godkjennings- og anvisningsmyndighet. Hvem det gjelder, står i kontorets "
                    "delegeringsoversikt. Du kan aldri godkjenne et vedtak du har skrevet selv, "
                    "eller et vedtak i en sak der du er inhabil.",
                ),
            ),
            (
                "Saksbehandlers del",
                (
                    "Gjør vedtaket ferdig i Socio og sett status «klar for avgjørelse». Sørg for at "
                    "journalnotatene er på plass, slik at den som godkjenner kan se grunnlaget. Er "
                    "saken akutt, si fra til den som godkjenner, muntlig eller på telefon. Skriv "
                    "ikke opplysninger om saken i Teams.",
                ),
            ),
            (
                "Hva den som godkjenner sjekker",
                (
                    [
                        "Er saken godt nok opplyst, og er det samsvar mellom journal og vedtak?",
                        "Er barnas behov vurdert og vektet, også i et avslag?",
                        "Går det klart fram hva som er innvilget, til hva, for hvilken periode og "
                        "til hvem?",
                        "Er hjemmelen riktig, og er begrunnelsen konkret og individuell?",
                        "Stemmer beregningen, og er avvik fra veiledende satser begrunnet?",
                        "Står det om klagerett, klagefrist og retten til å se dokumentene?",
                        "Er brukeren tilbudt oppfølgingssamtale?",
                        "Gjelder det økonomisk rådgivning: står det når rådgivningen skal starte?",
                    ],
                ),
            ),
            (
                "Frister og retur",
                (
                    "Vedtak med status «klar for avgjørelse» ses på hver dag før kl. 14. Akutte "
                    "saker godkjennes samme dag. Finner du feil, sender du vedtaket tilbake i Socio "
                    "med en kort kommentar om hva som må rettes. Rett ikke selv uten å si fra, med "
                    "unntak av åpenbare skrivefeil. Feil som går igjen tas opp i fagmøtet, og "
                    "alvorlige feil meldes som avvik.",
                    "Lovgrunnlag: sosialtjenesteloven §§ 4 og 5, forvaltningsloven §§ 24 og 25.",
                ),
            ),
        ),
    ),
    Routine(
        topic="internkontroll",
        title="Årshjul for internkontroll i sosiale tjenester",
        fields=(
            "Ansvarlig: Avdelingsleder kommunale tjenester",
            "Sist revidert 3. februar 2026",
        ),
        purpose=(
            "Internkontrollen skal vise om vi faktisk gjør det rutinene sier, og fange opp risiko "
            "for svikt før den rammer brukerne. Kommunedirektøren har ansvaret; i det daglige er "
            "det delegert til Nav-leder og avdelingsleder for de kommunale tjenestene."
        ),
        sections=(
            (
                "Årshjulet",
                (
                    Table(
                        (
                            ("Når", "Hva", "Hvem"),
                            (
                                "Januar",
                                "Risiko- og sårbarhetsanalyse av de sosiale tjenestene, med egen "
                                "vurdering av barneperspektivet",
                                "Nav-leder og fagansvarlig",
                            ),
                            (
                                "Mars, juni, september og desember",
                                "Stikkprøver i saker om økonomisk rådgivning: vedtak, "
                                "oppstartsfrist og journalnotater",
                                "Avdelingsleder og fagutvikler",
                            ),
                            (
                                "Mai og november",
                                "Kvalitetsgjennomgang av minst 10 vedtak om økonomisk stønad",
                                "Fagansvarlig og avdelingsleder",
                            ),
                            (
                                "Februar, juni og oktober",
                                "Gjennomgang av porteføljen til hver saksbehandler",
                                "Avdelingsleder",
                            ),
                            (
                                "August",
                                "Revisjon av rutinehåndboka, gjennomgang på kontormøtet",
                                "Fagansvarlig",
                            ),
                            (
                                "Desember",
                                "Årsrapport til kommunalsjef om avvik, funn og tiltak",
                                "Nav-leder",
                            ),
                        )
                    ),
                ),
            ),
            (
                "Slik tar vi stikkprøver",
                (
                    "Sakene trekkes tilfeldig fra saksoversikten i Socio. For hver sak fyller vi ut "
                    "kontrollskjemaet: Er saken tilstrekkelig opplyst? Er vedtaket begrunnet, og er "
                    "barnas behov vurdert? Er samtaler og rådgivning journalført? Er fristene "
                    "holdt? I saker om økonomisk rådgivning ser vi særlig etter at det er fattet "
                    "vedtak, at oppstartsdatoen står i vedtaket og at hver samtale er journalført. "
                    "Funnene gis som tilbakemelding direkte til veilederen, og det som "
                    "gjelder flere, tas opp i fagmøtet. En kort oppsummering lagres i teamets "
                    "område for internkontroll.",
                ),
            ),
            (
                "Når vi finner svikt",
                (
                    "For hvert funn som krever endring, setter vi opp tiltak, hvem som er ansvarlig "
                    "og en frist. Tiltakene følges opp ved neste kontroll. Alvorlige funn meldes "
                    "som avvik i Compilo. Etter tilsyn følger vi planen med tiltak og fristene for "
                    "evaluering som vi har sendt til Statsforvalteren, og de legges inn i "
                    "årshjulet.",
                    "Lovgrunnlag: sosialtjenesteloven § 5 og kommuneloven § 25-1.",
                ),
            ),
        ),
    ),
    Routine(
        topic="journalforing",
        title="Journalnotat etter samtaler og telefoner",
        purpose=(
            "Det som ikke er skrevet ned, kan ingen etterprøve. Journalen skal gjøre det mulig for "
            "en kollega å overta saken i morgen, og for brukeren, klageinstansen eller tilsynet å "
            "se hva vi gjorde og hvorfor. Rutinen gjelder alle samtaler i saker om sosiale "
            "tjenester, også korte telefoner og samtaler om økonomisk rådgivning."
        ),
        sections=(
            (
                "Hva notatet skal inneholde",
                (
                    [
                        "dato, hvordan kontakten foregikk (oppmøte, telefon, video, hjemmebesøk) og "
                        "hvem som var til stede",
                        "hva brukeren ønsket eller søkte om, med brukerens egne ord der det betyr "
                        "noe",
                        "opplysninger som har betydning for saken, som økonomi, bolig, helse og barn",
                        "råd og veiledning du ga",
                        "hva som ble avtalt, hvem som gjør hva, og innen når",
                        "din egen vurdering, tydelig skilt fra det brukeren fortalte",
                    ],
                    "Eksempel: «Telefon fra bruker. Forteller at lønna er forsinket og at det ikke "
                    "er mat i huset. Har to barn. Avtalt oppmøte i dag kl. 13. Bruker tar med "
                    "kontoutskrift.»",
                ),
            ),
            (
                "Hvor det skal stå",
                (
                    Table(
                        (
                            ("Hva", "Hvor"),
                            (
                                "Søknader, økonomisk stønad, økonomisk rådgivning, botilbud",
                                "Journalnotat i Socio",
                            ),
                            (
                                "Arbeidsrettet oppfølging og statlige ytelser",
                                "Modia og Arena",
                            ),
                            (
                                "Dokumenter i statlige saker, rapporter fra tiltak",
                                "Gosys",
                            ),
                            (
                                "Referat som skal sendes til brukeren",
                                "Utgående brev i Socio",
                            ),
                        )
                    ),
                    "Handler samme samtale om både sosiale tjenester og statlig oppfølging, skriver "
                    "du det som gjelder sosiale tjenester i Socio. En henvisning til Modia er ikke "
                    "nok.",
                ),
            ),
            (
                "Frist og form",
                (
                    "Skriv notatet samme dag, og senest neste virkedag. Hold det kort og saklig, og "
                    "ta ikke med mer om andre personer enn saken krever. Notater skrives aldri i "
                    "egne dokumenter, e-post eller Teams og limes inn senere. Brukeren har som "
                    "hovedregel rett til å lese journalen, så skriv slik at du kan stå for det.",
                    "Lovgrunnlag: forvaltningsloven § 11 d og sosialtjenesteloven § 4.",
                ),
            ),
        ),
    ),
    Routine(
        topic="kartlegging-barn",
        title="Kartlegging av barnas situasjon når familien søker stønad",
        fields=(
            "Ansvarlig – fagansvarlig sosiale tjenester",
            "Sist revidert 20.11.2024",
        ),
        purpose=(
            "Når en familie med barn søker økonomisk stønad, skal vi finne ut hvordan barna har "
            "det og hva de trenger, før vi avgjør søknaden. Kartleggingen er grunnlaget for "
            "vurderingen av barnas beste i vedtaket."
        ),
        sections=(
            (
                "Når vi kartlegger",
                (
                    "Ved første søknad, når noe endrer seg i familien (nytt barn, flytting, "
                    "samlivsbrudd, skolestart), og minst hvert halvår for familier som får stønad "
                    "over tid.",
                ),
            ),
            (
                "Hva vi spør om",
                (
                    [
                        "arbeid og helse for de voksne",
                        "barnehage og skole, og om barna har det utstyret de trenger",
                        "bosituasjonen: er boligen trygg og egnet for barn?",
                        "nettverk for både voksne og barn",
                        "hvert enkelt familiemedlems behov, og familiens samlede behov",
                        "om familien trenger andre tjenester i kommunen, og i så fall hvilke",
                    ],
                    "Informer om BTS og om hvordan kommunen samarbeider om barn og unge. Trengs "
                    "et møte med skole eller barnehage, spør vi foreldrene om samtykke først.",
                ),
            ),
            (
                "Verktøy",
                (
                    "Bruk kartleggingsskjemaet for familier i Socio og funksjonssirkelen for å få "
                    "et helhetlig bilde. Skjemaet fylles ut sammen med familien i samtalen; det "
                    "sendes ikke hjem for utfylling. Nyansatte får opplæring i funksjonssirkelen "
                    "av en erfaren kollega.",
                ),
            ),
            (
                "Barnas egne meninger",
                (
                    "Som hovedregel får vi vite hva barna mener gjennom foreldrene. Spør konkret "
                    "hva barna selv sier om situasjonen. I noen saker er det riktig å snakke med "
                    "barna direkte, for eksempel ved hjemmebesøk eller når barnet er ungdom, og da "
                    "alltid etter avtale med foreldrene. Skriv i journalen hvordan barnas "
                    "synspunkter ble hentet inn.",
                ),
            ),
            (
                "Bekymring for et barn",
                (
                    "Gir kartleggingen grunn til å tro at et barn blir mishandlet eller utsatt for "
                    "alvorlig omsorgssvikt, har vi plikt til å melde fra til barneverntjenesten. "
                    "Snakk med leder samme dag.",
                    "Lovgrunnlag: sosialtjenesteloven §§ 1, 4, 18, 19 og 45, forvaltningsloven § 17.",
                ),
            ),
        ),
    ),
    Routine(
        topic="kartleggingssamtale",
        title="Den første samtalen: innkalling, samtale og referat",
        purpose=(
            "I kartleggingssamtalen blir vi kjent med søkerens situasjon og behov. En god samtale "
            "gjør at søknaden blir riktig behandlet første gang, og at brukeren vet hva som skjer "
            "videre. Har personen et akutt behov, venter vi ikke på samtalen, men hjelper samme dag."
        ),
        sections=(
            (
                "Innkalling",
                (
                    "Send en skriftlig innkalling med malen «Innkalling til samtale» i Socio, "
                    "helst minst tre virkedager før. Innkallingen skal si:",
                    [
                        "tid og sted, eller at samtalen skjer på video eller telefon",
                        "hvem brukeren skal møte",
                        "hvilke tema vi tar opp, for eksempel økonomi, bolig, arbeid, helse og barn",
                        "hvilken dokumentasjon brukeren bør ta med",
                        "at brukeren kan ta med seg noen, og at vi skaffer tolk ved behov",
                    ],
                    "Da kan brukeren forberede seg. Kan brukeren ikke komme, avtaler vi ny tid. "
                    "Møter brukeren ikke opp, ringer vi samme dag før vi bestemmer hva som skjer "
                    "med saken.",
                ),
            ),
            (
                "Under samtalen",
                (
                    "Forklar hva samtalen skal brukes til, og at vi har taushetsplikt. Bruk "
                    "kartleggingsskjemaet, og funksjonssirkelen når det er barn i familien. Still "
                    "åpne spørsmål og la brukeren fortelle. Avklar hva personen søker om. Kommer "
                    "det fram et nytt behov, er det en søknad som skal registreres. Fortell om "
                    "økonomisk rådgivning og andre tjenester brukeren kan ha nytte av. Trenger vi "
                    "opplysninger fra andre, spør om samtykke og skriv det ned.",
                ),
            ),
            (
                "Referat til brukeren",
                (
                    "Skriv referat med referatmalen og send det som utgående brev i Socio innen tre "
                    "virkedager. Referatet skal vise brukerens egen stemme, hva som ble avtalt, "
                    "hvem som gjør hva, og eventuelle frister. Skriv i klart språk, uten "
                    "forkortelser. Brukeren kan gi beskjed om noe er feil eller mangler; rettelser "
                    "noteres i journalen. Referatet erstatter ikke journalnotatet, som skrives "
                    "samme dag.",
                ),
            ),
        ),
    ),
    Routine(
        topic="klage",
        title="Når brukeren klager på et vedtak",
        fields=("Ansvarlig: Fagansvarlig sosiale tjenester", "Sist revidert 05.05.2026"),
        purpose=(
            "Alle som har fått et vedtak etter sosialtjenesteloven, kan klage på det. Vi skal gjøre "
            "det enkelt å klage, vurdere saken på nytt selv, og sende klagen raskt videre til "
            "Statsforvalteren når vi ikke gir medhold."
        ),
        sections=(
            (
                "Klagerett og klagefrist",
                (
                    "Klagefristen er tre uker fra vedtaket kom fram til brukeren. Klagen kan være "
                    "skriftlig eller muntlig. En muntlig klage skriver vi ned og leser opp for "
                    "brukeren, og vi hjelper gjerne til med å formulere den. Klagen trenger ingen "
                    "lang begrunnelse; det holder at brukeren sier hva hen er uenig i. Kommer "
                    "klagen for sent, vurderer vi om den likevel skal behandles, for eksempel når "
                    "brukeren ikke kan lastes for fristoversittelsen.",
                ),
            ),
            (
                "Slik behandler vi klagen",
                (
                    [
                        "Registrer klagen i Socio den dagen den kommer inn.",
                        "Den som fattet vedtaket, vurderer saken på nytt sammen med fagansvarlig. "
                        "Hent inn nye opplysninger om det trengs.",
                        "Får brukeren helt eller delvis medhold, skriver vi nytt vedtak.",
                        "Opprettholder vi vedtaket, sender vi klagen til Statsforvalteren med et "
                        "oversendelsesbrev der kontorets vurdering står. Brukeren får kopi og kan "
                        "uttale seg.",
                    ],
                    "En klage stanser ikke vedtaket. Gjelder klagen et akutt behov, må vi likevel "
                    "vurdere nødhjelp mens klagen behandles.",
                ),
            ),
            (
                "Frister",
                (
                    Table(
                        (
                            ("Steg", "Frist hos oss"),
                            ("Registrering av klagen", "Samme dag"),
                            ("Ny vurdering i kontoret", "Innen to uker"),
                            ("Foreløpig svar til brukeren", "Når vi ikke er ferdige innen to uker"),
                            ("Oversendelse til Statsforvalteren", "Innen tre uker etter mottak"),
                        )
                    ),
                ),
            ),
            (
                "Hva som sendes til Statsforvalteren",
                (
                    [
                        "klagen og vedtaket det klages på",
                        "søknaden, dokumentasjonen og journalnotatene i saken",
                        "oversendelsesbrevet med kontorets vurdering av klagen",
                    ],
                    "Lovgrunnlag: sosialtjenesteloven § 48, forvaltningsloven §§ 28, 29, 31 og 33.",
                ),
            ),
        ),
    ),
    Routine(
        topic="midlertidig-botilbud",
        title="Tak over hodet: midlertidig botilbud",
        purpose=(
            "Kommunen skal finne et midlertidig botilbud til dem som ikke klarer det selv. Ved "
            "Nav Fjordby er det vi som skaffer stedet å bo for natten og de nærmeste dagene, "
            "mens boligtjenesten i kommunen har ansvaret for varige løsninger. Vi samarbeider "
            "tett fra første dag."
        ),
        sections=(
            (
                "Vurderingen",
                (
                    "Spør om personen har et sted å sove i natt, og om hen kan bo hos familie eller "
                    "venner en kort tid. Krev ikke at personen skal ha prøvd ting som ikke er "
                    "realistiske. Henvendelsen er en søknad og skal avgjøres samme dag. Alle som "
                    "får botilbud, får også et skriftlig vedtak.",
                ),
            ),
            (
                "Botilbudene vi bruker",
                (
                    Table(
                        (
                            ("Tilbud", "Brukes for", "Varighet"),
                            (
                                "Kommunens akuttleiligheter",
                                "Familier med barn og personer med særlige behov",
                                "Inntil tre måneder",
                            ),
                            (
                                "Avtale med pensjonat og hotell",
                                "Enslige voksne når akuttleilighetene er fulle",
                                "Så kort som mulig, vurderes hver uke",
                            ),
                            (
                                "Kommunal gjennomgangsbolig",
                                "Når behovet varer lenger",
                                "Etter tildelingsmøtet første mandag i måneden",
                            ),
                        )
                    ),
                ),
            ),
            (
                "Krav til stedet",
                (
                    "Botilbudet skal være forsvarlig: trygt, rent, med mulighet for å lage mat og "
                    "ta vare på hygienen. Barnefamilier skal ikke bo på camping eller på steder "
                    "med rusmiljø. Må det likevel skje en natt, gir du beskjed til leder, og vi "
                    "finner et bedre sted i løpet av få dager.",
                ),
            ),
            (
                "Vedtak og oppfølging",
                (
                    "Vedtaket skal si hvor personen skal bo, for hvilken periode, hva hen selv må "
                    "betale, og hvem som er kontaktperson. Vi følger opp hver uke: Hva er planen "
                    "for en varig bolig? Er det søkt om kommunal bolig, bostøtte eller startlån? "
                    "Opphold registreres i Socio slik at vi vet hvor lenge hver person har bodd "
                    "midlertidig.",
                    "Lovgrunnlag: sosialtjenesteloven §§ 15 og 27.",
                ),
            ),
        ),
    ),
    Routine(
        topic="muntlig-soknad",
        title="Søknader som kommer muntlig",
        fields=("Ansvarlig: Avdelingsleder kommunale tjenester", "Sist revidert 12.08.2025"),
        purpose=(
            "En søknad trenger ikke å være skriftlig. Når noen forteller at de trenger hjelp, i "
            "skranken, på telefon eller i et møte om noe helt annet, kan det være en søknad om "
            "sosiale tjenester. Den skal skrives ned og behandles på samme måte som en skriftlig "
            "søknad. Det gjelder alle tjenester, også økonomisk rådgivning."
        ),
        sections=(
            (
                "Slik kjenner du den igjen",
                (
                    [
                        "«Jeg har ikke penger til husleia denne måneden.»",
                        "«Kan dere hjelpe meg med regningene? Jeg har mistet oversikten.»",
                        "«Jeg blir kastet ut av leiligheten på fredag.»",
                    ],
                    "Er du i tvil, spør: «Vil du søke om hjelp til dette?» Svarer personen ja, er "
                    "det en søknad.",
                ),
            ),
            (
                "Slik registrerer du søknaden",
                (
                    [
                        "Opprett søknaden i Socio med datoen for samtalen som mottaksdato.",
                        "Skriv hva det søkes om, for hvilken periode og eventuelt beløp.",
                        "Les opp det du har skrevet, så brukeren kan rette opp.",
                        "Skriv journalnotat fra samtalen.",
                        "Fortell brukeren at søknaden er registrert, hva som skjer videre og hvilken "
                        "dokumentasjon vi trenger.",
                    ],
                    "Vent ikke på dokumentasjonen før du registrerer søknaden. Be heller ikke "
                    "brukeren om å sende en skriftlig søknad i stedet.",
                ),
            ),
            (
                "Hvis du ikke jobber med sosiale tjenester",
                (
                    "Veiledere på den statlige siden og ansatte i mottaket som får en muntlig "
                    "søknad, gir den videre til sosialvakten samme dag, med en oppgave i Modia "
                    "eller ved å ta kontakt direkte. Skriv det brukeren sa, så ordrett som "
                    "mulig. Det samme gjelder når Nav kontaktsenter formidler en henvendelse.",
                ),
            ),
            (
                "Frist",
                (
                    "Saksbehandlingstiden regnes fra den dagen søknaden ble fremmet muntlig, ikke "
                    "fra den dagen dokumentasjonen kom inn.",
                    "Lovgrunnlag: forvaltningsloven §§ 11 og 11 d.",
                ),
            ),
        ),
    ),
    Routine(
        topic="okonomisk-stonad",
        title="Behandling av søknad om sosialhjelp",
        purpose=(
            "Rutinen beskriver hvordan vi behandler søknader om økonomisk stønad til livsopphold "
            "etter sosialtjenesteloven § 18 og stønad i særlige tilfeller etter § 19, fra søknaden "
            "kommer inn til vedtaket er sendt. Målet er riktige vedtak, lik behandling og kort "
            "ventetid."
        ),
        sections=(
            (
                "Dokumentasjon",
                (
                    "Be bare om det som trengs for å avgjøre søknaden, og hent opplysninger fra "
                    "Navs egne systemer der du kan.",
                    Table(
                        (
                            ("Dokumentasjon", "Merknad"),
                            (
                                "Kontoutskrift siste 30 dager",
                                "Alle kontoer, også for ektefelle eller samboer",
                            ),
                            (
                                "Inntekt siste måned",
                                "Lønnsslipp; utbetalinger fra Nav ser vi selv",
                            ),
                            ("Husleie", "Leiekontrakt og siste faktura"),
                            ("Strøm", "Siste faktura"),
                            (
                                "Utgifter det søkes særskilt om",
                                "Faktura, tilbud eller kvittering",
                            ),
                        )
                    ),
                    "Mangler det noe, sender vi brev med frist på 14 dager. Kommer det ikke inn, "
                    "avgjør vi søknaden på grunnlag av det vi har.",
                ),
            ),
            (
                "Vurdering og utmåling",
                (
                    "Vi legger søkerens faktiske økonomiske situasjon på søknadstidspunktet til "
                    "grunn. De statlige veiledende retningslinjene for utmåling er utgangspunktet, "
                    "men stønaden skal alltid vurderes konkret og individuelt. Barnetrygd regnes "
                    "ikke som inntekt. Har søkeren inntekt over sats, men en særlig utgift, vurderer "
                    "vi stønad etter § 19. Vilkår, som aktivitetsplikt for søkere under 30 år, "
                    "skal stå i vedtaket og være begrunnet.",
                ),
            ),
            (
                "Vedtaket",
                (
                    "Bruk tekstmalen for økonomisk stønad i Socio. Vedtaket skal vise hva som er "
                    "innvilget, beløp, formål, periode og hvem stønaden gjelder. Begrunnelsen skal "
                    "være konkret. I familier med barn skal barnas behov være vurdert. Vedtaket "
                    "skal opplyse om klagerett og om tilbudet om oppfølgingssamtale. Alle vedtak "
                    "godkjennes av en annen med godkjenningsmyndighet før de sendes.",
                ),
            ),
            (
                "Saksbehandlingstid",
                (
                    "Vårt mål er vedtak innen ti virkedager etter at søknaden er komplett. Tar det "
                    "mer enn en måned, skal søkeren få foreløpig svar med begrunnelse og når "
                    "svaret kan ventes. Akutte behov behandles samme dag.",
                    "Lovgrunnlag: sosialtjenesteloven §§ 18, 19, 20 og 20 a, forvaltningsloven "
                    "§§ 11 a, 17, 24 og 25.",
                ),
            ),
        ),
    ),
    Routine(
        topic="oppfolgingssamtale",
        title="Samtale etter vedtaket og ved gjentatte nødhjelpssøknader",
        purpose=(
            "Vedtaket er ikke slutten på saken. Alle som har fått innvilget eller avslått "
            "økonomisk stønad, skal få tilbud om en oppfølgingssamtale. Samtalen skal hjelpe "
            "brukeren videre og forebygge at det samme behovet kommer tilbake måned etter måned."
        ),
        sections=(
            (
                "Hvem får tilbud",
                (
                    [
                        "alle som får vedtak om økonomisk stønad, både innvilgelse og avslag",
                        "alle som har søkt nødhjelp tre ganger eller mer det siste halvåret; de "
                        "skal kalles inn",
                        "familier med barn prioriteres",
                    ],
                ),
            ),
            (
                "Slik gir du tilbudet",
                (
                    "Tilbudet står i vedtaket, med teksten fra tekstbanken. Si det også når du "
                    "snakker med brukeren. Det er frivillig å takke ja. Takker brukeren nei, noterer "
                    "du det i journalen, og du kan spørre igjen senere.",
                    "Samtalen kan være på kontoret, på telefon eller som hjemmebesøk. Tilby en tid "
                    "innen to uker etter at vedtaket er sendt. For familier med barn bør samtalen "
                    "være før neste søknad.",
                ),
            ),
            (
                "Hva samtalen handler om",
                (
                    [
                        "Forstår brukeren vedtaket, og hva hen har fått eller ikke fått?",
                        "Hvorfor strekker ikke pengene til? Gå gjennom et enkelt budsjett.",
                        "Er det aktuelt med økonomisk rådgivning eller hjelp med gjeld?",
                        "Kan brukeren ha rett på andre ytelser, som bostøtte eller ytelser fra Nav?",
                        "Arbeid, aktivitet, helse og bolig",
                        "Hvordan har barna det?",
                    ],
                    "Avslutt med en plan: hva brukeren gjør, hva vi gjør, og når vi snakkes igjen.",
                ),
            ),
            (
                "Gjentatte søknader om nødhjelp",
                (
                    "Sosialvakten noterer i Socio hver gang noen får nødhjelp. Ved tredje gang tar "
                    "saksbehandleren kontakt innen en uke. Målet er å finne ut hvorfor behovet "
                    "kommer igjen, og lage en plan for en mer varig løsning, for eksempel fast "
                    "trekk av husleie eller frivillig forvaltning av inntekt. Samtalen og planen "
                    "journalføres.",
                ),
            ),
        ),
    ),
    Routine(
        topic="overforing-inhabilitet",
        title="Inhabilitet og overføring av saker",
        fields=("Ansvarlig: Nav-leder", "Sist revidert 09.09.2024"),
        purpose=(
            "Ingen skal behandle en sak der det kan stilles spørsmål ved om de er upartiske. "
            "Fjordby er en liten kommune, og mange av oss kjenner brukere privat. Rutinen sier "
            "hva du gjør når du selv kan være inhabil, når leder er inhabil, og når en sak kan "
            "overføres til en annen kommune."
        ),
        sections=(
            (
                "Når du kan være inhabil",
                (
                    "Du er inhabil når du selv er part, når du er i nær familie med eller gift "
                    "eller samboer med en part, og når andre særlige forhold kan svekke tilliten "
                    "til at du er upartisk, for eksempel nært vennskap, et motsetningsforhold "
                    "eller at du er nabo og har en konflikt. Er du i tvil, ta det opp.",
                ),
            ),
            (
                "Slik gjør du",
                (
                    [
                        "Si fra til leder før du gjør noe i saken.",
                        "Leder avgjør om du er inhabil, og fordeler saken til en annen "
                        "saksbehandler.",
                        "Skriv i journalen at saken er overført på grunn av inhabilitet, uten "
                        "å beskrive forholdet nærmere.",
                        "Leder ber systemansvarlig sperre saken i Socio for deg.",
                    ],
                    "I de fleste tilfeller er det nok at saken går til en kollega.",
                ),
            ),
            (
                "Når leder er inhabil",
                (
                    "Er Nav-leder inhabil, blir alle som er underordnet inhabile. Hovedregelen er "
                    "likevel at saken blir i kommunen: kommunedirektøren oppnevner en "
                    "stedfortreder, for eksempel lederen ved et nabokontor etter avtale.",
                ),
            ),
            (
                "Overføring til en annen kommune",
                (
                    "Hovedregelen er at kommunen der personen oppholder seg, har ansvaret. Bare når "
                    "det vil være særlig ulempe å oppnevne en stedfortreder, kan saken overføres "
                    "til en annen kommune, og det er Statsforvalteren som avgjør det. Vi sender en "
                    "forespørsel i brev og forklarer hvem som er inhabil, hvorfor, og hvorfor "
                    "stedfortreder ikke er en god løsning. Er det et akutt behov mens dette "
                    "avklares, skal personen likevel få hjelp samme dag.",
                    "Lovgrunnlag: forvaltningsloven §§ 6 og 8, forskrift 4. juni 2018 nr. 810.",
                ),
            ),
        ),
    ),
    Routine(
        topic="taushetsplikt",
        title="Taushetsplikt og deling av opplysninger",
        purpose=(
            "Brukerne skal kunne stole på at det de forteller oss, blir hos oss. Taushetsplikten "
            "gjelder alt om personlige forhold, også det at noen er i kontakt med Nav. Den gjelder "
            "alle som jobber ved kontoret, og den gjelder også etter at du har sluttet."
        ),
        sections=(
            (
                "Innad på kontoret",
                (
                    "Kommunalt og statlig ansatte sitter sammen, men det betyr ikke at alle kan "
                    "vite alt. Del bare det en kollega trenger for å gjøre jobben sin i saken. Ikke "
                    "snakk om saker i gangen, i lunsjen eller der andre brukere kan høre.",
                ),
            ),
            (
                "Samarbeidspartnere og samtykke",
                (
                    "Skal vi dele opplysninger med andre, som skole, helsetjeneste, "
                    "boligtjenesten eller en frivillig organisasjon, trenger vi samtykke. "
                    "Samtykket skal være skriftlig eller notert i journalen, og det skal gå fram "
                    "hvilke opplysninger, til hvem, til hva og for hvor lenge. Brukeren kan "
                    "trekke samtykket tilbake. Uten samtykke kan vi bare gi opplysninger når loven "
                    "sier det, for eksempel opplysningsplikten til barneverntjenesten. Før et "
                    "samarbeidsmøte avtaler vi med brukeren hva som kan tas opp.",
                ),
            ),
            (
                "Nav kontaktsenter",
                (
                    "Kontaktsenteret har taushetsplikt og kan ta imot beskjeder til oss. Vi gir "
                    "kontaktsenteret bare de opplysningene som trengs for å svare brukeren eller "
                    "sette over til oss.",
                ),
            ),
            (
                "Hvilke kanaler du kan bruke",
                (
                    Table(
                        (
                            ("Kanal", "Personopplysninger?"),
                            ("Socio (journal og brev)", "Ja"),
                            ("Modia og meldinger på nav.no", "Ja"),
                            ("E-post", "Nei"),
                            (
                                "Teams, også chat i møter",
                                "Nei, heller ikke navn eller saksdetaljer",
                            ),
                            ("SMS", "Bare tidspunkt for timeavtale, uten innhold"),
                        )
                    ),
                    "Har opplysninger kommet på avveie, si fra til leder samme dag og meld avvik. "
                    "Personvernombudet vurderer om det skal meldes til Datatilsynet.",
                    "Lovgrunnlag: sosialtjenesteloven §§ 44 og 45, forvaltningsloven §§ 13 til 13 e.",
                ),
            ),
        ),
    ),
    Routine(
        topic="tilgjengelighet",
        title="Slik kommer brukerne i kontakt med oss",
        fields=("Ansvarlig: Nav-leder", "Sist revidert: september 2026"),
        purpose=(
            "Folk skal kunne nå oss når de trenger det, også de som ikke kan bruke digitale "
            "tjenester. Korte åpningstider og lang ventetid på telefon kan føre til at noen står "
            "uten mat eller bolig. Rutinen beskriver hvilke veier inn vi har, og hva vi lover."
        ),
        sections=(
            (
                "Åpningstider",
                (
                    Table(
                        (
                            (
                                "Dag",
                                "Åpent mottak uten timeavtale",
                                "Vakttelefon for kontaktsenteret",
                            ),
                            ("Mandag–torsdag", "09.00–14.00", "08.00–15.30"),
                            ("Fredag", "09.00–12.00", "08.00–15.00"),
                        )
                    ),
                    "Timeavtaler kan også settes utenom åpningstiden. Kommer noen med et akutt "
                    "behov etter at mottaket har stengt, men før kontoret stenger, skal de få "
                    "hjelp samme dag.",
                ),
            ),
            (
                "Telefon",
                (
                    "Brukerne ringer Nav kontaktsenter. Gjelder det sosiale tjenester, sender "
                    "kontaktsenteret en oppgave til oss, og vi ringer tilbake innen 48 timer. Er "
                    "det akutt, ringer kontaktsenteret vakttelefonen vår, og vi tar kontakt samme "
                    "dag. Når du ringer tilbake og ikke får svar, prøver du igjen på et annet "
                    "tidspunkt samme dag og legger igjen beskjed. Vi gir ikke ut direktenummer til "
                    "enkeltbrukere; alle skal ha samme vei inn.",
                ),
            ),
            (
                "Digitalt og på papir",
                (
                    "Søknad om økonomisk stønad kan sendes digitalt på nav.no. I mottaket står en "
                    "PC brukerne kan låne, og vi hjelper til. Den som ikke kan eller vil søke "
                    "digitalt, kan søke på papir eller muntlig. Det er vår oppgave å hjelpe folk "
                    "å søke. Vi sender dem ikke til frivillige organisasjoner eller andre "
                    "samarbeidspartnere for å få den hjelpen. Meldinger i digital dialog som kan "
                    "tyde på behov for sosiale tjenester, skal vi fange opp og følge opp, selv om "
                    "brukeren ikke har skrevet at det er en søknad.",
                ),
            ),
            (
                "Evaluering",
                (
                    "Åpningstidene og telefontilgjengeligheten gjennomgås hvert år i partnerskapet "
                    "med kommunen, sammen med avvik om tilgjengelighet og tilbakemeldinger fra "
                    "brukere og samarbeidspartnere.",
                ),
            ),
        ),
    ),
    Routine(
        topic="vedtak-okonomisk-radgivning",
        title="Økonomisk rådgivning etter § 17 – alltid med vedtak",
        purpose=(
            "Økonomisk rådgivning er en tjeneste etter sosialtjenesteloven § 17, og den tildeles "
            "med et skriftlig enkeltvedtak. Tilsyn har vist at kontorer gir rådgivning uten vedtak, "
            "uten frist for oppstart og uten journalføring. Slik skal det ikke være hos oss."
        ),
        sections=(
            (
                "Når det skal skrives vedtak",
                (
                    "Alle som ber om hjelp med økonomien, muntlig eller skriftlig, har søkt om "
                    "tjenesten. Det samme gjelder når vi tilbyr rådgivning og brukeren takker ja. "
                    "Generell informasjon i en samtale om noe annet er ikke rådgivning i denne "
                    "betydningen, men skal journalføres. Så snart vi går inn i brukerens egen "
                    "økonomi, med budsjett, gjeld eller avtaler med kreditorer, skal det fattes "
                    "vedtak. Også et avslag skal gis som vedtak.",
                    "Alle veiledere på kontoret, også på den statlige siden, skal fortelle om "
                    "tjenesten når økonomi blir tema i en samtale, og fange opp dem som ønsker den.",
                ),
            ),
            (
                "Innholdet i vedtaket",
                (
                    [
                        "hva tjenesten skal inneholde, for eksempel budsjett, gjeldsoversikt, "
                        "kontakt med kreditorer eller hjelp til å søke gjeldsordning",
                        "hvem som gir rådgivningen",
                        "når rådgivningen starter, med en konkret dato og ikke «snarest»",
                        "når vi skal se på om tjenesten fortsatt trengs",
                        "klagerett og klagefrist",
                    ],
                    "Bruk tekstmalen for vedtak om opplysning, råd og veiledning i Socio. Da kommer "
                    "feltet for oppstartsdato med.",
                ),
            ),
            (
                "Slik gjør du",
                (
                    [
                        "Registrer søknaden i Socio, også når den er muntlig.",
                        "Kartlegg økonomien sammen med brukeren.",
                        "Skriv vedtaket og send det til godkjenning.",
                        "Skriv journalnotat etter hver samtale i rådgivningen.",
                        "Når rådgivningen er ferdig, avslutter du den med et kort brev til "
                        "brukeren og et notat i journalen.",
                    ],
                    "Leder og fagutvikler tar stikkprøver av sakene hvert kvartal.",
                    "Ansvarlig: Fagleder økonomisk rådgivning",
                    "Sist revidert 12.08.2025",
                ),
            ),
        ),
    ),
)

TOPIC_OF: dict[str, str] = {routine.title: routine.topic for routine in ROUTINES}


def _add_block(doc: Document, block: Block) -> None:
    if isinstance(block, str):
        doc.add_paragraph(block)
    elif isinstance(block, list):
        for item in block:
            doc.add_paragraph(item, style="List Bullet")
    else:
        table = doc.add_table(rows=len(block.rows), cols=len(block.rows[0]), style="Table Grid")
        for row, values in zip(table.rows, block.rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
        for cell in table.rows[0].cells:
            cell.paragraphs[0].runs[0].bold = True


def write_docx(path: Path) -> None:
    """Write the Fjordby handbook to `path` as a Word document."""
    doc = Document()
    # Created == modified, so the import takes no revision date from the document properties.
    saved = dt.datetime(2026, 9, 14, 9, 0)
    doc.core_properties.created = saved
    doc.core_properties.modified = saved
    doc.core_properties.title = HANDBOOK_TITLE
    doc.core_properties.author = "Nav Fjordby"
    doc.add_paragraph(HANDBOOK_TITLE, style="Title")
    doc.add_paragraph(PREFACE)
    for routine in ROUTINES:
        doc.add_heading(routine.title, level=1)
        for line in routine.fields:
            doc.add_paragraph(line)
        doc.add_paragraph(routine.purpose)
        for heading, blocks in routine.sections:
            doc.add_heading(heading, level=2)
            for block in blocks:
                _add_block(doc, block)
    doc.save(path)
