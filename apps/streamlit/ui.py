"""Pieces shared by the screens: the sidebar, filters, amounts, exports, and data problems shown as messages."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
from collections.abc import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from api import ApiProblem
from auth import User, current_user, show_refusal
from data import customers
from data.scope import NoAgencyInScope, Scope
from data.scope import agencies as scoped_agencies
from data.warehouse import InvalidSettings, MartsUnavailable, NoPublishedMarts, current_source, settings
from i18n import (
    LANGUAGES,
    QUERY_PARAMETER,
    SESSION_KEY,
    current_language,
    format_day,
    format_money,
    format_timestamp,
    initial_language,
    t,
)

# What a table or a card shows where there is nothing.
DASH = "—"


def language_selector() -> str:
    """The sidebar's language choice, kept in the session and in the address (``?lang=en``)."""
    if SESSION_KEY not in st.session_state:
        try:
            configured = settings().language
        except MartsUnavailable:
            configured = None
        st.session_state[SESSION_KEY] = initial_language(st.query_params.get(QUERY_PARAMETER), configured)
    language = st.sidebar.selectbox(
        t("language.label"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=SESSION_KEY,
    )
    if st.query_params.get(QUERY_PARAMETER) != language:
        st.query_params[QUERY_PARAMETER] = language
    return language


def data_source_caption() -> None:
    """Say in the sidebar which data the screens show and when it was published."""
    try:
        source = current_source()
        zone = ZoneInfo(settings().timezone)
    except MartsUnavailable:
        return
    if source.published_at is None:
        engine = {"postgres": "PostgreSQL", "sqlserver": "SQL Server"}.get(source.engine, source.engine)
        st.sidebar.caption(t("source.server", engine=engine))
        return
    local = source.published_at.astimezone(zone)
    st.sidebar.caption(t("source.published_at", when=format_timestamp(local, current_language())))


@contextlib.contextmanager
def data_problems_as_messages() -> Iterator[None]:
    """Show a clear message, not a stack trace, when the marts are missing, empty or unreadable."""
    try:
        yield
    except NoAgencyInScope:
        st.info(t("scope.no_agency"), icon=":material/domain_disabled:")
    except NoPublishedMarts:
        st.info(t("data.none"), icon=":material/database_off:")
    except InvalidSettings as error:
        st.error(t("data.settings", detail=str(error)), icon=":material/settings_alert:")
    except MartsUnavailable as error:
        st.error(t("data.unreadable", detail=str(error)), icon=":material/error:")


@contextlib.contextmanager
def problems_as_messages() -> Iterator[None]:
    """Data problems and refusals of the operational API shown as messages a user can act on."""
    with data_problems_as_messages():
        try:
            yield
        except ApiProblem as problem:
            show_refusal(problem)


def signed_in_user() -> User:
    """The logged-in user (the navigation shows a screen only to them); stops the screen otherwise."""
    user = current_user()
    if user is None:
        st.info(t("login.required"))
        st.stop()
    return user


def local_today() -> dt.date:
    """Today in the utility's time zone (business dates are local dates)."""
    try:
        zone = ZoneInfo(settings().timezone)
    except MartsUnavailable:
        zone = ZoneInfo("Africa/Dakar")
    return dt.datetime.now(zone).date()


def local_time(moment: object) -> str:
    """An instant of the API (ISO text, UTC when it names no zone) as a local date and time; "—" when missing."""
    if moment in (None, "") or pd.isna(moment):
        return DASH
    instant = pd.Timestamp(moment)
    if instant.tzinfo is None:
        instant = instant.tz_localize("UTC")
    return format_timestamp(instant.tz_convert(settings().timezone).to_pydatetime())


def card_grid(count: int, per_row: int = 3) -> list:
    """Columns for ``count`` metric cards, ``per_row`` to a row: a card showing an amount in francs (a month of an
    agency runs to "1 234 567 890 F CFA") needs about a third of the page, or it is cut short."""
    cells: list = []
    while len(cells) < count:
        cells.extend(st.columns(per_row))
    return cells[:count]


def money(minor: object, language: str | None = None, *, compact: bool = False) -> str:
    """An amount held in minor units, shown in currency units with the currency's sign: ``12 500 F CFA``; with
    ``compact`` (the cards of a whole utility's figures), ``233,7 M F CFA`` from ten million on."""
    try:
        config = settings()
        currency, precision = config.currency, config.currency_precision
    except MartsUnavailable:
        currency, precision = "XOF", 0
    return format_money(minor, currency=currency, precision=precision, language=language, compact=compact)


def agency_choice(scope: Scope, key: str, *, column: object = None, allow_all: bool = True) -> int | None:
    """The agency filter of a screen: the user's agencies only; "all" (of them) when they have several."""
    agencies = {agency.agency_id: agency for agency in scoped_agencies(scope)}
    if not agencies:
        raise NoAgencyInScope(", ".join(scope.agency_codes))
    options: list[int | None] = list(agencies)
    if allow_all and len(agencies) > 1:
        options = [None, *options]
    everything = t("filter.all_agencies") if scope.all_agencies else t("filter.all_my_agencies")
    place = column or st
    return place.selectbox(
        t("filter.agency"),
        options=options,
        format_func=lambda value: everything if value is None else f"{agencies[value].name} ({agencies[value].code})",
        key=key,
    )


def days(frame: pd.DataFrame, *names: str) -> dict:
    """Display formats for the date columns ``names`` that ``frame`` has: a day as the language writes it."""
    return {name: format_day for name in names if name in frame.columns}


def table(data: object, **options: object) -> object:
    """``st.dataframe`` with a dash in every empty cell, numbers included (Streamlit writes "None" otherwise)."""
    return st.dataframe(data, placeholder=DASH, **options)


def with_dashes(frame: pd.DataFrame, skip: Iterable[str] = ()) -> pd.DataFrame:
    """The frame with a dash for each missing text (a reason, a receipt, a transformer): a table shows it as "None"
    otherwise, whatever the Styler's ``na_rep``. Number columns keep their missing values (they sort as numbers)."""
    skipped = set(skip)
    texts = [name for name in frame.columns if name not in skipped and frame[name].dtype == object]
    missing = [name for name in texts if frame[name].isna().any()]
    if not missing:
        return frame
    return frame.assign(**{name: frame[name].where(frame[name].notna(), DASH) for name in missing})


def styled(frame: pd.DataFrame, columns: Iterable[str], formats: dict, na_rep: str | None = None):
    """The shown ``columns`` of ``frame`` with their display ``formats`` (pandas' Styler).

    The Styler works cell by cell: a frame carrying every column of a mart costs seconds on a few thousand rows, so
    only the columns on the screen go through it (row order, and so a table's selection, is unchanged).
    """
    shown = [name for name in columns if name in frame.columns]
    texts = with_dashes(frame[shown], skip=formats)
    return texts.style.format({name: format for name, format in formats.items() if name in shown}, na_rep=na_rep)


def exports(frame: pd.DataFrame, *, name: str, key: str, headers: dict[str, str] | None = None) -> None:
    """CSV at once, and an Excel workbook prepared on request with a progress bar (large lists take a while)."""
    shown = frame.rename(columns=headers or {})
    csv_column, excel_column = st.columns(2)
    # Semicolons and a byte-order mark: what a French-language Excel opens without an import wizard.
    csv_column.download_button(
        t("export.csv"),
        shown.to_csv(index=False, sep=";").encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}.csv",
        icon=":material/download:",
    )
    fingerprint = f"{key}.xlsx.{int(pd.util.hash_pandas_object(frame, index=False).sum()) if len(frame) else 0}"
    prepare = t("export.prepare_excel")
    if fingerprint not in st.session_state and excel_column.button(
        prepare, key=f"{key}.prepare", icon=":material/table_view:"
    ):
        with st.status(t("export.preparing", rows=len(shown)), expanded=False) as status:
            bar = st.progress(0.0)
            st.session_state[fingerprint] = excel_workbook(shown, name, progress=bar.progress)
            status.update(label=t("export.ready"), state="complete")
    if fingerprint in st.session_state:
        excel_column.download_button(
            t("export.excel"),
            st.session_state[fingerprint],
            file_name=f"{name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"{key}.xlsx",
            icon=":material/download:",
        )


