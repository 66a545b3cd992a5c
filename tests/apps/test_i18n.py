"""The translation catalogue: both languages complete, placeholders consistent, formats per language."""

from __future__ import annotations

import datetime as dt
import re
import string

import i18n
import pytest
from i18n import CATALOGUE, format_number, format_percent, initial_language, month_label, t
from navigation import SCREENS

from .conftest import APP_DIR

LITERAL_KEY = re.compile(r"""\bt\(\s*["']([\w.]+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys() -> None:
    assert set(CATALOGUE["fr"]) == set(CATALOGUE["en"])


@pytest.mark.parametrize("key", sorted(CATALOGUE["fr"]))
def test_placeholders_match(key: str) -> None:
    assert placeholders(CATALOGUE["fr"][key]) == placeholders(CATALOGUE["en"][key])
    assert CATALOGUE["fr"][key].strip() and CATALOGUE["en"][key].strip()


def test_every_label_used_by_the_app_exists() -> None:
    used = set()
    for path in APP_DIR.rglob("*.py"):
        used |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    # Keys built at run time: commodity names, metric help texts, screen titles and sections.
    used |= {f"commodity.{name}" for name in ("electricity", "water")}
    used |= {f"{key}.help" for key in CATALOGUE["fr"] if key.startswith("kpi.") and not key.endswith(".help")}
    used |= {screen.title_key for screen in SCREENS} | {screen.section_key for screen in SCREENS}
    assert used, "the scan found the labels"
    assert sorted(used - set(CATALOGUE["fr"])) == []


def test_t_fills_placeholders_in_the_requested_language() -> None:
    assert t("map.missing_coordinates", "fr", count=2) == "2 poste(s) sans coordonnées ne figurent pas sur la carte."
    assert t("map.missing_coordinates", "en", count=2) == "2 transformer(s) without coordinates are not on the map."


def test_french_is_the_default_language() -> None:
    assert i18n.DEFAULT_LANGUAGE == "fr"
    assert initial_language(None, None) == "fr"
    assert initial_language("en", "fr") == "en"
    assert initial_language("de", "en") == "en", "an unknown language in the address falls back to the settings"
    assert initial_language(None, "xx") == "fr"


def test_numbers_in_each_language() -> None:
    assert format_number(1234567.891, language="fr") == "1\u202f234\u202f568"
    assert format_number(1234567.891, 2, language="fr") == "1\u202f234\u202f567,89"
    assert format_number(1234567.891, 2, language="en") == "1,234,567.89"
    assert format_number(None, language="fr") == "—"
    assert format_number(float("nan"), language="en") == "—"
    assert format_percent(0.0629, language="fr") == "6,3\u00a0%"
    assert format_percent(0.0629, language="en") == "6.3%"


def test_months_in_each_language() -> None:
    assert month_label(dt.date(2026, 8, 1), "fr") == "août 2026"
    assert month_label(dt.date(2026, 2, 1), "en") == "February 2026"
