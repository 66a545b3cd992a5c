"""Layers must not reach where they must not: the test reads every import of the project's code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(folder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        if "migrations" in path.parts and folder != "operational_api":
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def _violations(folder: str, forbidden: tuple[str, ...], only: tuple[str, ...] = ()) -> list[str]:
    problems = []
    for path, names in _imports(folder).items():
        if only and not any(path.startswith(prefix) for prefix in only):
            continue
        for name in sorted(names):
            if any(name == bad or name.startswith(bad + ".") for bad in forbidden):
                problems.append(f"{path} imports {name}")
    return problems


@pytest.mark.parametrize(
    ("folder", "forbidden", "only"),
    [
        # Ingestion is plain Python that any scheduler can call.
        ("ingestion", ("dagster", "dagster_dbt", "orchestration", "streamlit", "apps"), ()),
        # The operational system knows nothing of the warehouse, the scheduler or the screens.
        ("operational_api", ("dagster", "orchestration", "streamlit", "apps", "ingestion", "dbt", "duckdb"), ()),
        # Screens read published marts and write through the API only.
        (
            "apps",
            ("ingestion", "orchestration", "dagster", "operational_api", "yeelen.transform", "yeelen.demo", "dbt"),
            (),
        ),
        # The core (settings, errors, tariffs, money) stands alone.
        (
            "yeelen",
            ("operational_api", "orchestration", "ingestion", "dagster", "streamlit", "apps"),
            ("yeelen/settings.py", "yeelen/errors.py", "yeelen/tariffs", "yeelen/money.py"),
        ),
    ],
)
def test_layers_do_not_import_what_they_must_not(folder: str, forbidden: tuple[str, ...], only) -> None:
    assert _violations(folder, forbidden, only) == []


def test_apps_never_open_the_live_warehouse_for_writing() -> None:
    # An in-memory DuckDB is allowed: it only attaches published files, which the apps open read-only.
    for path in sorted((ROOT / "apps").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "connect":
                owner = getattr(node.func.value, "id", None)
                in_memory = (
                    bool(node.args) and isinstance(node.args[0], ast.Constant) and node.args[0].value == ":memory:"
                )
                if owner == "duckdb" and not in_memory:
                    keywords = {keyword.arg: keyword.value for keyword in node.keywords}
                    read_only = keywords.get("read_only")
                    assert isinstance(read_only, ast.Constant) and read_only.value is True, (
                        f"{path.relative_to(ROOT)} opens DuckDB without read_only=True"
                    )
