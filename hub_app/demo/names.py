"""Fictional names for the demo world: partner companies by region, and people's names by country.

Every name here is made up; any likeness to a real company or person is a coincidence.
"""

from __future__ import annotations

import random
import unicodedata

# name, email domain stem, partner type, region, country, industries
COMPANIES: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("Harbourline Systems", "harbourline", "si", "apac", "SG", ("Logistics", "Financial services")),
    ("Kestrel Data Works", "kestreldata", "isv", "apac", "AU", ("Retail", "Logistics")),
    ("Southern Cross Integration", "southerncross", "si", "apac", "AU", ("Government", "Utilities")),
    ("Tasman Advisory Group", "tasmanadvisory", "consultant", "apac", "NZ", ("Public sector", "Healthcare")),
    ("Lumen Bay Solutions", "lumenbay", "var", "apac", "MY", ("Manufacturing", "Retail")),
    ("Sakura Ridge Technologies", "sakuraridge", "technology", "apac", "JP", ("Manufacturing",)),
    ("Monsoon Cloud Partners", "monsooncloud", "var", "apac", "IN", ("Telecommunications", "Financial services")),
    ("Banyan Peak Consulting", "banyanpeak", "consultant", "apac", "SG", ("Financial services", "Insurance")),
    ("Coralsea Software", "coralsea", "isv", "apac", "AU", ("Healthcare",)),
    ("Indigo Lattice", "indigolattice", "si", "apac", "IN", ("IT services", "Banking")),
    ("Merlion Digital", "merliondigital", "var", "apac", "SG", ("Retail", "Hospitality")),
    ("Java Strait Systems", "javastrait", "si", "apac", "ID", ("Logistics", "Energy")),
    ("Kiwi Ledger Labs", "kiwiledger", "isv", "apac", "NZ", ("Financial services",)),
    ("Hanriver Networks", "hanriver", "technology", "apac", "KR", ("Telecommunications",)),
    ("Jadebridge Technologies", "jadebridge", "si", "china", "CN", ("Manufacturing", "Retail")),
    ("Pearl River Data", "pearlriver", "var", "china", "CN", ("Manufacturing", "Logistics")),
    ("Victoria Harbour Consulting", "vhconsulting", "consultant", "china", "HK", ("Banking", "Insurance")),
    ("Formosa Stack", "formosastack", "isv", "china", "TW", ("Semiconductors", "Manufacturing")),
    ("Red Lantern Software", "redlantern", "isv", "china", "CN", ("E-commerce",)),
    ("Kowloon Gate Systems", "kowloongate", "si", "china", "HK", ("Financial services", "Property")),
    ("Yangtze Cloud Services", "yangtzecloud", "technology", "china", "CN", ("Cloud", "Telecommunications")),
    ("Taipei Orchid Solutions", "orchidsolutions", "var", "china", "TW", ("Electronics", "Retail")),
    ("Northgate Integration", "northgate", "si", "emea", "GB", ("Financial services", "Public sector")),
    ("Rheinwerk Digital", "rheinwerk", "si", "emea", "DE", ("Manufacturing", "Automotive")),
    ("Blauwe Haven Consultancy", "blauwehaven", "consultant", "emea", "NL", ("Logistics", "Ports")),
    ("Lumière Conseil", "lumiereconseil", "consultant", "emea", "FR", ("Retail", "Luxury goods")),
    ("Fjordline Software", "fjordline", "isv", "emea", "SE", ("Energy",)),
    ("Meridian Reselling Partners", "meridianresell", "var", "emea", "GB", ("Education", "Healthcare")),
    ("Dune & Delta Systems", "dunedelta", "var", "emea", "AE", ("Aviation", "Hospitality")),
    ("Table Bay Technologies", "tablebay", "si", "emea", "ZA", ("Mining", "Financial services")),
    ("Alpenglow Data", "alpenglow", "technology", "emea", "CH", ("Pharmaceuticals", "Banking")),
    ("Castellan Cloud", "castellan", "var", "emea", "ES", ("Tourism", "Retail")),
    ("Bluestem Integration", "bluestem", "si", "amer", "US", ("Healthcare", "Insurance")),
    ("Cascade Ridge Consulting", "cascaderidge", "consultant", "amer", "US", ("Technology", "Media")),
    ("Prairie Signal Solutions", "prairiesignal", "var", "amer", "CA", ("Agriculture", "Energy")),
    ("Copperline Software", "copperline", "isv", "amer", "US", ("Construction",)),
    ("Ipanema Digital", "ipanemadigital", "si", "amer", "BR", ("Retail", "Banking")),
    ("Sierra Madre Tecnología", "sierramadre", "var", "amer", "MX", ("Manufacturing", "Logistics")),
    ("Hudson Relay Technologies", "hudsonrelay", "technology", "amer", "US", ("Data platforms",)),
    ("Maple Quorum Advisory", "maplequorum", "consultant", "amer", "CA", ("Public sector", "Utilities")),
)

