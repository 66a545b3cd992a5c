"""The demo's users: one per role with a documented password (docs/security.md), and a demo payment partner.

For the demo only — never on real data: anyone who has read the documentation can log in with them. ``yeelen demo
up`` creates them with the demo utility; ``yeelen users seed-demo`` creates them (or resets their passwords) on any
database.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

DEMO_PASSWORD = "Yeelen-{role}-2026"
DEMO_PARTNER = ("DEMO_MOMO", "Démo mobile money", "demo-partner-secret-2026")
# The user the demo's banner proposes: the role that sees the most screens of a working day.
FIRST_LOGIN = "demo-supervisor"
# Who each demo user is, as the screens, receipts and audit trail name them.
DEMO_NAMES = {
    "admin": "Moussa Ndiaye",
    "supervisor": "Aïssatou Fall",
    "cashier": "Fatou Diop",
    "billing_clerk": "Ibrahima Sarr",
    "customer_clerk": "Mariama Ba",
    "manager": "Cheikh Sy",
    "field_planner": "Ousmane Faye",
    "data_engineer": "Khady Mbaye",
}


@dataclass(frozen=True)
class DemoUser:
    login: str
    password: str
    role: str
    scope: str  # "all agencies", an agency's code, or "no agency"
    state: str  # "created" or "password reset"


def demo_login(role_value: str) -> str:
    return f"demo-{role_value.replace('_', '-')}"


def system_principal(login: str = "yeelen-cli"):
    """The principal of a command run on the machine itself (an administrator, every agency)."""
    from operational_api.auth.principal import Principal
    from operational_api.auth.rights import Role

    return Principal(
        kind="system", id=0, login=login, role=Role.ADMIN, agency_ids=None, workstation=socket.gethostname()[:60]
    )


def seed_demo_users(session: Session, agency: str | None = None) -> list[DemoUser]:
    """One user per role with its demo password, no change required at first login; agency-bound roles attached to
    ``agency`` (by default the first agency). A user that exists has its password reset and is unlocked. The demo
    partner is registered, or its secret reset."""
    from operational_api.auth import security, service
    from operational_api.auth.models import Partner, User
    from operational_api.auth.rights import AGENCY_WIDE_ROLES, USER_ROLES
    from operational_api.config import load_policy
    from operational_api.db import utcnow
    from operational_api.organization.models import Agency

    policy = load_policy()
    principal = system_principal()
    code = agency or session.scalar(select(Agency.code).order_by(Agency.code).limit(1))
    seeded = []
    for role in USER_ROLES:
        login = demo_login(role.value)
        password = DEMO_PASSWORD.format(role=role.value)
        agencies = [] if role in AGENCY_WIDE_ROLES or code is None else [code]
        user = session.scalar(select(User).where(User.login == login))
        if user is None:
            service.create_user(
                session=session,
                policy=policy,
                principal=principal,
                login=login,
                full_name=DEMO_NAMES[role.value],
                role=role,
                agencies=agencies,
                password=password,
                must_change_password=False,
            )
            state = "created"
        else:
            user.password_hash = security.hash_password(password, policy)
            user.must_change_password = False
            user.password_changed_at = utcnow()
            user.failed_logins = 0
            user.locked_until = None
            state = "password reset"
        scope = "all agencies" if role in AGENCY_WIDE_ROLES else (code or "no agency")
        seeded.append(DemoUser(login, password, role.value, scope, state))
    partner_code, partner_name, secret = DEMO_PARTNER
    partner = session.scalar(select(Partner).where(Partner.code == partner_code))
    if partner is None:
        service.create_partner(
            session=session, principal=principal, code=partner_code, name=partner_name, secret=secret
        )
    else:
        partner.secret_hash = security.digest(secret)
    return seeded
