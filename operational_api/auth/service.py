"""Users, logins, tokens and partners. Functions add to the caller's unit of work and never commit."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.orm import Session

from operational_api.audit import service as audit
from operational_api.auth import security
from operational_api.auth.exceptions import (
    AccountDisabledError,
    AccountLockedError,
    BadCredentialsError,
    InvalidTokenError,
    PartnerExistsError,
    PartnerNotFoundError,
    PasswordReuseError,
    UnknownAgencyError,
    UserExistsError,
    UserNotFoundError,
)
from operational_api.auth.models import ApiToken, Partner, User, UserAgency
from operational_api.auth.principal import Principal
from operational_api.auth.rights import (
    ACTION_DESCRIPTIONS,
    AGENCY_WIDE_ROLES,
    RIGHTS,
    Action,
    Role,
    allowed,
    roles_for,
)
from operational_api.config import Policy
from operational_api.db import utcnow
from operational_api.errors import ForbiddenError
from operational_api.organization.models import Agency


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: dt.datetime
    user: User
    password_change_required: bool


def password_expires_at(user: User, policy: Policy) -> dt.datetime | None:
    """When the user's password expires (``None`` when passwords never expire)."""
    if policy.password_expiry_days == 0:
        return None
    return user.password_changed_at + dt.timedelta(days=policy.password_expiry_days)


def password_change_required(user: User, policy: Policy, now: dt.datetime | None = None) -> bool:
    """First login (a password given by someone else) or an expired password."""
    expires = password_expires_at(user, policy)
    return user.must_change_password or (expires is not None and (now or utcnow()) >= expires)


def agency_ids(*, session: Session, codes: list[str]) -> list[int]:
    """Ids of the agencies with these codes, refusing an unknown code."""
    found = dict(session.execute(select(Agency.code, Agency.id).where(Agency.code.in_(codes))).all())
    for code in codes:
        if code not in found:
            raise UnknownAgencyError(code)
    return [found[code] for code in dict.fromkeys(codes)]


def user_agency_codes(*, session: Session, user_id: int) -> list[str]:
    """Codes of the agencies a user is attached to."""
    return list(
        session.scalars(
            select(Agency.code)
            .join(UserAgency, UserAgency.agency_id == Agency.id)
            .where(UserAgency.user_id == user_id)
            .order_by(Agency.code)
        )
    )


def _user_state(session: Session, user: User) -> dict:
    state = audit.snapshot(user, exclude=("created_at", "updated_at", "password_hash"))
    state["agencies"] = user_agency_codes(session=session, user_id=user.id) if user.id else []
    return state


def get_user(*, session: Session, login: str) -> User:
    """The user with this login."""
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise UserNotFoundError(login)
    return user


def principal_of_login(
    *, session: Session, login: str, action: Action | None = None, workstation: str | None = None
) -> Principal:
    """The principal of a user acting outside the API (the command line names who acts with ``--by``): the
    account must exist, be active and, when ``action`` is given, have a role allowed to do it."""
    user = get_user(session=session, login=login)
    if not user.active:
        raise AccountDisabledError()
    role = Role(user.role)
    if action is not None and not allowed(role, action):
        raise ForbiddenError(
            f"{login} ({role}) may not do this ({ACTION_DESCRIPTIONS[action].lower()}): it needs one of the roles "
            f"{', '.join(str(item) for item in roles_for(action))}.",
        )
    agencies = None
    if role not in AGENCY_WIDE_ROLES:
        agencies = frozenset(session.scalars(select(UserAgency.agency_id).where(UserAgency.user_id == user.id)).all())
    return Principal(kind="user", id=user.id, login=user.login, role=role, agency_ids=agencies, workstation=workstation)


def list_users(*, session: Session) -> list[User]:
    """Every user, by login."""
    return list(session.scalars(select(User).order_by(User.login)))


