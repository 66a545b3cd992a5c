"""Billing control: the billing batches and their state; a simulation's bills with their control alerts and the
contracts not billed with the reason; approving or rejecting a batch with a reason, through the operational API,
for the users who hold the right."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from api import ApiProblem
from auth import User, show_refusal
from data import billing
from data.scope import Scope
from i18n import code_label, current_language, format_number, labels, month_label, t
from ui import card_grid, days, exports, local_today, money, problems_as_messages, signed_in_user, styled, table

DONE_KEY = "billing.done"
BATCH_COLUMNS = {
    "reference": "column.batch",
    "name": "column.batch_name",
    "billing_month": "column.billing_month",
    "status": "column.status",
    "status_reason": "column.status_reason",
    "contracts": "column.contracts",
    "billable": "column.billable",
    "held": "column.held",
    "not_billed": "column.not_billed",
    "alerts": "column.alerts",
    "simulated_amount_minor": "column.simulated_amount",
    "invoiced_amount_minor": "column.invoiced_amount",
}
TAB_KEY = "billing.tab"
BATCH_COUNTS = ("contracts", "billable", "held", "not_billed", "alerts")
BILL_COLUMNS = {
    "contract_reference": "column.contract",
    "customer_name": "column.customer_name",
    "reading_round_code": "column.round_code",
    "category": "column.category",
    "period_start": "column.period_start",
    "period_end": "column.period_end",
    "consumption": "column.consumption",
    "unit": "column.unit",
    "consumption_source": "column.source",
    "total_minor": "column.total",
}
ALERT_COLUMNS = {
    "alert_code": "column.alert",
    "contract_reference": "column.contract",
    "customer_name": "column.customer_name",
    "consumption": "column.consumption",
    "total_minor": "column.total",
}
NOT_BILLED_COLUMNS = {
    "bill_status": "column.status",
    "reason_code": "column.reason",
    "contract_reference": "column.contract",
    "customer_name": "column.customer_name",
    "reading_round_code": "column.round_code",
    "category": "column.category",
}


def batches_and_their_state(scope: Scope) -> tuple[pd.DataFrame, int | None]:
    """Every batch, newest first, with its state; the batch chosen to control."""
    batches, source = billing.batches(scope)
    if batches.empty:
        st.info(t("billing.no_batch"))
        return batches, None
    shown = batches.assign(
        status=[code_label("batch", value) for value in batches["status"]],
        status_reason=[value if isinstance(value, str) and value else "—" for value in batches["status_reason"]],
    )
    headers = {name: label for name, label in labels(BATCH_COLUMNS).items() if name in shown.columns}
    amounts = {name: money for name in ("simulated_amount_minor", "invoiced_amount_minor") if name in headers}
    counts = {name: format_number for name in BATCH_COUNTS if name in headers}
    table(
        shown.style.format(amounts | counts, na_rep="—"),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()}
        | {"billing_month": st.column_config.DateColumn(t("column.billing_month"), format="MM/YYYY")},
        key="billing.batches",
    )
    st.caption(t(f"billing.source.{source}"))
    language = current_language()
    names = {
        int(row.id): f"{row.reference} — {month_label(row.billing_month, language)} — {code_label('batch', row.status)}"
        for row in batches.itertuples(index=False)
    }
    chosen = st.selectbox(t("billing.choose"), options=list(names), format_func=names.__getitem__, key="billing.batch")
    return batches, chosen


def simulation(batch: pd.Series, scope: Scope) -> None:
    """The simulation of a batch: its figures, its bills, the control alerts, the contracts not billed."""
    figures = billing.figures(int(batch["id"]), scope)
    cards = card_grid(6)
    for card, (key, value) in zip(
        cards,
        (
            ("column.contracts", format_number(figures["contracts"])),
            ("column.billable", format_number(figures["billable"])),
            ("column.held", format_number(figures["held"])),
            ("column.not_billed", format_number(figures["not_billed"])),
            ("column.alerts", format_number(figures["alerts"])),
            ("column.simulated_amount", money(figures["amount_minor"], compact=True)),
        ),
        strict=True,
    ):
        card.metric(t(key), value, border=True)
    if not figures["contracts"]:
        st.info(t("billing.no_simulation"))
        return
    # Only the open tab is run: each holds a list of thousands of rows on a large batch.
    bills_tab, alerts_tab, not_billed_tab = st.tabs(
        [t("billing.tab.bills"), t("billing.tab.alerts"), t("billing.tab.not_billed")],
        key=TAB_KEY,
        on_change="rerun",
    )
    if bills_tab.open:
        with bills_tab:
            draft_bills(int(batch["id"]), scope)
    if alerts_tab.open:
        with alerts_tab:
            control_alerts(int(batch["id"]), scope)
    if not_billed_tab.open:
        with not_billed_tab:
            contracts_not_billed(int(batch["id"]), scope, str(batch.get("reference") or batch["id"]))


def _source(code: str | None) -> str:
    """Where a bill's consumption comes from, in words: a reading or the billing estimate."""
    return code_label("consumption_source", code)


