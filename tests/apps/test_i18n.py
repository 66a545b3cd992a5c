"""The translation catalogue: both languages complete, placeholders consistent, formats per language."""

from __future__ import annotations

import datetime as dt
import re
import string

import i18n
import pytest
from data.billing import STATUSES
from data.cashdesk import METHODS, PURPOSES
from data.collection import TARGET_STATUSES
from data.field import OUTCOMES
from data.supervision import AGE_BUCKETS
from i18n import (
    CATALOGUE,
    format_compact,
    format_day,
    format_exact,
    format_money,
    format_number,
    format_percent,
    initial_language,
    month_label,
    t,
)
from navigation import ROLES, SCREENS

from .conftest import APP_DIR

LITERAL_KEY = re.compile(r"""\bt\(\s*["']([\w.]+)["']""")
CARD_KEY = re.compile(r"""\(\s*["'](kpi\.[\w.]+)["']\s*,""")
# Column headers and other labels held in mappings of a screen: ``"name": "column.name"``.
MAPPED_KEY = re.compile(r""":\s*["']((?:column|target|cash|kpi)\.[\w.]+)["']""")


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
        text = path.read_text(encoding="utf-8")
        used |= set(LITERAL_KEY.findall(text)) | set(MAPPED_KEY.findall(text))
    # Keys built at run time from values the marts and the API give: each list is closed.
    dynamic = {
        "commodity": ("electricity", "water"),
        "role": ROLES,
        "method": METHODS,
        "purpose": PURPOSES,
        "outcome": OUTCOMES,
        "target": ("pending", "eligible", *TARGET_STATUSES),
        "level": ("feeder", "transformer", "water_district"),
        "trend": ("rising", "falling", "stable"),
        "trust": ("MISSING_READING", "IMPOSSIBLE_LOSS", "MAPPING_SUSPECT", "TOO_MANY_ESTIMATES", "INCOMPLETE_READINGS"),
        "age": AGE_BUCKETS,
        "batch": STATUSES,
        "bill": ("billable", "held", "not_billed"),
        "cycle": ("monthly", "bimonthly"),
        "complaint": ("open", "closed"),
        "session": ("open", "closed"),
        "customer.tab": ("contracts", "invoices", "statement", "readings", "complaints", "history"),
        "cash.tab": ("pay", "list", "close"),
        "billing.source": ("api", "warehouse"),
        "cash": ("note", "coin"),
    }
    used |= {f"{prefix}.{name}" for prefix, names in dynamic.items() for name in names}
    # Rows of metric cards, ("kpi.name", value) with help=t(f"{key}.help"): the card's label and its help.
    for page in ("supervision.py", "customer_account.py"):
        cards = set(CARD_KEY.findall((APP_DIR / "app_pages" / page).read_text(encoding="utf-8")))
        used |= cards | {f"{key}.help" for key in cards}
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


def test_quantities_with_the_decimals_they_have() -> None:
    # A subscribed power as the API sends it ("9.00") or as the marts hold it (9.0): no trailing zeros.
    assert [format_exact(value, language="fr") for value in ("9.00", "4.50", 2.25, 36, None)] == [
        "9",
        "4,5",
        "2,25",
        "36",
        "—",
    ]
    assert format_exact("4.50", language="en") == "4.5"
    assert format_exact(12000, language="fr") == "12\u202f000"


def test_days_in_each_language() -> None:
    assert format_day(dt.date(2025, 4, 4), language="fr") == "04/04/2025"
    assert format_day("2025-04-04", language="fr") == "04/04/2025"  # as the API sends it
    assert format_day("2025-04-04T00:00:00", language="en") == "2025-04-04"
    assert format_day(None, language="fr") == format_day(float("nan"), language="fr") == "—"


def test_large_figures_on_cards_in_millions_and_billions() -> None:
    assert format_compact(9_876_543, language="fr") == "9\u202f876\u202f543"  # whole under ten million
    assert format_compact(13_890_432, language="fr") == "13,9\u00a0M"
    assert format_compact(13_890_432, language="en") == "13.9\u00a0M"
    assert format_compact(2_234_996_939, language="fr") == "2,23\u00a0Md"
    assert format_compact(2_234_996_939, language="en") == "2.23\u00a0bn"
    assert format_compact(-45_000_000, language="fr") == "-45,0\u00a0M"
    assert format_compact(None, language="fr") == "—"
    assert format_money(233_661_243, language="fr", compact=True) == "233,7\u00a0M\u00a0F\u00a0CFA"
    assert format_money(233_661_243, language="fr") == "233\u202f661\u202f243\u00a0F\u00a0CFA"
    # Minor units of a currency with decimals: 12 345 678,90 D is 12,3 million.
    assert format_money(1_234_567_890, currency="GMD", precision=2, language="en", compact=True) == "12.3\u00a0M\u00a0D"


def test_months_in_each_language() -> None:
    assert month_label(dt.date(2026, 8, 1), "fr") == "août 2026"
    assert month_label(dt.date(2026, 2, 1), "en") == "February 2026"


def test_every_api_refusal_the_cash_desk_can_meet_has_words_in_both_languages() -> None:
    codes = ["no_open_session", "session_closed", "session_exists", "previous_session_open", "cheque_barred"]
    codes += ["cheque_details_required", "amount_over_balance", "bad_cash_count", "idempotency_conflict"]
    codes += ["other_agency", "forbidden", "bad_credentials", "weak_password", "database_busy"]
    for code in codes:
        assert f"api.{code}" in CATALOGUE["fr"] and f"api.{code}" in CATALOGUE["en"], code