def create_user(
    *,
    session: Session,
    policy: Policy,
    principal: Principal,
    login: str,
    full_name: str,
    role: Role,
    agencies: list[str],
    password: str | None = None,
    must_change_password: bool = True,
) -> tuple[User, str]:
    """Create a user with a first password (returned once, to be changed at first login)."""
    if session.scalar(select(User.id).where(User.login == login)) is not None:
        raise UserExistsError(login)
    ids = agency_ids(session=session, codes=agencies)
    password = password or security.first_password(policy)
    user = User(
        login=login,
        full_name=full_name,
        role=Role(role).value,
        password_hash=security.hash_password(password, policy),
        must_change_password=must_change_password,
        password_changed_at=utcnow(),
        failed_logins=0,
        active=True,
        created_by=principal.login,
    )
    session.add(user)
    session.flush()
    session.add_all([UserAgency(user_id=user.id, agency_id=agency_id) for agency_id in ids])
    session.flush()
    audit.record(
        session=session,
        principal=principal,
        action="admin.users.create",
        entity="app_user",
        entity_key=login,
        after=_user_state(session, user),
    )
    return user, password


def update_user(
    *,
    session: Session,
    principal: Principal,
    login: str,
    full_name: str | None = None,
    role: Role | None = None,
    agencies: list[str] | None = None,
    active: bool | None = None,
) -> User:
    """Change a user's name, role, agencies or whether the account is active."""
    user = get_user(session=session, login=login)
    before = _user_state(session, user)
    if full_name is not None:
        user.full_name = full_name
    if role is not None:
        user.role = Role(role).value
    if active is not None:
        user.active = active
        if not active:
            _revoke_all(session, user.id)
    if agencies is not None:
        ids = agency_ids(session=session, codes=agencies)
        session.execute(delete(UserAgency).where(UserAgency.user_id == user.id))
        session.add_all([UserAgency(user_id=user.id, agency_id=agency_id) for agency_id in ids])
    session.flush()
    audit.record(
        session=session,
        principal=principal,
        action="admin.users.update",
        entity="app_user",
        entity_key=login,
        before=before,
        after=_user_state(session, user),
    )
    return user


def reset_password(*, session: Session, policy: Policy, principal: Principal, login: str) -> tuple[User, str]:
    """Give a user a new first password (to be changed at next login) and end the user's sessions."""
    user = get_user(session=session, login=login)
    password = security.first_password(policy)
    user.password_hash = security.hash_password(password, policy)
    user.must_change_password = True
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    _revoke_all(session, user.id)
    audit.record(
        session=session,
        principal=principal,
        action="admin.users.reset_password",
        entity="app_user",
        entity_key=login,
        after={"must_change_password": True},
    )
    return user, password


def unlock_user(*, session: Session, principal: Principal, login: str) -> User:
    """Lift a lock-out before it ends."""
    user = get_user(session=session, login=login)
    before = {"failed_logins": user.failed_logins, "locked_until": user.locked_until}
    user.failed_logins = 0
    user.locked_until = None
    audit.record(
        session=session,
        principal=principal,
        action="admin.users.unlock",
        entity="app_user",
        entity_key=login,
        before=before,
        after={"failed_logins": 0, "locked_until": None},
    )
    return user


def _revoke_all(session: Session, user_id: int) -> None:
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), updated_at=utcnow())
    )


def _anonymous(login: str, workstation: str | None, client_address: str | None) -> Principal:
    return Principal(
        kind="user",
        id=0,
        login=login[:60],
        role=Role.CASHIER,
        agency_ids=frozenset(),
        workstation=workstation,
        client_address=client_address,
    )


