"""Login, logout, password change, and the administration of users and payment partners."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse

from operational_api.auth import service
from operational_api.auth.dependencies import PUBLIC, allowed_for, client_address
from operational_api.auth.models import Partner, User
from operational_api.auth.principal import Principal
from operational_api.auth.rights import Action, Role
from operational_api.auth.schemas import (
    LoginIn,
    MeOut,
    MessageOut,
    PartnerCreatedOut,
    PartnerCreateIn,
    PartnerOut,
    PasswordChangeIn,
    TokenOut,
    UserCreatedOut,
    UserCreateIn,
    UserOut,
    UserUpdateIn,
)
from operational_api.dependencies import PolicyDep, SessionDep, blocking
from operational_api.errors import (
    COMMON_RESPONSES,
    CONFLICT,
    NOT_FOUND,
    PUBLIC_RESPONSES,
    ApiError,
    error_response,
    responses_for,
)

router = APIRouter(tags=["auth"], responses=COMMON_RESPONSES)
admin_router = APIRouter(tags=["administration"], responses=COMMON_RESPONSES)


@router.post(
    "/auth/login",
    response_model=TokenOut,
    dependencies=PUBLIC,
    responses={**PUBLIC_RESPONSES, **responses_for(401, 403)},
    summary="Log in with a login and password; returns a bearer token",
)
@blocking
def login(body: LoginIn, request: Request, session: SessionDep, policy: PolicyDep) -> TokenOut | JSONResponse:
    workstation = request.headers.get("x-workstation")
    try:
        result = service.login(
            session=session,
            policy=policy,
            login=body.login,
            password=body.password,
            workstation=workstation[:60] if workstation else None,
            client_address=client_address(request),
        )
    except ApiError as error:
        # Answer the refusal without raising, so the unit of work commits the failure count and its audit event.
        return error_response(error)
    return TokenOut(
        access_token=result.token,
        expires_at=result.expires_at,
        password_change_required=result.password_change_required,
        user=MeOut(**service.me(session=session, policy=policy, principal=_as_principal(result.user))),
    )


def _as_principal(user: User) -> Principal:
    return Principal(kind="user", id=user.id, login=user.login, role=Role(user.role), agency_ids=None)


@router.post("/auth/logout", response_model=MessageOut, summary="Revoke the token of this request")
@blocking
def logout(session: SessionDep, principal: allowed_for(Action.SELF)) -> MessageOut:
    service.logout(session=session, principal=principal)
    return MessageOut(message="Logged out.")


@router.get("/auth/me", response_model=MeOut, summary="The caller's account, role, agencies and rights")
@blocking
def me(session: SessionDep, policy: PolicyDep, principal: allowed_for(Action.SELF)) -> MeOut:
    return MeOut(**service.me(session=session, policy=policy, principal=principal))


@router.post(
    "/auth/password",
    response_model=MessageOut,
    responses=responses_for(401),
    summary="Change one's password (required at first login and when it expires)",
)
@blocking
def change_password(
    body: PasswordChangeIn, session: SessionDep, policy: PolicyDep, principal: allowed_for(Action.SELF)
) -> MessageOut:
    service.change_password(
        session=session, policy=policy, principal=principal, current=body.current_password, new=body.new_password
    )
    return MessageOut(message="Password changed.")


def _user_out(session, user: User) -> UserOut:
    return UserOut(
        login=user.login,
        full_name=user.full_name,
        role=Role(user.role),
        agencies=service.user_agency_codes(session=session, user_id=user.id),
        active=user.active,
        must_change_password=user.must_change_password,
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
        created_at=user.created_at,
    )


@admin_router.get("/users", response_model=list[UserOut], summary="Every user with role and agencies")
@blocking
def list_users(session: SessionDep, principal: allowed_for(Action.USERS_READ)) -> list[UserOut]:
    return [_user_out(session, user) for user in service.list_users(session=session)]


@admin_router.get("/users/{login}", response_model=UserOut, responses=NOT_FOUND, summary="One user")
@blocking
def get_user(login: str, session: SessionDep, principal: allowed_for(Action.USERS_READ)) -> UserOut:
    return _user_out(session, service.get_user(session=session, login=login))


@admin_router.post(
    "/users",
    response_model=UserCreatedOut,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Create a user; the first password is returned once and must be changed at first login",
)
@blocking
def create_user(
    body: UserCreateIn, session: SessionDep, policy: PolicyDep, principal: allowed_for(Action.USERS_WRITE)
) -> UserCreatedOut:
    if body.role is Role.PARTNER:
        raise ApiError(
            "Partners are not users: create them with POST /partners.", code="partner_not_user", status_code=422
        )
    user, password = service.create_user(
        session=session,
        policy=policy,
        principal=principal,
        login=body.login,
        full_name=body.full_name,
        role=body.role,
        agencies=body.agencies,
    )
    return UserCreatedOut(**_user_out(session, user).model_dump(), first_password=password)


@admin_router.patch(
    "/users/{login}", response_model=UserOut, responses=NOT_FOUND, summary="Change role, agencies, name or status"
)
@blocking
def update_user(
    login: str, body: UserUpdateIn, session: SessionDep, principal: allowed_for(Action.USERS_WRITE)
) -> UserOut:
    if body.role is Role.PARTNER:
        raise ApiError("Partners are not users.", code="partner_not_user", status_code=422)
    user = service.update_user(
        session=session,
        principal=principal,
        login=login,
        full_name=body.full_name,
        role=body.role,
        agencies=body.agencies,
        active=body.active,
    )
    return _user_out(session, user)


@admin_router.post(
    "/users/{login}/reset-password",
    response_model=UserCreatedOut,
    responses=NOT_FOUND,
    summary="Give a new first password (returned once) and end the user's sessions",
)
@blocking
def reset_password(
    login: str, session: SessionDep, policy: PolicyDep, principal: allowed_for(Action.USERS_WRITE)
) -> UserCreatedOut:
    user, password = service.reset_password(session=session, policy=policy, principal=principal, login=login)
    return UserCreatedOut(**_user_out(session, user).model_dump(), first_password=password)


@admin_router.post("/users/{login}/unlock", response_model=UserOut, responses=NOT_FOUND, summary="Lift a lock-out")
@blocking
def unlock_user(login: str, session: SessionDep, principal: allowed_for(Action.USERS_WRITE)) -> UserOut:
    return _user_out(session, service.unlock_user(session=session, principal=principal, login=login))


def _partner_out(partner: Partner) -> PartnerOut:
    return PartnerOut(code=partner.code, name=partner.name, active=partner.active, created_at=partner.created_at)


@admin_router.get("/partners", response_model=list[PartnerOut], summary="Payment partners")
@blocking
def list_partners(session: SessionDep, principal: allowed_for(Action.PARTNERS_READ)) -> list[PartnerOut]:
    return [_partner_out(partner) for partner in service.list_partners(session=session)]


@admin_router.post(
    "/partners",
    response_model=PartnerCreatedOut,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
    summary="Register a payment partner; its secret is returned once",
)
@blocking
def create_partner(
    body: PartnerCreateIn, session: SessionDep, principal: allowed_for(Action.PARTNERS_WRITE)
) -> PartnerCreatedOut:
    partner, secret = service.create_partner(session=session, principal=principal, code=body.code, name=body.name)
    return PartnerCreatedOut(**_partner_out(partner).model_dump(), secret=secret)


@admin_router.post(
    "/partners/{code}/secret",
    response_model=PartnerCreatedOut,
    responses=NOT_FOUND,
    summary="Replace a partner's secret; the new one is returned once",
)
@blocking
def renew_partner_secret(
    code: str, session: SessionDep, principal: allowed_for(Action.PARTNERS_WRITE)
) -> PartnerCreatedOut:
    partner, secret = service.renew_partner_secret(session=session, principal=principal, code=code)
    return PartnerCreatedOut(**_partner_out(partner).model_dump(), secret=secret)
