from __future__ import annotations

from pathlib import Path

import pytest

from yeelen.cli import main
from yeelen.errors import ConfigurationError
from yeelen.settings import load_settings


def test_defaults_put_every_store_under_home(yeelen_home: Path) -> None:
    settings = load_settings()
    assert settings.home == yeelen_home.resolve()
    assert settings.operational_url == f"sqlite:///{yeelen_home.resolve() / 'operational.sqlite'}"
    assert settings.warehouse_path == yeelen_home.resolve() / "warehouse.duckdb"
    assert settings.published_path.parent == yeelen_home.resolve() / "published"
    assert settings.dbt_target == "duckdb"
    assert settings.currency_precision == 0


def test_currency_sets_the_precision(yeelen_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YEELEN_CURRENCY", "gmd")
    settings = load_settings()
    assert settings.currency == "GMD"
    assert settings.currency_precision == 2


def test_a_malformed_setting_names_the_variable_and_its_value(yeelen_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("YEELEN_CURRENCY", "FCFA")
    monkeypatch.setenv("YEELEN_INGEST_LOOKBACK_SECONDS", "soon")
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    message = str(raised.value)
    assert "YEELEN_CURRENCY (currently 'FCFA')" in message
    assert "YEELEN_INGEST_LOOKBACK_SECONDS (currently 'soon')" in message


def test_a_postgres_warehouse_needs_its_url(yeelen_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YEELEN_WAREHOUSE_ENGINE", "postgres")
    with pytest.raises(ConfigurationError, match="YEELEN_WAREHOUSE_URL is required"):
        load_settings()


def test_a_url_that_is_not_a_url_is_refused(yeelen_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YEELEN_OPERATIONAL_URL", "operational.sqlite")
    with pytest.raises(ConfigurationError, match="YEELEN_OPERATIONAL_URL"):
        load_settings()


def test_the_command_line_prints_the_problem_without_a_traceback(yeelen_home, monkeypatch, capsys) -> None:
    monkeypatch.setenv("YEELEN_CURRENCY", "FCFA")
    assert main(["db", "status"]) == 2
    err = capsys.readouterr().err
    assert "YEELEN_CURRENCY" in err
    assert "Traceback" not in err


def test_an_unreachable_database_is_named_in_the_message(yeelen_home, monkeypatch, capsys) -> None:
    monkeypatch.setenv("YEELEN_OPERATIONAL_URL", "postgresql+psycopg://yeelen@127.0.0.1:9/operational")
    assert main(["db", "status"]) == 2
    err = capsys.readouterr().err
    assert "cannot be reached" in err
    assert "127.0.0.1:9" in err
    assert "YEELEN_OPERATIONAL_URL" in err
