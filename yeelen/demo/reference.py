"""Reference data of the demo utility: places of Dakar, names, categories, anomaly and intervention codes.

Everything the generator draws from lives here so that the warehouse seeds (anomaly labels, patterns) can be
built from the same lists. Coordinates are approximate (about 100 m) and were chosen a little inland.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A Dakar neighbourhood served by an agency (*agence*)."""

    code: str
    name: str
    city: str
    latitude: float
    longitude: float
    # Spread of the network around the centre, in km.
    radius_km: float
    # Relative number of customers, roughly the neighbourhood's population.
    weight: float
    # Sub-areas used in addresses and equipment names.
    areas: tuple[str, ...]
    # 'avenue' (areas are streets), 'rue' (grid of numbered streets), 'villa' (cités), 'quartier' (suburbs).
    address_style: str


# Ordered by how early a small utility would serve them: a 1,000-customer demo keeps the first few.
AGENCIES: tuple[Place, ...] = (
    Place(
        "PLT",
        "Plateau",
        "Dakar",
        14.6705,
        -17.4350,
        0.40,
        3,
        (
            "Rue Carnot",
            "Rue Félix Faure",
            "Avenue Georges Pompidou",
            "Rue Jules Ferry",
            "Avenue Lamine Guèye",
            "Rue Mohamed V",
            "Rue Vincens",
            "Kermel",
        ),
        "avenue",
    ),
    Place(
        "MED",
        "Médina",
        "Dakar",
        14.6850,
        -17.4465,
        0.50,
        5,
        ("Médina", "Gueule Tapée", "Fass", "Colobane", "Tilène", "Rebeuss"),
        "rue",
    ),
    Place(
        "GDK",
        "Grand Dakar",
        "Dakar",
        14.7090,
        -17.4505,
        0.60,
        6,
        ("Grand Dakar", "Sicap Baobab", "Niary Tally", "Biscuiterie", "Dieuppeul", "Derklé", "HLM"),
        "villa",
    ),
    Place(
        "PKN",
        "Pikine",
        "Pikine",
        14.7560,
        -17.3920,
        0.90,
        10,
        ("Pikine Ouest", "Pikine Est", "Guinaw Rail", "Icotaf", "Thiaroye Gare", "Dalifort", "Tally Boubess"),
        "quartier",
    ),
    Place(
        "PAS",
        "Parcelles Assainies",
        "Dakar",
        14.7620,
        -17.4350,
        0.80,
        8,
        ("Unité 3", "Unité 8", "Unité 12", "Unité 15", "Unité 22", "Unité 26", "Cambérène"),
        "villa",
    ),
    Place(
        "GDW",
        "Guédiawaye",
        "Guédiawaye",
        14.7780,
        -17.4000,
        0.80,
        7,
        ("Sam Notaire", "Golf Sud", "Wakhinane Nimzatt", "Ndiarème Limamoulaye", "Médina Gounass"),
        "quartier",
    ),
    Place(
        "RUF",
        "Rufisque",
        "Rufisque",
        14.7240,
        -17.2760,
        0.80,
        6,
        ("Rufisque Nord", "Keury Souf", "Thiawlène", "Diokoul", "Colobane Rufisque", "Cité Filaos"),
        "quartier",
    ),
    Place(
        "YOF",
        "Yoff",
        "Dakar",
        14.7520,
        -17.4700,
        0.60,
        4,
        ("Yoff Village", "Tonghor", "Nord Foire", "Ouest Foire", "Cité Djily Mbaye", "Cité Biagui"),
        "villa",
    ),
    Place(
        "OKM",
        "Ouakam",
        "Dakar",
        14.7220,
        -17.4850,
        0.60,
        3,
        ("Ouakam Village", "Cité Avion", "Mamelles", "Cité Comico", "Cité Batrain"),
        "villa",
    ),
    Place(
        "KMS",
        "Keur Massar",
        "Keur Massar",
        14.7820,
        -17.3150,
        1.00,
        7,
        ("Keur Massar Nord", "Keur Massar Sud", "Aladji Pathé", "Jaxaay", "Boune", "Cité Unité 3"),
        "quartier",
    ),
    Place(
        "SCC",
        "Sacré-Cœur",
        "Dakar",
        14.7180,
        -17.4630,
        0.70,
        5,
        ("Sacré-Cœur 3", "Mermoz", "Liberté 6", "Sicap Karack", "Sicap Amitié", "Cité Keur Gorgui"),
        "villa",
    ),
    Place(
        "GYF",
        "Grand Yoff",
        "Dakar",
        14.7380,
        -17.4520,
        0.70,
        5,
        ("Grand Yoff", "Arafat", "Khar Yalla", "Cité Millionnaire", "Patte d'Oie", "Cité Soprim"),
        "quartier",
    ),
    Place(
        "YMB",
        "Yeumbeul",
        "Pikine",
        14.7720,
        -17.3500,
        0.80,
        5,
        ("Yeumbeul Nord", "Yeumbeul Sud", "Malika", "Thiaroye Kao", "Diamaguène"),
        "quartier",
    ),
    Place(
        "MBA",
        "Mbao",
        "Pikine",
        14.7500,
        -17.3350,
        0.70,
        4,
        ("Petit Mbao", "Grand Mbao", "Sicap Mbao", "Fass Mbao", "Zone de captage"),
        "quartier",
    ),
    Place(
        "HNN",
        "Hann Bel-Air",
        "Dakar",
        14.7330,
        -17.4380,
        0.50,
        3,
        ("Hann Maristes", "Hann Village", "Bel-Air", "Zone industrielle", "Hann Montagne"),
        "villa",
    ),
    Place(
        "FAN",
        "Fann-Point E",
        "Dakar",
        14.6970,
        -17.4570,
        0.50,
        3,
        ("Point E", "Amitié", "Fann Résidence", "Fann Hock", "Cité Claudel"),
        "villa",
    ),
    Place(
        "NGR",
        "Ngor-Almadies",
        "Dakar",
        14.7420,
        -17.5050,
        0.50,
        2,
        ("Almadies", "Ngor Village", "Virage", "Cité Mamelles", "Route de Ngor"),
        "villa",
    ),
    Place(
        "BGY",
        "Bargny",
        "Bargny",
        14.7050,
        -17.2150,
        0.60,
        2,
        ("Bargny Guedj", "Minam", "Sindiane", "Ndiobène"),
        "quartier",
    ),
    Place(
        "DMN",
        "Diamniadio",
        "Diamniadio",
        14.7220,
        -17.1800,
        1.00,
        2,
        ("Diamniadio Centre", "Pôle urbain", "Déni Malick Gueye", "Cité de l'Émergence"),
        "villa",
    ),
    Place(
        "SGK",
        "Sangalkam",
        "Sangalkam",
        14.7850,
        -17.2300,
        1.00,
        2,
        ("Sangalkam", "Bambilor", "Tivaouane Peulh", "Niacourab", "Noflaye"),
        "quartier",
    ),
    Place(
        "SBK",
        "Sébikotane",
        "Sébikotane",
        14.7480,
        -17.1350,
        0.90,
        1,
        ("Sébikotane Centre", "Kessoukhatte", "Ndoyène", "Pout Diack"),
        "quartier",
    ),
)


