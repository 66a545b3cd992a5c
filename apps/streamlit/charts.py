"""Plotly figures of the screens; they draw the numbers they are given and compute none."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
from i18n import current_language, month_label, t
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
