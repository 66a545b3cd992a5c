"""Cash desks live: every desk of the supervisor's agencies for a day, its state and takings, the amounts by
means of payment per agency, and the cash not yet paid into the bank (from the operational API, live)."""

from __future__ import annotations

import charts
import pandas as pd
import streamlit as st
from api import forget_reads
from data import cashdesk
from data.warehouse import settings
from i18n import format_number, labels, t
from ui import card_grid, local_time, local_today, money, problems_as_messages, signed_in_user, table

SESSION_COLUMNS = {
    "agency_code": "column.agency_code",
    "cashier": "column.cashier",
    "status": "column.status",
    "opened_at": "column.opened_at",
    "closed_at": "column.closed_at",
    "payments": "column.payments",
    "taken": "column.taken",
    "expected_cash": "cash.expected_cash",
    "counted_cash": "cash.counted",
    "cash_difference": "cash.difference",
    "workstation": "column.workstation",
}
UNDEPOSITED_COLUMNS = {
    "agency_code": "column.agency_code",
    "cashier": "column.cashier",
    "business_date": "column.date",
    "counted_cash": "cash.counted",
    "deposited": "column.deposited",
    "undeposited": "column.undeposited",
    "days": "column.days",
}


def day_to_show():
    """The business day (today by default), and a button to read the desks again."""
    left, right = st.columns([3, 1])
    day = left.date_input(t("desks.day"), value=local_today(), format="DD/MM/YYYY", key="desks.day")
    if right.button(t("desks.refresh"), key="desks.refresh", icon=":material/refresh:"):
        forget_reads()
    return day


def agencies_at_a_glance(view: dict) -> None:
    """Per agency: open desks, takings by means of payment, cash not yet deposited (of which earlier days)."""
    agencies = view.get("agencies") or []
    open_desks = sum(agency["open_sessions"] for agency in agencies)
    taken = sum(line["amount"] for agency in agencies for line in agency.get("totals") or [])
    undeposited = sum(agency["undeposited"] for agency in agencies)
    earlier = sum(agency["undeposited_earlier_days"] for agency in agencies)
    cards = card_grid(4, per_row=2)
    cards[0].metric(t("desks.open"), format_number(open_desks), border=True)
    cards[1].metric(t("desks.taken"), money(taken), border=True)
    cards[2].metric(t("desks.undeposited"), money(undeposited), help=t("desks.undeposited.help"), border=True)
    cards[3].metric(t("desks.undeposited_earlier"), money(earlier), border=True)
    totals = pd.DataFrame(
        [
            {"agency_code": agency["agency_code"], "method": line["method"], "amount": line["amount"]}
            for agency in agencies
            for line in agency.get("totals") or []
        ]
    )
    if not totals.empty:
        scale = 10 ** settings().currency_precision
        st.plotly_chart(charts.amounts_by_method(totals, scale), width="stretch", key="desks.by_method")


def desks(view: dict) -> None:
    """One line per cash session of the day."""
    st.subheader(t("desks.sessions_title"))
    sessions = view.get("sessions") or []
    if not sessions:
        st.info(t("desks.no_session"))
        return
    rows = [
        {
            **session,
            "status": t(f"session.{session['status']}"),
            "opened_at": local_time(session.get("opened_at")),
            "closed_at": local_time(session.get("closed_at")),
            "payments": sum(line["count"] for line in session.get("totals") or []),
            "taken": sum(line["amount"] for line in session.get("totals") or []),
        }
        for session in sessions
    ]
    frame = pd.DataFrame(rows)
    headers = labels(SESSION_COLUMNS)
    table(
        frame.style.format(
            {name: money for name in ("taken", "expected_cash", "counted_cash", "cash_difference")}, na_rep="—"
        ),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="desks.sessions",
    )


def cash_not_deposited() -> None:
    """Closed sessions whose cash is not yet in the bank, oldest first."""
    st.subheader(t("desks.undeposited_title"))
    rows = pd.DataFrame(cashdesk.undeposited_cash())
    if rows.empty:
        st.info(t("desks.all_deposited"))
        return
    headers = labels(UNDEPOSITED_COLUMNS)
    table(
        rows.style.format({"counted_cash": money, "deposited": money, "undeposited": money}),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="desks.undeposited",
    )


user = signed_in_user()
st.title(t("desks.title"))
st.caption(t("desks.caption"))

with problems_as_messages():
    day = day_to_show()
    view = cashdesk.supervision(day)
    agencies_at_a_glance(view)
    desks(view)
    cash_not_deposited()