@dataclass(frozen=True)
class SourceSubstation:
    """A source substation (*poste source*) of the Dakar grid."""

    code: str
    name: str
    latitude: float
    longitude: float
    voltage_kv: str
    commissioned: int


SUBSTATIONS: tuple[SourceSubstation, ...] = (
    SourceSubstation("PS-UNIV", "Poste source Université", 14.6925, -17.4590, "90", 1972),
    SourceSubstation("PS-BELAIR", "Poste source Bel-Air", 14.7000, -17.4370, "90", 1965),
    SourceSubstation("PS-HANN", "Poste source Hann", 14.7270, -17.4390, "225", 1978),
    SourceSubstation("PS-PDOIE", "Poste source Patte d'Oie", 14.7450, -17.4430, "90", 1986),
    SourceSubstation("PS-THIONA", "Poste source Thiona", 14.7660, -17.3800, "90", 2004),
    SourceSubstation("PS-CDB", "Poste source Cap des Biches", 14.7420, -17.3420, "90", 1979),
    SourceSubstation("PS-AERO", "Poste source Aéroport", 14.7430, -17.4820, "90", 1995),
    SourceSubstation("PS-MBAO", "Poste source Mbao", 14.7530, -17.3250, "225", 1999),
    SourceSubstation("PS-GDW", "Poste source Guédiawaye", 14.7800, -17.3950, "90", 2009),
    SourceSubstation("PS-RUF", "Poste source Rufisque", 14.7270, -17.2850, "90", 1983),
    SourceSubstation("PS-KOUN", "Poste source Kounoune", 14.7600, -17.2600, "225", 2008),
    SourceSubstation("PS-DMN", "Poste source Diamniadio", 14.7280, -17.1900, "225", 2016),
    SourceSubstation("PS-SBK", "Poste source Sébikotane", 14.7500, -17.1450, "90", 2012),
)

