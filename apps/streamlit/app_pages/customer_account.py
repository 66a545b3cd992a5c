"""Customer account: find a customer by name, contract, meter or phone; their balance, contracts and premises on
a map, invoices, statement (also as PDF), payments, readings over time, complaints and the history of changes."""

from __future__ import annotations

import datetime as dt

import charts
import maps
import pandas as pd
import streamlit as st
from api import ApiProblem
from auth import User, show_refusal
from data import customers
from data.warehouse import settings
from i18n import code_label, current_language, format_exact, format_number, labels, t
from ui import card_grid, days, find_customer, local_today, money, problems_as_messages, signed_in_user, table

CONTRACT_COLUMNS = {
    "reference": "column.contract",
    "commodity": "column.commodity",
    "category": "column.category",
    "subscribed_power": "column.power",
    "power_unit": "column.unit",
    "billing_cycle": "column.billing_cycle",
    "payment_mode": "column.payment_mode",
    "status": "column.status",
    "meter_serial": "column.meter",
    "address": "column.address",
}
# Columns holding a code, shown by its label in the screen's language: column -> prefix of the label keys.
CONTRACT_CODES = {
    "commodity": "energy",
    "billing_cycle": "cycle",
    "payment_mode": "payment_mode",
    "status": "contract_status",
}
INVOICE_COLUMNS = {
    "number": "column.invoice",
    "kind": "column.kind",
    "contract_reference": "column.contract",
    "issue_date": "column.issue_date",
    "due_date": "column.due_date",
    "total": "column.total",
    "open_amount": "column.open_amount",
}
STATEMENT_COLUMNS = {
    "entry_date": "column.date",
    "description": "column.description",
    "reference": "column.reference",
    "contract_reference": "column.contract",
    "debit": "column.debit",
    "credit": "column.credit",
    "balance": "column.balance",
}
COMPLAINT_COLUMNS = {
    "opened_on": "column.opened_on",
    "complaint_category": "column.category",
    "complaint_status": "column.status",
    "contract_reference": "column.contract",
    "description": "column.description",
    "days_open": "column.days_open",
    "closed_on": "column.closed_on",
}


def coded(frame: pd.DataFrame, codes: dict[str, str]) -> pd.DataFrame:
    """``frame`` with each code of ``codes``' columns replaced by its label (``active`` -> ``Actif``)."""
    return frame.assign(
        **{
            column: [code_label(prefix, value) for value in frame[column]]
            for column, prefix in codes.items()
            if column in frame.columns
        }
    )


def identity_and_balance(reference: str) -> dict:
    """Who the customer is, and what they owe."""
    found = customers.customer(reference)
    account = customers.account(reference)
    name = " ".join(part for part in (found.get("first_name"), found.get("name")) if part)
    st.subheader(f"{name} · {found['reference']}")
    st.caption(
        " · ".join(
            part
            for part in (
                t("customer.agency", code=found.get("agency_code")),
                found.get("phone"),
                found.get("email"),
                found.get("grouping_code"),
            )
            if part
        )
    )
    cards = card_grid(5)
    for card, (key, value) in zip(
        cards,
        (
            ("kpi.balance", account["balance"]),
            ("kpi.amount_due", account["amount_due"]),
            ("kpi.open_amount", account["open_amount"]),
            ("kpi.unallocated_credit", account["unallocated_credit"]),
            ("kpi.deposits_held", account["deposits_held"]),
        ),
        strict=True,
    ):
        card.metric(t(key), money(value), help=t(f"{key}.help"), border=True)
    return found


def contracts_and_premises(found: dict) -> None:
    """The contracts, and where their premises are."""
    contracts = pd.DataFrame(found.get("contracts") or [])
    if contracts.empty:
        st.info(t("customer.no_contract"))
        return
    headers = labels(CONTRACT_COLUMNS)
    if "subscribed_power" in contracts.columns:
        # The API sends the power as a decimal text ("9.00"): written as the screen's language writes numbers.
        contracts = contracts.assign(subscribed_power=[format_exact(value) for value in contracts["subscribed_power"]])
    table(
        coded(contracts, CONTRACT_CODES),
        hide_index=True,
        width="stretch",
        column_order=[name for name in headers if name in contracts.columns],
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="customer.contracts",
    )
    premises = []
    for reference in contracts["reference"]:
        detail = customers.contract(reference)
        point = detail.get("delivery_point") or {}
        premises.append(
            {
                "contract_reference": reference,
                "commodity": detail.get("commodity"),
                "address": point.get("address"),
                "latitude": point.get("latitude"),
                "longitude": point.get("longitude"),
            }
        )
    config = settings()
    maps.render(maps.premises_map_html(pd.DataFrame(premises), current_language(), config.map_tiles_url), height=360)


def invoices(reference: str) -> None:
    """Every invoice with what is still open on it."""
    frame = customers.invoices(reference, "all")
    if frame.empty:
        st.info(t("customer.no_invoice"))
        return
    headers = labels(INVOICE_COLUMNS)
    table(
        coded(frame, {"kind": "invoice_kind"}).style.format(
            {"total": money, "open_amount": money} | days(frame, "issue_date", "due_date")
        ),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()}
        | {
            "issue_date": st.column_config.DateColumn(t("column.issue_date"), format="DD/MM/YYYY"),
            "due_date": st.column_config.DateColumn(t("column.due_date"), format="DD/MM/YYYY"),
        },
        key="customer.invoices",
    )