def draft_bills(batch_id: int, scope: Scope) -> None:
    """The bills of the simulation, largest first; the lines of the bill chosen."""
    bills = billing.bills(batch_id, scope)
    if bills.empty:
        st.info(t("billing.no_bill"))
        return
    headers = labels(BILL_COLUMNS)
    selection = table(
        styled(
            bills,
            [*headers, "bill_key"],
            {"total_minor": money, "consumption": format_number, "consumption_source": _source}
            | days(bills, "period_start", "period_end"),
        ),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        on_select="rerun",
        selection_mode="single-row",
        key="billing.bills",
    )
    if len(bills) >= billing.BILL_LIMIT:
        st.caption(t("billing.bills_limited", count=billing.BILL_LIMIT))
    rows = selection.selection.rows if selection is not None else []
    if rows:
        bill = bills.iloc[rows[0]]
        st.markdown(f"**{t('billing.lines_of', contract=bill['contract_reference'])}**")
        lines = billing.lines(int(bill["bill_key"]))
        label = "label_fr" if current_language() == "fr" else "label_en"
        table(
            lines.style.format({"amount_minor": money}),
            hide_index=True,
            width="stretch",
            column_order=["line_number", label, "quantity", "unit_price", "amount_minor"],
            column_config={
                "line_number": st.column_config.Column("#"),
                label: st.column_config.Column(t("column.line")),
                "quantity": st.column_config.Column(t("column.quantity")),
                "unit_price": st.column_config.Column(t("column.unit_price")),
                "amount_minor": st.column_config.Column(t("column.amount")),
            },
            key="billing.lines",
        )


def control_alerts(batch_id: int, scope: Scope) -> None:
    """Bills flagged by the controls: far above habit, zero or estimated consumption, amount above limit, held."""
    counts = billing.alert_counts(batch_id, scope)
    if not counts:
        st.success(t("billing.no_alert"))
        return
    everything = t("filter.all_alerts")
    alert = st.pills(
        t("filter.alert"),
        options=list(counts),
        format_func=lambda code: f"{code_label('alert', code)} ({format_number(counts[code])})",
        key="billing.alert",
    )
    st.caption(everything if alert is None else code_label("alert", alert))
    frame = billing.alerts(batch_id, scope, alert)
    shown = frame.assign(alert_code=[code_label("alert", code) for code in frame["alert_code"]])
    headers = labels(ALERT_COLUMNS)
    table(
        styled(
            shown,
            headers,
            {"total_minor": money, "consumption": format_number} | days(shown, "period_start", "period_end"),
            na_rep="—",
        ),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="billing.alerts",
    )
    if len(frame) >= billing.BILL_LIMIT:
        st.caption(t("billing.alerts_limited", count=billing.BILL_LIMIT))


def contracts_not_billed(batch_id: int, scope: Scope, reference: str) -> None:
    """Contracts held or not billed, each with the reason (list of customers not billed)."""
    frame = billing.not_billed(batch_id, scope)
    if frame.empty:
        st.success(t("billing.all_billed"))
        return
    shown = frame.assign(
        bill_status=[code_label("bill", value) for value in frame["bill_status"]],
        reason_code=[code_label("reason", value) for value in frame["reason_code"]],
    )
    headers = labels(NOT_BILLED_COLUMNS)
    table(
        shown,
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="billing.not_billed",
    )
    exports(shown[list(headers)], name=f"non-factures-{reference}", key="billing.not_billed_export", headers=headers)


