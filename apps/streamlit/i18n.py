"""Labels of the apps in French (the default) and English, and number and month formats per language.

Every label shown on a screen goes through :func:`t`; a test checks that both catalogues carry the same keys
with the same placeholders, and that every key used in the app exists.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from numbers import Real

import streamlit as st

LANGUAGES: dict[str, str] = {"fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "fr"
SESSION_KEY = "language"
QUERY_PARAMETER = "lang"

MONTHS: dict[str, tuple[str, ...]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

CATALOGUE: dict[str, dict[str, str]] = {
    "fr": {
        "app.title": "Yeelen",
        "app.tagline": "Clientèle, facturation et pertes",
        "nav.section.management": "Pilotage",
        "language.label": "Langue / Language",
        "source.published_at": "Données publiées le {when}",
        "source.server": "Données lues dans l'entrepôt {engine} (schéma marts)",
        "data.none": "Aucune donnée publiée : lancez le pipeline (yeelen pipeline run).",
        "data.unreadable": "Les données publiées ne peuvent pas être lues : {detail}",
        "data.settings": "La configuration n'est pas valide : {detail}",
        "supervision.title": "Supervision",
        "supervision.caption": "Clients et consommations par agence et par mois.",
        "filter.month": "Mois",
        "filter.agency": "Agence",
        "filter.all_agencies": "Toutes les agences",
        "kpi.active_contracts": "Contrats actifs",
        "kpi.active_contracts.help": "Contrats actifs à la dernière publication, toutes catégories.",
        "kpi.customers": "Clients",
        "kpi.customers.help": "Clients titulaires d'un contrat actif, comptés par énergie et par catégorie.",
        "kpi.electricity": "Électricité (kWh)",
        "kpi.electricity.help": "Consommation d'électricité du mois, relevée et estimée.",
        "kpi.water": "Eau (m³)",
        "kpi.water.help": "Consommation d'eau du mois, relevée et estimée.",
        "kpi.estimated_share": "Part estimée",
        "kpi.estimated_share.help": "Part des contrats dont la consommation du mois a été estimée.",
        "chart.title": "Consommation par mois",
        "chart.month": "Mois",
        "chart.consumption": "Consommation",
        "chart.estimated": "dont estimée",
        "commodity.electricity": "Électricité (kWh)",
        "commodity.water": "Eau (m³)",
        "table.title": "Par agence",
        "column.agency_code": "Code",
        "column.agency_name": "Agence",
        "column.city": "Ville",
        "column.active_contracts": "Contrats actifs",
        "column.customers": "Clients",
        "column.electricity_kwh": "Électricité (kWh)",
        "column.water_m3": "Eau (m³)",
        "column.estimated_share": "Part estimée",
        "map.title": "Réseau : postes et départs",
        "map.caption": "{transformers} postes HTA/BT sur {feeders} départs ; les traits relient chaque poste "
        "à son poste source.",
        "map.empty": "Aucun poste à afficher pour cette sélection.",
        "map.missing_coordinates": "{count} poste(s) sans coordonnées ne figurent pas sur la carte.",
        "map.legend.feeders": "Départs HTA",
        "map.legend.substation": "Poste source",
        "map.legend.transformer": "Postes HTA/BT, couleur du départ",
        "popup.code": "Code",
        "popup.name": "Nom",
        "popup.rating": "Puissance",
        "popup.feeder": "Départ",
        "popup.substation": "Poste source",
        "popup.agency": "Agence",
        "popup.active_contracts": "Contrats actifs",
        "popup.transformers": "Postes HTA/BT",
    },
    "en": {
        "app.title": "Yeelen",
        "app.tagline": "Customers, billing and losses",
        "nav.section.management": "Management",
        "language.label": "Langue / Language",
        "source.published_at": "Data published on {when}",
        "source.server": "Data read from the {engine} warehouse (marts schema)",
        "data.none": "No published data: run the pipeline (yeelen pipeline run).",
        "data.unreadable": "The published data cannot be read: {detail}",
        "data.settings": "The configuration is not valid: {detail}",
        "supervision.title": "Supervision",
        "supervision.caption": "Customers and consumption per agency and month.",
        "filter.month": "Month",
        "filter.agency": "Agency",
        "filter.all_agencies": "All agencies",
        "kpi.active_contracts": "Active contracts",
        "kpi.active_contracts.help": "Active contracts at the last publication, all categories.",
        "kpi.customers": "Customers",
        "kpi.customers.help": "Customers holding an active contract, counted per commodity and category.",
        "kpi.electricity": "Electricity (kWh)",
        "kpi.electricity.help": "Electricity consumed in the month, read and estimated.",
        "kpi.water": "Water (m³)",
        "kpi.water.help": "Water consumed in the month, read and estimated.",
        "kpi.estimated_share": "Share estimated",
        "kpi.estimated_share.help": "Share of contracts whose consumption for the month was estimated.",
        "chart.title": "Consumption per month",
        "chart.month": "Month",
        "chart.consumption": "Consumption",
        "chart.estimated": "of which estimated",
        "commodity.electricity": "Electricity (kWh)",
        "commodity.water": "Water (m³)",
        "table.title": "Per agency",
        "column.agency_code": "Code",
        "column.agency_name": "Agency",
        "column.city": "City",
        "column.active_contracts": "Active contracts",
        "column.customers": "Customers",
        "column.electricity_kwh": "Electricity (kWh)",
        "column.water_m3": "Water (m³)",
        "column.estimated_share": "Share estimated",
        "map.title": "Network: transformers and feeders",
        "map.caption": "{transformers} MV/LV transformers on {feeders} feeders; lines join each transformer "
        "to its source substation.",
        "map.empty": "No transformer to show for this selection.",
        "map.missing_coordinates": "{count} transformer(s) without coordinates are not on the map.",
        "map.legend.feeders": "MV feeders",
        "map.legend.substation": "Source substation",
        "map.legend.transformer": "MV/LV transformers, by feeder",
        "popup.code": "Code",
        "popup.name": "Name",
        "popup.rating": "Rating",
        "popup.feeder": "Feeder",
        "popup.substation": "Substation",
        "popup.agency": "Agency",
        "popup.active_contracts": "Active contracts",
        "popup.transformers": "MV/LV transformers",
    },
}

# French groups thousands with a narrow no-break space and writes a no-break space before "%".
_SEPARATORS = {"fr": ("\u202f", ","), "en": (",", ".")}


def initial_language(query_value: str | None, configured: str | None) -> str:
    """The language a new session starts in: the ``?lang=`` of the address, else the configured one."""
    for candidate in (query_value, configured):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """The language chosen in this session (French until the user picks another)."""
    language = st.session_state.get(SESSION_KEY, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, language: str | None = None, **values: object) -> str:
    """The label ``key`` in the session's language, with ``{placeholders}`` filled from ``values``."""
    catalogue = CATALOGUE[language or current_language()]
    text = catalogue.get(key) or CATALOGUE[DEFAULT_LANGUAGE].get(key) or key
    return text.format(**values) if values else text


def format_number(value: Real | None, decimals: int = 0, language: str | None = None) -> str:
    """A number with the language's thousands and decimal separators; a dash when there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    thousands, decimal_mark = _SEPARATORS[language or current_language()]
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands)


def format_percent(share: Real | None, decimals: int = 1, language: str | None = None) -> str:
    """A share (0.125) as a percentage in the language's style: ``12,5 %`` or ``12.5%``."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    language = language or current_language()
    number = format_number(float(share) * 100, decimals, language)
    return f"{number}\u00a0%" if language == "fr" else f"{number}%"


def month_label(month: dt.date, language: str | None = None) -> str:
    """``avril 2026`` or ``April 2026``."""
    return f"{MONTHS[language or current_language()][month.month - 1]} {month.year}"


def format_timestamp(moment: dt.datetime, language: str | None = None) -> str:
    """A local date and time: ``28/11/2026 06:30`` or ``2026-11-28 06:30``."""
    if (language or current_language()) == "fr":
        return moment.strftime("%d/%m/%Y %H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def labels(keys: Mapping[str, str], language: str | None = None) -> dict[str, str]:
    """Translate a mapping of names to label keys, e.g. the column headers of a table."""
    return {name: t(key, language) for name, key in keys.items()}
