"""Plotly figures of the screens; they draw the numbers they are given and compute none."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
from i18n import LARGE_UNITS, current_language, format_exact, format_number, month_label, t
from plotly.subplots import make_subplots

COMMODITY_COLOURS = {"electricity": "#e8a317", "water": "#2f6fb0"}
COMMODITIES = ("electricity", "water")


def consumption_per_month(monthly: pd.DataFrame, selected_month: dt.date | None = None) -> go.Figure:
    """One panel per commodity (each in its own unit): consumption per month, the estimated part hatched.

    ``monthly`` has the columns month, commodity, consumption and estimated_consumption.
    """
    months = sorted(set(monthly["month"]))
    labels = [month_label(month) for month in months]
    present = [commodity for commodity in COMMODITIES if commodity in set(monthly["commodity"])]
    figure = make_subplots(
        rows=max(len(present), 1),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=[t(f"commodity.{commodity}") for commodity in present],
    )
    for row, commodity in enumerate(present, start=1):
        rows = monthly[monthly["commodity"] == commodity].set_index("month").reindex(months)
        colour = COMMODITY_COLOURS[commodity]
        opacity = [1.0 if selected_month is None or month == selected_month else 0.55 for month in months]
        figure.add_trace(
            go.Bar(
                x=labels,
                y=rows["consumption"],
                name=t(f"commodity.{commodity}"),
                marker={"color": colour, "opacity": opacity},
                hovertemplate="%{x}: %{y:,.0f}<extra>" + t("chart.consumption") + "</extra>",
            ),
            row=row,
            col=1,
        )
        figure.add_trace(
            go.Bar(
                x=labels,
                y=rows["estimated_consumption"],
                name=t("chart.estimated"),
                marker={
                    "color": "rgba(255,255,255,0.0)",
                    "line": {"color": "#333", "width": 0.5},
                    "pattern": {
                        "shape": "/",
                        "fgcolor": "#333",
                        "size": 6,
                    },
                },
                hovertemplate="%{x}: %{y:,.0f}<extra>" + t("chart.estimated") + "</extra>",
                showlegend=row == 1,
            ),
            row=row,
            col=1,
        )
    figure.update_layout(
        barmode="overlay",
        height=220 * max(len(present), 1) + 60,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.06, "xanchor": "right", "x": 1},
        separators=", " if current_language() == "fr" else ".,",
    )
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    return figure


def amount_ticks(top: float, language: str | None = None) -> tuple[list[float], list[str]]:
    """Round ticks from zero to at least ``top`` (an amount in currency units) and their texts, large figures in
    the language's words: ``500 M``, ``1,5 Md`` in French, ``1.5 bn`` in English (Plotly would write ``1.5B``)."""
    if not top or top <= 0 or math.isnan(top):
        return [0.0], ["0"]
    rough = top / 5
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(factor * magnitude for factor in (1, 2, 2.5, 5, 10) if factor * magnitude >= rough)
    values = [step * index for index in range(math.ceil(top / step - 1e-9) + 1)]
    millions, billions = LARGE_UNITS[language or current_language()]

    def text(value: float) -> str:
        if value >= 1e9:
            return f"{format_exact(round(value / 1e9, 3), language)}\u00a0{billions}"
        if value >= 1e6:
            return f"{format_exact(round(value / 1e6, 3), language)}\u00a0{millions}"
        return format_number(value, 0, language)

    return values, [text(value) for value in values]


def _amount_axis(figure: go.Figure, tops: Iterable[float], **selector) -> None:
    """The amounts' axis with ticks in the language's words, and each bar's hover with the whole amount."""
    values, texts = amount_ticks(max((float(top) for top in tops), default=0.0))
    figure.update_yaxes(tickvals=values, ticktext=texts, range=[0, values[-1]], **selector)
    figure.update_traces(hovertemplate="%{x} · %{fullData.name}: %{y:,.0f}<extra></extra>", selector={"type": "bar"})


def _layout(figure: go.Figure, height: int) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1},
        separators=", " if current_language() == "fr" else ".,",
    )
    return figure


