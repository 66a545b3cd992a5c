"""The charts' amount axes: round ticks, large figures in the screen's language's words."""

from __future__ import annotations

import sys

import pandas as pd

from tests.apps.conftest import APP_DIR

sys.path.insert(0, str(APP_DIR))

from charts import aged_balance, amount_ticks, amounts_by_method, billed_and_collected  # noqa: E402
from data.supervision import AGE_BUCKETS  # noqa: E402

NBSP = "\u00a0"


def test_billions_and_millions_in_french_and_english() -> None:
    values, texts = amount_ticks(2.23e9, language="fr")
    assert values == [0, 5e8, 1e9, 1.5e9, 2e9, 2.5e9]
    assert texts == ["0", f"500{NBSP}M", f"1{NBSP}Md", f"1,5{NBSP}Md", f"2{NBSP}Md", f"2,5{NBSP}Md"]
    assert amount_ticks(2.23e9, language="en")[1][3] == f"1.5{NBSP}bn"


def test_small_amounts_whole_and_round() -> None:
    values, texts = amount_ticks(180_000, language="fr")
    assert values == [0, 50_000, 100_000, 150_000, 200_000]
    assert texts == ["0", "50\u202f000", "100\u202f000", "150\u202f000", "200\u202f000"]
    # The top tick always covers the largest amount; nothing to draw gives a single zero.
    assert amount_ticks(1_000_001, language="fr")[0][-1] >= 1_000_001
    assert amount_ticks(0) == ([0.0], ["0"])
    assert amount_ticks(float("nan")) == ([0.0], ["0"])


def test_the_money_charts_use_them() -> None:
    trend = pd.DataFrame(
        {
            "month": pd.to_datetime(["2026-09-01", "2026-10-01"]).date,
            "billed_minor": [2_100_000_000, 2_230_000_000],
            "collected_minor": [1_800_000_000, 1_920_000_000],
            "collection_rate": [0.86, 0.86],
        }
    )
    figure = billed_and_collected(trend)
    assert list(figure.layout.yaxis.ticktext) == amount_ticks(2.23e9)[1]
    assert figure.layout.yaxis.range == (0, 2.5e9)
    assert all("%{y:,.0f}" in trace.hovertemplate for trace in figure.data if trace.type == "bar")
    # The rate on its own round steps up to 100 %, or beyond when more was collected than billed.
    assert (figure.layout.yaxis2.dtick, figure.layout.yaxis2.range) == (0.2, (0, 1.05))
    trend.loc[1, "collection_rate"] = 1.12
    assert billed_and_collected(trend).layout.yaxis2.range == (0, 1.25)

    by_agency = pd.DataFrame({"code": ["GDK", "PKN"]} | {bucket: [0.0, 0.0] for bucket in AGE_BUCKETS})
    by_agency[AGE_BUCKETS[0]] = [30e6, 50e6]
    by_agency[AGE_BUCKETS[-1]] = [32e6, 10e6]
    # Stacked bars: the axis reaches the highest stack (62 M), not the highest piece.
    assert aged_balance(by_agency, AGE_BUCKETS).layout.yaxis.tickvals[-1] >= 62e6

    totals = pd.DataFrame({"agency_code": ["GDK", "GDK"], "method": ["cash", "cheque"], "amount": [700_000, 500_000]})
    assert amounts_by_method(totals).layout.yaxis.tickvals[-1] >= 1_200_000
