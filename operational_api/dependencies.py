"""Request-scoped dependencies: settings, the engine and the request's unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from operational_api.db import make_engine, session_factory
from yeelen.settings import Settings, get_settings


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    return make_engine(url, pool_pre_ping=True)


def engine_for(settings: Settings) -> Engine:
    return _engine_for(str(settings.operational_url))


def get_app_settings(request: Request) -> Settings:
    return getattr(request.app.state, "settings", None) or get_settings()


def get_sessionmaker(settings: Annotated[Settings, Depends(get_app_settings)]) -> sessionmaker[Session]:
    return session_factory(engine_for(settings))


def get_session(factory: Annotated[sessionmaker[Session], Depends(get_sessionmaker)]) -> Iterator[Session]:
    """The request's session; handlers that write commit once, at the end of the request's unit of work."""
    session = factory()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