TRANSFORMER_RATINGS_KVA = (100, 160, 250, 400, 630)

FIRST_NAMES_MALE = (
    "Mamadou",
    "Moussa",
    "Ibrahima",
    "Cheikh",
    "Abdoulaye",
    "Ousmane",
    "Modou",
    "Amadou",
    "Aliou",
    "Babacar",
    "Serigne",
    "Pape",
    "Mouhamed",
    "Omar",
    "Lamine",
    "Souleymane",
    "Assane",
    "Idrissa",
    "Malick",
    "Alioune",
    "Boubacar",
    "Saliou",
    "Djibril",
    "Ablaye",
    "Demba",
    "Samba",
    "Mor",
    "Massamba",
    "El Hadji",
    "Seydou",
    "Khadim",
    "Youssou",
    "Ismaïla",
    "Bassirou",
    "Birame",
    "Matar",
    "Fallou",
    "Abdou",
    "Mbaye",
    "Daouda",
)
FIRST_NAMES_FEMALE = (
    "Fatou",
    "Aminata",
    "Awa",
    "Mariama",
    "Aïssatou",
    "Khady",
    "Ndèye",
    "Coumba",
    "Astou",
    "Fatoumata",
    "Adama",
    "Rokhaya",
    "Sokhna",
    "Dieynaba",
    "Bineta",
    "Marième",
    "Seynabou",
    "Oumou",
    "Yacine",
    "Mame Diarra",
    "Ramatoulaye",
    "Khadija",
    "Penda",
    "Maïmouna",
    "Nafissatou",
    "Arame",
    "Anta",
    "Dior",
    "Codou",
    "Ngoné",
    "Safiétou",
    "Kiné",
    "Absa",
    "Mame Fatou",
    "Ndèye Fatou",
)
# Family names with their rough relative frequency in Dakar.
LAST_NAMES: tuple[tuple[str, float], ...] = (
    ("Diop", 9),
    ("Ndiaye", 9),
    ("Fall", 6),
    ("Sow", 5),
    ("Ba", 5),
    ("Diallo", 5),
    ("Gueye", 5),
    ("Faye", 4),
    ("Sarr", 4),
    ("Mbaye", 4),
    ("Cissé", 3),
    ("Thiam", 3),
    ("Seck", 3),
    ("Niang", 3),
    ("Kane", 2.5),
    ("Sy", 2.5),
    ("Diouf", 3),
    ("Sall", 2.5),
    ("Ndour", 1.5),
    ("Dieng", 2),
    ("Touré", 2),
    ("Camara", 2),
    ("Wade", 1.5),
    ("Ndao", 1.2),
    ("Mbengue", 1.5),
    ("Diagne", 1.5),
    ("Dione", 1.2),
    ("Gaye", 1.2),
    ("Samb", 1.2),
    ("Kébé", 1),
    ("Lô", 1),
    ("Sène", 1.2),
    ("Tall", 1),
    ("Diakhaté", 1),
    ("Badji", 1),
    ("Sagna", 1),
    ("Mendy", 1.2),
    ("Gomis", 1),
    ("Diatta", 1),
    ("Sané", 0.8),
    ("Coly", 0.8),
    ("Thiaw", 1),
    ("Ndoye", 1),
    ("Diaw", 0.8),
    ("Goudiaby", 0.6),
    ("Ly", 1),
    ("Barry", 1),
    ("Mbodj", 1),
    ("Sylla", 1),
    ("Dramé", 0.8),
)

