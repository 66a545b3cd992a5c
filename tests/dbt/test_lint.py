"""The SQL the dbt project compiles is lint-clean (lowercase keywords, functions, types) and parses for every
engine we ship: DuckDB, PostgreSQL and SQL Server (T-SQL)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from yeelen.transform import run_dbt

CONFIG = Path(__file__).resolve().parents[2] / "dbt_project" / ".sqlfluff"


def _compile(settings, tmp_path: Path, target: str) -> Path:
    outcome = run_dbt(
        settings,
        ["compile", "--target", target, "--no-populate-cache", "--vars", "{offline_compile: true}"],
        target_path=tmp_path / target,
    )
    assert outcome.success, outcome.failures
    return tmp_path / target / "compiled" / "yeelen" / "models"


def _lint(folder: Path, dialect: str) -> list[tuple[str, str, int, str]]:
    sqlfluff = Path(sys.executable).with_name("sqlfluff")
    result = subprocess.run(
        [
            str(sqlfluff),
            "lint",
            str(folder),
            "--dialect",
            dialect,
            "--config",
            str(CONFIG),
            "--format",
            "json",
            "--processes",
            "2",
            "--nofail",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    return [
        (Path(item["filepath"]).name, violation["code"], violation["start_line_no"], violation["description"])
        for item in report
        for violation in item["violations"]
    ]


@pytest.mark.slow
@pytest.mark.parametrize(("target", "dialect"), [("duckdb", "duckdb"), ("postgres", "postgres")])
def test_compiled_models_are_lint_clean(settings, tmp_path, target, dialect) -> None:
    assert _lint(_compile(settings, tmp_path, target), dialect) == []


@pytest.mark.slow
def test_compiled_models_parse_as_t_sql(settings, tmp_path) -> None:
    violations = _lint(_compile(settings, tmp_path, "sqlserver"), "tsql")
    # The adapter's own macros write T-SQL types and functions in capitals; what matters is that it parses.
    assert [violation for violation in violations if violation[1] == "PRS"] == []