def login(
    *,
    session: Session,
    policy: Policy,
    login: str,
    password: str,
    workstation: str | None,
    client_address: str | None,
) -> LoginResult:
    """Check a login and password and issue a token; failures are counted and lock the account at the threshold.

    On failure the counters and the audit event are already in the unit of work when the error is raised: the
    caller answers with the error *and* commits.
    """
    now = utcnow()
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        security.spend_verification_time(password, policy)
        audit.record(
            session=session,
            principal=_anonymous(login, workstation, client_address),
            action="auth.login.failed",
            entity="app_user",
            entity_key=login,
            after={"reason": "unknown_login"},
        )
        raise BadCredentialsError()
    who = Principal(
        kind="user",
        id=user.id,
        login=user.login,
        role=Role(user.role),
        agency_ids=None,
        workstation=workstation,
        client_address=client_address,
    )
    if user.locked_until is not None and user.locked_until > now:
        audit.record(
            session=session,
            principal=who,
            action="auth.login.failed",
            entity="app_user",
            entity_key=login,
            after={"reason": "locked"},
        )
        raise AccountLockedError(user.locked_until)
    if not security.verify_password(user.password_hash, password, policy):
        # Counted in the database itself so that simultaneous attempts all count.
        failures = session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1, updated_at=now)
            .returning(User.failed_logins)
        ).scalar_one()
        reason = "bad_password"
        if failures >= policy.lockout_threshold:
            until = now + dt.timedelta(minutes=policy.lockout_minutes)
            session.execute(update(User).where(User.id == user.id).values(locked_until=until, failed_logins=0))
            reason = "locked_now"
        audit.record(
            session=session,
            principal=who,
            action="auth.login.failed",
            entity="app_user",
            entity_key=login,
            after={"reason": reason, "failures": failures},
        )
        if reason == "locked_now":
            raise AccountLockedError(until)
        raise BadCredentialsError()
    if not user.active:
        raise AccountDisabledError()
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    token = security.new_token()
    expires_at = now + dt.timedelta(minutes=policy.token_ttl_minutes)
    session.add(
        ApiToken(
            token_hash=security.digest(token),
            user_id=user.id,
            expires_at=expires_at,
            workstation=workstation,
            client_address=client_address,
        )
    )
    audit.record(session=session, principal=who, action="auth.login", entity="app_user", entity_key=login)
    return LoginResult(token, expires_at, user, password_change_required(user, policy, now))


def change_password(*, session: Session, policy: Policy, principal: Principal, current: str, new: str) -> User:
    """Change one's own password after checking the current one; other sessions of the user end."""
    user = session.get(User, principal.id)
    if user is None or not security.verify_password(user.password_hash, current, policy):
        raise BadCredentialsError()
    security.check_password_policy(new, policy, login=user.login)
    if security.verify_password(user.password_hash, new, policy):
        raise PasswordReuseError()
    user.password_hash = security.hash_password(new, policy)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.id != principal.token_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), updated_at=utcnow())
    )
    audit.record(
        session=session,
        principal=principal,
        action="auth.password.change",
        entity="app_user",
        entity_key=user.login,
    )
    return user


def logout(*, session: Session, principal: Principal) -> None:
    """Revoke the token of the request."""
    session.execute(
        update(ApiToken).where(ApiToken.id == principal.token_id).values(revoked_at=utcnow(), updated_at=utcnow())
    )
    audit.record(
        session=session, principal=principal, action="auth.logout", entity="app_user", entity_key=principal.login
    )


# Built once: a statement built per call costs more to cache-key than to run (see docs/api.md, performance).
_tokens, _users, _user_agencies = ApiToken.__table__, User.__table__, UserAgency.__table__
# On the tables rather than the mapped classes: ORM compilation would cost more than the query itself.
_TOKEN_LOOKUP = (
    select(
        _tokens.c.id,
        _tokens.c.expires_at,
        _tokens.c.revoked_at,
        _users.c.id,
        _users.c.login,
        _users.c.role,
        _users.c.active,
        _users.c.must_change_password,
        _users.c.password_changed_at,
        _user_agencies.c.agency_id,
    )
    .join(_users, _users.c.id == _tokens.c.user_id)
    .outerjoin(_user_agencies, _user_agencies.c.user_id == _users.c.id)
    .where(_tokens.c.token_hash == bindparam("token_hash"))
)