def billed_and_collected(trend: pd.DataFrame, scale: float = 1.0) -> go.Figure:
    """Amounts billed and collected per month as bars, the collection rate as a line on its own axis.

    ``trend`` has the columns month, billed_minor, collected_minor and collection_rate; ``scale`` turns minor
    units into currency units.
    """
    labels = [month_label(month) for month in trend["month"]]
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_trace(
        go.Bar(x=labels, y=trend["billed_minor"] / scale, name=t("chart.billed"), marker_color="#4e79a7"),
        secondary_y=False,
    )
    figure.add_trace(
        go.Bar(x=labels, y=trend["collected_minor"] / scale, name=t("chart.collected"), marker_color="#59a14f"),
        secondary_y=False,
    )
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=trend["collection_rate"],
            name=t("chart.collection_rate"),
            mode="lines+markers",
            line={"color": "#e15759", "width": 2},
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        ),
        secondary_y=True,
    )
    # The rate on round steps of 20 % up to 100 % (more when more was collected than billed), with room for the
    # markers; its ticks are its own, not those of the amounts.
    rates = trend["collection_rate"].dropna()
    rate_top = math.ceil(max(1.0, float(rates.max()) if len(rates) else 1.0) * 5 - 1e-9) / 5
    figure.update_yaxes(
        tickformat=".0%",
        tickmode="linear",
        tick0=0,
        dtick=0.2,
        range=[0, rate_top + 0.05],
        showgrid=False,
        secondary_y=True,
    )
    _amount_axis(
        figure, [trend["billed_minor"].max() / scale, trend["collected_minor"].max() / scale], secondary_y=False
    )
    figure.update_xaxes(type="category")
    return _layout(figure, 340)


AGE_COLOURS = ("#9ecae1", "#6baed6", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")


def aged_balance(by_agency: pd.DataFrame, buckets: tuple[str, ...], scale: float = 1.0) -> go.Figure:
    """Open amounts per agency stacked by age, from not yet due to over a year."""
    figure = go.Figure()
    for bucket, colour in zip(buckets, AGE_COLOURS, strict=True):
        figure.add_trace(
            go.Bar(x=by_agency["code"], y=by_agency[bucket] / scale, name=t(f"age.{bucket}"), marker_color=colour)
        )
    figure.update_layout(barmode="stack")
    _amount_axis(figure, [by_agency[list(buckets)].sum(axis=1).max() / scale] if len(by_agency) else [])
    figure.update_xaxes(type="category")
    return _layout(figure, 320)


def loss_share_trend(losses: pd.DataFrame) -> go.Figure:
    """Loss share and its non-technical part per month."""
    labels = [month_label(month) for month in losses["month"]]
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=labels, y=losses["loss_share"], name=t("chart.loss_share"), mode="lines+markers"))
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=losses["non_technical_share"],
            name=t("chart.non_technical_share"),
            mode="lines+markers",
            line={"dash": "dot"},
        )
    )
    figure.update_yaxes(tickformat=".0%", rangemode="tozero")
    figure.update_xaxes(type="category")
    return _layout(figure, 300)


def readings_over_time(readings: pd.DataFrame) -> go.Figure:
    """Meter indexes over time, one line per meter, estimated readings drawn hollow.

    ``readings`` has the columns reading_date, index_value, meter_serial and estimated (bool).
    """
    figure = go.Figure()
    for serial, rows in readings.sort_values("reading_date").groupby("meter_serial", sort=False):
        figure.add_trace(
            go.Scatter(
                x=rows["reading_date"],
                y=rows["index_value"],
                name=str(serial),
                mode="lines+markers",
                marker={
                    "symbol": ["circle-open" if estimated else "circle" for estimated in rows["estimated"]],
                    "size": 8,
                },
                hovertemplate="%{x|%d/%m/%Y}: %{y:,.0f}<extra>" + str(serial) + "</extra>",
            )
        )
    return _layout(figure, 300)


def amounts_by_method(totals: pd.DataFrame, scale: float = 1.0) -> go.Figure:
    """Amounts taken per agency, stacked by means of payment (``totals``: agency_code, method, amount)."""
    figure = go.Figure()
    for method, rows in totals.groupby("method", sort=True):
        figure.add_trace(go.Bar(x=rows["agency_code"], y=rows["amount"] / scale, name=t(f"method.{method}")))
    figure.update_layout(barmode="stack")
    _amount_axis(figure, [totals.groupby("agency_code")["amount"].sum().max() / scale] if len(totals) else [])
    figure.update_xaxes(type="category")
    return _layout(figure, 300)