REGION_COUNTRIES = {
    "apac": ("SG", "AU", "NZ", "MY", "JP", "IN", "ID", "KR"),
    "china": ("CN", "HK", "TW"),
    "emea": ("GB", "DE", "NL", "FR", "SE", "AE", "ZA", "CH", "ES"),
    "amer": ("US", "CA", "BR", "MX"),
}
INDUSTRIES = (
    "Financial services",
    "Retail",
    "Manufacturing",
    "Logistics",
    "Healthcare",
    "Public sector",
    "Energy",
    "Telecommunications",
    "Insurance",
    "Education",
    "Hospitality",
    "Media",
)

# Synthetic company names for the program scale: stem + noun + legal form, unique by construction.
_STEMS = (
    "Amber",
    "Basalt",
    "Cedar",
    "Delta",
    "Ember",
    "Falcon",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kite",
    "Lark",
    "Mistral",
    "Nimbus",
    "Onyx",
    "Pioneer",
    "Quartz",
    "Raven",
    "Summit",
    "Tidal",
    "Umber",
    "Vertex",
    "Willow",
    "Xenon",
    "Yarrow",
    "Zephyr",
    "Aurora",
    "Beacon",
    "Cobalt",
    "Drift",
    "Evergreen",
    "Fathom",
    "Glacier",
    "Horizon",
    "Ironbark",
    "Jasper",
    "Keystone",
    "Lodestar",
    "Meadow",
    "Northstar",
)
_NOUNS = (
    "Systems",
    "Digital",
    "Data",
    "Consulting",
    "Cloud",
    "Labs",
    "Partners",
    "Integration",
    "Software",
    "Solutions",
    "Networks",
    "Analytics",
    "Works",
    "Advisory",
    "Technologies",
    "Logic",
    "Dynamics",
    "Bridge",
    "Stack",
    "Forge",
    "Signal",
    "Circuit",
    "Relay",
    "Matrix",
    "Vector",
)

# --- people -----------------------------------------------------------------------------------------

