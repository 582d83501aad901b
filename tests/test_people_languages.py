"""People and quotes in each language with its own words: speakers after and before a quote, "according to"
forms, titles, pronouns and the resolution of a surname to the full name named earlier."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.records import Entities, Quote
from workers.stages.enrich.entities import find_entities, full_name
from workers.stages.enrich.people_words import people_words, supported_languages
from workers.stages.enrich.quotes import find_quotes
from workers.stages.enrichment import with_speakers


@dataclass(frozen=True)
class Case:
    """One language's sentences, each with the speaker or people it must give."""

    after: tuple[str, str]  # a quote with its speaker after it
    before: tuple[str, str]  # a speaker, a speech verb and the quote
    according: tuple[str, str]  # "according to" the speaker
    titled: tuple[str, str]  # a title before a name, and the person
    pronoun: tuple[str, str, str]  # a named speaker's quote, a pronoun's (or a subjectless verb's) quote, speaker
    full: tuple[str, str, str]  # the full name with a title, a quote by the surname, the full name


CASES = {
    "en": Case(
        after=('"We will keep the pool open for families," said Mayor Deborah Kinsella.', "Deborah Kinsella"),
        before=('Kinsella told reporters: "The pool will stay open all summer long."', "Kinsella"),
        according=('According to Kinsella, "the pool will stay open all summer long."', "Kinsella"),
        titled=("Prime Minister Keir Starmer visited the port on Monday.", "Keir Starmer"),
        pronoun=(
            '"We are ready to talk today," Kinsella said.',
            '"We will not wait for ever though," she said.',
            "Kinsella",
        ),
        full=(
            "Mayor Deborah Kinsella opened the meeting.",
            '"The pool stays open," Kinsella said.',
            "Deborah Kinsella",
        ),
    ),
    "de": Case(
        after=("„Wir werden die Schuldenbremse einhalten“, sagte Bundeskanzler Olaf Scholz.", "Olaf Scholz"),
        before=("Lindner sagte: „Der Haushalt steht, und wir halten Wort.“", "Lindner"),
        according=("»Die Lage ist ernst, aber beherrschbar«, so Müller.", "Müller"),
        titled=("Finanzminister Christian Lindner reiste am Montag nach Brüssel.", "Christian Lindner"),
        pronoun=("„Wir sind zu Gesprächen bereit“, sagte Müller.", "„Aber wir warten nicht ewig“, sagte er.", "Müller"),
        full=(
            "Bundeskanzler Olaf Scholz eröffnete die Sitzung.",
            "„Wir halten am Plan fest“, sagte Scholz.",
            "Olaf Scholz",
        ),
    ),
    "fr": Case(
        after=("«\u202fNous allons réformer le système\u202f», a déclaré le ministre Jean Dupont.", "Jean Dupont"),
        before=("Dupont a déclaré\u00a0: «\u202fNous ne reculerons pas sur cette réforme.\u202f»", "Dupont"),
        according=("Selon Dupont, « la réforme entrera en vigueur dès le mois de janvier ».", "Dupont"),
        titled=("Le président Emmanuel Macron a reçu les syndicats.", "Emmanuel Macron"),
        pronoun=(
            "« Nous sommes prêts à discuter », a déclaré Dupont.",
            "« Mais pas éternellement », a-t-il ajouté.",
            "Dupont",
        ),
        full=(
            "La ministre Agnès Martin a ouvert la séance.",
            "« Nous maintenons le calendrier », a dit Martin.",
            "Agnès Martin",
        ),
    ),
    "es": Case(
        after=("—Vamos a reforzar el servicio de limpieza—, dijo la alcaldesa Ana López.", "Ana López"),
        before=("López afirmó: «El plan de vivienda estará listo en marzo».", "López"),
        according=("Según López, «el plan de vivienda estará listo en marzo».", "López"),
        titled=("El presidente Pedro Sánchez viajó a Bruselas.", "Pedro Sánchez"),
        pronoun=(
            "«Estamos dispuestos a negociar», dijo López.",
            "«Pero no esperaremos para siempre», añadió.",
            "López",
        ),
        full=("La alcaldesa Ana López inauguró el mercado.", "«Es un día importante», dijo López.", "Ana López"),
    ),
    "it": Case(
        after=("«Il lavoro non è finito», ha detto il premier Giorgia Meloni.", "Giorgia Meloni"),
        before=("Meloni ha dichiarato: «Il governo andrà avanti con la riforma».", "Meloni"),
        according=("Secondo Rossi, «la siccità è ormai un problema strutturale».", "Rossi"),
        titled=("Il sindaco Roberto Gualtieri ha visitato il cantiere.", "Roberto Gualtieri"),
        pronoun=(
            "«Siamo pronti a discutere», ha detto Rossi.",
            "«Ma non aspetteremo per sempre», ha aggiunto lui.",
            "Rossi",
        ),
        full=("Il sindaco Mario Rossi ha aperto la seduta.", "«Il piano resta quello», ha detto Rossi.", "Mario Rossi"),
    ),
    "pt": Case(
        after=('"Vamos reforçar o serviço de comboios", disse o ministro João Galamba.', "João Galamba"),
        before=('Costa afirmou: "O país precisa de mais investimento público."', "Costa"),
        according=('Segundo Costa, "o plano estará pronto em março".', "Costa"),
        titled=("O primeiro-ministro Luís Montenegro visitou a fábrica.", "Luís Montenegro"),
        pronoun=(
            '"Estamos prontos para negociar", disse Costa.',
            '"Mas não vamos esperar sempre", disse ele.',
            "Costa",
        ),
        full=(
            "A ministra Ana Abrunhosa abriu a sessão.",
            '"O calendário mantém-se", disse Abrunhosa.',
            "Ana Abrunhosa",
        ),
    ),
    "nl": Case(
        after=('"We gaan de haven verder uitbreiden", zei burgemeester Ahmed Aboutaleb.', "Ahmed Aboutaleb"),
        before=('De Vries zei: "Het plan ligt klaar voor de gemeenteraad."', "De Vries"),
        according=("‘De vraag naar containers blijft groot’, aldus De Vries.", "De Vries"),
        titled=("Minister Mona Keijzer bezocht de haven.", "Mona Keijzer"),
        pronoun=('"We zijn klaar voor overleg", zei De Vries.', '"Maar we wachten niet eeuwig", zei hij.', "De Vries"),
        full=(
            "Burgemeester Ahmed Aboutaleb opende de vergadering.",
            '"Het plan blijft", zei Aboutaleb.',
            "Ahmed Aboutaleb",
        ),
    ),
    "pl": Case(
        after=("„Nie możemy dłużej czekać” – powiedział burmistrz Jan Kowalski.", "Jan Kowalski"),
        before=("Kowalski powiedział: „Budowa ruszy jeszcze w tym roku.”", "Kowalski"),
        according=("Według Nowak: „budowa ruszy jeszcze w tym roku”.", "Nowak"),
        titled=("Premier Donald Tusk spotkał się z rolnikami.", "Donald Tusk"),
        pronoun=(
            "„Jesteśmy gotowi do rozmów” – powiedział Kowalski.",
            "„Ale nie będziemy czekać” – dodał.",
            "Kowalski",
        ),
        full=(
            "Burmistrz Jan Kowalski otworzył sesję.",
            "„Plan się nie zmienia” – powiedział Kowalski.",
            "Jan Kowalski",
        ),
    ),
    "sv": Case(
        after=("”Vi måste bygga fler bostäder”, sa statsminister Ulf Kristersson.", "Ulf Kristersson"),
        before=("Andersson sade: ”Vi kommer att höja anslagen nästa år.”", "Andersson"),
        according=("”Läget är allvarligt men hanterbart”, enligt Andersson.", "Andersson"),
        titled=("Statsminister Ulf Kristersson besökte hamnen.", "Ulf Kristersson"),
        pronoun=("”Vi är redo att förhandla”, sa Andersson.", "”Men vi väntar inte för evigt”, sa hon.", "Andersson"),
        full=(
            "Finansminister Elisabeth Svantesson öppnade mötet.",
            "”Planen ligger fast”, sa Svantesson.",
            "Elisabeth Svantesson",
        ),
    ),
    "da": Case(
        after=("»Vi skal bygge flere boliger«, siger statsminister Mette Frederiksen.", "Mette Frederiksen"),
        before=("Hansen sagde: »Vi hæver bevillingerne næste år.«", "Hansen"),
        according=("»Situationen er alvorlig, men håndterbar«, ifølge Hansen.", "Hansen"),
        titled=("Udenrigsminister Lars Løkke Rasmussen besøgte havnen.", "Lars Løkke Rasmussen"),
        pronoun=(
            "»Vi er klar til at forhandle«, sagde Hansen.",
            "»Men vi venter ikke for evigt«, sagde hun.",
            "Hansen",
        ),
        full=(
            "Borgmester Sophie Hæstorp Andersen åbnede mødet.",
            "»Planen ligger fast«, sagde Andersen.",
            "Sophie Hæstorp Andersen",
        ),
    ),
    "no": Case(
        after=("«Vi må bygge flere boliger», sier statsminister Jonas Gahr Støre.", "Jonas Gahr Støre"),
        before=("Hansen sa: «Vi øker bevilgningene neste år.»", "Hansen"),
        according=("«Situasjonen er alvorlig, men håndterbar», ifølge Hansen.", "Hansen"),
        titled=("Finansminister Trygve Slagsvold Vedum besøkte havnen.", "Trygve Slagsvold Vedum"),
        pronoun=("«Vi er klare til å forhandle», sa Hansen.", "«Men vi venter ikke for alltid», sa hun.", "Hansen"),
        full=("Ordfører Anne Lindboe åpnet møtet.", "«Planen ligger fast», sa Lindboe.", "Anne Lindboe"),
    ),
    "tr": Case(
        after=('Cumhurbaşkanı Erdoğan, "Enflasyonla mücadeleye kararlılıkla devam edeceğiz" dedi.', "Erdoğan"),
        before=('Bakan Yerlikaya şunları söyledi: "Operasyonlar aralıksız sürecek."', "Yerlikaya"),
        according=('Yılmaz\'a göre, "ekonomi bu yıl yüzde 3 büyüyecek".', "Yılmaz"),
        titled=("Dışişleri Bakanı Hakan Fidan dün açıklama yaptı.", "Hakan Fidan"),
        pronoun=('"Müzakereye hazırız" dedi Yılmaz.', '"Ama sonsuza kadar beklemeyeceğiz" dedi.', "Yılmaz"),
        full=("Bakan Ali Yerlikaya toplantıyı açtı.", 'Yerlikaya, "Plan değişmedi" dedi.', "Ali Yerlikaya"),
    ),
    "id": Case(
        after=('"Kami akan menambah pasokan beras di pasar," kata Presiden Prabowo Subianto.', "Prabowo Subianto"),
        before=('Rini mengatakan, "Pasokan beras aman hingga akhir tahun."', "Rini"),
        according=('Menurut Rini, "pasokan beras aman hingga akhir tahun."', "Rini"),
        titled=("Gubernur Pramono Anung meninjau lokasi banjir.", "Pramono Anung"),
        pronoun=('"Kami siap berdialog," kata Rini.', '"Namun kami tidak akan menunggu selamanya," ujarnya.', "Rini"),
        full=("Wali Kota Eri Cahyadi membuka rapat.", '"Rencana tetap berjalan," kata Eri.', "Eri Cahyadi"),
    ),
}
LANGUAGES = sorted(CASES)
# Letters, capitals, apostrophes, spaces and every quotation mark and dash the languages use.
_FRAGMENTS = st.sampled_from([*"aeKLMÖŞİ ,.:'’\"“”„«»‘—–-\n\u00a0\u202f", "said ", "sagte ", "dijo ", "Herr "])
_PARAGRAPHS = st.lists(st.lists(_FRAGMENTS, max_size=60).map("".join), max_size=4)


