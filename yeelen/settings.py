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
    def inbox(self) -> Path:
        return self.home / "inbox"

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
