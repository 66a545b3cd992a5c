"""Cash desk: open the session of the day; find the customer; take a payment with its allocation shown before it
is confirmed; print the receipt; close with the cash count (billetage). Everything goes through the operational
API, whose refusals are shown in plain words."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from api import ApiProblem
from auth import User, idempotency_key, show_refusal
from data import cashdesk, customers
from data.warehouse import settings
from i18n import format_number, labels, t
from ui import card_grid, days, find_customer, local_time, money, problems_as_messages, signed_in_user, table

PREVIEW_KEY = "cash.preview"
RECEIPT_KEY = "cash.receipt"
ALLOCATION_COLUMNS = {
    "invoice_number": "column.invoice",
    "due_date": "column.due_date",
    "open_before": "column.open_before",
    "amount": "column.allocated",
    "open_after": "column.open_after",
}
OPEN_INVOICE_COLUMNS = {
    "number": "column.invoice",
    "contract_reference": "column.contract",
    "due_date": "column.due_date",
    "total": "column.total",
    "open_amount": "column.open_amount",
}
PAYMENT_COLUMNS = {
    "receipt_number": "column.receipt",
    "received_at": "column.time",
    "customer_reference": "column.customer",
    "customer_name": "column.customer_name",
    "method": "column.method",
    "amount": "column.amount",
    "status": "column.status",
}


def session_of_the_day(user: User) -> dict | None:
    """The cashier's open session, or the form that opens one (in one of the cashier's agencies)."""
    current = cashdesk.current_session()
    if current.session is not None:
        session = current.session
        opened = local_time(session["opened_at"])
        st.success(
            t("cash.session_open", id=session["id"], agency=session["agency_code"], when=opened),
            icon=":material/lock_open:",
        )
        return session
    if current.closed_today:
        st.info(t("cash.session_closed_today"), icon=":material/lock:")
        return None
    st.info(t("cash.no_session"), icon=":material/lock:")
    with st.form("cash.open"):
        agency = st.selectbox(t("filter.agency"), options=list(user.agencies) or ["—"], key="cash.open_agency")
        submitted = st.form_submit_button(t("cash.open_session"), type="primary", icon=":material/lock_open:")
    if submitted:
        try:
            cashdesk.open_session(agency)
        except ApiProblem as problem:
            show_refusal(problem)
            return None
        st.rerun()
    return None


def session_figures(session: dict) -> None:
    """What the session has taken so far, by means of payment, and the cash that should be in the drawer."""
    totals = {line["method"]: line for line in session.get("totals") or []}
    cards = card_grid(len(cashdesk.METHODS) + 1)
    for card, method in zip(cards, cashdesk.METHODS, strict=False):
        line = totals.get(method, {"count": 0, "amount": 0})
        # The count of payments under the amount, in grey: no arrow, it is not a change.
        card.metric(
            t(f"method.{method}"),
            money(line["amount"]),
            t("cash.count", count=line["count"]),
            delta_color="off",
            delta_arrow="off",
            border=True,
        )
    cards[-1].metric(t("cash.expected_cash"), money(session["expected_cash"]), border=True)


def payment_form(reference: str, account: dict) -> dict | None:
    """Amount, means of payment and purpose; returns the payment as the API takes it, or None if incomplete."""
    currency_precision = settings().currency_precision
    contracts = [
        line["contract_reference"] for line in account.get("contracts") or [] if line.get("contract_reference")
    ]
    first, second, third = st.columns(3)
    amount = first.number_input(
        t("cash.amount", currency=account.get("currency", "")),
        min_value=0,
        value=max(int(account.get("amount_due") or 0), 0) // 10**currency_precision,
        step=100,
        key="cash.amount",
    )
    method = second.selectbox(
        t("cash.method"), options=cashdesk.METHODS, format_func=lambda value: t(f"method.{value}"), key="cash.method"
    )
    purpose = third.selectbox(
        t("cash.purpose"),
        options=cashdesk.PURPOSES,
        format_func=lambda value: t(f"purpose.{value}"),
        key="cash.purpose",
    )
    payment: dict[str, object] = {
        "customer_reference": reference,
        "amount": int(amount) * 10**currency_precision,
        "method": method,
        "purpose": purpose,
    }
    if len(contracts) > 1:
        everything = t("cash.all_contracts")
        contract = st.selectbox(
            t("cash.contract"),
            options=[None, *contracts],
            format_func=lambda value: everything if value is None else value,
            key="cash.contract",
        )
        if contract:
            payment["contract_reference"] = contract
    if method == "cheque":
        left, right = st.columns(2)
        payment["cheque_number"] = left.text_input(t("cash.cheque_number"), key="cash.cheque_number").strip() or None
        payment["cheque_bank"] = right.text_input(t("cash.cheque_bank"), key="cash.cheque_bank").strip() or None
    elif method in ("transfer", "mobile_money"):
        payment["payer_reference"] = (
            st.text_input(t("cash.payer_reference"), key="cash.payer_reference").strip() or None
        )
    return payment if amount > 0 else None


def take_a_payment(session: dict) -> None:
    """Find the customer, see what they owe, preview the allocation, confirm, print the receipt."""
    last_receipt()
    reference = find_customer("cash")
    if not reference:
        return
    account = customers.account(reference)
    open_invoices = customers.invoices(reference, "open")
    cards = st.columns(3)
    cards[0].metric(t("kpi.amount_due"), money(account["amount_due"]), border=True)
    cards[1].metric(t("kpi.open_amount"), money(account["open_amount"]), border=True)
    cards[2].metric(t("kpi.unallocated_credit"), money(account["unallocated_credit"]), border=True)
    if not open_invoices.empty:
        headers = labels(OPEN_INVOICE_COLUMNS)
        table(
            open_invoices.style.format({"total": money, "open_amount": money} | days(open_invoices, "due_date")),
            hide_index=True,
            width="stretch",
            column_order=list(headers),
            column_config={name: st.column_config.Column(label) for name, label in headers.items()},
            key="cash.open_invoices",
        )
    payment = payment_form(reference, account)
    if payment is None:
        return
    if st.button(t("cash.preview"), key="cash.preview_button", icon=":material/preview:"):
        try:
            st.session_state[PREVIEW_KEY] = {
                "payment": payment,
                "preview": cashdesk.preview(payment),
                "key": idempotency_key(),
            }
        except ApiProblem as problem:
            st.session_state.pop(PREVIEW_KEY, None)
            show_refusal(problem)
    previewed = st.session_state.get(PREVIEW_KEY)
    if previewed is None:
        return
    if previewed["payment"] != payment:
        st.caption(t("cash.preview_outdated"))
        return
    allocation_before_confirming(previewed["preview"])
    if st.button(t("cash.confirm"), key="cash.confirm", type="primary", icon=":material/check_circle:"):
        try:
            recorded = cashdesk.record(previewed["payment"], previewed["key"])
        except ApiProblem as problem:
            show_refusal(problem)
            return
        st.session_state.pop(PREVIEW_KEY, None)
        st.session_state[RECEIPT_KEY] = {"number": recorded["receipt_number"], "pdf": None}
        st.rerun()


def allocation_before_confirming(preview: dict) -> None:
    """The invoices the payment would pay, oldest due first, and what stays as an advance."""
    st.markdown(f"**{t('cash.allocation_title')}**")
    allocations = pd.DataFrame(preview.get("allocations") or [])
    if allocations.empty:
        st.info(t("cash.no_allocation"))
    else:
        headers = labels(ALLOCATION_COLUMNS)
        table(
            allocations.style.format(
                {"open_before": money, "amount": money, "open_after": money} | days(allocations, "due_date")
            ),
            hide_index=True,
            width="stretch",
            column_order=list(headers),
            column_config={name: st.column_config.Column(label) for name, label in headers.items()},
            key="cash.allocations",
        )
    cards = st.columns(3)
    cards[0].metric(t("cash.due_before"), money(preview["amount_due_before"]), border=True)
    cards[1].metric(t("cash.unallocated"), money(preview["unallocated"]), border=True)
    cards[2].metric(t("cash.due_after"), money(preview["amount_due_after"]), border=True)


def last_receipt() -> None:
    """The receipt of the last payment: printed once through the API, then offered as a PDF download."""
    receipt = st.session_state.get(RECEIPT_KEY)
    if not receipt:
        return
    st.success(t("cash.recorded", receipt=receipt["number"]), icon=":material/receipt:")
    if receipt["pdf"] is None:
        if st.button(t("cash.print_receipt"), key="cash.print", icon=":material/print:"):
            try:
                pdf, duplicate = cashdesk.receipt_pdf(receipt["number"])
            except ApiProblem as problem:
                show_refusal(problem)
                return
            st.session_state[RECEIPT_KEY] = {**receipt, "pdf": pdf, "duplicate": duplicate}
            st.rerun()
        return
    st.download_button(
        t("cash.download_receipt") + (f" ({t('cash.duplicate')})" if receipt.get("duplicate") else ""),
        receipt["pdf"],
        file_name=f"recu-{receipt['number']}.pdf",
        mime="application/pdf",
        key="cash.download",
        icon=":material/download:",
    )


def payments_of_the_session(session: dict) -> None:
    """Every transaction of the session."""
    payments = pd.DataFrame(cashdesk.session_payments(session["id"]))
    if payments.empty:
        st.info(t("cash.no_payment"))
        return
    payments["method"] = [t(f"method.{value}") for value in payments["method"]]
    payments["received_at"] = [local_time(value) for value in payments["received_at"]]
    headers = labels(PAYMENT_COLUMNS)
    table(
        payments.style.format({"amount": money}),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="cash.payments",
    )


def closing_with_the_cash_count(session: dict) -> None:
    """The cash count by notes and coins, against the cash expected; the API records the difference."""
    currency = settings().currency
    denominations = cashdesk.DENOMINATIONS.get(currency, (("coin", 1),))
    st.caption(t("cash.count_caption"))
    # Plain inputs, not a form: the total counted and the difference follow the count as it is typed.
    columns = st.columns(4)
    count = []
    for number, (kind, denomination) in enumerate(denominations):
        quantity = columns[number % 4].number_input(
            t(f"cash.{kind}", value=format_number(denomination)),
            min_value=0,
            value=0,
            step=1,
            key=f"cash.count.{kind}.{denomination}",
        )
        count.append({"kind": kind, "denomination": denomination, "quantity": int(quantity)})
    note = st.text_area(t("cash.closing_note"), max_chars=400, key="cash.closing_note")
    counted = sum(line["quantity"] * line["denomination"] for line in count) * 10 ** settings().currency_precision
    cards = st.columns(3)
    cards[0].metric(t("cash.counted"), money(counted), border=True)
    cards[1].metric(t("cash.expected_cash"), money(session["expected_cash"]), border=True)
    cards[2].metric(t("cash.difference"), money(counted - session["expected_cash"]), border=True)
    if st.button(t("cash.close"), type="primary", icon=":material/lock:", key="cash.close"):
        try:
            closed = cashdesk.close_session(session["id"], [line for line in count if line["quantity"]], note)
        except ApiProblem as problem:
            show_refusal(problem)
            return
        st.session_state["cash.closed"] = closed
        st.rerun()


def closing_report() -> None:
    """What the API recorded when the session was closed."""
    closed = st.session_state.get("cash.closed")
    if not closed:
        return
    st.success(
        t(
            "cash.closed",
            counted=money(closed.get("counted_cash")),
            expected=money(closed.get("expected_cash")),
            difference=money(closed.get("cash_difference")),
        ),
        icon=":material/lock:",
    )


user = signed_in_user()
st.title(t("cash.title"))
st.caption(t("cash.caption"))

with problems_as_messages():
    closing_report()
    session = session_of_the_day(user)
    if session is not None:
        session_figures(session)
        pay_tab, list_tab, close_tab = st.tabs([t("cash.tab.pay"), t("cash.tab.list"), t("cash.tab.close")])
        with pay_tab, problems_as_messages():
            take_a_payment(session)
        with list_tab, problems_as_messages():
            payments_of_the_session(session)
        with close_tab, problems_as_messages():
            closing_with_the_cash_count(session)
