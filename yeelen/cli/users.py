"""``yeelen users``: create users, seed the demo users, print the role x action matrix."""

from __future__ import annotations

import socket

import typer

from yeelen.errors import InputRejectedError
from yeelen.settings import get_settings

app = typer.Typer(help="Users of the operational API: creation, demo users, rights.", no_args_is_help=True)

# Demo accounts only: documented in docs/security.md so that anyone can try each role; never use them elsewhere.
DEMO_PASSWORD = "Yeelen-{role}-2026"
DEMO_PARTNER = ("DEMO_MOMO", "Démo mobile money", "demo-partner-secret-2026")


@app.callback()
def _group() -> None:
    """Users of the operational API: creation, demo users, rights."""


def _unit_of_work():
    from operational_api.db import make_engine, session_factory, unit_of_work
    from operational_api.migrate import upgrade_engine

    settings = get_settings()
    settings.ensure_home()
    engine = make_engine(str(settings.operational_url))
    upgrade_engine(engine)
    return unit_of_work(session_factory(engine))


def _cli_principal():
    from operational_api.auth.principal import Principal
    from operational_api.auth.rights import Role

    return Principal(
        kind="system", id=0, login="yeelen-cli", role=Role.ADMIN, agency_ids=None, workstation=socket.gethostname()[:60]
    )


@app.command()
def create(
    login: str = typer.Argument(..., help="Login: lower-case letters, digits, dot, dash, underscore"),
    role: str = typer.Option(..., "--role", help="admin, supervisor, cashier, billing_clerk, customer_clerk, ..."),
    agency: list[str] = typer.Option([], "--agency", help="Agency code (repeat for several agencies)"),
    name: str | None = typer.Option(None, "--name", help="Full name (default: the login)"),
) -> None:
    """Create a user and print the first password, to be changed at first login."""
    import re

    from operational_api.auth import service
    from operational_api.auth.rights import USER_ROLES, Role
    from operational_api.auth.schemas import LOGIN_PATTERN
    from operational_api.config import load_policy
    from operational_api.errors import ApiError

    if role not in {item.value for item in USER_ROLES}:
        raise InputRejectedError(f"Unknown role {role!r}; roles are: {', '.join(item.value for item in USER_ROLES)}.")
    if not re.match(LOGIN_PATTERN, login):
        raise InputRejectedError(f"The login {login!r} must be 3-60 lower-case letters, digits, '.', '-' or '_'.")
    try:
        with _unit_of_work() as session:
            _user, password = service.create_user(
                session=session,
                policy=load_policy(),
                principal=_cli_principal(),
                login=login,
                full_name=name or login,
                role=Role(role),
                agencies=agency,
            )
    except ApiError as error:
        raise InputRejectedError(error.message) from None
    typer.echo(f"User {login} created with role {role}" + (f" in {', '.join(agency)}" if agency else "") + ".")
    typer.echo(f"First password (to be changed at first login): {password}")


@app.command("seed-demo")
def seed_demo(
    agency: str | None = typer.Option(None, "--agency", help="Agency of the agency-bound users (default: the first)"),
) -> None:
    """Create one demo user per role with the documented demo passwords (for the demo only), and a demo partner."""
    from sqlalchemy import select

    from operational_api.auth import security, service
    from operational_api.auth.models import Partner, User
    from operational_api.auth.rights import AGENCY_WIDE_ROLES, USER_ROLES
    from operational_api.config import load_policy
    from operational_api.db import utcnow
    from operational_api.organization.models import Agency

    policy = load_policy()
    principal = _cli_principal()
    lines = []
    with _unit_of_work() as session:
        code = agency or session.scalar(select(Agency.code).order_by(Agency.code).limit(1))
        if code is None:
            typer.secho("No agency yet (run `yeelen demo generate` first): agency users will see nothing.", err=True)
        for role in USER_ROLES:
            login = f"demo-{role.value.replace('_', '-')}"
            password = DEMO_PASSWORD.format(role=role.value)
            agencies = [] if role in AGENCY_WIDE_ROLES or code is None else [code]
            user = session.scalar(select(User).where(User.login == login))
            if user is None:
                service.create_user(
                    session=session,
                    policy=policy,
                    principal=principal,
                    login=login,
                    full_name=f"Démo {role.value}",
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
            lines.append(f"  {login:<22} {password:<30} {role.value:<15} {scope}  ({state})")
        partner_code, partner_name, secret = DEMO_PARTNER
        partner = session.scalar(select(Partner).where(Partner.code == partner_code))
        if partner is None:
            service.create_partner(
                session=session, principal=principal, code=partner_code, name=partner_name, secret=secret
            )
        else:
            partner.secret_hash = security.digest(secret)
    typer.echo("Demo users (for the demo only; never on real data):")
    typer.echo(f"  {'login':<22} {'password':<30} {'role':<15} agencies")
    for line in lines:
        typer.echo(line)
    typer.echo(f"Demo payment partner: code {partner_code}, secret {secret} (HTTP Basic)")


@app.command()
def matrix() -> None:
    """Print the role x action matrix (the table of docs/security.md)."""
    from operational_api.auth.rights import render_matrix

    typer.echo(render_matrix())
