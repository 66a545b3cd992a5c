"""``yeelen users``: create users, seed the demo users, print the role x action matrix."""

from __future__ import annotations

import typer

from yeelen.errors import InputRejectedError
from yeelen.settings import get_settings

app = typer.Typer(help="Users of the operational API: creation, demo users, rights.", no_args_is_help=True)


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
    from yeelen.demo.users import system_principal

    return system_principal()


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
    from yeelen.demo.users import DEMO_PARTNER, seed_demo_users

    with _unit_of_work() as session:
        seeded = seed_demo_users(session, agency)
    if any(user.scope == "no agency" for user in seeded):
        typer.secho("No agency yet (run `yeelen demo generate` first): agency users will see nothing.", err=True)
    typer.echo("Demo users (for the demo only; never on real data):")
    typer.echo(f"  {'login':<22} {'password':<30} {'role':<15} agencies")
    for user in seeded:
        typer.echo(f"  {user.login:<22} {user.password:<30} {user.role:<15} {user.scope}  ({user.state})")
    partner_code, _name, secret = DEMO_PARTNER
    typer.echo(f"Demo payment partner: code {partner_code}, secret {secret} (HTTP Basic)")


@app.command()
def matrix() -> None:
    """Print the role x action matrix (the table of docs/security.md)."""
    from operational_api.auth.rights import render_matrix

    typer.echo(render_matrix())