BUSINESS_KINDS = (
    "Boulangerie",
    "Quincaillerie",
    "Pharmacie",
    "Hôtel",
    "Restaurant",
    "Alimentation générale",
    "Boutique",
    "Atelier de couture",
    "Salon de coiffure",
    "Menuiserie métallique",
    "Station-service",
    "Clinique",
    "Cabinet médical",
    "Garage",
    "Imprimerie",
    "Multiservices",
    "Dibiterie",
    "Fast-food",
    "Pâtisserie",
    "Pressing",
    "Cabinet dentaire",
    "École privée",
    "Auto-école",
    "Supérette",
    "Poissonnerie",
    "Dépôt de boissons",
    "Cybercafé",
    "Librairie",
    "Laboratoire d'analyses",
    "Menuiserie bois",
)
BUSINESS_NAMES = (
    "Teranga",
    "Baobab",
    "Touba",
    "Darou Salam",
    "Serigne Touba",
    "Keur Serigne Bi",
    "Al Amine",
    "Khadimou Rassoul",
    "Bamba",
    "Diamono",
    "Jamm",
    "Yaakaar",
    "Lat Dior",
    "Kaay Lekk",
    "Le Djolof",
    "La Renaissance",
    "Le Sahel",
    "Cap-Vert",
    "Ndeyssane",
    "Mame Diarra",
    "Sopé Nabi",
    "Liggéey",
    "Nirvana",
    "Sen Services",
    "Le Flamboyant",
)
INDUSTRIES = (
    "Industries {name} SA",
    "Société {name} de Transformation",
    "Minoterie {name}",
    "Usine de plastiques {name}",
    "Hôtel {name} SA",
    "Centre commercial {name}",
    "Clinique {name}",
    "Entrepôts frigorifiques {name}",
    "Tannerie {name}",
    "Brasserie {name}",
)
EMINENT_NAMES = (
    "Blaise Diagne",
    "Lamine Guèye",
    "Lat Dior",
    "Cheikh Anta Diop",
    "Léopold Sédar Senghor",
    "Mariama Bâ",
    "Aline Sitoé Diatta",
    "Ndiadiane Ndiaye",
    "Alboury Ndiaye",
    "El Hadji Malick Sy",
    "Seydou Nourou Tall",
    "Abdoulaye Sadji",
    "Birago Diop",
    "Ousmane Sembène",
    "Valdiodio Ndiaye",
)
MINISTRIES = (
    "Ministère de l'Éducation nationale",
    "Ministère de la Santé et de l'Action sociale",
    "Ministère des Finances et du Budget",
    "Ministère de l'Intérieur",
    "Ministère de l'Agriculture",
    "Ministère de la Justice",
    "Ministère des Forces armées",
    "Ministère de l'Énergie et du Pétrole",
    "Ministère de l'Eau et de l'Assainissement",
    "Ministère du Commerce",
    "Ministère des Affaires étrangères",
    "Ministère de la Communication",
)
# Public bodies: name template and grouping (*regroupement*). {area} is a sub-area, {city} the agency's town,
# {eminent} a person schools and hospitals are named after.
PUBLIC_BODIES: tuple[tuple[str, str], ...] = (
    ("Mairie de {city}", "COMMUNE"),
    ("École élémentaire {eminent}", "ETAT"),
    ("Lycée {eminent}", "ETAT"),
    ("CEM {area}", "ETAT"),
    ("Centre de santé de {area}", "ETAT"),
    ("Poste de santé {area}", "ETAT"),
    ("Brigade de gendarmerie de {city}", "ETAT"),
    ("Commissariat de police de {area}", "ETAT"),
    ("Marché {area}", "COMMUNE"),
    ("Stade municipal de {city}", "COMMUNE"),
    ("Mosquée de {area}", "CULTE"),
    ("Inspection de l'éducation de {city}", "ETAT"),
)
PUBLIC_MV_BODIES: tuple[tuple[str, str], ...] = (
    ("Hôpital {eminent}", "ETAT"),
    ("Université {eminent}", "ETAT"),
    ("Camp militaire {eminent}", "ETAT"),
    ("Station de pompage de {area}", "ETAT"),
)
EMAIL_DOMAINS = ("gmail.com", "yahoo.fr", "orange.sn", "hotmail.com")
# Mobile prefixes (Orange 77/78, Free 76, Expresso 70, Promobile 75) with their rough market shares.
MOBILE_PREFIXES: tuple[tuple[str, float], ...] = (("77", 0.45), ("78", 0.2), ("76", 0.2), ("70", 0.1), ("75", 0.05))

