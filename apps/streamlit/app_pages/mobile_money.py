"""Mobile money reconciliation: a partner's statement of a day against the payments we recorded (matched, missing on
either side, amounts or statuses that differ, recorded another day), its revisions, and the import of the day's
statement or of the partner's corrected statement (from the operational API, live)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from api import ApiProblem, forget_reads
from auth import show_refusal
from data import mobile_money
from i18n import format_day, format_number, labels, t
from ui import card_grid, local_time, local_today, money, problems_as_messages, signed_in_user, table, with_dashes

DONE_KEY = "mm.done"
# The operational API's default limit for a statement (YEELEN_MAX_STATEMENT_BYTES, 10,000,000 bytes), in the
# megabytes the upload box counts in: a larger file is stopped in the browser instead of refused after its upload.
UPLOAD_LIMIT_MB = 10
LINE_COLUMNS = {
    "reference_id": "mm.column.reference_id",
    "financial_transaction_id": "mm.column.financial_transaction_id",
    "external_id": "mm.column.external_id",
    "ours": "mm.column.ours",
    "theirs": "mm.column.theirs",
    "our_status": "mm.column.our_status",
    "their_status": "mm.column.their_status",
    "receipt_number": "column.receipt",
    "business_date": "mm.column.business_date",
}
RECENT_COLUMNS = {
    "statement_date": "mm.column.statement_date",
    "revision": "mm.column.revision",
    "line_count": "mm.column.lines",
    "total": "column.total",
    "imported_at": "mm.column.imported_at",
    "imported_by": "mm.column.imported_by",
    "correction_reason": "mm.column.reason",
}
REVISION_COLUMNS = {
    "revision": "mm.column.revision",
    "imported_at": "mm.column.imported_at",
    "imported_by": "mm.column.imported_by",
    "line_count": "mm.column.lines",
    "total": "column.total",
    "correction_reason": "mm.column.reason",
    "superseded_at": "mm.column.superseded_at",
}


def choose_statement(partners: list[dict]) -> tuple[str, dt.date, list[dict]]:
    """The partner (first, the one whose statement came last), the day of the statement (the latest imported, else
    yesterday: a partner sends a day once it is over) and the partner's recent statements."""
    left, middle, right = st.columns([3, 2, 1])
    codes = [partner["code"] for partner in partners]
    names = {partner["code"]: partner["name"] for partner in partners}
    everyone = mobile_money.recent_statements()
    last_day: dict[str, str] = {}
    for item in everyone:
        last_day.setdefault(item["partner_code"], item["statement_date"])

    def option(item: str) -> str:
        if item not in last_day:
            return t("mm.partner_none", code=item, name=names[item])
        return t("mm.partner_last", code=item, name=names[item], day=format_day(last_day[item]))

    latest_first = codes.index(everyone[0]["partner_code"]) if everyone and everyone[0]["partner_code"] in codes else 0
    code = left.selectbox(
        t("mm.partner"), codes, index=latest_first, format_func=option, help=t("mm.partner_help"), key="mm.partner"
    )
    recent = [item for item in everyone if item["partner_code"] == code]
    latest = dt.date.fromisoformat(recent[0]["statement_date"]) if recent else local_today() - dt.timedelta(days=1)
    day = middle.date_input(t("mm.day"), value=latest, format="DD/MM/YYYY", key="mm.day")
    if right.button(t("desks.refresh"), key="mm.refresh", icon=":material/refresh:"):
        forget_reads()
    return code, day, recent


def summary(report: dict) -> None:
    """Our side, their side, what matches and how many lines need someone's attention."""
    to_check = sum(len(report.get(part) or []) for part in mobile_money.DIFFERENCES)
    cards = card_grid(4, per_row=2)
    for card, part in zip(cards[:3], ("ours", "theirs", "matched"), strict=True):
        figures = report[part]
        card.metric(t(f"mm.{part}"), money(figures["amount"]), border=True)
        card.caption(t("mm.operations", count=format_number(figures["count"])))
    cards[3].metric(t("mm.to_check"), format_number(to_check), border=True)
    current = next(item for item in report["revisions"] if item["revision"] == report["revision"])
    st.caption(
        t(
            "mm.revision",
            revision=report["revision"],
            when=local_time(current["imported_at"]),
            who=current["imported_by"],
        )
    )
    if current.get("correction_reason"):
        st.caption(t("mm.revision_reason", reason=current["correction_reason"]))
    if not to_check:
        st.success(t("mm.all_matched"), icon=":material/done_all:")


def differences(report: dict) -> None:
    """One table per kind of difference that has lines."""
    for part in mobile_money.DIFFERENCES:
        rows = report.get(part) or []
        if rows:
            st.subheader(t(f"mm.section.{part}", count=format_number(len(rows))))
            frame = pd.DataFrame(rows)
            if "business_date" in frame:
                frame["business_date"] = frame["business_date"].map(format_day)
            _table(frame, LINE_COLUMNS, {"ours": money, "theirs": money}, key=f"mm.{part}")


