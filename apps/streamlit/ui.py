"""Pieces shared by the screens: the sidebar, and turning data problems into a message instead of a trace."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import streamlit as st
from data.warehouse import InvalidSettings, MartsUnavailable, NoPublishedMarts, current_source, settings
from i18n import (
    LANGUAGES,
    QUERY_PARAMETER,
    SESSION_KEY,
    current_language,
    format_timestamp,
    initial_language,
    t,
)


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
    except NoPublishedMarts:
        st.info(t("data.none"), icon=":material/database_off:")
    except InvalidSettings as error:
        st.error(t("data.settings", detail=str(error)), icon=":material/settings_alert:")
    except MartsUnavailable as error:
        st.error(t("data.unreadable", detail=str(error)), icon=":material/error:")
