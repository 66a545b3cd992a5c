"""``yeelen billing``: batches, their simulation, approval and issue."""

from __future__ import annotations

import datetime as dt

import typer
from sqlalchemy import select

from yeelen.errors import InputRejectedError
from yeelen.settings import get_settings

app = typer.Typer(help="Billing batches (lots): create, simulate, approve or reject, issue.", no_args_is_help=True)


def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise InputRejectedError(f"a billing month is written YYYY-MM, not {text!r}") from None


def _session():
    from operational_api.db import make_engine, session_factory

    engine = make_engine(str(get_settings().operational_url))
    return engine, session_factory(engine)


@app.command()
def create(
    month: str = typer.Option(..., help="Billing month, YYYY-MM"),
    agency: str | None = typer.Option(None, help="Agency code (all when omitted)"),
    round_code: str | None = typer.Option(None, "--round", help="Reading round code"),
    category: str | None = typer.Option(None, help="Contract category, e.g. DOM"),
    cycle: str | None = typer.Option(None, help="monthly or bimonthly"),
    commodity: str | None = typer.Option(None, help="electricity or water"),
    name: str | None = typer.Option(None, help="A name for the batch"),
    actor: str = typer.Option("admin", "--by", help="Who creates the batch"),
) -> None:
    """Open a billing batch for a month, chosen by criteria."""
    import operational_api.models  # noqa: F401 - every table known to the session
    from operational_api.billing import service
    from operational_api.db import unit_of_work
    from operational_api.models import Agency, ReadingRound

    engine, factory = _session()
    with unit_of_work(factory) as session:
        agency_id = round_id = None
        if agency:
            agency_id = session.scalar(select(Agency.id).where(Agency.code == agency))
            if agency_id is None:
                raise InputRejectedError(f"no agency with code {agency!r}")
        if round_code:
            round_id = session.scalar(select(ReadingRound.id).where(ReadingRound.code == round_code))
            if round_id is None:
                raise InputRejectedError(f"no reading round with code {round_code!r}")
        batch = service.create_batch(
            session=session,
            billing_month=_month(month),
            actor=actor,
            name=name,
            agency_id=agency_id,
            reading_round_id=round_id,
            category=category,
            billing_cycle=cycle,
            commodity=commodity,
        )
        typer.echo(f"Batch {batch.id} ({batch.reference}) opened for {batch.billing_month:%m/%Y}")
    engine.dispose()


@app.command("list")
def list_batches() -> None:
    """The batches with their state and figures."""
    import operational_api.models  # noqa: F401
    from operational_api.models import BillingBatch

    engine, factory = _session()
    with factory() as session:
        for batch in session.scalars(select(BillingBatch).order_by(BillingBatch.billing_month, BillingBatch.id)):
            figures = (
                f"{batch.invoice_count} invoices, {batch.invoiced_amount}"
                if batch.status == "issued"
                else f"approved {batch.approved_bill_count} bills, {batch.approved_amount}"
                if batch.status == "approved"
                else batch.status_reason or ""
            )
            typer.echo(
                f"{batch.id:>5}  {batch.reference:<18} {batch.billing_month:%Y-%m}  {batch.status:<10} {figures}"
            )
    engine.dispose()


@app.command()
def simulate() -> None:
    """Store the warehouse's current simulation of every open, simulated or rejected batch as its drafts."""
    from yeelen.billing.cycle import store_simulations

    report = store_simulations(get_settings(), typer.echo)
    typer.echo(f"{len(report.stored)} batch(es) simulated, {len(report.skipped)} skipped")


def _decide(batch_id: int, login: str, decide, action: str = "billing.batches.approve"):
    """Run a decision on a batch as the user ``login``: an active account whose role holds ``action`` (approving
    batches unless said) and whose agencies include the batch's; the decision is audited as through the API."""
    import socket

    import operational_api.models  # noqa: F401
    from operational_api.auth import service as auth
    from operational_api.auth.rights import Action
    from operational_api.billing import service
    from operational_api.db import unit_of_work
    from operational_api.errors import ApiError

    engine, factory = _session()
    try:
        with unit_of_work(factory) as session:
            principal = auth.principal_of_login(
                session=session, login=login, action=Action(action), workstation=socket.gethostname()[:60]
            )
            batch = service.get_batch(session=session, batch_id=batch_id, lock=True)
            principal.check_agency(batch.agency_id, f"Batch {batch_id}")
            return decide(session, principal, batch)
    except ApiError as error:
        raise InputRejectedError(f"{error} (--by {login})") from None
    finally:
        engine.dispose()


@app.command()
def approve(batch: int, actor: str = typer.Option(..., "--by", help="Who approves (a user allowed to)")) -> None:
    """Approve a simulated batch: its drafts are pinned for issue."""
    from operational_api.billing import service

    figures = _decide(
        batch,
        actor,
        lambda session, principal, record: service.approve_batch_by(session=session, principal=principal, batch=record),
    )
    typer.echo(f"Batch {batch} approved: {figures.bills} bills, {figures.amount}")


@app.command()
def reject(
    batch: int,
    reason: str = typer.Option(..., help="Why"),
    actor: str = typer.Option(..., "--by", help="Who rejects (a user allowed to)"),
) -> None:
    """Send a simulation back with its reason."""
    from operational_api.billing import service

    _decide(
        batch,
        actor,
        lambda session, principal, record: service.reject_batch_by(
            session=session, principal=principal, batch=record, reason=reason
        ),
    )
    typer.echo(f"Batch {batch} rejected: {reason}")


@app.command()
def reopen(
    batch: int, actor: str = typer.Option(..., "--by", help="Who sends it back (a user allowed to open batches)")
) -> None:
    """Send a rejected batch back to be simulated, once the data its rejection pointed at is fixed."""
    from operational_api.billing import service

    _decide(
        batch,
        actor,
        lambda session, principal, record: service.reopen_batch_by(session=session, principal=principal, batch=record),
        action="billing.batches.write",
    )
    typer.echo(f"Batch {batch} is open again: the next simulation of its month computes it anew")


@app.command()
def issue(
    batch: int,
    actor: str = typer.Option(..., "--by", help="Who issues"),
    date: str | None = typer.Option(None, help="Issue date YYYY-MM-DD (today by default)"),
) -> None:
    """Issue an approved batch as numbered invoices (issuing it again writes nothing)."""
    import operational_api.models  # noqa: F401
    from yeelen.billing.cycle import issue as run_issue

    issue_date = dt.date.fromisoformat(date) if date else None
    report = run_issue(get_settings(), batch, actor, issue_date)
    if report.already_issued:
        typer.echo(
            f"Batch {batch} was already issued: {report.invoices} invoices ({report.first_number} to "
            f"{report.last_number}); nothing new written."
        )
    else:
        typer.echo(
            f"Batch {batch} issued: {report.invoices} invoices for {report.amount}, numbers "
            f"{report.first_number} to {report.last_number}"
        )
