"""Hand-written name lists for entity recognition: organisations (places come from GeoNames, people's words are
per-language data).

Lists are written as plain space- or pipe-separated text so that they are easy to review and extend; lookups go
through case-folded keys so "NATO" and "Nato" find the same organisation. Places are in `places.py`.
"""

from __future__ import annotations


def _pipe_list(text: str) -> tuple[str, ...]:
    """Names from a '|'-separated block (names may contain spaces)."""
    return tuple(name.strip() for name in text.split("|") if name.strip())


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
    Ministero Ministerstwo Agence Agencia Agenzia Comité Consejo Conseil Dinas Badan Kementerian Dewan Komisi Polda
    Polres Balai Lembaga"""
)

# All-caps tokens that are not organisation acronyms.
NOT_ACRONYMS = word_set(
    """I A AM PM OK TV CEO CFO COO CTO GMT UTC BST EST EDT PST CET ET PT AD BC AI ID PC DJ MP MEP MPs PhD VIP
    COVID SARS HIV AIDS DNA RNA GDP CPI USD EUR GBP JPY KRW RUB UAH CNY OMG LOL FAQ PDF URL PS ALSO READ MORE NEW
    UPDATE BREAKING EXCLUSIVE WATCH VIDEO PHOTO PHOTOS LIVE OPINION ANALYSIS EDITORIAL NOTE FILE CORRECTION"""
)
