#!/usr/bin/env python3
"""Build ``src/nvo_nlp/data/gazetteer/places.json``.

Deterministic: the same input files produce byte-identical output.

Inputs (``--shared``, default ``<repo>/../shared/data``):

* ``gazetteer/iso3166_2/iso3166-2_LT_LV_from_pycountry-26.2.16.tsv`` -- LT/LV subdivision codes
  (from pycountry, LGPL-2.1);
* ``gazetteer/lt_parasykjiems/institutions/savivaldybė.csv``, ``seniūnija.csv`` and
  ``gazetteer/lt_parasykjiems/territories/*.csv`` -- Lithuanian municipality / eldership names and
  the towns ("X miestas") of every municipality (parasykjiems.lt, AGPL-3.0);
* ``gazetteer/lv_admin_mentions_from_fullstack_ner.tsv`` -- only used to *measure* recall of the
  Latvian forms (LUMII FullStack, CC BY-SA 4.0); nothing from it is copied into the output;
* ``ud/lt/*.conllu``, ``ud/lv/*.conllu`` (optional) -- only used to drop single-token forms that
  are frequent lowercase common words.

Country codes / English country names come from the installed ``pycountry`` package.

Everything else (case-ending tables, nominatives of towns, exonyms) is hand-written data below.

Usage::

    python scripts/build_gazetteer.py [--shared DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO / ".." / "shared" / "data"
DEFAULT_OUT = REPO / "src" / "nvo_nlp" / "data" / "gazetteer" / "places.json"

ISO_TSV = "gazetteer/iso3166_2/iso3166-2_LT_LV_from_pycountry-26.2.16.tsv"
PJ_DIR = "gazetteer/lt_parasykjiems"
LV_MENTIONS = "gazetteer/lv_admin_mentions_from_fullstack_ner.tsv"

MUNI, PLACE, COUNTRY = "MUNICIPALITY", "PLACE", "COUNTRY"

# --------------------------------------------------------------------------------------------
# Declension tables (data).  Lithuanian cases: gen, dat, acc, ins, loc (nominative = the key).
# Latvian cases: gen, dat, acc, loc (Latvian instrumental = "ar" + accusative).
# --------------------------------------------------------------------------------------------

LT_SINGULAR: dict[str, tuple[str, str, str, str, str]] = {
    "as": ("o", "ui", "ą", "u", "e"),  # Kaunas, rajonas, miestas
    "is": ("io", "iui", "į", "iu", "yje"),  # Kupiškis (masc.; t->č, d->dž before io/iu)
    "ys": ("io", "iui", "į", "iu", "yje"),  # Panevėžys
    "us": ("aus", "ui", "ų", "umi", "uje"),  # Alytus, Subačius
    "a": ("os", "ai", "ą", "a", "oje"),  # Klaipėda, Latvija, seniūnija
    "ė": ("ės", "ei", "ę", "e", "ėje"),  # Tauragė, savivaldybė
}
LT_SINGULAR_FEM_IS: dict[str, tuple[str, str, str, str, str]] = {
    "is": ("ies", "iai", "į", "imi", "yje"),  # apskritis (feminine -is)
}
LT_PLURAL: dict[str, tuple[str, str, str, str, str]] = {
    "iai": ("ių", "iams", "ius", "iais", "iuose"),  # Šiauliai
    "ai": ("ų", "ams", "us", "ais", "uose"),  # Trakai, Gargždai
    "os": ("ų", "oms", "as", "omis", "ose"),  # Širvintos
    "ės": ("ių", "ėms", "es", "ėmis", "ėse"),  # Eišiškės
    "ys": ("ių", "ims", "is", "imis", "yse"),  # Kaišiadorys, Švenčionys
}
# feminine definite adjectives agreeing with the head: Naujoji Akmenė, kaimiškoji seniūnija
LT_DEF_ADJ_FEM: dict[str, tuple[str, str, str, str, str]] = {
    "oji": ("osios", "ajai", "ąją", "ąja", "ojoje"),
}
LT_FEMININE_IS = {"apskritis"}
LT_BACK_VOWELS = "aąouųū"

LV_SINGULAR: dict[str, tuple[str, str, str, str]] = {
    "pils": ("pils", "pilij", "pili", "pilī"),  # Daugavpils, Ventspils, Salaspils (6th decl.)
    "us": ("us", "um", "u", "ū"),  # Saldus (3rd decl.)
    "is": ("a", "im", "i", "ī"),  # apriņķis (2nd decl., no consonant change)
    "š": ("a", "am", "u", "ā"),
    "s": ("a", "am", "u", "ā"),  # novads, Tukums, rajons (1st decl.)
    "a": ("as", "ai", "u", "ā"),  # Liepāja, pilsēta, pašvaldība (4th decl.)
    "e": ("es", "ei", "i", "ē"),  # Rēzekne, dome (5th decl.)
}
LV_PLURAL: dict[str, tuple[str, str, str, str]] = {
    "i": ("u", "iem", "us", "os"),  # Talsi, Preiļi, Šauļi
    "as": ("u", "ām", "as", "ās"),
    "es": ("u", "ēm", "es", "ēs"),
    "is": ("u", "īm", "is", "īs"),  # Cēsis
}

# --------------------------------------------------------------------------------------------
# Hand-written name data
# --------------------------------------------------------------------------------------------

# Lithuanian towns ("X miestas" in parasykjiems territories): genitive -> nominative.
# Every entry is verified by regenerating the genitive with the tables above.
LT_TOWN_NOM = {
    "Akmenės": "Akmenė",
    "Alytaus": "Alytus",
    "Anykščių": "Anykščiai",
    "Ariogalos": "Ariogala",
    "Baltosios Vokės": "Baltoji Vokė",
    "Birštono": "Birštonas",
    "Biržų": "Biržai",
    "Daugų": "Daugai",
    "Druskininkų": "Druskininkai",
    "Dusetų": "Dusetos",
    "Dūkšto": "Dūkštas",
    "Eišiškių": "Eišiškės",
    "Elektrėnų": "Elektrėnai",
    "Ežerėlio": "Ežerėlis",
    "Gargždų": "Gargždai",
    "Garliavos": "Garliava",
    "Gelgaudiškio": "Gelgaudiškis",
    "Grigiškių": "Grigiškės",
    "Ignalinos": "Ignalina",
    "Jiezno": "Jieznas",
    "Jonavos": "Jonava",
    "Joniškio": "Joniškis",
    "Joniškėlio": "Joniškėlis",
    "Jurbarko": "Jurbarkas",
    "Kaišiadorių": "Kaišiadorys",
    "Kalvarijos": "Kalvarija",
    "Kauno": "Kaunas",
    "Kavarsko": "Kavarskas",
    "Kazlų Rūdos": "Kazlų Rūda",
    "Kelmės": "Kelmė",
    "Klaipėdos": "Klaipėda",
    "Kretingos": "Kretinga",
    "Kudirkos Naumiesčio": "Kudirkos Naumiestis",
    "Kupiškio": "Kupiškis",
    "Kuršėnų": "Kuršėnai",
    "Kybartų": "Kybartai",
    "Kėdainių": "Kėdainiai",
    "Lazdijų": "Lazdijai",
    "Lentvario": "Lentvaris",
    "Linkuvos": "Linkuva",
    "Marijampolės": "Marijampolė",
    "Mažeikių": "Mažeikiai",
    "Molėtų": "Molėtai",
    "Naujosios Akmenės": "Naujoji Akmenė",
    "Nemenčinės": "Nemenčinė",
    "Neringos": "Neringa",
    "Obelių": "Obeliai",
    "Pabradės": "Pabradė",
    "Pagėgių": "Pagėgiai",
    "Pakruojo": "Pakruojis",
    "Palangos": "Palanga",
    "Pandėlio": "Pandėlys",
    "Panemunės": "Panemunė",
    "Panevėžio": "Panevėžys",
    "Pasvalio": "Pasvalys",
    "Plungės": "Plungė",
    "Priekulės": "Priekulė",
    "Prienų": "Prienai",
    "Radviliškio": "Radviliškis",
    "Ramygalos": "Ramygala",
    "Raseinių": "Raseiniai",
    "Rietavo": "Rietavas",
    "Rokiškio": "Rokiškis",
    "Rūdiškių": "Rūdiškės",
    "Salantų": "Salantai",
    "Sedos": "Seda",
    "Simno": "Simnas",
    "Skaudvilės": "Skaudvilė",
    "Skuodo": "Skuodas",
    "Smalininkų": "Smalininkai",
    "Subačiaus": "Subačius",
    "Tauragės": "Tauragė",
    "Telšių": "Telšiai",
    "Trakų": "Trakai",
    "Troškūnų": "Troškūnai",
    "Tytuvėnų": "Tytuvėnai",
    "Ukmergės": "Ukmergė",
    "Utenos": "Utena",
    "Užvenčio": "Užventis",
    "Vabalninko": "Vabalninkas",
    "Varnių": "Varniai",
    "Varėnos": "Varėna",
    "Veisiejų": "Veisiejai",
    "Ventos": "Venta",
    "Viekšnių": "Viekšniai",
    "Vievio": "Vievis",
    "Vilkaviškio": "Vilkaviškis",
    "Vilkijos": "Vilkija",
    "Vilniaus": "Vilnius",
    "Virbalio": "Virbalis",
    "Visagino": "Visaginas",
    "Zarasų": "Zarasai",
    "Šakių": "Šakiai",
    "Šalčininkų": "Šalčininkai",
    "Šeduvos": "Šeduva",
    "Šiaulių": "Šiauliai",
    "Šilalės": "Šilalė",
    "Šilutės": "Šilutė",
    "Širvintų": "Širvintos",
    "Švenčionių": "Švenčionys",
    "Švenčionėlių": "Švenčionėliai",
    "Žagarės": "Žagarė",
    "Žiežmarių": "Žiežmariai",
}
# Municipalities that are (essentially) one town: the town takes the municipality id.
LT_OWN_TOWN_PLAIN_MUNIS = {"LT-28", "LT-59"}  # Neringa, Visaginas (city municipalities too)

# Latvian exonyms of some Lithuanian towns (lt nominative -> lv nominative).
LT_TOWN_LV = {
    "Vilnius": "Viļņa",
    "Kaunas": "Kauņa",
    "Klaipėda": "Klaipēda",
    "Šiauliai": "Šauļi",
    "Panevėžys": "Panevēža",
    "Alytus": "Alīte",
    "Palanga": "Palanga",
    "Visaginas": "Visagina",
    "Druskininkai": "Druskininki",
    "Trakai": "Traķi",
    "Marijampolė": "Marijampole",
    "Utena": "Utena",
    "Tauragė": "Tauraģe",
    "Telšiai": "Telši",
    "Biržai": "Birži",
    "Mažeikiai": "Mažeiķi",
    "Kretinga": "Kretinga",
    "Neringa": "Neringa",
    "Zarasai": "Zarasi",
}

# Latvian novadi: genitive in the ISO name -> nominative of the (centre / historic) name.
LV_NOVADS_NOM = {
    "Aizkraukles": "Aizkraukle",
    "Alūksnes": "Alūksne",
    "Ādažu": "Ādaži",
    "Balvu": "Balvi",
    "Bauskas": "Bauska",
    "Cēsu": "Cēsis",
    "Dobeles": "Dobele",
    "Gulbenes": "Gulbene",
    "Jelgavas": "Jelgava",
    "Jēkabpils": "Jēkabpils",
    "Krāslavas": "Krāslava",
    "Kuldīgas": "Kuldīga",
    "Ķekavas": "Ķekava",
    "Limbažu": "Limbaži",
    "Līvānu": "Līvāni",
    "Ludzas": "Ludza",
    "Madonas": "Madona",
    "Mārupes": "Mārupe",
    "Ogres": "Ogre",
    "Olaines": "Olaine",
    "Preiļu": "Preiļi",
    "Rēzeknes": "Rēzekne",
    "Ropažu": "Ropaži",
    "Salaspils": "Salaspils",
    "Saldus": "Saldus",
    "Saulkrastu": "Saulkrasti",
    "Siguldas": "Sigulda",
    "Smiltenes": "Smiltene",
    "Talsu": "Talsi",
    "Tukuma": "Tukums",
    "Valkas": "Valka",
    "Varakļānu": "Varakļāni",
    "Ventspils": "Ventspils",
    "Augšdaugavas": "Augšdaugava",
    "Dienvidkurzemes": "Dienvidkurzeme",
    "Valmieras": "Valmiera",
}
# novadi without a same-named town (the centre is a state city or the name is a region)
LV_NOVADS_NO_TOWN = {"Jelgava", "Rēzekne", "Ventspils", "Augšdaugava", "Dienvidkurzeme", "Ropaži"}
LV_NOVADS_EN = {"Dienvidkurzeme": "South Kurzeme"}
# Lithuanian exonyms of Latvian novads names / towns and state cities (lv nominative -> lt).
LV_LT_EXONYM = {
    "Rīga": "Ryga",
    "Daugavpils": "Daugpilis",
    "Jelgava": "Jelgava",
    "Jūrmala": "Jūrmala",
    "Liepāja": "Liepoja",
    "Rēzekne": "Rėzeknė",
    "Ventspils": "Ventspilis",
    "Aizkraukle": "Aizkrauklė",
    "Alūksne": "Alūksnė",
    "Balvi": "Balviai",
    "Bauska": "Bauskė",
    "Cēsis": "Cėsys",
    "Dobele": "Dobelė",
    "Gulbene": "Gulbenė",
    "Jēkabpils": "Jekabpilis",
    "Krāslava": "Kraslava",
    "Kuldīga": "Kuldyga",
    "Limbaži": "Limbažiai",
    "Ludza": "Ludza",
    "Madona": "Madona",
    "Ogre": "Ogrė",
    "Olaine": "Olainė",
    "Preiļi": "Preiliai",
    "Salaspils": "Salaspilis",
    "Saldus": "Saldus",
    "Sigulda": "Sigulda",
    "Smiltene": "Smiltenė",
    "Talsi": "Talsai",
    "Tukums": "Tukumas",
    "Valka": "Valka",
    "Valmiera": "Valmiera",
}
# Latvian novadi of 2009-2021 (genitive as in "X novads") merged into a 2021 novads
# (key = genitive of the successor in the ISO list).  Same-named predecessors are not repeated.
LV_FORMER_NOVADI = {
    "Aizkraukles": ["Jaunjelgavas", "Kokneses", "Neretas", "Pļaviņu", "Skrīveru"],
    "Ādažu": ["Carnikavas"],
    "Augšdaugavas": ["Daugavpils", "Ilūkstes"],
    "Balvu": ["Baltinavas", "Rugāju", "Viļakas"],
    "Bauskas": ["Iecavas", "Rundāles", "Vecumnieku"],
    "Cēsu": ["Amatas", "Jaunpiebalgas", "Līgatnes", "Pārgaujas", "Priekuļu", "Vecpiebalgas"],
    "Dienvidkurzemes": ["Aizputes", "Durbes", "Grobiņas", "Nīcas", "Pāvilostas", "Priekules", "Rucavas", "Vaiņodes"],
    "Dobeles": ["Auces", "Tērvetes"],
    "Jelgavas": ["Ozolnieku"],
    "Jēkabpils": ["Aknīstes", "Krustpils", "Salas", "Viesītes"],
    "Krāslavas": ["Dagdas"],
    "Kuldīgas": ["Alsungas", "Skrundas"],
    "Ķekavas": ["Baldones"],
    "Limbažu": ["Alojas", "Salacgrīvas"],
    "Ludzas": ["Ciblas", "Kārsavas", "Zilupes"],
    "Madonas": ["Cesvaines", "Ērgļu", "Lubānas"],
    "Mārupes": ["Babītes"],
    "Ogres": ["Ikšķiles", "Ķeguma", "Lielvārdes"],
    "Preiļu": ["Aglonas", "Riebiņu", "Vārkavas"],
    "Rēzeknes": ["Viļānu"],
    "Ropažu": ["Garkalnes", "Stopiņu"],
    "Saldus": ["Brocēnu"],
    "Saulkrastu": ["Sējas"],
    "Siguldas": ["Inčukalna", "Krimuldas", "Mālpils"],
    "Smiltenes": ["Apes", "Raunas"],
    "Talsu": ["Dundagas", "Mērsraga", "Rojas"],
    "Tukuma": ["Engures", "Jaunpils", "Kandavas"],
    "Valmieras": ["Beverīnas", "Burtnieku", "Kocēnu", "Mazsalacas", "Naukšēnu", "Rūjienas", "Strenču"],
}
# plural Lithuanian exonyms (needed to pick the paradigm of -ys / -ai nominatives)
LT_PLURAL_NAMES = {"Cėsys", "Kaišiadorys", "Švenčionys"}
LV_PLURAL_NAMES = {"Cēsis"}
LV_STATE_CITY_EN = {"Rīga": "Riga"}

# Countries: alpha-2 -> (lt nominative, lv nominative, extra English names)
COUNTRIES = {
    "LT": ("Lietuva", "Lietuva", []),
    "LV": ("Latvija", "Latvija", []),
    "EE": ("Estija", "Igaunija", []),
    "PL": ("Lenkija", "Polija", []),
    "BY": ("Baltarusija", "Baltkrievija", []),
    "RU": ("Rusija", "Krievija", ["Russia"]),
    "UA": ("Ukraina", "Ukraina", []),
    "DE": ("Vokietija", "Vācija", []),
    "FI": ("Suomija", "Somija", []),
    "SE": ("Švedija", "Zviedrija", []),
    "NO": ("Norvegija", "Norvēģija", []),
    "DK": ("Danija", "Dānija", []),
    "FR": ("Prancūzija", "Francija", []),
    "IT": ("Italija", "Itālija", []),
    "ES": ("Ispanija", "Spānija", []),
    "BE": ("Belgija", "Beļģija", []),
    "AT": ("Austrija", "Austrija", []),
    "CZ": ("Čekija", "Čehija", ["Czech Republic"]),
    "IE": ("Airija", "Īrija", []),
    "HU": ("Vengrija", "Ungārija", []),
    "GR": ("Graikija", "Grieķija", []),
    "PT": ("Portugalija", "Portugāle", []),
    "CH": ("Šveicarija", "Šveice", []),
    "IS": ("Islandija", "Islande", []),
    "MD": ("Moldova", "Moldova", ["Moldova"]),
    "CN": ("Kinija", "Ķīna", []),
    "NL": ("Nyderlandai", "Nīderlande", ["the Netherlands", "Holland"]),
    "GB": ("Didžioji Britanija", "Lielbritānija", ["UK", "Great Britain", "Britain"]),
    "US": ("JAV", "ASV", ["USA", "United States of America"]),
}
COUNTRY_EN = {"RU": "Russia", "MD": "Moldova", "CZ": "Czechia"}
# Latvian names of frequent countries that pycountry's Latvian translation leaves untranslated.
LV_COUNTRY_NAMES = {
    "IR": "Irāna",
    "KP": "Ziemeļkoreja",
    "KR": "Dienvidkoreja",
    "LA": "Laosa",
    "MK": "Ziemeļmaķedonija",
    "SY": "Sīrija",
    "TR": "Turcija",
    "VN": "Vjetnama",
}
COUNTRY_EXTRA_FORMS = {  # lang -> [(phrase nominative, id)]
    "lt": [
        ("Lietuvos Respublika", "LT"),
        ("Latvijos Respublika", "LV"),  # (phrase, id[, agree])
        ("Jungtinė Karalystė", "GB", True),
    ],
    "lv": [("Latvijas Republika", "LV"), ("Lietuvas Republika", "LT")],
}
INDECLINABLE = {"JAV", "ASV"}

# A few capitals / large foreign cities: id "<country>:<slug>" -> (en, lt, lv, extra lt, extra en)
FOREIGN_CITIES = {
    "EE:tallinn": ("Tallinn", "Talinas", "Tallina", [], []),
    "PL:warsaw": ("Warsaw", "Varšuva", "Varšava", [], []),
    "BY:minsk": ("Minsk", "Minskas", "Minska", [], []),
    "RU:moscow": ("Moscow", "Maskva", "Maskava", [], []),
    "RU:kaliningrad": ("Kaliningrad", "Kaliningradas", "Kaļiņingrada", ["Karaliaučius"], []),
    "UA:kyiv": ("Kyiv", "Kyjivas", "Kijiva", ["Kijevas"], ["Kiev"]),
    "DE:berlin": ("Berlin", "Berlynas", "Berlīne", [], []),
    "FI:helsinki": ("Helsinki", "Helsinkis", "Helsinki", [], []),
    "SE:stockholm": ("Stockholm", "Stokholmas", "Stokholma", [], []),
    "DK:copenhagen": ("Copenhagen", "Kopenhaga", "Kopenhāgena", [], []),
    "BE:brussels": ("Brussels", "Briuselis", "Brisele", [], []),
}
LV_PLURAL_NAMES.add("Helsinki")

# Historical and ethnographic regions: id "<country>:<slug>" -> (en, lt, lv)
REGIONS = {
    "LT:aukstaitija": ("Aukštaitija", "Aukštaitija", "Augštaitija"),
    "LT:dzukija": ("Dzūkija", "Dzūkija", "Dzūkija"),
    "LT:suvalkija": ("Suvalkija", "Suvalkija", "Suvalkija"),
    "LT:zemaitija": ("Samogitia", "Žemaitija", "Žemaitija"),
    "LT:mazoji-lietuva": ("Lithuania Minor", "Mažoji Lietuva", "Mazā Lietuva"),
    "LV:kurzeme": ("Courland", "Kuršas", "Kurzeme"),
    "LV:latgale": ("Latgale", "Latgala", "Latgale"),
    "LV:selija": ("Selonia", "Sėla", "Sēlija"),
    "LV:vidzeme": ("Vidzeme", "Vidžemė", "Vidzeme"),
    "LV:zemgale": ("Semigallia", "Žiemgala", "Zemgale"),
}

# Continents and parts of the world: id "world:<slug>" -> (en, lt, lv); no country.
WORLD_REGIONS = {
    "world:europe": ("Europe", "Europa", "Eiropa"),
    "world:asia": ("Asia", "Azija", "Āzija"),
    "world:africa": ("Africa", "Afrika", "Āfrika"),
    "world:america": ("America", "Amerika", "Amerika"),
    "world:north-america": ("North America", "Šiaurės Amerika", "Ziemeļamerika"),
    "world:south-america": ("South America", "Pietų Amerika", "Dienvidamerika"),
    "world:latin-america": ("Latin America", "Lotynų Amerika", "Latīņamerika"),
    "world:antarctica": ("Antarctica", "Antarktida", "Antarktīda"),
    "world:scandinavia": ("Scandinavia", "Skandinavija", "Skandināvija"),
    "world:baltics": ("the Baltics", "Baltija", "Baltija"),
    "world:caucasus": ("the Caucasus", "Kaukazas", "Kaukāzs"),
    "world:siberia": ("Siberia", "Sibiras", "Sibīrija"),
    "world:western-europe": ("Western Europe", "Vakarų Europa", "Rietumeiropa"),
    "world:eastern-europe": ("Eastern Europe", "Rytų Europa", "Austrumeiropa"),
    "world:central-europe": ("Central Europe", "Vidurio Europa", "Centrāleiropa"),
    "world:northern-europe": ("Northern Europe", "Šiaurės Europa", "Ziemeļeiropa"),
    "world:southern-europe": ("Southern Europe", "Pietų Europa", "Dienvideiropa"),
}

# Single-token forms never emitted although they are names (frequent lowercase words).
# lv/lt "saldus", "saldu", "saldų" = "sweet"; lv "balvu" (= "prize", acc.) is caught by the UD filter.
MANUAL_COMMON_WORDS = {"lv": {"saldus", "saldu", "saldum"}, "lt": {"saldus", "saldų"}, "en": set()}

# --------------------------------------------------------------------------------------------
# Morphology helpers
# --------------------------------------------------------------------------------------------


def _lt_join(stem: str, ending: str) -> str:
    """Attach a Lithuanian ending, applying t->č, d->dž and j+i -> j before i+back vowel."""
    if len(ending) >= 2 and ending[0] == "i" and ending[1] in LT_BACK_VOWELS:
        if stem.endswith("t"):
            stem = stem[:-1] + "č"
        elif stem.endswith("d"):
            stem = stem[:-1] + "dž"
        elif stem.endswith("j"):
            ending = ending[1:]
    return stem + ending


def lt_word_cases(word: str, plural: bool | None = None, gen: str | None = None) -> list[str]:
    """[nom, gen, dat, acc, ins, loc] of one Lithuanian noun or feminine definite adjective."""
    if word in INDECLINABLE:
        return [word] * 6
    if plural is None and word in LT_PLURAL_NAMES:
        plural = True
    sg: list[tuple[str, tuple]] = []
    pl: list[tuple[str, tuple]] = []
    if word.lower() in LT_FEMININE_IS:
        sg.append(("is", LT_SINGULAR_FEM_IS["is"]))
    for end, endings in LT_DEF_ADJ_FEM.items():
        if word.endswith(end):
            sg.append((end, endings))
    sg += [next(((e, t) for e, t in LT_SINGULAR.items() if word.endswith(e)), None)] if not sg else []
    pl += [next(((e, t) for e, t in LT_PLURAL.items() if word.endswith(e)), None)]
    sg, pl = [c for c in sg if c], [c for c in pl if c]
    # singular reading first (Panevėžys), unless the word is known to be plural (Kaišiadorys)
    cands = pl if plural else (sg if plural is False else sg + pl)
    out = []
    for end, endings in cands:
        stem = word[: -len(end)]
        forms = [word] + [_lt_join(stem, e) for e in endings]
        if gen is None or forms[1] == gen:
            return forms
        out.append(forms[1])
    raise ValueError(f"cannot inflect Lithuanian {word!r} (gen {gen!r}; candidates {out})")


def lt_phrase_cases(phrase: str, gen: str | None = None, agree_all: bool = False) -> list[str]:
    """Inflect a Lithuanian phrase: the last word and agreeing feminine definite adjectives
    (``agree_all``: every word agrees, e.g. "Jungtinė Karalystė")."""
    words = phrase.split(" ")
    n_infl = len(words) if agree_all else 1
    while n_infl < len(words) and words[-n_infl - 1].endswith("oji"):
        n_infl += 1
    head_gen = gen.split(" ")[-1] if gen else None
    paradigms = []
    for i, w in enumerate(words[-n_infl:]):
        paradigms.append(lt_word_cases(w, gen=head_gen if i == n_infl - 1 else None))
    fixed = words[:-n_infl]
    return [" ".join(fixed + [p[c] for p in paradigms]) for c in range(6)]


def lv_word_cases(word: str, plural: bool | None = None) -> list[str]:
    """[nom, gen, dat, acc, loc] of one Latvian noun."""
    if word in INDECLINABLE:
        return [word] * 5
    if plural is None:  # no singular Latvian noun in this data ends in -i
        plural = word in LV_PLURAL_NAMES or word.endswith("i")
    table = LV_PLURAL if plural else LV_SINGULAR
    for end, endings in table.items():
        if word.endswith(end):
            stem = word[: -len(end)]
            return [word] + [stem + e for e in endings]
    raise ValueError(f"cannot inflect Latvian {word!r}")


def lv_phrase_cases(phrase: str) -> list[str]:
    words = phrase.split(" ")
    return [" ".join(words[:-1] + [f]) for f in lv_word_cases(words[-1])]


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(s).lower()).strip("-")


# --------------------------------------------------------------------------------------------
# Builder
# --------------------------------------------------------------------------------------------


class Builder:
    def __init__(self) -> None:
        self.entities: dict[str, dict] = {}
        # (lang, form) -> {(id, type, normalized): priority}
        self.cands: dict[tuple[str, str], dict[tuple[str, str, str], int]] = defaultdict(dict)

    def entity(self, eid, kind, country, parent, name, place=None):
        if eid in self.entities:
            raise ValueError(f"duplicate entity id {eid}")
        self.entities[eid] = {
            "id": eid,
            "kind": kind,
            "country": country,
            "parent": parent,
            "name": {k: v for k, v in sorted(name.items()) if v},
            "place": {k: v for k, v in sorted((place or name).items()) if v},
        }

    def add(self, lang, form, eid, mtype, normalized, prio=2):
        key = (lang, form)
        val = (eid, mtype, normalized)
        self.cands[key][val] = max(prio, self.cands[key].get(val, 0))

    def lt(self, phrase, eid, mtype, prio=2, gen=None, normalized=None, agree_all=False):
        """All case forms of a Lithuanian phrase (normalized = its nominative)."""
        forms = lt_phrase_cases(phrase, gen=gen, agree_all=agree_all)
        for f in forms:
            self.add("lt", f, eid, mtype, normalized or forms[0], prio)
        return forms

    def lv(self, phrase, eid, mtype, prio=2, normalized=None):
        forms = lv_phrase_cases(phrase)
        for f in forms:
            self.add("lv", f, eid, mtype, normalized or forms[0], prio)
        return forms

    def en(self, phrase, eid, mtype, prio=2, normalized=None):
        for f in {phrase, fold(phrase)}:
            self.add("en", f, eid, mtype, normalized or phrase, prio)

    def resolve(self, common_words):
        """Keep the highest-priority reading of every (lang, lowercased form)."""
        by_lower: dict[tuple[str, str], list] = defaultdict(list)
        for (lang, form), vals in self.cands.items():
            for val, prio in vals.items():
                by_lower[(lang, form.lower())].append((prio, form, val))
        rows, ambiguous, dropped = set(), [], []
        for (lang, low), items in sorted(by_lower.items()):
            if " " not in low and low in common_words.get(lang, set()):
                dropped.append((lang, low))
                continue
            best = max(p for p, _, _ in items)
            kept = [(f, v) for p, f, v in items if p == best]
            for f, v in kept:
                rows.add((lang, f, v[0], v[1], v[2]))
            ids = sorted({v[0] for _, v in kept})
            if len(ids) > 1:
                ambiguous.append((lang, low, ids))
        return sorted(rows), ambiguous, dropped


def read_iso(path: Path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def common_words_from_ud(ud_dir: Path, min_count: int = 3) -> dict[str, set[str]]:
    """Lowercase word forms seen >= min_count times in lowercase in the UD treebanks."""
    out: dict[str, set[str]] = {}
    for lang in ("lt", "lv"):
        low, cap = Counter(), Counter()
        for f in sorted((ud_dir / lang).glob("*.conllu")):
            with f.open(encoding="utf-8") as fh:
                for line in fh:
                    if not line or line[0] in "#\n":
                        continue
                    cols = line.split("\t")
                    if len(cols) < 2 or not cols[0].isdigit():
                        continue
                    w = cols[1]
                    (low if w[:1].islower() else cap)[w.lower()] += 1
        out[lang] = {w for w, c in low.items() if c >= min_count and c >= cap[w]}
    return out


def add_translated_countries(b: Builder, pycountry) -> None:
    """Every other country, named as pycountry's Lithuanian and Latvian ISO 3166-1 translations
    (LGPL-2.1) name it: untranslated entries, names with commas or brackets, and names the
    declension rules cannot inflect are left out for that language."""
    import gettext

    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]) for lang in ("lt", "lv")
    }
    for c in sorted(pycountry.countries, key=lambda country: country.alpha_2):
        code = c.alpha_2
        if code in COUNTRIES:
            continue
        source = getattr(c, "common_name", None) or c.name
        names = {}
        for lang, translation in translations.items():
            name = translation.gettext(source)
            if name != source and not any(mark in name for mark in ",()"):
                names[lang] = name
        if "lv" not in names and code in LV_COUNTRY_NAMES:
            names["lv"] = LV_COUNTRY_NAMES[code]
        if not names:
            continue
        for lang, name in list(names.items()):
            try:
                forms = lt_phrase_cases(name) if lang == "lt" else lv_phrase_cases(name)
            except (ValueError, KeyError, IndexError):
                del names[lang]
                continue
            for form in forms:
                b.add(lang, form, code, COUNTRY, forms[0], prio=1)
        if names:
            b.entity(code, "country", code, None, {**names, "en": source})
            if "," not in source:
                b.en(source, code, COUNTRY, prio=1)


def build(shared: Path):
    b = Builder()
    iso = read_iso(shared / ISO_TSV)
    pj = shared / PJ_DIR
    with (pj / "institutions" / "savivaldybė.csv").open(encoding="utf-8", newline="") as fh:
        pj_munis = [r["name"] for r in csv.DictReader(fh)]
    pj_muni_set = set(pj_munis)

    # ---------------- countries ----------------
    import pycountry

    for code, (lt_nom, lv_nom, extra_en) in sorted(COUNTRIES.items()):
        c = pycountry.countries.get(alpha_2=code)
        en = COUNTRY_EN.get(code) or getattr(c, "common_name", None) or c.name
        b.entity(code, "country", code, None, {"lt": lt_nom, "lv": lv_nom, "en": en})
        b.lt(lt_nom, code, COUNTRY, prio=3)
        b.lv(lv_nom, code, COUNTRY, prio=3)
        en_names = {en, c.name, *extra_en}
        if getattr(c, "official_name", None):
            en_names.add(c.official_name)
        for n in sorted(en_names):
            if "," not in n:
                b.en(n, code, COUNTRY, prio=3, normalized=en)
    add_translated_countries(b, pycountry)
    for lang, items in COUNTRY_EXTRA_FORMS.items():
        for phrase, code, *agree in items:
            if lang == "lt":
                b.lt(phrase, code, COUNTRY, prio=3, agree_all=bool(agree))
            else:
                b.lv(phrase, code, COUNTRY, prio=3)

    for eid, (en, lt_nom, lv_nom, extra_lt, extra_en) in sorted(FOREIGN_CITIES.items()):
        country = eid.split(":")[0]
        b.entity(eid, "city", country, country, {"lt": lt_nom, "lv": lv_nom, "en": en})
        for n in [lt_nom, *extra_lt]:
            b.lt(n, eid, PLACE, prio=2)
        b.lv(lv_nom, eid, PLACE, prio=2)
        for n in [en, *extra_en]:
            b.en(n, eid, PLACE, prio=2, normalized=en)

    for eid, (en, lt_nom, lv_nom) in sorted(REGIONS.items()):
        country = eid.split(":")[0]
        b.entity(eid, "region", country, country, {"lt": lt_nom, "lv": lv_nom, "en": en})
        b.lt(lt_nom, eid, PLACE, prio=2)
        b.lv(lv_nom, eid, PLACE, prio=2)
        b.en(en, eid, PLACE, prio=2, normalized=en)

    for eid, (en, lt_nom, lv_nom) in sorted(WORLD_REGIONS.items()):
        b.entity(eid, "region", None, None, {"lt": lt_nom, "lv": lv_nom, "en": en})
        # No genitive: "Europos Sąjunga", "Eiropas Komisija", "Baltijos tyrimai" name bodies, not places.
        for form in lt_phrase_cases(lt_nom)[:1] + lt_phrase_cases(lt_nom)[2:]:
            b.add("lt", form, eid, PLACE, lt_nom, prio=2)
        for form in lv_phrase_cases(lv_nom)[:1] + lv_phrase_cases(lv_nom)[2:]:
            b.add("lv", form, eid, PLACE, lv_nom, prio=2)
        b.en(en, eid, PLACE, prio=2, normalized=en)

    # ---------------- Lithuania: counties ----------------
    lt_rows = [r for r in iso if r["code"].startswith("LT-")]
    for r in lt_rows:
        if r["type"] != "County":
            continue
        code, name = r["code"], r["name"]
        gen = name.removesuffix(" apskritis")
        town = LT_TOWN_NOM[gen]
        assert lt_phrase_cases(town)[1] == gen, (town, gen)
        lv_town = LT_TOWN_LV.get(town)
        lv_gen = lv_phrase_cases(lv_town)[1] if lv_town else None
        nm = {"lt": name, "en": f"{town} County", "lv": f"{lv_gen} apriņķis" if lv_gen else None}
        b.entity(code, "county", "LT", None, nm)
        b.lt(name, code, PLACE, prio=3)
        b.add("lt", f"{gen} apskr.", code, PLACE, name, 3)
        b.en(nm["en"], code, PLACE, prio=3)
        if lv_gen:
            b.lv(nm["lv"], code, PLACE, prio=3)

    # ---------------- Lithuania: municipalities ----------------
    city_gens: dict[str, str] = {}  # genitive -> id of the city that owns the plain town name
    muni_info = {}
    for r in lt_rows:
        if r["type"] == "County":
            continue
        code, iso_name = r["code"], r["name"]
        if iso_name.endswith(" miestas"):
            gen = iso_name.removesuffix(" miestas")
            town = LT_TOWN_NOM[gen]
        elif iso_name == "Kazlų Rūdos":
            gen, town = iso_name, LT_TOWN_NOM[iso_name]
        else:
            town = iso_name
            gen = lt_phrase_cases(town, gen=None)[1]
            if town in LT_PLURAL_NAMES:
                gen = lt_word_cases(town, plural=True)[1]
        options = (
            [("city", f"{gen} miesto savivaldybė")]
            if iso_name.endswith(" miestas")
            else [("district", f"{gen} rajono savivaldybė"), ("plain", f"{gen} savivaldybė")]
        )
        for sub, full in options:  # noqa: B007 (sub is read after the loop)
            if full in pj_muni_set:
                break
        else:
            raise ValueError(f"{code} {iso_name}: no parasykjiems municipality for genitive {gen}")
        assert (sub == "city") == (r["type"] == "City municipality"), (code, sub, r["type"])
        muni_info[code] = dict(gen=gen, town=town, sub=sub, full=full, parent=r["parent"])
        if sub == "city" or code in LT_OWN_TOWN_PLAIN_MUNIS:
            city_gens[gen] = code
    assert len(muni_info) == 60 and len({m["full"] for m in muni_info.values()}) == 60

    for code, m in sorted(muni_info.items()):
        gen, town, sub, full = m["gen"], m["town"], m["sub"], m["full"]
        lv_town = LT_TOWN_LV.get(town)
        lv_gen = lv_phrase_cases(lv_town)[1] if lv_town else None
        twin_city = city_gens.get(gen)  # e.g. LT-21 Klaipėda district vs LT-20 Klaipėda city
        if sub == "district":
            name = {
                "lt": full,
                "en": f"{town} District Municipality",
                "lv": f"{lv_gen} rajona pašvaldība" if lv_gen else None,
            }
            place = {"lt": f"{gen} rajonas", "en": f"{town} District", "lv": f"{lv_gen} rajons" if lv_gen else None}
        elif sub == "city":
            name = {
                "lt": full,
                "en": f"{town} City Municipality",
                "lv": f"{lv_gen} pilsētas pašvaldība" if lv_gen else None,
            }
            place = {"lt": town, "en": town, "lv": lv_town}
        else:
            name = {"lt": full, "en": f"{town} Municipality", "lv": f"{lv_gen} pašvaldība" if lv_gen else None}
            if code in LT_OWN_TOWN_PLAIN_MUNIS:
                place = {"lt": town, "en": town, "lv": lv_town}
            else:
                place = dict(name)
        b.entity(code, "municipality", "LT", m["parent"], name, place)

        # institution forms
        b.lt(full, code, MUNI, prio=3)
        short = f"{gen} savivaldybė"
        short_prio = 3 if (twin_city in (None, code)) else 1
        b.lt(short, code, MUNI, prio=short_prio)
        b.add("lt", f"{gen} sav.", code, MUNI, short, short_prio)
        for org in ("administracija", "taryba"):
            b.lt(
                f"{gen} {'rajono ' if sub == 'district' else 'miesto ' if sub == 'city' else ''}savivaldybės {org}",
                code,
                MUNI,
                prio=3,
            )
        if sub in ("district", "city"):
            ab = "r." if sub == "district" else "m."
            abbrs = [ab, "raj."] if sub == "district" else [ab]
            for a in abbrs:
                b.add("lt", f"{gen} {a} sav.", code, MUNI, full, 3)
                for f in lt_phrase_cases(f"{gen} {a} savivaldybė"):
                    b.add("lt", f, code, MUNI, full, 3)
            place_nom = f"{gen} {'rajonas' if sub == 'district' else 'miestas'}"
            b.lt(place_nom, code, PLACE, prio=3)
            for a in abbrs:
                b.add("lt", f"{gen} {a}", code, PLACE, place_nom, 3)
        if sub == "city" or code in LT_OWN_TOWN_PLAIN_MUNIS:
            b.lt(town, code, PLACE, prio=3, gen=gen)
            if sub != "city":
                b.lt(f"{gen} miestas", code, PLACE, prio=3)
                b.add("lt", f"{gen} m.", code, PLACE, f"{gen} miestas", 3)

        # English
        b.en(name["en"], code, MUNI, prio=3)
        if sub == "district":
            b.en(place["en"], code, PLACE, prio=3)
            b.en(f"{town} Region", code, PLACE, prio=2, normalized=place["en"])
            b.en(f"{town} Municipality", code, MUNI, prio=1, normalized=name["en"])
            b.en(f"{town} District Council", code, MUNI, prio=3)
        elif sub == "city":
            b.en(town, code, PLACE, prio=3)
            b.en(f"{town} City", code, PLACE, prio=3, normalized=town)
            b.en(f"{town} Municipality", code, MUNI, prio=3, normalized=name["en"])
            b.en(f"{town} City Council", code, MUNI, prio=3)
        else:
            if code in LT_OWN_TOWN_PLAIN_MUNIS:
                b.en(town, code, PLACE, prio=3)
            b.en(f"{town} Municipal Council", code, MUNI, prio=3)
        # Latvian (only where a Latvian exonym is known)
        if lv_town:
            b.lv(name["lv"], code, MUNI, prio=3)
            if sub == "district":
                b.lv(place["lv"], code, PLACE, prio=3)
            if sub == "city" or code in LT_OWN_TOWN_PLAIN_MUNIS:
                b.lv(lv_town, code, PLACE, prio=3)
                b.lv(f"{lv_gen} pilsēta", code, PLACE, prio=3)

    # ---------------- Lithuania: towns (parasykjiems territories "X miestas") ----------------
    full_to_code = {m["full"]: c for c, m in muni_info.items()}
    town_muni: dict[str, str] = {}
    for f in sorted((pj / "territories").glob("*.csv")):
        mcode = full_to_code[f.stem]
        with f.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                c = r["city"]
                if c.endswith(" miestas"):
                    town_muni.setdefault(c.removesuffix(" miestas"), mcode)
    missing = sorted(set(town_muni) - set(LT_TOWN_NOM))
    assert not missing, f"towns without a nominative: {missing}"
    n_towns = 0
    for gen, mcode in sorted(town_muni.items()):
        if gen in city_gens:
            continue  # the city itself is the (city) municipality
        town = LT_TOWN_NOM[gen]
        cases = lt_phrase_cases(town, gen=gen)
        assert cases[1] == gen, (town, cases, gen)
        eid = f"{mcode}:{slug(town)}"
        lv_town = LT_TOWN_LV.get(town)
        b.entity(eid, "town", "LT", mcode, {"lt": town, "en": town, "lv": lv_town})
        n_towns += 1
        b.lt(town, eid, PLACE, prio=2, gen=gen)
        b.lt(f"{gen} miestas", eid, PLACE, prio=2)
        b.add("lt", f"{gen} m.", eid, PLACE, f"{gen} miestas", 2)
        b.en(town, eid, PLACE, prio=2)
        if lv_town:
            b.lv(lv_town, eid, PLACE, prio=2)
            b.lv(f"{lv_phrase_cases(lv_town)[1]} pilsēta", eid, PLACE, prio=2)

    # ---------------- Lithuania: elderships ----------------
    with (pj / "institutions" / "seniūnija.csv").open(encoding="utf-8", newline="") as fh:
        sen_rows = [r["name"] for r in csv.DictReader(fh)]
    for full_name in sorted(sen_rows):
        mfull = max((x for x in pj_munis if full_name.startswith(x + " ")), key=len)
        mcode = full_to_code[mfull]
        sen = full_name[len(mfull) + 1 :]
        assert sen.endswith(" seniūnija"), sen
        eid = f"{mcode}:{slug(sen.removesuffix(' seniūnija'))}-seniunija"
        b.entity(eid, "eldership", "LT", mcode, {"lt": sen})
        b.lt(sen, eid, PLACE, prio=2)
        b.add("lt", sen.removesuffix("seniūnija") + "sen.", eid, PLACE, sen, 2)
        m = muni_info[mcode]
        qual = {"district": "rajono", "city": "miesto"}.get(m["sub"])
        if qual:
            b.lt(f"{m['gen']} {qual} {sen}", eid, PLACE, prio=3)
            ab = "r." if qual == "rajono" else "m."
            for f in lt_phrase_cases(f"{m['gen']} {ab} {sen}"):
                b.add("lt", f, eid, PLACE, f"{m['gen']} {qual} {sen}", 3)

    # ---------------- Latvia ----------------
    lv_rows = [r for r in iso if r["code"].startswith("LV-")]
    state_city_gens: dict[str, str] = {}
    for r in lv_rows:
        if r["type"] == "State city":
            state_city_gens[lv_word_cases(r["name"])[1]] = r["code"]
    for r in sorted(lv_rows, key=lambda r: r["code"]):
        code, iso_name = r["code"], r["name"]
        if r["type"] == "State city":
            city = iso_name
            gen = lv_word_cases(city)[1]
            lt_city = LV_LT_EXONYM[city]
            lt_gen = lt_word_cases(lt_city)[1]
            en = LV_STATE_CITY_EN.get(city, city)
            name = {
                "lv": f"{gen} valstspilsētas pašvaldība",
                "lt": f"{lt_gen} miesto savivaldybė",
                "en": f"{en} City Municipality",
            }
            place = {"lv": city, "lt": lt_city, "en": en}
            b.entity(code, "municipality", "LV", None, name, place)
            b.lv(city, code, PLACE, prio=3)
            for p in ("pilsēta", "valstspilsēta", "republikas pilsēta"):
                b.lv(f"{gen} {p}", code, PLACE, prio=3)
            for p in (
                "valstspilsētas pašvaldība",
                "pilsētas pašvaldība",
                "pašvaldība",
                "dome",
                "pilsētas dome",
                "valstspilsētas dome",
                "republikas pilsētas pašvaldība",
                "republikas pilsētas dome",
            ):
                b.lv(f"{gen} {p}", code, MUNI, prio=3)
            b.lt(lt_city, code, PLACE, prio=3)
            b.lt(f"{lt_gen} miestas", code, PLACE, prio=3)
            b.add("lt", f"{lt_gen} m.", code, PLACE, f"{lt_gen} miestas", 3)
            for p in ("miesto savivaldybė", "savivaldybė", "miesto taryba"):
                b.lt(f"{lt_gen} {p}", code, MUNI, prio=3)
            b.add("lt", f"{lt_gen} m. sav.", code, MUNI, name["lt"], 3)
            for n in sorted({city, en}):
                b.en(n, code, PLACE, prio=3, normalized=en)
            b.en(f"{en} City", code, PLACE, prio=3, normalized=en)
            b.en(name["en"], code, MUNI, prio=3)
            # "Jelgava Municipality" is the English name of Jelgavas novads -> low priority here
            b.en(f"{en} Municipality", code, MUNI, prio=1, normalized=name["en"])
            b.en(f"{en} City Council", code, MUNI, prio=3)
            continue
        novads = re.sub(r" [Nn]ovads$", " novads", iso_name)
        gen = novads.removesuffix(" novads")
        base = LV_NOVADS_NOM[gen]
        assert lv_word_cases(base)[1] == gen, (base, gen)
        en_base = LV_NOVADS_EN.get(base, base)
        lt_base = LV_LT_EXONYM.get(base)
        lt_gen = lt_word_cases(lt_base, plural=True if lt_base in LT_PLURAL_NAMES else None)[1] if lt_base else None
        name = {
            "lv": f"{gen} novada pašvaldība",
            "en": f"{en_base} Municipality",
            "lt": f"{lt_gen} novado savivaldybė" if lt_gen else None,
        }
        place = {"lv": novads, "en": f"{en_base} Municipality", "lt": f"{lt_gen} novadas" if lt_gen else None}
        b.entity(code, "municipality", "LV", None, name, place)
        b.lv(novads, code, PLACE, prio=3)
        clash = gen in state_city_gens  # Jelgavas / Rēzeknes / Ventspils -> the state city
        for p in ("novada pašvaldība", "novada dome"):
            b.lv(f"{gen} {p}", code, MUNI, prio=3)
        for p in ("pašvaldība", "dome"):
            b.lv(f"{gen} {p}", code, MUNI, prio=1 if clash else 3)
        b.en(name["en"], code, MUNI, prio=3)
        b.en(f"{en_base} Municipal Council", code, MUNI, prio=3)
        b.en(f"{en_base} Region", code, PLACE, prio=2, normalized=place["en"])
        if lt_gen:
            b.lt(f"{lt_gen} novadas", code, PLACE, prio=3)
            b.lt(f"{lt_gen} novado savivaldybė", code, MUNI, prio=3)
            b.lt(f"{lt_gen} savivaldybė", code, MUNI, prio=1 if clash else 3)
        if base not in LV_NOVADS_NO_TOWN:
            eid = f"{code}:{slug(base)}"
            b.entity(eid, "town", "LV", code, {"lv": base, "en": base, "lt": lt_base})
            n_towns += 1
            b.lv(base, eid, PLACE, prio=2)
            b.lv(f"{gen} pilsēta", eid, PLACE, prio=2)
            b.en(base, eid, PLACE, prio=2)
            if lt_base:
                b.lt(lt_base, eid, PLACE, prio=2, gen=lt_gen)
                b.lt(f"{lt_gen} miestas", eid, PLACE, prio=2)
    # ---------------- Latvia: novadi of 2009-2021, merged in the 2021 reform ----------------
    lv_code_by_gen = {re.sub(r" [Nn]ovads$", "", r["name"]): r["code"] for r in lv_rows if r["type"] != "State city"}
    for successor_gen, olds in sorted(LV_FORMER_NOVADI.items()):
        parent = lv_code_by_gen[successor_gen]
        for old_gen in olds:
            assert old_gen not in lv_code_by_gen, old_gen
            eid = f"{parent}:{slug(old_gen)}-novads"
            b.entity(eid, "former_municipality", "LV", parent, {"lv": f"{old_gen} novads"})
            b.lv(f"{old_gen} novads", eid, PLACE, prio=2)
            for p in ("novada pašvaldība", "novada dome"):
                b.lv(f"{old_gen} {p}", eid, MUNI, prio=2)
    return b


def lv_recall(shared: Path, rows) -> tuple[int, int, int, list[str]]:
    lv_forms = {r[1] for r in rows if r[0] == "lv"}
    lv_lower = {f.lower() for f in lv_forms}
    total = exact = lower = 0
    missed = []
    with (shared / LV_MENTIONS).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["lemma_sequence"].split()[-1] not in ("novads", "pilsēta"):
                continue
            total += 1
            ex = r["example_form"]
            exact += ex in lv_forms
            lower += ex.lower() in lv_lower
            if ex.lower() not in lv_lower:
                missed.append(ex)
    return total, exact, lower, missed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help="shared data dir (default: <repo>/../shared/data)"
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--ud", type=Path, default=None, help="UD treebank dir for the common-word filter (default: <shared>/ud)"
    )
    args = ap.parse_args(argv)
    shared = args.shared.resolve()
    ud = (args.ud or shared / "ud").resolve()

    b = build(shared)
    common = {k: set(v) for k, v in MANUAL_COMMON_WORDS.items()}
    if ud.is_dir():
        for lang, words in common_words_from_ud(ud).items():
            common[lang] |= words
    else:
        print(f"warning: {ud} not found, only the manual common-word list is used", file=sys.stderr)
    rows, ambiguous, dropped = b.resolve(common)
    used_ids = {r[2] for r in rows}
    assert used_ids <= set(b.entities), used_ids - set(b.entities)

    entities = sorted(b.entities.values(), key=lambda e: e["id"])
    meta = {
        "built_by": "scripts/build_gazetteer.py",
        "form_columns": ["lang", "form", "id", "type", "normalized"],
        "sources": [
            {
                "name": "pycountry 26.2.16 ISO 3166-1 / ISO 3166-2 (LT, LV)",
                "url": "https://github.com/pycountry/pycountry",
                "licence": "LGPL-2.1",
            },
            {
                "name": "parasykjiems.lt (Transparency International Lithuania): municipalities, elderships, towns",
                "url": "https://github.com/TransparencyInternationalLithuania/parasykjiems.lt",
                "commit": "3ade82a94aee779a94e1164b01c09f3ee70b8f71",
                "licence": "AGPL-3.0",
            },
            {
                "name": "hand-written declension tables, exonyms and town nominatives (scripts/build_gazetteer.py)",
                "licence": "MIT (nvo-nlp)",
            },
        ],
        "licence_note": (
            "Derived data. Subdivision codes/names from pycountry (LGPL-2.1); Lithuanian "
            "municipality, eldership and town names from parasykjiems.lt "
            "(AGPL-3.0, Transparency International Lithuania). Keep this "
            "attribution when redistributing. See README.md next to this file."
        ),
        "counts": {
            "entities_by_kind": dict(sorted(Counter(e["kind"] for e in b.entities.values()).items())),
            "forms": len(rows),
            "forms_by_lang": dict(sorted(Counter(r[0] for r in rows).items())),
            "forms_by_type": dict(sorted(Counter(r[3] for r in rows).items())),
        },
        "common_words_dropped": [[lang, f] for lang, f in dropped],
        "ambiguous_forms": [[lang, f, ids] for lang, f, ids in ambiguous],
    }
    out = {"meta": meta, "entities": entities, "forms": [list(r) for r in rows]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # one entity / form per line: readable diffs, still compact
    text = (
        json.dumps({"meta": meta}, ensure_ascii=False, indent=1)[:-2]
        + ",\n"
        + '"entities":[\n'
        + ",\n".join(json.dumps(e, ensure_ascii=False) for e in entities)
        + '\n],\n"forms":[\n'
        + ",\n".join(json.dumps(list(r), ensure_ascii=False) for r in rows)
        + "\n]}\n"
    )
    assert json.loads(text) == out
    args.out.write_text(text, encoding="utf-8")

    # ---------------- report ----------------
    kinds = Counter(e["kind"] for e in entities)
    by_country_kind = Counter((e["country"], e["kind"]) for e in entities)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    print("entities by kind:", dict(sorted(kinds.items())))
    print(
        "entities by (country, kind) for LT/LV:",
        {f"{c}/{k}": n for (c, k), n in sorted(by_country_kind.items(), key=str) if c in ("LT", "LV")},
    )
    print(
        "forms:",
        len(rows),
        "by lang:",
        dict(sorted(Counter(r[0] for r in rows).items())),
        "by type:",
        dict(sorted(Counter(r[3] for r in rows).items())),
    )
    print(f"ambiguous (lang, form) kept with several ids: {len(ambiguous)}")
    for a in ambiguous:
        print("   ", a)
    print(f"dropped single-token common-word forms: {len(dropped)} {dropped}")
    total, exact, lower, missed = lv_recall(shared, rows)
    print(
        f"lv recall on FullStack admin mentions (lemma ends in novads/pilsēta): "
        f"{exact}/{total} verbatim, {lower}/{total} case-insensitive"
    )
    print("    missed:", missed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