def speakers(paragraphs: list[str], language: str) -> list[str | None]:
    """The speakers enrichment gives: names resolved to the full names the text's people hold."""
    people = find_entities("\n\n".join(paragraphs), None, language).people
    return [
        full_name(quote.speaker, people, language) if quote.speaker else None
        for quote in find_quotes(paragraphs, people, language)
    ]


def test_every_language_with_people_words_has_its_cases() -> None:
    assert sorted(supported_languages()) == LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_speaker_after_the_quote(language: str) -> None:
    paragraph, speaker = CASES[language].after
    assert speakers([paragraph], language) == [speaker]


@pytest.mark.parametrize("language", LANGUAGES)
def test_speaker_before_the_quote(language: str) -> None:
    paragraph, speaker = CASES[language].before
    assert speakers([paragraph], language) == [speaker]


@pytest.mark.parametrize("language", LANGUAGES)
def test_according_to_the_speaker(language: str) -> None:
    paragraph, speaker = CASES[language].according
    assert speakers([paragraph], language) == [speaker]


@pytest.mark.parametrize("language", LANGUAGES)
def test_title_makes_a_person_of_the_name_after_it(language: str) -> None:
    sentence, person = CASES[language].titled
    assert find_entities(sentence, None, language).people == (person,)


@pytest.mark.parametrize("language", LANGUAGES)
def test_pronoun_or_subjectless_verb_stands_for_the_named_speaker(language: str) -> None:
    named, pronoun, speaker = CASES[language].pronoun
    assert speakers([named, pronoun], language) == [speaker, speaker]


