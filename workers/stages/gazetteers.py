"""Hand-written name lists for entity recognition: places and organisations (people's words are per language data).

Lists are written as plain space- or pipe-separated text so that they are easy to review and extend; lookups go
through case-folded keys so "SEOUL" in a dateline finds "Seoul".
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


COUNTRIES = _pipe_list("""
Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|Australia|Austria|Azerbaijan|
Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia and Herzegovina|Bosnia|
Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape Verde|Central African Republic|
Chad|Chile|China|Colombia|Comoros|Congo|Democratic Republic of Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|
Czechia|Denmark|Djibouti|Dominica|Dominican Republic|East Timor|Timor-Leste|Ecuador|Egypt|El Salvador|
Equatorial Guinea|Eritrea|Estonia|Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|
Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|
Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|
Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|
Marshall Islands|Mauritania|Mauritius|Mexico|Micronesia|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|
Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|
Norway|Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|
Romania|Russia|Rwanda|Saint Lucia|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|
Slovakia|Slovenia|Solomon Islands|Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|
Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Trinidad and Tobago|Tunisia|Turkey|Türkiye|
Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|UAE|United Kingdom|UK|U.K.|Britain|Great Britain|
United States|United States of America|US|U.S.|USA|America|Uruguay|Uzbekistan|Vanuatu|Vatican|Venezuela|Vietnam|
Yemen|Zambia|Zimbabwe|Korea|DPRK|Hong Kong|Macau|Greenland|Puerto Rico|England|Scotland|Wales|Northern Ireland|
Deutschland|Frankreich|Russland|Spanien|Italien|Österreich|Schweiz|Allemagne|Espagne|Italie|Russie|Suisse|
Alemania|Francia|Rusia|Italia|España|Estados Unidos|États-Unis|Vereinigte Staaten|Chine|Ucrania|Ukraine|
Россия|Украина|США|Китай|Турция|Египет|Иран|Германия|Франция|Индия|Казахстан|Беларусь|Україна|Росія|Польща|
""")

CITIES = _pipe_list("""
Kabul|Tirana|Algiers|Luanda|Buenos Aires|Yerevan|Canberra|Sydney|Melbourne|Brisbane|Perth|Adelaide|Vienna|Baku|
Manama|Dhaka|Minsk|Brussels|Antwerp|Thimphu|La Paz|Sarajevo|Brasilia|Brasília|Rio de Janeiro|Sao Paulo|São Paulo|
Sofia|Phnom Penh|Ottawa|Toronto|Montreal|Vancouver|Santiago|Beijing|Shanghai|Shenzhen|Guangzhou|Wuhan|Chengdu|
Tianjin|Chongqing|Bogota|Bogotá|Zagreb|Havana|Nicosia|Prague|Copenhagen|Cairo|Alexandria|Addis Ababa|Helsinki|
Paris|Marseille|Lyon|Nice|Strasbourg|Tbilisi|Berlin|Hamburg|Munich|München|Frankfurt|Cologne|Köln|Stuttgart|
Düsseldorf|Leipzig|Dresden|Bonn|Accra|Athens|Budapest|Reykjavik|New Delhi|Delhi|Mumbai|Kolkata|Chennai|Bangalore|
Bengaluru|Hyderabad|Jakarta|Bali|Tehran|Baghdad|Basra|Mosul|Erbil|Dublin|Jerusalem|Tel Aviv|Haifa|Rome|Milan|Naples|
Turin|Florence|Venice|Tokyo|Osaka|Kyoto|Yokohama|Hiroshima|Amman|Astana|Almaty|Nairobi|Mombasa|Pristina|
Kuwait City|Bishkek|Vientiane|Riga|Beirut|Tripoli|Benghazi|Vilnius|Kuala Lumpur|Bamako|Valletta|Mexico City|
Guadalajara|Monterrey|Chisinau|Ulaanbaatar|Podgorica|Rabat|Casablanca|Maputo|Yangon|Naypyidaw|Kathmandu|Amsterdam|
Rotterdam|The Hague|Wellington|Auckland|Managua|Niamey|Abuja|Lagos|Skopje|Oslo|Muscat|Islamabad|Karachi|Lahore|
Ramallah|Gaza City|Panama City|Asuncion|Lima|Manila|Warsaw|Krakow|Kraków|Lisbon|Porto|Doha|Bucharest|Moscow|
St Petersburg|St. Petersburg|Saint Petersburg|Vladivostok|Novosibirsk|Kazan|Kigali|Riyadh|Jeddah|Mecca|Dakar|
Belgrade|Freetown|Bratislava|Ljubljana|Mogadishu|Pretoria|Johannesburg|Cape Town|Durban|Seoul|Busan|Incheon|Juba|
Madrid|Barcelona|Valencia|Seville|Bilbao|Colombo|Khartoum|Stockholm|Gothenburg|Bern|Zurich|Zürich|Geneva|Basel|
Damascus|Aleppo|Taipei|Dushanbe|Dodoma|Dar es Salaam|Bangkok|Tunis|Ankara|Istanbul|Izmir|Ashgabat|Kampala|Kyiv|
Kiev|Kharkiv|Odesa|Odessa|Lviv|Dnipro|Mariupol|Bakhmut|Kherson|Zaporizhzhia|Donetsk|Luhansk|Abu Dhabi|Dubai|London|
Manchester|Birmingham|Liverpool|Edinburgh|Glasgow|Cardiff|Belfast|Washington|New York|Los Angeles|Chicago|
Houston|Phoenix|Philadelphia|San Antonio|San Diego|Dallas|San Francisco|Seattle|Boston|Miami|Atlanta|Denver|Detroit|
Las Vegas|New Orleans|Pittsburgh|Baltimore|Montevideo|Tashkent|Caracas|Hanoi|Ho Chi Minh City|Sanaa|Aden|Lusaka|
Harare|Pyongyang|Hong Kong|Singapore|Kinshasa|Brazzaville|Abidjan|Harbin|Macau|Quito|Guatemala City|Tegucigalpa|
San Salvador|San Jose|Port-au-Prince|Kingston|Santo Domingo|Lhasa|Urumqi|Kolkata|Dhaka|Kandahar|Herat|Peshawar|
Srinagar|Hebron|Nablus|Jenin|Rafah|Khan Younis|Sderot|Ashkelon|Eilat|Davos|Brussel|Wien|Genf|Mailand|Rom|Moskau|
Pékin|Londres|Bruxelles|Moscou|Varsovie|Pequín|Nueva York|Nueva Delhi|Mexiko-Stadt|Luxembourg City|Sapporo|Nagoya|
Roma|Milano|Napoli|Torino|Firenze|Venezia|Lisboa|Warszawa|Praha|København|Göteborg|Москва|Санкт-Петербург|Київ|Киев|
Харків|Одеса|
Fukuoka|Okinawa|Kaesong|Wonsan|Panmunjom|Kursk|Belgorod|Sevastopol|Yalta|Crimea|Gdansk|Gdańsk|Wroclaw|Poznan|
Malmo|Malmö|Aarhus|Bergen|Tampere|Tallinn|Minneapolis|Austin|Nashville|Orlando|Tampa|Charlotte|Sacramento|Portland|
Brooklyn|Manhattan|Silicon Valley|Hollywood|Wall Street|Westminster|Downing Street|Capitol Hill|Kremlin Palace|
""")

REGIONS = _pipe_list("""
Europe|Asia|Africa|North America|South America|Latin America|Central America|Oceania|Antarctica|Arctic|
Middle East|Near East|Far East|East Asia|South Asia|Southeast Asia|Central Asia|Eastern Europe|Western Europe|
Central Europe|Northern Europe|Southern Europe|Balkans|Caucasus|North Caucasus|Scandinavia|Baltics|Sahel|
Horn of Africa|West Africa|East Africa|North Africa|Sub-Saharan Africa|Gulf|Persian Gulf|Arabian Peninsula|
Korean Peninsula|Indo-Pacific|Asia-Pacific|Pacific|Atlantic|Indian Ocean|Mediterranean|Black Sea|Red Sea|Baltic Sea|
South China Sea|East China Sea|Sea of Japan|Yellow Sea|Taiwan Strait|Strait of Hormuz|Suez Canal|Siberia|Donbas|
Donbass|Crimea|Kashmir|Tibet|Xinjiang|Gaza|Gaza Strip|West Bank|Golan Heights|Sinai|Kurdistan|Darfur|Nagorno-Karabakh|
Transnistria|Abkhazia|Chechnya|Kaliningrad|Bavaria|Bayern|Saxony|Catalonia|Andalusia|Basque Country|Lombardy|
Sicily|Sardinia|Corsica|Brittany|Normandy|Provence|Flanders|Wallonia|Quebec|Ontario|British Columbia|Alberta|
New South Wales|Victoria|Queensland|Tasmania|Hokkaido|Kyushu|Punjab|Kerala|Gujarat|Bihar|Maharashtra|Tamil Nadu|
Uttar Pradesh|West Bengal|Bengal|Assam|Manipur|Sichuan|Guangdong|Hubei|Yunnan|Fujian|Mindanao|Java|Sumatra|Borneo|
Papua|Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Hawaii|Idaho|Illinois|
Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|
Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|
Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|West Virginia|
Wisconsin|Wyoming|Midwest|Sahara|Himalayas|Alps|Andes|Patagonia|Yorkshire|Kent|Cornwall|Ulster|Galilee|
""")

PLACES = COUNTRIES + CITIES + REGIONS
PLACE_BY_KEY = _by_key(PLACES)

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