# Contract categories: commodity, share within the commodity, subscribed powers (kVA, or mm for water) with
# their weights, monthly consumption level and billing cycle.
ELECTRICITY_SHARES: dict[str, float] = {
    "DOM_SOCIAL": 0.30,
    "DOM": 0.48,
    "PRO": 0.15,
    "ADM": 0.04,
    "EP": 0.01,
    "MT": 0.003,
}
WATER_SHARES: dict[str, float] = {"EAU_DOM": 0.85, "EAU_PRO": 0.11, "EAU_ADM": 0.04}
POWERS: dict[str, tuple[tuple[str, float], ...]] = {
    "DOM_SOCIAL": (("3", 1.0),),
    "DOM": (("6", 0.4), ("9", 0.3), ("12", 0.2), ("15", 0.1)),
    "PRO": (
        ("6", 0.12),
        ("9", 0.18),
        ("12", 0.15),
        ("15", 0.1),
        ("16.5", 0.08),
        ("22", 0.08),
        ("27.5", 0.06),
        ("33", 0.06),
        ("36", 0.06),
        ("44", 0.04),
        ("55", 0.04),
        ("66", 0.03),
    ),
    "ADM": (
        ("12", 0.2),
        ("15", 0.15),
        ("22", 0.15),
        ("36", 0.15),
        ("44", 0.1),
        ("66", 0.1),
        ("90", 0.1),
        ("120", 0.05),
    ),
    "EP": (("3", 0.15), ("6", 0.25), ("9", 0.2), ("12", 0.15), ("18", 0.1), ("24", 0.1), ("36", 0.05)),
    "MT": (
        ("100", 0.15),
        ("160", 0.2),
        ("250", 0.25),
        ("400", 0.2),
        ("630", 0.12),
        ("800", 0.05),
        ("1000", 0.03),
    ),
    "EAU_DOM": (("15", 0.85), ("20", 0.15)),
    "EAU_PRO": (("20", 0.4), ("25", 0.3), ("32", 0.2), ("40", 0.1)),
    "EAU_ADM": (("25", 0.3), ("32", 0.3), ("40", 0.25), ("50", 0.15)),
}
# Share of contracts of the category billed every two months; the others are monthly.
BIMONTHLY_SHARE: dict[str, float] = {"DOM_SOCIAL": 0.6, "DOM": 0.6, "EAU_DOM": 1.0}

# Why a reader could not read, or what they noticed. ``has_index`` says whether the reading carries an index.
ANOMALIES: tuple[tuple[str, str, str, bool], ...] = (
    ("NO_ACCESS", "Accès impossible au compteur", "No access to the meter", False),
    ("UNREADABLE", "Cadran illisible", "Unreadable dial", False),
    ("METER_STUCK", "Compteur bloqué", "Meter stuck", True),
    ("SEAL_BROKEN", "Scellé cassé", "Seal broken", True),
    ("METER_REVERSED", "Compteur inversé", "Meter running backwards", True),
    ("METER_DAMAGED", "Compteur endommagé", "Meter damaged", True),
    ("PREMISES_VACANT", "Local inoccupé", "Premises vacant", True),
    ("LEAK", "Fuite après compteur", "Leak after the meter", True),
)
ANOMALY_CODES = tuple(code for code, *_ in ANOMALIES)

INTERVENTION_KINDS: tuple[tuple[str, str, str], ...] = (
    ("inspection", "Contrôle du compteur", "Meter inspection"),
    ("seal_placed", "Pose de scellé", "Seal placed"),
    ("seal_broken", "Scellé trouvé cassé", "Seal found broken"),
    ("repair", "Réparation", "Repair"),
    ("replacement", "Remplacement de compteur", "Meter replacement"),
    ("disconnection", "Coupure", "Disconnection"),
    ("reconnection", "Rétablissement", "Reconnection"),
)

# Non-technical loss patterns of the theft-detection literature (Jokar et al. 2016, Zheng et al. 2018).
THEFT_PATTERNS: tuple[tuple[str, str, str, float], ...] = (
    ("zero", "Index bloqué : consommation nulle", "Zero readings: the index stops moving", 0.15),
    ("constant_cut", "Réduction constante", "Constant cut by a factor", 0.30),
    ("progressive", "Réduction progressive", "Progressive reduction over months", 0.20),
    ("intermittent", "Fraude intermittente", "Intermittent theft, on and off by period", 0.20),
    ("post_intervention", "Baisse après intervention", "Cut starting after a meter intervention", 0.15),
)
PATTERN_CODES = tuple(code for code, *_ in THEFT_PATTERNS)

# Payment behaviour: share of customers, typical delay in days (median, spread) and share of each bill paid.
PAYMENT_BEHAVIOURS: tuple[tuple[str, float], ...] = (
    ("on_time", 0.55),
    ("late", 0.25),
    ("partial", 0.12),
    ("never", 0.08),
)
PAYMENT_CHANNELS: tuple[tuple[str, float], ...] = (
    ("cash_desk", 0.37),
    ("wave", 0.30),
    ("orange_money", 0.20),
    ("free_money", 0.03),
    ("bank", 0.10),
)

ELECTRICITY_METER_BRANDS = ("Landis+Gyr", "Itron", "Sagemcom", "Hexing", "Inhemeter", "Conlog")
WATER_METER_BRANDS = ("Sensus", "Itron", "Elster", "Zenner")