def excel_workbook(frame: pd.DataFrame, title: str, progress: Callable[[float], object] | None = None) -> bytes:
    """``frame`` as an Excel workbook of one sheet (openpyxl, streamed row by row)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "export")
    sheet.append([str(column) for column in frame.columns])
    total = max(len(frame), 1)
    for number, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        sheet.append([_cell(value) for value in row])
        if progress is not None and number % 500 == 0:
            progress(min(number / total, 1.0))
    if progress is not None:
        progress(1.0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def find_customer(key: str) -> str | None:
    """Search a customer by name, customer or contract reference, meter serial or phone (through the API), and
    pick one of the results; None until there is one."""
    text = st.text_input(t("customer.search"), key=f"{key}.search", placeholder=t("customer.search_hint"))
    if len(text.strip()) < 2:
        st.caption(t("customer.search_help"))
        return None
    found = customers.search(text)
    if not found:
        st.info(t("customer.none_found", text=text.strip()))
        return None
    results = {row["reference"]: row for row in found}

    def describe(reference: str) -> str:
        row = results[reference]
        name = " ".join(part for part in (row.get("first_name"), row.get("name")) if part)
        return " — ".join(part for part in (reference, name, row.get("agency_code"), row.get("phone")) if part)

    if st.session_state.get(f"{key}.chosen") not in results:
        st.session_state.pop(f"{key}.chosen", None)
    return st.selectbox(
        t("customer.results", count=len(found)), options=list(results), format_func=describe, key=f"{key}.chosen"
    )
