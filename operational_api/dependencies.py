"""Request-scoped dependencies: settings, policy, the engine and the request's unit of work.

The request owns its transaction: the session commits once, when the handler has produced its response and
*before* the response is sent (the dependency has ``scope="function"``; with FastAPI's default request scope
the exit code runs after the response is sent, so a failed commit would follow a 200 for data that was lost).
A failed commit therefore reaches the error handlers and the client gets an error, never a success.

Three rules keep concurrent requests from blocking each other for good:

* A transaction's locks (PostgreSQL row locks, SQLite's write lock) are taken in the handler's thread and
  released by the commit, which runs in that same thread (or, for a handler that is not :func:`blocking`, on
  the commit limiter's threads): a commit never waits for a thread held by a request that itself waits for
  that commit's locks.
* Authentication reads in the request's transaction before the handler takes any lock: a caller recognised on
  the event loop (see :mod:`operational_api.auth.dependencies`) is confirmed by the first statement of the
  transaction, in the handler's thread (:data:`CONFIRM`).
* A handler's database work runs in one thread hop (:func:`blocking`): FastAPI validates the response of a
  plain ``def`` handler in another hop of the same pool, which could wait for ever behind threads blocked on
  the handler's own locks. The same hop commits once the handler has returned its response.

On SQLite, requests that write open their transaction with ``BEGIN IMMEDIATE`` (the write lock is taken before
the first read, so what a request reads cannot change before it writes), and the writers of one process queue on
the event loop for their turn instead of blocking threads or polling SQLite's busy handler. Requests that only
read use a deferred transaction and run beside the writer (WAL).
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from functools import lru_cache
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from operational_api.config import Policy, load_policy
from operational_api.db import make_engine, session_factory
from yeelen.settings import Settings, get_settings

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_LOCK_SECONDS = 30
# Key of ``Session.info``: a check run on the transaction's connection as the transaction begins, before any of
# the handler's statements (it raises to refuse the request).
CONFIRM = "confirm_before_first_statement"


def _explicit_sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, start transactions, so a writer can ask for ``BEGIN IMMEDIATE``."""
    writers = threading.Lock()

    @event.listens_for(engine, "connect")
    def _driver_autocommit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        mode = options.get("sqlite_begin", "DEFERRED")
        if mode == "IMMEDIATE":
            if not writers.acquire(timeout=WRITE_LOCK_SECONDS):
                raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
            connection.info["holds_writer_lock"] = True
        try:
            connection.exec_driver_sql(f"BEGIN {mode}")
        except BaseException:
            _release(connection)
            raise

    def _release(connection: Any) -> None:
        if connection.info.pop("holds_writer_lock", False):
            writers.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)


@lru_cache(maxsize=8)
def _engine_for(url: str, pool_size: int, max_overflow: int) -> Engine:
    if url.startswith("sqlite"):
        engine = make_engine(url, pool_size=pool_size, max_overflow=max_overflow)
        _explicit_sqlite_transactions(engine)
        return engine
    # No pre-ping: it costs a round trip per request. A connection found dead fails its request with a 503 (retry
    # is safe) and SQLAlchemy then renews the whole pool.
    return make_engine(url, pool_size=pool_size, max_overflow=max_overflow, pool_recycle=1800)


def engine_for(settings: Settings, policy: Policy | None = None) -> Engine:
    """The process-wide engine of the operational database named by ``settings``."""
    policy = policy or load_policy()
    return _engine_for(str(settings.operational_url), policy.db_pool_size, policy.db_max_overflow)


def _confirm_as_transaction_begins(session: Session, _transaction: Any, connection: Any) -> None:
    check = session.info.pop(CONFIRM, None)
    if check is not None:
        check(connection)


