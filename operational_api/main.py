"""The operational API application: the system of record's HTTP interface."""

from __future__ import annotations

from contextlib import asynccontextmanager

import anyio
import anyio.to_thread
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy import text

from operational_api.accounts.router import router as accounts_router
from operational_api.audit.router import router as audit_router
from operational_api.auth.dependencies import PUBLIC
from operational_api.auth.rights import roles_for, route_action
from operational_api.auth.router import admin_router
from operational_api.auth.router import router as auth_router
from operational_api.billing.router import router as billing_router
from operational_api.cashdesk.router import router as cashdesk_router
from operational_api.collection.router import router as collection_router
from operational_api.config import Policy, load_policy
from operational_api.customers.router import router as customers_router
from operational_api.dependencies import SessionDep, blocking, engine_for
from operational_api.errors import PUBLIC_RESPONSES, install_error_handlers
from operational_api.field.router import router as field_router
from operational_api.migrate import upgrade_engine
from operational_api.mobile_money.router import router as mobile_money_router
from yeelen.settings import Settings, get_settings

DESCRIPTION = """System of record: customers, contracts, meters, invoices, payments, cash desks, mobile money.

Users authenticate with `Authorization: Bearer <token>` from `POST /auth/login`; payment partners with HTTP Basic
(partner code and secret). Every operation names the right it needs and the roles holding it. Every error has the
body `{"code", "message", "detail", "details"}` with a stable `code`. See docs/api.md and docs/security.md.
"""


class HealthOut(BaseModel):
    status: str


def _document_rights(routes: list) -> None:
    """Append to each operation's description the action it performs and the roles allowed to."""
    for route in routes:
        if not isinstance(route, APIRoute):
            continue
        action = route_action(route)
        if action is None:
            continue
        roles = ", ".join(f"`{role}`" for role in roles_for(action))
        note = f"Right: `{action}` (roles: {roles})."
        route.description = f"{route.description}\n\n{note}".strip() if route.description else note


def create_app(settings: Settings | None = None, *, migrate: bool = True, policy: Policy | None = None) -> FastAPI:
    """Build the application; migrations run at start so the schema always matches the code."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Handlers and the unit of work run in the thread pool; on a few cores, many threads only fight for the GIL.
        anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.policy.worker_threads
        policy = app.state.policy
        app.state.commit_limiter = anyio.CapacityLimiter(policy.db_pool_size + policy.db_max_overflow)
        app.state.sqlite_writers = anyio.Lock()
        if migrate:
            upgrade_engine(engine_for(app.state.settings, app.state.policy))
        yield

    app = FastAPI(title="Yeelen operational API", version="0.2.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings or get_settings()
    app.state.policy = policy or load_policy()
    install_error_handlers(app)
    # Requests are matched against the routes in this order: the busiest (payments) first. Every router's paths
    # start with their own first segment, so the order changes nothing else.
    for router in (
        cashdesk_router,
        mobile_money_router,
        auth_router,
        admin_router,
        audit_router,
        customers_router,
        accounts_router,
        billing_router,
        field_router,
        collection_router,
    ):
        _document_rights(router.routes)
        app.include_router(router)

    @app.get("/health", tags=["health"], response_model=HealthOut, dependencies=PUBLIC, responses=PUBLIC_RESPONSES)
    @blocking
    def health(session: SessionDep) -> HealthOut:
        session.execute(text("select 1"))
        return HealthOut(status="ok")

    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory operational_api.main:app_from_environment``."""
    return create_app()