def revisions(report: dict) -> None:
    """The statement's revisions, when the partner corrected it."""
    if len(report["revisions"]) < 2:
        return
    st.subheader(t("mm.revisions_title"))
    frame = pd.DataFrame(report["revisions"])
    for column in ("imported_at", "superseded_at"):
        frame[column] = frame[column].map(local_time)
    _table(frame, REVISION_COLUMNS, {"total": money}, key="mm.revisions")


def recent(statements: list[dict]) -> None:
    """The partner's statements of the last 31 days: which days are in, and which were corrected."""
    st.subheader(t("mm.recent_title"))
    if not statements:
        st.caption(t("mm.recent_none"))
        return
    frame = pd.DataFrame(statements)
    frame["imported_at"] = frame["imported_at"].map(local_time)
    frame["statement_date"] = frame["statement_date"].map(format_day)
    _table(frame, RECENT_COLUMNS, {"total": money}, key="mm.recent")


def _table(frame: pd.DataFrame, columns: dict[str, str], formats: dict, *, key: str) -> None:
    headers = labels(columns)
    table(
        with_dashes(frame, skip=formats).style.format(formats, na_rep="—"),
        hide_index=True,
        width="stretch",
        column_order=[name for name in headers if name in frame.columns],
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key=key,
    )


def import_form(code: str, day: dt.date, offered: tuple[bool, bool]) -> None:
    """The day's statement, for a day that has none yet."""
    available, allowed = offered
    if not available:
        return
    if not allowed:
        st.caption(t("mm.import_not_allowed"))
        return
    with st.form("mm.import"):
        st.subheader(t("mm.import_title"))
        upload = st.file_uploader(t("mm.file"), type=["csv"], key="mm.import_file", max_upload_size=UPLOAD_LIMIT_MB)
        if st.form_submit_button(t("mm.import"), type="primary", icon=":material/upload_file:"):
            if upload is None:
                st.warning(t("mm.file_required"))
                return
            _send(
                lambda: mobile_money.import_statement(code, day, upload.getvalue()),
                lambda answer: t(
                    "mm.imported",
                    partner=code,
                    day=day.strftime("%d/%m/%Y"),
                    lines=format_number(answer["line_count"]),
                    amount=money(answer["total"]),
                ),
            )


def correction_form(code: str, day: dt.date, offered: tuple[bool, bool]) -> None:
    """The partner's corrected statement of the day: its next revision."""
    available, allowed = offered
    if not available:
        return
    if not allowed:
        st.caption(t("mm.correct_not_allowed"))
        return
    with st.expander(t("mm.correct_title"), icon=":material/edit_document:"), st.form("mm.correct"):
        st.caption(t("mm.correct_help"))
        upload = st.file_uploader(t("mm.file"), type=["csv"], key="mm.correct_file", max_upload_size=UPLOAD_LIMIT_MB)
        reason = st.text_input(t("mm.reason"), max_chars=200, key="mm.reason")
        if st.form_submit_button(t("mm.correct"), icon=":material/upload_file:"):
            if upload is None:
                st.warning(t("mm.file_required"))
                return
            if len(reason.strip()) < 3:
                st.warning(t("mm.reason_required"))
                return
            _send(
                lambda: mobile_money.correct_statement(code, day, upload.getvalue(), reason.strip()),
                lambda answer: t(
                    "mm.corrected",
                    revision=answer["revision"],
                    lines=format_number(answer["line_count"]),
                    amount=money(answer["total"]),
                ),
            )


def _send(send, said) -> None:
    try:
        answer = send()
    except ApiProblem as problem:
        show_refusal(problem)
        return
    st.session_state[DONE_KEY] = t("mm.already_imported") if answer.get("already_imported") else said(answer)
    st.rerun()


user = signed_in_user()
st.title(t("mm.title"))
st.caption(t("mm.caption"))
if done := st.session_state.pop(DONE_KEY, None):
    st.success(done, icon=":material/task_alt:")

with problems_as_messages():
    offered = mobile_money.available()
    available, allowed = offered["partners"]
    if not (available and allowed):
        st.info(t("mm.partners_not_allowed"))
        st.stop()
    partners = mobile_money.partners()
    if not partners:
        st.info(t("mm.no_partner"))
        st.stop()
    code, day, statements = choose_statement(partners)
    report = mobile_money.reconciliation(code, day)
    if report is None:
        st.info(t("mm.no_statement", partner=code, day=day.strftime("%d/%m/%Y")))
        import_form(code, day, offered["import"])
    else:
        summary(report)
        differences(report)
        revisions(report)
        correction_form(code, day, offered["correct"])
    recent(statements)