@lru_cache(maxsize=16)
def _factories(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """Reader and writer session factories of an engine, whose sessions run their :data:`CONFIRM` check."""
    writer = engine.execution_options(sqlite_begin="IMMEDIATE") if engine.dialect.name == "sqlite" else engine
    factories = session_factory(engine), session_factory(writer)
    for factory in factories:
        event.listen(factory, "after_begin", _confirm_as_transaction_begins)
    return factories


def _confirm_unused(session: Session) -> None:
    """Run the pending :data:`CONFIRM` check of a session whose handler sent no statement."""
    session.connection()


# The light dependencies are coroutines: they run on the event loop instead of costing a thread hop each.


async def get_app_settings(request: Request) -> Settings:
    """The settings the application was built with."""
    return getattr(request.app.state, "settings", None) or get_settings()


async def get_policy(request: Request) -> Policy:
    """The policy the application was built with."""
    policy = getattr(request.app.state, "policy", None)
    if policy is None:
        policy = request.app.state.policy = load_policy()
    return policy


def _sessionmaker(request: Request) -> sessionmaker[Session]:
    """The factory of the request's sessions: a writer for methods that write."""
    state = request.app.state
    settings = getattr(state, "settings", None) or get_settings()
    policy = getattr(state, "policy", None) or load_policy()
    reader, writer = _factories(engine_for(settings, policy))
    return reader if request.method in READ_METHODS else writer


def _commit_limiter(request: Request) -> anyio.CapacityLimiter:
    limiter = getattr(request.app.state, "commit_limiter", None)
    if limiter is None:
        policy = getattr(request.app.state, "policy", None) or load_policy()
        limiter = request.app.state.commit_limiter = anyio.CapacityLimiter(policy.db_pool_size + policy.db_max_overflow)
    return limiter


def _finish(session: Session, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _sqlite_writers(request: Request, factory: sessionmaker[Session]) -> anyio.Lock | None:
    """The turn of SQLite writers of this application (``None`` for readers and other databases)."""
    bind = factory.kw.get("bind")
    if request.method in READ_METHODS or bind is None or bind.dialect.name != "sqlite":
        return None
    gate = getattr(request.app.state, "sqlite_writers", None)
    if gate is None:
        gate = request.app.state.sqlite_writers = anyio.Lock()
    return gate


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work: committed after the handler succeeds, rolled back on any error.

    Creating a session does no I/O (it connects at its first statement), so it happens on the event loop; the
    commit or rollback runs on the commit limiter's threads (see the module's docstring).
    """
    factory = _sessionmaker(request)
    session = factory()
    limiter = _commit_limiter(request)
    writers = _sqlite_writers(request, factory)
    if writers is not None:
        await writers.acquire()
    try:
        try:
            yield session
            if CONFIRM in session.info:
                await anyio.to_thread.run_sync(_confirm_unused, session, limiter=limiter)
        except BaseException:
            await anyio.to_thread.run_sync(_finish, session, False, limiter=limiter)
            raise
        if session.in_transaction():
            await anyio.to_thread.run_sync(_finish, session, True, limiter=limiter)
        else:
            session.close()  # committed by the handler's thread (see :func:`blocking`): nothing left to send
    finally:
        if writers is not None:
            writers.release()


Handler = TypeVar("Handler", bound=Callable[..., Any])


def _handle_and_commit(handler: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> Any:
    """Run a handler, then commit the request's session in the same thread.

    The handler has built its response (ORM objects are not expired by the commit), so a failed commit still
    reaches the error handlers before anything is sent; committing here spares the request a second thread hop,
    and the thread that holds the transaction's locks is the one that releases them.
    """
    result = handler(*args, **kwargs)
    for value in kwargs.values():
        if isinstance(value, Session) and value.in_transaction():
            value.commit()
    return result


def blocking(handler: Handler) -> Handler:
    """Run a handler that does database work in one thread hop, its response then validated on the event loop.

    FastAPI runs a plain ``def`` handler in the thread pool and validates its response in a second hop of the
    same pool. A handler holding row locks (released only by the commit) could then wait for that second hop
    behind threads that wait for its locks. With this decorator the handler is a coroutine to FastAPI, which
    validates its response without a thread; the signature is the handler's, so parameters work unchanged.
    """

    @functools.wraps(handler)
    async def endpoint(*args: Any, **kwargs: Any) -> Any:
        return await anyio.to_thread.run_sync(functools.partial(_handle_and_commit, handler, args, kwargs))

    return endpoint  # type: ignore[return-value]


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
PolicyDep = Annotated[Policy, Depends(get_policy)]
