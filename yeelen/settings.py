"""One settings object for the whole product, read from ``YEELEN_*`` environment variables.

Every default points under ``var/`` so that a fresh clone runs with embedded stores: the operational
database is a SQLite file and the warehouse a DuckDB file.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from yeelen.errors import ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

CURRENCY_PRECISION = {"XOF": 0, "XAF": 0, "GMD": 2, "EUR": 2, "USD": 2, "GNF": 0, "MRU": 2}


class Settings(BaseSettings):
    """Where the stores live and how the product behaves; see ``docs/configuration.md``."""

    model_config = SettingsConfigDict(env_prefix="YEELEN_", extra="ignore", validate_default=True)

    home: Path = Field(default=PROJECT_ROOT / "var", description="Folder of the embedded stores and runtime files")
    operational_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the operational database (default: SQLite under home)"
    )
    warehouse_engine: Literal["duckdb", "postgres", "sqlserver"] = "duckdb"
    warehouse_path: Path | None = Field(default=None, description="DuckDB warehouse file (engine duckdb)")
    warehouse_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the warehouse when the engine is postgres or sqlserver"
    )
    warehouse_odbc_driver: str = Field(
        default="ODBC Driver 18 for SQL Server",
        description="Installed ODBC driver of a SQL Server warehouse (a driver= in the URL takes precedence)",
    )
    warehouse_trust_cert: bool = Field(
        default=False, description="Accept a SQL Server warehouse's certificate that no authority signed"
    )
    published_path: Path | None = Field(
        default=None, description="Read-only copy of the marts that the apps read (engine duckdb)"
    )
    dbt_project_dir: Path = PROJECT_ROOT / "dbt_project"
    dbt_target: str | None = None
    currency: str = "XOF"
    language: Literal["fr", "en"] = "fr"
    timezone: str = "Africa/Dakar"
    api_url: str = "http://127.0.0.1:8000"
    map_tiles_url: str | None = Field(
        default=None, description="Tile server URL template for maps; none draws maps without a background"
    )
    map_tiles_attribution: str = ""
    ingest_lookback_seconds: int = Field(default=300, ge=0)
    due_days: dict[str, int] = Field(
        default_factory=lambda: {"default": 15, "ADM": 45, "EAU_ADM": 45, "EP": 45, "MT": 30},
        description="Days from issue to due date per contract category, JSON (default applies to the others)",
    )
    inbox: Path | None = Field(
        default=None, description="Folder where partners drop files (readings, statements, vending exports)"
    )
    inbox_settle_seconds: int = Field(
        default=10, ge=0, description="A file is taken once it has not changed for this long (a copy may be running)"
    )
    billing_open_delay_days: int = Field(
        default=3, ge=0, le=25, description="Days after a round's reading day when its billing batch is opened"
    )
    dagster_url: str = Field(default="http://127.0.0.1:3000", description="Base URL of Dagster's UI, for links")
    automation_running: bool = Field(
        default=False, description="Start schedules and sensors as soon as the code location is deployed"
    )
    smtp_host: str | None = Field(default=None, description="SMTP server for e-bills and alerts (none: no e-mail)")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_tls: Literal["none", "starttls", "ssl"] = "none"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_sender: str = Field(default="yeelen@localhost", description="From address of e-bills and alerts")
    alert_recipients: list[str] = Field(
        default_factory=list, description="Addresses of the data team that receive failure alerts, JSON list"
    )
    sms_gateway: Literal["log"] = Field(default="log", description="SMS gateway: log (writes messages to a file)")
    notification_max_attempts: int = Field(default=5, ge=1, description="Sends tried before a message stays failed")
    quarantine_max_age_days: int = Field(
        default=7, ge=0, description="Quarantined rows older than this make the quarantine check fail"
    )

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        value = value.upper()
        if value not in CURRENCY_PRECISION:
            known = ", ".join(sorted(CURRENCY_PRECISION))
            raise ValueError(f"unknown currency {value!r}; known currencies: {known}")
        return value

    @field_validator("operational_url", "warehouse_url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if "://" not in value:
            raise ValueError(f"{value!r} is not a database URL (expected e.g. postgresql+psycopg://user@host/db)")
        return value

    @model_validator(mode="after")
    def _defaults_under_home(self) -> Settings:
        self.home = self.home.expanduser().resolve()
        if self.operational_url is None:
            self.operational_url = f"sqlite:///{self.home / 'operational.sqlite'}"
        if self.warehouse_path is None:
            self.warehouse_path = self.home / "warehouse.duckdb"
        if self.published_path is None:
            self.published_path = self.home / "published" / "yeelen_marts.duckdb"
        if self.inbox is None:
            self.inbox = self.home / "inbox"
        self.inbox = self.inbox.expanduser().resolve()
        if self.dbt_target is None:
            self.dbt_target = self.warehouse_engine
        if self.warehouse_engine != "duckdb" and not self.warehouse_url:
            raise ValueError(f"YEELEN_WAREHOUSE_URL is required when YEELEN_WAREHOUSE_ENGINE={self.warehouse_engine}")
        return self

    @property
    def currency_precision(self) -> int:
        return CURRENCY_PRECISION[self.currency]

    @property
    def operational_is_sqlite(self) -> bool:
        return str(self.operational_url).startswith("sqlite")

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def demo_dir(self) -> Path:
        return self.home / "demo"

    def ensure_home(self) -> None:
        for folder in (self.home, self.published_path.parent, self.dagster_home, self.demo_dir):
            folder.mkdir(parents=True, exist_ok=True)


def _explain(error: ValidationError) -> str:
    lines = ["The configuration is not valid:"]
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "settings"
        variable = f"YEELEN_{field.upper()}" if problem["loc"] else "YEELEN_* settings"
        value = os.environ.get(variable)
        shown = f" (currently {value!r})" if value is not None else ""
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"  - {variable}{shown}: {message}")
    lines.append("Fix the environment variables above (see docs/configuration.md) and run again.")
    return "\n".join(lines)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into a message that names the variable to fix."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigurationError(_explain(error)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


def reset_settings_cache() -> None:
    get_settings.cache_clear()
