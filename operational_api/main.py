"""The operational API application: the system of record's HTTP interface."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import text

from operational_api.customers.router import router as customers_router
from operational_api.dependencies import SessionDep, engine_for
from operational_api.migrate import upgrade_engine
from yeelen.settings import Settings, get_settings


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    """Build the application; migrations run at start so the schema always matches the code."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if migrate:
            upgrade_engine(engine_for(app.state.settings))
        yield

    app = FastAPI(
        title="Yeelen operational API",
        version="0.1.0",
        description="System of record: customers, contracts, meters, readings, invoices, payments, cash desks.",
        lifespan=lifespan,
    )
    app.state.settings = settings or get_settings()
    app.include_router(customers_router)

    @app.get("/health", tags=["health"])
    def health(session: SessionDep) -> dict[str, str]:
        session.execute(text("select 1"))
        return {"status": "ok"}

    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory operational_api.main:app_from_environment``."""
    return create_app()
