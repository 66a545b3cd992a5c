"""Small conversions of query results for display: the engines return numbers and dates in different types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd


def numbers(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``frame`` with the given columns (those present) as floats.

    PostgreSQL returns DECIMAL as ``Decimal`` and DuckDB sums of big integers as 128-bit integers; the screens only
    display them, so one float type is enough.
    """
    frame = frame.copy()
    for column in columns:
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def dates(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``frame`` with the given columns (those present) as ``datetime.date`` values (or None)."""
    frame = frame.copy()
    for column in columns:
        if column in frame.columns:
            frame[column] = [as_date(value) for value in frame[column]]
    return frame


def as_date(value: object) -> dt.date | None:
    """A date from whatever the driver returned (date, datetime, timestamp, text); None for a missing value."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def flag(value: object) -> bool:
    """A boolean column's value (DuckDB and PostgreSQL give bool, SQL Server bit), None as False."""
    return bool(value) if value is not None and value == value else False
