"""Disconnection campaigns (*campagnes de coupure*): built from the targets a planner chose, followed in the
field target by target (notice delivered, paid, disconnected, refused, reconnected)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import func, select

from operational_api.audit import service as audit
from operational_api.auth.dependencies import allowed_for
from operational_api.auth.rights import Action
from operational_api.collection.models import CollectionCampaign, CollectionTarget
from operational_api.collection.schemas import CampaignIn, CampaignOut, OutcomeIn, TargetOut
from operational_api.common import MAX_ID
from operational_api.concurrency import next_number
from operational_api.customers.models import Contract, DeliveryPoint
from operational_api.db import local_date
from operational_api.dependencies import SessionDep, SettingsDep, blocking
from operational_api.errors import COMMON_RESPONSES, CONFLICT, NOT_FOUND, ConflictError, NotFoundError, RefusedError
from operational_api.organization.models import Agency

CampaignId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the campaign")]
TargetId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the campaign target")]
router = APIRouter(prefix="/collection", tags=["collection"], responses=COMMON_RESPONSES)
# What may follow what in the field; a target is closed once paid or reconnected.
NEXT = {
    "pending": {"notice_delivered", "paid", "disconnected", "refused"},
    "notice_delivered": {"paid", "disconnected", "refused"},
    "refused": {"paid", "disconnected"},
    "disconnected": {"paid", "reconnected"},
    "paid": {"reconnected"},
    "reconnected": set(),
}


def _campaign_out(session, campaign: CollectionCampaign) -> CampaignOut:
    rows = session.execute(
        select(CollectionTarget.status, func.count(), func.coalesce(func.sum(CollectionTarget.amount_due), 0))
        .where(CollectionTarget.campaign_id == campaign.id)
        .group_by(CollectionTarget.status)
    ).all()
    progress = Counter({status: count for status, count, _ in rows})
    return CampaignOut(
        id=campaign.id,
        reference=campaign.reference,
        name=campaign.name,
        agency_id=campaign.agency_id,
        created_on=campaign.created_on,
        status=campaign.status,
        targets=sum(progress.values()),
        amount_due=sum(amount for _, _, amount in rows),
        progress=dict(progress),
    )


@router.post(
    "/campaigns",
    response_model=CampaignOut,
    status_code=201,
    responses=NOT_FOUND,
    summary="Create a disconnection campaign",
)
@blocking
def create_campaign(
    body: CampaignIn, session: SessionDep, settings: SettingsDep, principal: allowed_for(Action.COLLECTION_PLAN)
) -> CampaignOut:
    agency_id = None
    if body.agency_code:
        agency_id = session.scalar(select(Agency.id).where(Agency.code == body.agency_code))
        if agency_id is None:
            raise NotFoundError(f"No agency with code {body.agency_code!r}.", code="unknown_agency")
        principal.check_agency(agency_id, f"Agency {body.agency_code}")
    references = [target.contract_reference for target in body.targets]
    if len(set(references)) != len(references):
        raise RefusedError("A contract appears twice in the campaign's targets.", code="duplicate_target")
    contracts = {
        reference: (contract_id, contract_agency)
        for reference, contract_id, contract_agency in session.execute(
            select(Contract.reference, Contract.id, DeliveryPoint.agency_id)
            .join(DeliveryPoint, Contract.delivery_point_id == DeliveryPoint.id)
            .where(Contract.reference.in_(references))
        )
    }
    unknown = sorted(set(references) - set(contracts))
    if unknown:
        raise NotFoundError(f"Unknown contracts: {', '.join(unknown[:10])}.", code="unknown_contract")
    for reference, (_, contract_agency) in contracts.items():
        principal.check_agency(contract_agency, f"Contract {reference}")
    today = local_date(settings.timezone)
    # The month's series, locked until the commit: campaigns created at once never share a reference.
    series = f"CP-{today:%Y%m}"
    campaign = CollectionCampaign(
        reference=f"{series}-{next_number(session=session, series=series):04d}",
        name=body.name,
        agency_id=agency_id,
        created_on=today,
        status="in_progress",
        criteria=json.dumps(body.criteria, ensure_ascii=False)[:2000] if body.criteria else None,
        created_by=principal.login,
    )
    session.add(campaign)
    session.flush()
    session.add_all(
        CollectionTarget(
            campaign_id=campaign.id,
            contract_id=contracts[target.contract_reference][0],
            agent=target.agent,
            route_order=target.route_order,
            amount_due=target.amount_due,
        )
        for target in body.targets
    )
    session.flush()
    audit.record(
        session=session,
        principal=principal,
        action="collection.campaign.create",
        entity="collection_campaign",
        entity_key=campaign.id,
        after={"reference": campaign.reference, "targets": len(body.targets)},
        agency_id=agency_id,
    )
    return _campaign_out(session, campaign)


@router.get("/campaigns", response_model=list[CampaignOut], summary="Campaigns with their progress")
@blocking
def list_campaigns(
    session: SessionDep, principal: allowed_for(Action.COLLECTION_READ), limit: int = Query(100, ge=1, le=1000)
) -> list[CampaignOut]:
    campaigns = session.scalars(select(CollectionCampaign).order_by(CollectionCampaign.id.desc()).limit(limit))
    return [
        _campaign_out(session, campaign)
        for campaign in campaigns
        if campaign.agency_id is None or principal.sees_agency(campaign.agency_id)
    ]


@router.get(
    "/campaigns/{campaign_id}/targets",
    response_model=list[TargetOut],
    responses=NOT_FOUND,
    summary="The targets of a campaign in route order",
)
@blocking
def list_targets(
    campaign_id: CampaignId, session: SessionDep, principal: allowed_for(Action.COLLECTION_READ)
) -> list[TargetOut]:
    campaign = session.get(CollectionCampaign, campaign_id)
    if campaign is None:
        raise NotFoundError(f"No campaign #{campaign_id}.", code="unknown_campaign")
    if campaign.agency_id is not None:
        principal.check_agency(campaign.agency_id, f"Campaign {campaign.reference}")
    rows = session.execute(
        select(CollectionTarget, Contract.reference)
        .join(Contract, CollectionTarget.contract_id == Contract.id)
        .where(CollectionTarget.campaign_id == campaign_id)
        .order_by(CollectionTarget.agent, CollectionTarget.route_order, CollectionTarget.id)
    ).all()
    return [
        TargetOut(
            **{k: getattr(target, k) for k in TargetOut.model_fields if k != "contract_reference"},
            contract_reference=reference,
        )
        for target, reference in rows
    ]


@router.post(
    "/targets/{target_id}/outcome",
    response_model=TargetOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Record what happened at a target: notice, payment, disconnection, refusal, reconnection",
)
@blocking
def record_outcome(
    target_id: TargetId, body: OutcomeIn, session: SessionDep, principal: allowed_for(Action.COLLECTION_RECORD)
) -> TargetOut:
    row = session.execute(
        select(CollectionTarget, Contract.reference, DeliveryPoint.agency_id)
        .join(Contract, CollectionTarget.contract_id == Contract.id)
        .join(DeliveryPoint, Contract.delivery_point_id == DeliveryPoint.id)
        .where(CollectionTarget.id == target_id)
        .with_for_update(of=CollectionTarget)
    ).first()
    if row is None:
        raise NotFoundError(f"No campaign target #{target_id}.", code="unknown_target")
    target, reference, agency_id = row
    principal.check_agency(agency_id, f"Target #{target_id}")
    if body.status not in NEXT[target.status]:
        allowed = ", ".join(sorted(NEXT[target.status])) or "nothing (the target is closed)"
        raise ConflictError(f"Target #{target_id} is {target.status}; it can become {allowed}.", code="target_status")
    if body.status == "disconnected" and body.index_at_disconnection is None:
        raise RefusedError("Read the meter's index at disconnection and record it.", code="index_required")
    before = {"status": target.status}
    target.status = body.status
    target.status_on = body.status_on
    if body.index_at_disconnection is not None:
        target.index_at_disconnection = body.index_at_disconnection
    if body.reconnection_fee is not None:
        target.reconnection_fee = body.reconnection_fee
    if body.notes:
        target.notes = body.notes
    audit.record(
        session=session,
        principal=principal,
        action="collection.target.outcome",
        entity="collection_target",
        entity_key=target.id,
        before=before,
        after={"status": body.status},
        agency_id=agency_id,
    )
    return TargetOut(
        **{k: getattr(target, k) for k in TargetOut.model_fields if k != "contract_reference"},
        contract_reference=reference,
    )
