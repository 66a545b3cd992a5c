"""Recovery: the contracts to disconnect per collection agent and their amounts, the campaigns and their progress
(paid, disconnected, refused, reconnected), on maps and in lists ready for export; campaigns created and field
outcomes recorded through the operational API."""

from __future__ import annotations

import datetime as dt

import maps
import pandas as pd
import streamlit as st
from api import ApiProblem
from auth import show_refusal
from data import collection
from data.scope import Scope, agencies
from data.warehouse import settings
from i18n import current_language, format_day, format_number, format_percent, labels, t
from ui import agency_choice, days, exports, local_today, money, problems_as_messages, signed_in_user, table

AGENT_COLUMNS = {
    "collection_agent": "column.agent",
    "eligible_contracts": "column.eligible_contracts",
    "amount_at_stake_minor": "column.amount_at_stake",
    "kept_connected": "column.kept_connected",
    "amount_kept_minor": "column.amount_kept",
    "oldest_due_date": "column.oldest_due_date",
}
CANDIDATE_COLUMNS = {
    "route_order": "column.route_order",
    "collection_agent": "column.agent",
    "contract_reference": "column.contract",
    "customer_name": "column.customer_name",
    "address": "column.address",
    "meter_serial": "column.meter",
    "amount_due_minor": "column.amount_due",
    "unpaid_bills": "column.unpaid_bills",
    "days_overdue": "column.days_overdue",
    "campaign_reference": "column.campaign",
}
CAMPAIGN_COLUMNS = {
    "campaign_reference": "column.campaign",
    "campaign_name": "column.campaign_name",
    "campaign_status": "column.status",
    "targets": "column.targets",
    "notice_delivered": "target.notice_delivered",
    "paid": "target.paid",
    "disconnected": "target.disconnected",
    "refused": "target.refused",
    "reconnected": "target.reconnected",
    "settled_share": "column.settled_share",
    "amount_due_minor": "column.amount_due",
    "recovered_minor": "column.recovered",
}
TARGET_COLUMNS = {
    "route_order": "column.route_order",
    "collection_agent": "column.agent",
    "contract_reference": "column.contract",
    "customer_name": "column.customer_name",
    "amount_due_minor": "column.amount_due",
    "target_status": "column.status",
    "status_on": "column.status_on",
}


def _counts(frame: pd.DataFrame) -> dict:
    """Counts written as whole numbers (a table shows 184.000000 for the float the data layer holds)."""
    return {name: format_number for name in collection.COUNTS if name in frame.columns}


def agency_and_agent(scope: Scope) -> tuple[int | None, str | None, pd.DataFrame]:
    """The agency, and one collection agent (or all of them); the agents' figures for the agency."""
    left, right = st.columns(2)
    agency_id = agency_choice(scope, "recovery.agency", column=left)
    agents = collection.agents(scope, agency_id)
    everyone = t("filter.all_agents")
    agent = right.selectbox(
        t("filter.agent"),
        options=[None, *agents["collection_agent"]],
        format_func=lambda value: everyone if value is None else value,
        key="recovery.agent",
    )
    return agency_id, agent, agents


def candidates_by_agent(agents: pd.DataFrame) -> None:
    """Per agent: contracts to disconnect, the amount at stake, and those kept connected with why."""
    cards = st.columns(3)
    cards[0].metric(t("kpi.to_disconnect"), format_number(agents["eligible_contracts"].sum()), border=True)
    cards[1].metric(t("kpi.amount_at_stake"), money(agents["amount_at_stake_minor"].sum()), border=True)
    cards[2].metric(t("kpi.kept_connected"), format_number(agents["kept_connected"].sum()), border=True)
    headers = labels(AGENT_COLUMNS)
    table(
        agents.style.format(
            {"amount_at_stake_minor": money, "amount_kept_minor": money}
            | _counts(agents)
            | days(agents, "oldest_due_date")
        ),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="recovery.agents",
    )


def candidates_on_the_map(candidates: pd.DataFrame) -> None:
    """The contracts to disconnect, coloured by agent, largest amounts first when there are too many."""
    placed = candidates.dropna(subset=["latitude", "longitude"]).sort_values("amount_due_minor", ascending=False)
    drawn = placed.head(collection.MAP_LIMIT)
    if drawn.empty:
        st.info(t("map.empty"))
        return
    points = drawn.assign(amount_label=[money(value) for value in drawn["amount_due_minor"]], status="eligible")
    config = settings()
    maps.render(
        maps.recovery_map_html(
            points[
                ["latitude", "longitude", "contract_reference", "customer_name", "collection_agent"]
                + ["amount_label", "status"]
            ],
            "agent",
            current_language(),
            config.map_tiles_url,
            config.map_tiles_attribution,
        )
    )
    if len(placed) > len(drawn):
        st.caption(t("recovery.map_limited", shown=len(drawn), total=len(placed)))


def disconnection_list(candidates: pd.DataFrame, agency_id: int | None, scope: Scope) -> None:
    """The disconnection list in route order, its exports, and a campaign made from it through the API."""
    headers = labels(CANDIDATE_COLUMNS)
    table(
        candidates.style.format({"amount_due_minor": money} | _counts(candidates)),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="recovery.candidates",
    )
    exports(candidates[list(headers)], name="liste-de-coupure", key="recovery.export", headers=headers)
    available, allowed = collection.available()["create"]
    if not available:
        st.info(t("api.missing", what="POST /collection/campaigns"), icon=":material/construction:")
        return
    if not allowed:
        return
    codes = {agency.agency_id: agency.code for agency in agencies(scope)}
    with st.form("recovery.campaign"):
        name = st.text_input(
            t("recovery.campaign_name"), value=t("recovery.campaign_default", day=format_day(local_today()))
        )
        submitted = st.form_submit_button(
            t("recovery.create_campaign", count=len(candidates)), type="primary", icon=":material/campaign:"
        )
    if submitted:
        try:
            created = collection.create_campaign(name, codes.get(agency_id), candidates)
        except ApiProblem as problem:
            show_refusal(problem)
        else:
            st.success(t("recovery.campaign_created", reference=created.get("reference", created.get("id", ""))))