@pytest.mark.parametrize("language", LANGUAGES)
def test_surname_speaker_resolves_to_the_full_name_named_earlier(language: str) -> None:
    introduction, quote, person = CASES[language].full
    assert speakers([introduction, quote], language) == [person]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_quote_in_another_language_finds_no_speaker_by_a_foreign_verb(language: str) -> None:
    """Each language's verbs are its own: a German "sagte" makes no speaker in a text of another language."""
    if language == "de":
        return
    assert speakers(["„Wir halten am Plan fest und warten nicht“, sagte Scholz."], language) in ([], [None])


def test_german_capitalised_nouns_are_not_people() -> None:
    text = (
        "Der Mieterverein sprach von einer dramatischen Entwicklung. Die Deutsche Bahn sagte, der Verkehr laufe "
        "wieder. Laut Polizei gab es keine Verletzten. Am Donnerstag sagte ein Sprecher der Bahn, die Züge führen. "
        "Nach Angaben von Siemens sagte die Gewerkschaft Verdi am Abend, Wohnungsbau sei wichtig."
    )
    assert find_entities(text, None, "de").people == ()


def test_german_person_needs_a_cue_and_then_is_found() -> None:
    text = "Am Montag sagte Müller, die Lage sei ernst. Frau Anna Becker widersprach. Klaus Ebner sagte nichts."
    assert find_entities(text, None, "de").people == ("Müller", "Anna Becker", "Klaus Ebner")


