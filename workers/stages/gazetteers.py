"""Hand-written name lists for entity recognition: organisations, titles and non-name capitals.

Lists are written as plain space- or pipe-separated text so that they are easy to review and extend; lookups go
through case-folded keys so "NATO" and "Nato" find the same organisation. Places are in `places.py`.
"""

from __future__ import annotations


def _pipe_list(text: str) -> tuple[str, ...]:
    """Names from a '|'-separated block (names may contain spaces)."""
    return tuple(name.strip() for name in text.split("|") if name.strip())


def words(text: str) -> tuple[str, ...]:
    """Names from a whitespace-separated block (one-word names)."""
    return tuple(text.split())


def word_set(text: str) -> frozenset[str]:
    """The set of words of a whitespace-separated block."""
    return frozenset(text.split())


def _by_key(names: tuple[str, ...]) -> dict[str, str]:
    """Canonical spelling by case-folded key (the first spelling of a key wins)."""
    table: dict[str, str] = {}
    for name in names:
        table.setdefault(name.casefold(), name)
    return table


# Names that are organisations whatever their shape (news agencies, institutions known by one word).
ORGANISATIONS = _pipe_list("""
Reuters|AFP|Agence France-Presse|AP|Associated Press|Bloomberg|Xinhua|Yonhap|KCNA|Korean Central News Agency|TASS|
RIA Novosti|RIA|Interfax|BBC|CNN|Al Jazeera|dpa|EFE|ANSA|Kyodo|NHK|Bernama|PTI|IANS|Sputnik|RT|Fox News|CNBC|
New York Times|Washington Post|Wall Street Journal|Financial Times|Guardian|Straits Times|Kremlin|Pentagon|
White House|Congress|Senate|Bundestag|Bundesrat|Duma|State Duma|Knesset|Élysée|Elysee|Downing Street|Whitehall|
European Commission|European Parliament|European Union|European Central Bank|Federal Reserve|Fed|United Nations|
Security Council|UN Security Council|NATO|UN|EU|IMF|World Bank|WHO|WTO|OPEC|ASEAN|G7|G20|BRICS|IAEA|UNICEF|UNESCO|
UNHCR|Interpol|Europol|FBI|CIA|NSA|NASA|ESA|SEC|FDA|KGB|FSB|GRU|Mossad|Hamas|Hezbollah|Taliban|Islamic State|ISIS|
Al Qaeda|al-Qaeda|Wagner|Wagner Group|Red Cross|Amnesty International|Human Rights Watch|Greenpeace|Google|Alphabet|
Apple|Microsoft|Amazon|Amazon.com|Meta|Facebook|Instagram|WhatsApp|Twitter|TikTok|Tesla|SpaceX|Samsung|Sony|Toyota|
Volkswagen|Huawei|Alibaba|Tencent|Nvidia|Intel|OpenAI|Netflix|Boeing|Airbus|Gazprom|Rosneft|Aramco|Shell|BP|
Goldman Sachs|JPMorgan|Nasdaq|Joint Chiefs of Staff|Joint Chiefs|House of Representatives|House of Commons|
House of Lords|Supreme Court|Workers' Party|Workers' Party of Korea|Supreme People's Assembly|Communist Party|
""")
ORGANISATION_BY_KEY = _by_key(ORGANISATIONS)

# A capitalised span ending in (or holding) one of these words names an organisation.
ORGANISATION_CUES = word_set(
    """Ministry Ministries Agency Administration Council Party Inc Inc. Corp Corp. Corporation Company Co. Ltd Ltd.
    LLC PLC plc GmbH AG SA S.A. SpA NV AB Group Bank University Committee Commission Association Federation Institute
    Institution Organisation Organization Department Office Court Army Navy Forces Force Guard Union League Foundation
    Authority Service Services Bureau Board Assembly Parliament Congress Senate Police Times News Post Journal
    Herald Tribune Telegraph Network Broadcasting Airlines Airways Holdings Fund Reserve Exchange Society Club Church
    Hospital School College Centre Center Museum Tribunal Cabinet Government Secretariat Directorate Command Alliance
    Coalition Movement Front Brigade Brigades Regiment Division Ministerium Partei Bundesamt Ministère Ministerio
    Ministero Ministerstwo Agence Agencia Agenzia Comité Consejo Conseil"""
)

# All-caps tokens that are not organisation acronyms.
NOT_ACRONYMS = word_set(
    """I A AM PM OK TV CEO CFO COO CTO GMT UTC BST EST EDT PST CET ET PT AD BC AI ID PC DJ MP MEP MPs PhD VIP
    COVID SARS HIV AIDS DNA RNA GDP CPI USD EUR GBP JPY KRW RUB UAH CNY OMG LOL FAQ PDF URL PS ALSO READ MORE NEW
    UPDATE BREAKING EXCLUSIVE WATCH VIDEO PHOTO PHOTOS LIVE OPINION ANALYSIS EDITORIAL NOTE FILE CORRECTION"""
)