def campaigns_and_progress(scope: Scope, agency_id: int | None) -> None:
    """Campaigns with their progress, and one campaign's targets per agent on a map coloured by status."""
    st.subheader(t("recovery.campaigns_title"))
    campaigns = collection.campaigns(scope, agency_id)
    if campaigns.empty:
        st.info(t("recovery.no_campaign"))
        return
    headers = labels(CAMPAIGN_COLUMNS)
    table(
        campaigns.style.format(
            {"amount_due_minor": money, "recovered_minor": money, "settled_share": format_percent} | _counts(campaigns)
        ),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="recovery.campaigns",
    )
    names = dict(zip(campaigns["collection_campaign_id"].astype(int), campaigns["campaign_reference"], strict=True))
    campaign_id = st.selectbox(
        t("filter.campaign"), options=list(names), format_func=names.__getitem__, key="recovery.campaign_choice"
    )
    progress = collection.progress_by_agent(campaign_id, scope)
    table(
        progress.style.format(
            {"amount_due_minor": money, "recovered_minor": money, "settled_share": format_percent} | _counts(progress)
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "collection_agent": st.column_config.Column(t("column.agent")),
            **{
                status: st.column_config.Column(t(f"target.{status}"))
                for status in ("pending", *collection.TARGET_STATUSES)
            },
            "targets": st.column_config.Column(t("column.targets")),
            "settled_share": st.column_config.Column(t("column.settled_share")),
            "amount_due_minor": st.column_config.Column(t("column.amount_due")),
            "recovered_minor": st.column_config.Column(t("column.recovered")),
        },
        key="recovery.progress",
    )
    targets = collection.targets(campaign_id, scope)
    placed = targets.dropna(subset=["latitude", "longitude"]).head(collection.MAP_LIMIT)
    if not placed.empty:
        points = placed.assign(
            amount_label=[money(value) for value in placed["amount_due_minor"]], status=placed["target_status"]
        )
        config = settings()
        maps.render(
            maps.recovery_map_html(
                points[
                    ["latitude", "longitude", "contract_reference", "customer_name", "collection_agent"]
                    + ["amount_label", "status"]
                ],
                "status",
                current_language(),
                config.map_tiles_url,
                config.map_tiles_attribution,
            )
        )
    headers = labels(TARGET_COLUMNS)
    shown = targets.assign(target_status=[t(f"target.{status}") for status in targets["target_status"]])
    exports(shown[list(headers)], name=f"campagne-{names[campaign_id]}", key="recovery.targets_export", headers=headers)
    target_outcome(targets)


def target_outcome(targets: pd.DataFrame) -> None:
    """Record what an agent reports for a target: notice delivered, paid, disconnected, refused, reconnected."""
    available, allowed = collection.available()["outcome"]
    if not available:
        st.info(t("api.missing", what="POST /collection/targets/{id}/outcome"), icon=":material/construction:")
        return
    if not allowed or targets.empty:
        return
    labels_by_id = {
        int(row.collection_target_id): f"{row.contract_reference} — {row.customer_name} ({row.collection_agent})"
        for row in targets.itertuples(index=False)
    }
    with st.form("recovery.outcome"):
        st.markdown(f"**{t('recovery.outcome_title')}**")
        target_id = st.selectbox(t("recovery.target"), options=list(labels_by_id), format_func=labels_by_id.__getitem__)
        status = st.selectbox(
            t("column.status"), options=collection.TARGET_STATUSES, format_func=lambda value: t(f"target.{value}")
        )
        status_on = st.date_input(t("column.status_on"), value=local_today(), format="DD/MM/YYYY")
        index = st.number_input(t("recovery.index_at_disconnection"), min_value=0, value=None, step=1)
        notes = st.text_input(t("inspections.notes"), max_chars=1000)
        submitted = st.form_submit_button(t("recovery.record_outcome"), type="primary")
    if submitted:
        try:
            collection.record_outcome(
                target_id,
                status=status,
                status_on=status_on if isinstance(status_on, dt.date) else local_today(),
                index_at_disconnection=None if index is None else int(index),
                notes=notes,
            )
        except ApiProblem as problem:
            show_refusal(problem)
        else:
            st.success(t("recovery.outcome_recorded"))


user = signed_in_user()
st.title(t("recovery.title"))
st.caption(t("recovery.caption"))

with problems_as_messages():
    agency_id, agent, agents = agency_and_agent(user.scope)
    to_disconnect, campaigns_tab = st.tabs([t("tab.to_disconnect"), t("tab.campaigns")])
    with to_disconnect:
        candidates_by_agent(agents if agent is None else agents[agents["collection_agent"] == agent])
        candidates = collection.candidates(user.scope, agency_id, agent)
        if candidates.empty:
            st.info(t("recovery.no_candidate"))
        else:
            candidates_on_the_map(candidates)
            disconnection_list(candidates, agency_id, user.scope)
    with campaigns_tab:
        campaigns_and_progress(user.scope, agency_id)