def token_principal(
    executor: Session | Connection,
    *,
    policy: Policy,
    token_hash: str,
    workstation: str | None,
    client_address: str | None,
) -> Principal:
    """The principal of the token stored as ``token_hash`` (its digest), read through a session or a connection,
    refusing unknown, revoked and expired tokens and disabled accounts.

    One query reads the token, its user and the user's agencies (one row per agency): this runs on every request.
    """
    rows = executor.execute(_TOKEN_LOOKUP, {"token_hash": token_hash}).all()
    if not rows:
        raise InvalidTokenError()
    token_id, expires_at, revoked_at, user_id, login, role, active, must_change, changed_at, _ = rows[0]
    now = utcnow()
    if revoked_at is not None:
        raise InvalidTokenError("The session was closed (logout). Log in again.", code="token_revoked")
    if expires_at <= now:
        raise InvalidTokenError("The session has expired. Log in again.", code="token_expired")
    if not active:
        raise AccountDisabledError()
    role = Role(role)
    agencies = None if role in AGENCY_WIDE_ROLES else frozenset(row[-1] for row in rows if row[-1] is not None)
    expires = None if policy.password_expiry_days == 0 else changed_at + dt.timedelta(days=policy.password_expiry_days)
    return Principal(
        kind="user",
        id=user_id,
        login=login,
        role=role,
        agency_ids=agencies,
        workstation=workstation,
        client_address=client_address,
        token_id=token_id,
        password_change_required=must_change or (expires is not None and now >= expires),
    )


_partners = Partner.__table__
_PARTNER_LOOKUP = select(_partners.c.id, _partners.c.secret_hash, _partners.c.active).where(
    _partners.c.code == bindparam("partner_code")
)


def authenticate_partner(
    executor: Session | Connection, *, code: str, secret: str, workstation: str | None, client_address: str | None
) -> Principal:
    """The principal of a partner presenting its code and secret, read through a session or a connection."""
    row = executor.execute(_PARTNER_LOOKUP, {"partner_code": code}).first()
    if row is None or not security.same_digest(row.secret_hash, secret):
        raise InvalidTokenError("Unknown partner code or wrong secret.", code="bad_partner_credentials")
    if not row.active:
        raise AccountDisabledError()
    return Principal(
        kind="partner",
        id=row.id,
        login=code,
        role=Role.PARTNER,
        agency_ids=None,
        workstation=workstation,
        client_address=client_address,
    )


def me(*, session: Session, policy: Policy, principal: Principal) -> dict:
    """What the caller may know about their own account."""
    user = session.get(User, principal.id)
    if user is None:
        raise InvalidTokenError()
    return {
        "login": user.login,
        "full_name": user.full_name,
        "role": Role(user.role),
        "all_agencies": Role(user.role) in AGENCY_WIDE_ROLES,
        "agencies": user_agency_codes(session=session, user_id=user.id),
        "rights": sorted(str(action) for action in RIGHTS[Role(user.role)]),
        "password_change_required": password_change_required(user, policy),
        "password_expires_at": password_expires_at(user, policy),
    }


def create_partner(
    *, session: Session, principal: Principal, code: str, name: str, secret: str | None = None
) -> tuple[Partner, str]:
    """Register a payment partner with a new random secret (returned once; ``secret`` only for demos)."""
    if session.scalar(select(Partner.id).where(Partner.code == code)) is not None:
        raise PartnerExistsError(code)
    secret = secret or secrets.token_urlsafe(32)
    partner = Partner(
        code=code, name=name, secret_hash=security.digest(secret), active=True, created_by=principal.login
    )
    session.add(partner)
    session.flush()
    audit.record(
        session=session,
        principal=principal,
        action="admin.partners.create",
        entity="payment_partner",
        entity_key=code,
        after={"code": code, "name": name, "active": True},
    )
    return partner, secret


def renew_partner_secret(*, session: Session, principal: Principal, code: str) -> tuple[Partner, str]:
    """Replace a partner's secret (the old one stops working when the request commits)."""
    partner = session.scalar(select(Partner).where(Partner.code == code))
    if partner is None:
        raise PartnerNotFoundError(code)
    secret = secrets.token_urlsafe(32)
    partner.secret_hash = security.digest(secret)
    audit.record(
        session=session,
        principal=principal,
        action="admin.partners.renew_secret",
        entity="payment_partner",
        entity_key=code,
    )
    return partner, secret


def list_partners(*, session: Session) -> list[Partner]:
    """Every payment partner, by code."""
    return list(session.scalars(select(Partner).order_by(Partner.code)))