def decision(batch: pd.Series) -> None:
    """Approve a simulated batch, reject a simulated or approved one with a reason, or send a rejected one back to
    be simulated (as the API allows), for the users whose role holds the right."""
    offered = billing.available()
    if not offered["approve"][0]:
        st.info(t("api.missing", what="POST /billing/batches/{id}/approve"), icon=":material/construction:")
        return
    if batch["status"] in billing.REOPENABLE and offered["reopen"][0]:
        simulate_again(batch, allowed=offered["reopen"][1])
        return
    if not (offered["approve"][1] or offered["reject"][1]):
        st.caption(t("billing.decision_not_allowed"))
        return
    may_approve = offered["approve"][1] and batch["status"] in billing.APPROVABLE
    may_reject = offered["reject"][1] and batch["status"] in billing.REJECTABLE
    if not (may_approve or may_reject):
        st.caption(t("billing.decision_only_simulated", status=code_label("batch", batch["status"])))
        return
    st.subheader(t("billing.decision_title"))
    approve_column, reject_column = st.columns(2)
    if may_approve and approve_column.button(
        t("billing.approve"), type="primary", key="billing.approve", icon=":material/task_alt:"
    ):
        _decide(lambda: billing.approve(int(batch["id"])), t("billing.approved", reference=batch.get("reference")))
    if may_reject:
        with reject_column.form("billing.reject"):
            reason = st.text_input(t("billing.reject_reason"), max_chars=400)
            if st.form_submit_button(t("billing.reject"), icon=":material/block:"):
                if len(reason.strip()) < 3:
                    st.warning(t("billing.reason_required"))
                else:
                    _decide(
                        lambda: billing.reject(int(batch["id"]), reason.strip()),
                        t("billing.rejected", reference=batch.get("reference")),
                    )


def simulate_again(batch: pd.Series, allowed: bool) -> None:
    """A rejected batch waits for its data to be fixed; then a billing clerk sends it back to be simulated."""
    if not allowed:
        st.caption(t("billing.reopen_not_allowed"))
        return
    st.subheader(t("billing.decision_title"))
    if st.button(t("billing.reopen"), key="billing.reopen", help=t("billing.reopen_help"), icon=":material/replay:"):
        _decide(lambda: billing.reopen(int(batch["id"])), t("billing.reopened", reference=batch.get("reference")))


def _decide(send, done: str) -> None:
    try:
        send()
    except ApiProblem as problem:
        show_refusal(problem)
    else:
        _done_then_rerun(done)


def _done_then_rerun(done: str) -> None:
    """Say what was done on the next run, which shows the batches in their new state."""
    st.session_state[DONE_KEY] = done
    st.rerun()


def new_batch(user: User) -> None:
    """Open a batch on criteria (billing month, agency or round, category, cycle, commodity); the pipeline simulates
    it."""
    available, allowed = billing.available()["create"]
    if not (available and allowed):
        return
    with st.expander(t("billing.new_batch")), st.form("billing.create"):
        first, second, third = st.columns(3)
        month = first.date_input(t("column.billing_month"), value=local_today().replace(day=1), format="DD/MM/YYYY")
        agency = second.selectbox(
            t("filter.agency"),
            options=[None, *user.agencies] if user.all_agencies else list(user.agencies),
            format_func=lambda value: t("filter.all_agencies") if value is None else value,
        )
        commodity = third.selectbox(
            t("filter.commodity"),
            options=[None, "electricity", "water"],
            format_func=lambda value: t("filter.any") if value is None else t(f"commodity.{value}"),
        )
        fourth, fifth, sixth = st.columns(3)
        cycle = fourth.selectbox(
            t("column.billing_cycle"),
            options=[None, "monthly", "bimonthly"],
            format_func=lambda value: t("filter.any") if value is None else t(f"cycle.{value}"),
        )
        category = fifth.text_input(t("column.category"))
        name = sixth.text_input(t("column.batch_name"))
        round_code = st.text_input(t("filter.round"), help=t("billing.round_help"))
        if st.form_submit_button(t("billing.create"), icon=":material/add:"):
            try:
                created = billing.create(
                    month,
                    agency_code=agency,
                    category=category,
                    billing_cycle=cycle,
                    commodity=commodity,
                    name=name,
                    round_code=round_code.strip() or None,
                )
            except ApiProblem as problem:
                show_refusal(problem)
            else:
                _done_then_rerun(t("billing.created", reference=created.get("reference", created.get("id", ""))))


user = signed_in_user()
st.title(t("billing.title"))
st.caption(t("billing.caption"))
if DONE_KEY in st.session_state:
    st.success(st.session_state.pop(DONE_KEY), icon=":material/check:")

with problems_as_messages():
    batches, chosen = batches_and_their_state(user.scope)
    new_batch(user)
    if chosen is not None:
        batch = batches[batches["id"] == chosen].iloc[0]
        st.subheader(t("billing.simulation_title", reference=batch.get("reference") or chosen))
        if isinstance(batch.get("status_reason"), str) and batch["status_reason"]:
            st.caption(t("billing.status_reason", reason=batch["status_reason"]))
        simulation(batch, user.scope)
        decision(batch)