def statement_and_payments(reference: str) -> None:
    """The statement of a period with its running balance, the payments in it, and the statement as PDF."""
    today = local_today()
    start_column, end_column = st.columns(2)
    start = start_column.date_input(
        t("statement.start"),
        value=today.replace(day=1) - dt.timedelta(days=365),
        format="DD/MM/YYYY",
        key="statement.start",
    )
    end = end_column.date_input(t("statement.end"), value=today, format="DD/MM/YYYY", key="statement.end")
    end_excluded = end + dt.timedelta(days=1)
    found = customers.statement(reference, start, end_excluded)
    cards = card_grid(4, per_row=2)
    cards[0].metric(t("statement.opening"), money(found["opening_balance"]), border=True)
    cards[1].metric(t("statement.debit"), money(found["total_debit"]), border=True)
    cards[2].metric(t("statement.credit"), money(found["total_credit"]), border=True)
    cards[3].metric(t("statement.closing"), money(found["closing_balance"]), border=True)
    lines = pd.DataFrame(found.get("lines") or [])
    if lines.empty:
        st.info(t("statement.empty"))
    else:
        headers = labels(STATEMENT_COLUMNS)
        table(
            lines.style.format({"debit": money, "credit": money, "balance": money} | days(lines, "entry_date")),
            hide_index=True,
            width="stretch",
            column_order=list(headers),
            column_config={name: st.column_config.Column(label) for name, label in headers.items()},
            key="customer.statement",
        )
        payments = lines[lines["kind"].isin(["payment", "payment_reversal"])]
        st.markdown(f"**{t('statement.payments', count=len(payments))}**")
        table(
            payments.style.format({"debit": money, "credit": money} | days(payments, "entry_date")),
            hide_index=True,
            width="stretch",
            column_order=["entry_date", "reference", "description", "credit", "debit"],
            column_config={name: st.column_config.Column(label) for name, label in headers.items()},
            key="customer.payments",
        )
    pdf_key = f"statement.pdf.{reference}.{start}.{end}"
    prepare = t("statement.prepare_pdf")
    if pdf_key not in st.session_state and st.button(
        prepare, key="statement.prepare", icon=":material/picture_as_pdf:"
    ):
        with st.spinner(t("statement.preparing")):
            st.session_state[pdf_key] = customers.statement_pdf(reference, start, end_excluded)
    if pdf_key in st.session_state:
        st.download_button(
            t("statement.download_pdf"),
            st.session_state[pdf_key],
            file_name=f"releve-{reference}-{start:%Y%m%d}.pdf",
            mime="application/pdf",
            key="statement.download",
            icon=":material/download:",
        )


def readings_over_time(found: dict) -> None:
    """Meter indexes of one contract over time (estimates drawn hollow)."""
    contracts = [item["reference"] for item in found.get("contracts") or []]
    if not contracts:
        return
    chosen = st.selectbox(t("filter.contract"), options=contracts, key="customer.readings_contract")
    readings = customers.readings(chosen)
    if readings.empty:
        st.info(t("customer.no_reading"))
        return
    st.plotly_chart(charts.readings_over_time(readings), width="stretch", key="customer.readings")
    st.caption(t("customer.readings_caption", count=len(readings)))


def complaints(reference: str, user: User) -> None:
    """The customer's complaints (réclamations), open ones first, from the last publication of the warehouse."""
    frame = customers.complaints(reference, user.scope)
    if frame.empty:
        st.info(t("customer.no_complaint"))
        return
    frame = frame.assign(
        complaint_status=[t(f"complaint.{value}") for value in frame["complaint_status"]],
        days_open=[format_number(value) for value in frame["days_open"]],
    )
    headers = labels(COMPLAINT_COLUMNS)
    table(
        frame,
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="customer.complaints",
    )


def history_of_changes(reference: str) -> None:
    """Who changed the customer's data, when, from what to what."""
    frame = customers.history(reference)
    if frame.empty:
        st.info(t("customer.no_change"))
        return
    table(frame, hide_index=True, width="stretch", key="customer.history")


user = signed_in_user()
st.title(t("customer.title"))
st.caption(t("customer.caption"))

with problems_as_messages():
    reference = find_customer("customer")
    if reference:
        try:
            found = identity_and_balance(reference)
        except ApiProblem as problem:
            show_refusal(problem)
            st.stop()
        names = ["contracts", "invoices", "statement", "readings", "complaints"]
        if user.may("customers.history.read"):
            names.append("history")
        tabs = dict(zip(names, st.tabs([t(f"customer.tab.{name}") for name in names]), strict=True))
        with tabs["contracts"]:
            contracts_and_premises(found)
        with tabs["invoices"]:
            invoices(reference)
        with tabs["statement"]:
            statement_and_payments(reference)
        with tabs["readings"]:
            readings_over_time(found)
        with tabs["complaints"]:
            complaints(reference, user)
        if "history" in tabs:
            with tabs["history"]:
                history_of_changes(reference)