# Capitalised words that open sentences or stand for times, never names on their own.
NOT_NAMES = word_set(
    """The A An In On At By For From To Of And But Or Nor So Yet As If When While After Before Since Until Though
    Although Because Despite During Under Over Into Onto Upon With Without Within Among Between Against Through
    He She It They We You I His Her Its Their Our Your My Him Them Us Me This That These Those There Here Then
    Now Today Yesterday Tomorrow Tonight Meanwhile However Still Also Even Just Only Some Many Most Much More Few
    Several All Both Each Every Any No Not None One Two Three Four Five Six Seven Eight Nine Ten First Second Third
    Last Next Other Another Such What Which Who Whom Whose Why How Where Whether Mr Mrs Ms Dr Prof Sir Madam Please
    Yes Thank Thanks Read Also Similar Latest Headlines News Photo Video Watch Update Updated Published
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    Der Die Das Ein Eine Und Le La Les Un Une Et El Los Las Il Lo Gli De Het Een"""
)

# Capitalised words that introduce a person's name in a span ("Russian President Vladimir Putin").
TITLES = word_set(
    """President Vice-President Prime Minister Chancellor King Queen Prince Princess Pope Governor Gov. Senator Sen.
    Rep. Representative Congressman Congresswoman Mayor General Gen. Lt. Lieutenant Colonel Col. Admiral Adm.
    Captain Capt. Commander Major Maj. Sergeant Sgt. Chairman Chairwoman Chairperson Chair Director Secretary
    Ambassador Envoy Judge Justice Leader Spokesperson Spokesman Spokeswoman Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof.
    Professor Sir Dame Lord Lady Sheikh Emir Sultan Premier Commissioner Marshal Officer CEO Chief Deputy Supremo
    Patriarch Archbishop Bishop Cardinal Rabbi Imam Ayatollah Coach Striker Midfielder Defender Goalkeeper
    Präsident Präsidentin Bundeskanzler Bundeskanzlerin Kanzler Ministerpräsident Président Presidente Primer Ministro
    Premier Herr Frau Monsieur Madame Señor Señora Treasurer Attorney-General Speaker Inspector Superintendent Supt.
    Detective Constable Councillor Councilman Councilwoman Alderman Sindaco Ministro Ministra Presidenta Rep Sen"""
)

# Words that may continue a title before the name starts ("Secretary of State Antony Blinken").
TITLE_TAILS = word_set(
    """of the State Foreign Defence Defense Finance Interior Home Trade Economy Economic Health Justice Energy
    Education Affairs General Executive Officer Minister Secretary Deputy Vice Prime Supreme Commander Chief
    Army Navy Security National Staff Joint Armed Forces Party Central Committee Cabinet Parliamentary"""
)

# Lower-case words that, right before a capitalised span, say the span is a person ("leader Kim Jong-un").
PERSON_CUES_BEFORE = words(
    """leader president minister premier chancellor spokesperson spokesman spokeswoman secretary official envoy
    ambassador chairman chairwoman chief ceo founder director analyst researcher professor lawyer attorney
    judge senator governor mayor general commander king queen prince pope counterpart colleague adviser
    advisor aide candidate dictator ruler strongman journalist correspondent economist expert activist
    sindaco ministro ministra presidente portavoce sprecher sprecherin ministre porte-parole président alcalde
    prefeito bürgermeister"""
)

# Words after a span that say it is a person (a speech verb, a relative pronoun for people).
PERSON_CUES_AFTER = words(
    """said says told added wrote stated noted warned explained argued insisted announced tweeted posted
    declared replied asked who"""
)

# Adjectives of nationality: they start many spans ("Russian President") but name nobody.
DEMONYMS = word_set(
    """American British English Scottish Welsh Irish French German Italian Spanish Portuguese Dutch Belgian Swiss
    Austrian Swedish Norwegian Danish Finnish Polish Czech Slovak Hungarian Romanian Bulgarian Greek Turkish Russian
    Ukrainian Belarusian Georgian Armenian Azerbaijani Kazakh Uzbek Chinese Japanese Korean North South Indian
    Pakistani Afghan Iranian Iraqi Syrian Lebanese Israeli Palestinian Palestinians Jordanian Saudi Emirati Qatari
    Egyptian Libyan Tunisian Algerian Moroccan Nigerian Kenyan Ethiopian Malian African Canadian Mexican Brazilian
    Argentine Chilean Colombian Venezuelan Cuban Australian Indonesian Malaysian Thai Vietnamese Filipino Western
    Eastern Northern Southern European Asian Arab Muslim Christian Jewish Soviet Communist Democratic Republican
    Democrat Democrats Republicans Conservative Labour Liberal Korean-American Sino-Russian"""
)
