"""Declarative base, column types and engines of the operational database.

Money is stored as integer minor units of the currency (francs for XOF, butut for GMD), so sums are exact on
every engine. Decimal quantities (subscribed power, tariff prices) keep their exact text on SQLite, which has no
decimal type, and are NUMERIC elsewhere. Timestamps are stored in UTC.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, DateTime, Engine, Integer, MetaData, Numeric, String, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from yeelen.errors import ConfigurationError, StoreUnavailableError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# SQLite only auto-increments an INTEGER PRIMARY KEY; BIGINT elsewhere.
IdType = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = metadata


class ExactDecimal(TypeDecorator[decimal.Decimal]):
    """A decimal kept exact on every engine: NUMERIC(p, s) where it exists, canonical text on SQLite."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 18, scale: int = 4) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision = precision
        self.scale = scale

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(self.precision + 2))
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("floats are not accepted for exact decimals; pass a Decimal or a string")
        number = value if type(value) is decimal.Decimal else decimal.Decimal(str(value))
        if dialect.name == "sqlite":
            return format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")
        return number

    def process_result_value(self, value: Any, dialect: Dialect) -> decimal.Decimal | None:
        if value is None:
            return None
        # Same scale on every engine: SQLite's text "6" reads back as 6.00 like PostgreSQL's NUMERIC(10, 2).
        return decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-self.scale))


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC; Python always sees it timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass a timezone-aware datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_date(timezone: str, moment: dt.datetime | None = None) -> dt.date:
    """The calendar day of a moment (now by default) in a time zone: the utility's day, not the server's."""
    return (moment or utcnow()).astimezone(ZoneInfo(timezone)).date()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for the operational database, with SQLite in WAL mode and foreign keys enforced."""
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, ModuleNotFoundError) as error:
        raise ConfigurationError(
            f"YEELEN_OPERATIONAL_URL={url!r} is not a usable database URL ({error}). "
            "Use sqlite:///path/to/file.sqlite or postgresql+psycopg://user@host:5432/db."
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def check_reachable(engine: Engine) -> None:
    """Open one connection, or raise a message naming the database that could not be reached."""
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StoreUnavailableError(
            f"The operational database at {engine.url.render_as_string(hide_password=True)} cannot be reached: "
            f"{reason}. Check that the server is running and YEELEN_OPERATIONAL_URL is right."
        ) from None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # Every mapped table must be known before the first flush, or foreign keys to unimported tables fail.
    import operational_api.models  # noqa: F401

    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed when the block ends normally, rolled back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