def test_german_title_compounds_introduce_people() -> None:
    text = "Bahnchef Richard Lutz und die SPD-Vorsitzende Saskia Esken trafen Verkehrsminister Volker Wissing."
    assert find_entities(text, None, "de").people == ("Richard Lutz", "Saskia Esken", "Volker Wissing")


def test_polish_declined_surname_resolves_to_the_full_name() -> None:
    people = find_entities("Burmistrz Jan Kowalski otworzył sesję. Według Kowalskiego plan jest gotowy.", None, "pl")
    assert people.people == ("Jan Kowalski",)
    assert full_name("Kowalskiego", people.people, "pl") == "Jan Kowalski"
    assert full_name("Kowalskiej", ("Anna Kowalska",), "pl") == "Anna Kowalska"
    assert full_name("Kowalskiego", ("Jan Kowalski",), "en") == "Kowalskiego"


def test_turkish_case_endings_after_the_apostrophe_are_not_part_of_the_name() -> None:
    assert find_entities("Cumhurbaşkanı Erdoğan'ın açıklaması bekleniyor.", None, "tr").people == ("Erdoğan",)


def test_scandinavian_dash_paragraph_is_a_quote_up_to_its_attribution() -> None:
    paragraph = "– Vi höjer priserna för dem som åker mest, säger nämndens ordförande Lars Ekström."
    assert find_quotes([paragraph], (), "sv") == (Quote("Vi höjer priserna för dem som åker mest", "Lars Ekström"),)
    assert find_quotes([paragraph], (), "en") == ()