_EN_GIVEN = (
    "James",
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Charlotte",
    "Jack",
    "Amelia",
    "Thomas",
    "Grace",
    "Oliver",
    "Sophie",
    "William",
    "Chloe",
    "Daniel",
    "Hannah",
    "Samuel",
    "Lucy",
    "Ethan",
    "Isabel",
    "Ryan",
    "Megan",
)
_EN_FAMILY = (
    "Smith",
    "Brown",
    "Wilson",
    "Taylor",
    "Anderson",
    "Thompson",
    "Walker",
    "Harris",
    "Clarke",
    "Hughes",
    "Mitchell",
    "Campbell",
    "Bennett",
    "Fraser",
    "Gallagher",
    "Reid",
    "Patterson",
    "Sullivan",
    "Murray",
)
_SEA_CN_GIVEN = (
    "Mei",
    "Wei Ling",
    "Jun Jie",
    "Hui Min",
    "Kai Xiang",
    "Xin Yi",
    "Zhi Hao",
    "Shu Fen",
    "Jia Hui",
    "Darren",
    "Joanne",
    "Marcus",
    "Rachel",
    "Kelvin",
    "Vivian",
    "Gabriel",
    "Cheryl",
    "Bryan",
)
_SEA_CN_FAMILY = ("Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Koh", "Teo", "Chan", "Yeo", "Low")
_HK_GIVEN = (
    "Kelvin",
    "Winnie",
    "Stephen",
    "Cherry",
    "Raymond",
    "Ivy",
    "Alan",
    "Karen",
    "Derek",
    "Fiona",
    "Eric",
    "Mandy",
    "Jason",
    "Queenie",
    "Terence",
    "Joyce",
)
_HK_FAMILY = ("Wong", "Chan", "Cheung", "Lau", "Leung", "Yip", "Ho", "Tsang", "Kwok", "Lam", "Tang", "Fung")
_TW_GIVEN = (
    "Yu-Ting",
    "Chia-Hao",
    "Shu-Hui",
    "Po-Han",
    "Ya-Wen",
    "Chih-Ming",
    "Hsin-Yi",
    "Tsung-Wei",
    "Pei-Shan",
    "Cheng-Yu",
    "I-Chen",
    "Kuan-Ting",
)
_TW_FAMILY = ("Chen", "Lin", "Huang", "Chang", "Li", "Wang", "Wu", "Liu", "Tsai", "Yang", "Hsu", "Cheng")
# Mainland names are shown in characters; the email address uses pinyin.
_CN_GIVEN = (
    ("伟", "Wei"),
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("磊", "Lei"),
    ("洋", "Yang"),
    ("艳", "Yan"),
    ("勇", "Yong"),
    ("杰", "Jie"),
    ("娟", "Juan"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
    ("秀英", "Xiuying"),
    ("志强", "Zhiqiang"),
    ("晓东", "Xiaodong"),
    ("丽华", "Lihua"),
    ("建国", "Jianguo"),
    ("雨桐", "Yutong"),
    ("子轩", "Zixuan"),
    ("思远", "Siyuan"),
)
_CN_FAMILY = (
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("赵", "Zhao"),
    ("黄", "Huang"),
    ("周", "Zhou"),
    ("吴", "Wu"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("胡", "Hu"),
    ("朱", "Zhu"),
    ("高", "Gao"),
    ("林", "Lin"),
)
_IN_GIVEN = (
    "Priya",
    "Arjun",
    "Ananya",
    "Rahul",
    "Divya",
    "Vikram",
    "Kavya",
    "Rohan",
    "Sneha",
    "Aditya",
    "Meera",
    "Karthik",
    "Pooja",
    "Nikhil",
)
_IN_FAMILY = ("Sharma", "Iyer", "Patel", "Reddy", "Nair", "Gupta", "Menon", "Rao", "Krishnan", "Desai", "Joshi")
_JP_GIVEN = ("Haruto", "Yui", "Sota", "Aoi", "Ren", "Sakura", "Daiki", "Hina", "Kenji", "Mio", "Takumi", "Yuna")
_JP_FAMILY = ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Nakamura", "Kobayashi", "Yamamoto")
_KR_GIVEN = ("Minjun", "Seoyeon", "Jiho", "Hayoon", "Doyun", "Jiwoo", "Eunji", "Hyunwoo", "Sujin", "Taeyang")
_KR_FAMILY = ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim")
_MY_GIVEN = ("Aisyah", "Hafiz", "Nurul", "Amirul", "Siti", "Farid", "Putri", "Rizal", "Dewi", "Budi", "Ayu", "Hendra")
_MY_FAMILY = ("Rahman", "Ismail", "Hassan", "Abdullah", "Santoso", "Wijaya", "Hidayat", "Ibrahim", "Kusuma")
_DE_GIVEN = ("Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Maximilian", "Laura", "Tobias", "Katharina")
_DE_FAMILY = ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann")
_FR_GIVEN = ("Camille", "Louis", "Léa", "Hugo", "Manon", "Julien", "Inès", "Mathieu", "Élodie", "Antoine")
_FR_FAMILY = ("Martin", "Bernard", "Dubois", "Laurent", "Moreau", "Lefèvre", "Girard", "Rousseau", "Fontaine")
_NL_GIVEN = ("Daan", "Sanne", "Bram", "Lotte", "Thijs", "Fleur", "Ruben", "Anouk", "Joris", "Femke")
_NL_FAMILY = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Mulder", "de Boer", "Bos", "Vos", "Dekker")
_SE_GIVEN = ("Erik", "Elin", "Oskar", "Maja", "Axel", "Ebba", "Viktor", "Saga", "Henrik", "Ingrid")
_SE_FAMILY = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Lindqvist", "Berg")
_ES_GIVEN = ("Lucía", "Mateo", "Sofía", "Diego", "Valentina", "Javier", "Camila", "Alejandro", "Elena", "Pablo")
_ES_FAMILY = ("García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez")
_BR_GIVEN = ("Gabriel", "Beatriz", "Rafael", "Larissa", "Thiago", "Juliana", "Felipe", "Mariana", "Bruno", "Fernanda")
_BR_FAMILY = ("Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira", "Carvalho")
_AR_GIVEN = ("Omar", "Layla", "Khalid", "Noor", "Yousef", "Mariam", "Hamdan", "Fatima", "Tariq", "Aisha")
_AR_FAMILY = ("Al Mansoori", "Haddad", "Khoury", "Al Suwaidi", "Nasser", "Saleh", "Farouk", "Rahimi")
_ZA_GIVEN = ("Thabo", "Naledi", "Pieter", "Lerato", "Johan", "Zanele", "Sipho", "Annelie", "Kagiso", "Ruan")
_ZA_FAMILY = ("Nkosi", "van der Merwe", "Dlamini", "Botha", "Mokoena", "Pretorius", "Khumalo", "Naidoo")

_POOLS = {
    "en": (_EN_GIVEN, _EN_FAMILY),
    "sea": (_SEA_CN_GIVEN, _SEA_CN_FAMILY),
    "hk": (_HK_GIVEN, _HK_FAMILY),
    "tw": (_TW_GIVEN, _TW_FAMILY),
    "in": (_IN_GIVEN, _IN_FAMILY),
    "jp": (_JP_GIVEN, _JP_FAMILY),
    "kr": (_KR_GIVEN, _KR_FAMILY),
    "my": (_MY_GIVEN, _MY_FAMILY),
    "de": (_DE_GIVEN, _DE_FAMILY),
    "fr": (_FR_GIVEN, _FR_FAMILY),
    "nl": (_NL_GIVEN, _NL_FAMILY),
    "se": (_SE_GIVEN, _SE_FAMILY),
    "es": (_ES_GIVEN, _ES_FAMILY),
    "br": (_BR_GIVEN, _BR_FAMILY),
    "ar": (_AR_GIVEN, _AR_FAMILY),
    "za": (_ZA_GIVEN, _ZA_FAMILY),
}
# Which names a company's people have, by country: (culture, weight) pairs.
_CULTURES = {
    "SG": (("sea", 6), ("in", 2), ("my", 1), ("en", 1)),
    "MY": (("my", 5), ("sea", 4), ("in", 1)),
    "AU": (("en", 7), ("sea", 2), ("in", 1)),
    "NZ": (("en", 8), ("sea", 2)),
    "JP": (("jp", 1),),
    "IN": (("in", 1),),
    "ID": (("my", 1),),
    "KR": (("kr", 1),),
    "CN": (("cn", 1),),
    "HK": (("hk", 8), ("en", 2)),
    "TW": (("tw", 1),),
    "GB": (("en", 8), ("in", 2)),
    "DE": (("de", 1),),
    "NL": (("nl", 1),),
    "FR": (("fr", 1),),
    "SE": (("se", 1),),
    "AE": (("ar", 6), ("en", 2), ("in", 2)),
    "ZA": (("za", 1),),
    "CH": (("de", 3), ("fr", 1)),
    "ES": (("es", 1),),
    "US": (("en", 8), ("es", 1), ("in", 1)),
    "CA": (("en", 7), ("fr", 2), ("sea", 1)),
    "BR": (("br", 1),),
    "MX": (("es", 1),),
}


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only, accents dropped: 'Lefèvre' -> 'lefevre', 'de Vries' -> 'devries'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def person_name(rng: random.Random, country: str) -> tuple[str, str]:
    """A display name fitting the country, and the `given.family` stem of an email address."""
    cultures = _CULTURES.get(country, (("en", 1),))
    culture = rng.choices([c for c, _ in cultures], [w for _, w in cultures])[0]
    if culture == "cn":
        (given_zh, given), (family_zh, family) = rng.choice(_CN_GIVEN), rng.choice(_CN_FAMILY)
        return f"{family_zh}{given_zh}", f"{ascii_slug(given)}.{ascii_slug(family)}"
    given_pool, family_pool = _POOLS[culture]
    given, family = rng.choice(given_pool), rng.choice(family_pool)
    return f"{given} {family}", f"{ascii_slug(given)}.{ascii_slug(family)}"


def synthetic_company(index: int) -> str:
    """The index-th name of the program scale's companies (unique up to 40 x 25 x 4 names)."""
    stem, rest = _STEMS[index % len(_STEMS)], index // len(_STEMS)
    noun, series = _NOUNS[rest % len(_NOUNS)], rest // len(_NOUNS)
    return f"{stem} {noun}" + ("" if series == 0 else f" {('Group', 'Co', 'International', 'Asia')[series % 4]}")