def test_spanish_dash_aside_without_a_speaker_is_not_a_quote() -> None:
    paragraph = "El alcalde —que llegó ayer desde la capital del país— visitó el mercado."
    assert find_quotes([paragraph], (), "es") == ()


def test_dutch_apostrophe_inside_a_single_quoted_quote_does_not_close_it() -> None:
    paragraph = "‘Zo’n groei hadden we niet verwacht’, zei De Vries."
    assert find_quotes([paragraph], (), "nl") == (Quote("Zo’n groei hadden we niet verwacht", "De Vries"),)


@pytest.mark.parametrize("language", [None, "xx", "ru"])
def test_unsupported_language_uses_english_words_and_every_quotation_style(language: str | None) -> None:
    assert people_words(language).language is None
    assert people_words(language).speech_verbs == people_words("en").speech_verbs
    marks = {opening for opening, _ in people_words(language).quotation_marks}
    assert {'"', "“", "„", "«", "»", "”"} <= marks
    assert find_quotes(["„We will keep the pool open,“ Kinsella said."], (), language) == (
        Quote("We will keep the pool open", "Kinsella"),
    )


def test_norwegian_bokmal_code_reads_the_norwegian_words() -> None:
    assert people_words("nb") == people_words("no")


@pytest.mark.parametrize(
    ("language", "text", "people"),
    [
        ("es", "El líder del PP, Alberto Núñez Feijóo, criticó la propuesta.", ("Alberto Núñez Feijóo",)),
        ("it", "Lo ha detto la presidente del Consiglio Giorgia Meloni.", ("Giorgia Meloni",)),
        ("it", "Il ministro dell'Economia Giancarlo Giorgetti ha difeso i conti.", ("Giancarlo Giorgetti",)),
        ("pl", "Prezes PiS Jarosław Kaczyński skrytykował rząd.", ("Jarosław Kaczyński",)),
        ("id", "Menteri Keuangan Sri Mulyani Indrawati di Jakarta, Senin.", ("Sri Mulyani Indrawati",)),
        ("fr", "Le ministre de l'Économie, Bruno Le Maire, était à Paris.", ("Bruno Le Maire",)),
        ("sv", "Oppositionsledaren Magdalena Andersson kritiserar förslaget.", ("Magdalena Andersson",)),
        ("de", "Eine Sprecherin des Ministeriums sagte, Details würden geprüft.", ()),
    ],
)
def test_roles_with_their_institution_before_a_name(language: str, text: str, people: tuple[str, ...]) -> None:
    assert find_entities(text, None, language).people == people


def test_role_institution_is_not_part_of_the_speaker() -> None:
    paragraph = "«È una legge di bilancio seria», ha detto la presidente del Consiglio Giorgia Meloni."
    assert find_quotes([paragraph], (), "it") == (Quote("È una legge di bilancio seria", "Giorgia Meloni"),)


def test_a_quotes_named_speaker_is_listed_among_the_people_in_body_order() -> None:
    body = "Le ministre Jean Roux est arrivé. « Nous maintenons le cap », a déclaré un éleveur wallon, Paul Henry."
    entities = Entities(people=("Jean Roux",))
    quotes = (Quote("Nous maintenons le cap", "Paul Henry"), Quote("Rien", None), Quote("Encore", "Jean Roux"))
    assert with_speakers(entities, quotes, body).people == ("Jean Roux", "Paul Henry")
    assert with_speakers(entities, (Quote("Rien", "Roux"),), body).people == ("Jean Roux",)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([*LANGUAGES, None]), _PARAGRAPHS)
def test_any_text_in_any_language_gives_people_and_quotes_deterministically(
    language: str | None, paragraphs: list[str]
) -> None:
    text = "\n\n".join(paragraphs)
    entities = find_entities(text, None, language)
    assert entities == find_entities(text, None, language)
    quotes = find_quotes(paragraphs, entities.people, language)
    assert quotes == find_quotes(paragraphs, entities.people, language)
    assert all(quote.text for quote in quotes)
