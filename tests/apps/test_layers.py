"""The app reads the marts and writes only through the operational API: no page queries a database itself,
no module of the app holds a statement that writes, and none imports the API's code or a database driver
outside the one read-only data module."""

from __future__ import annotations

import ast
import re

import pytest

from .conftest import APP_DIR

PAGES = sorted((APP_DIR / "app_pages").glob("*.py"))
MODULES = sorted(APP_DIR.rglob("*.py"))
WRITES = re.compile(r"\b(insert\s+into|update\s+\w+(\.\w+)?\s+set|delete\s+from|create\s+table|drop\s+table)\b", re.I)


def imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.name)
def test_a_page_reaches_data_only_through_data_modules(path) -> None:
    assert not imports(path) & {"duckdb", "sqlalchemy", "psycopg", "operational_api", "urllib", "httpx2"}
    assert "fetch(" not in path.read_text(encoding="utf-8"), "queries live in data modules"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(APP_DIR)))
def test_no_module_of_the_app_writes_to_a_database(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not WRITES.search(text), WRITES.search(text)
    assert "operational_api" not in imports(path), "the app calls the API over HTTP, it does not import it"
    if path.name != "warehouse.py":
        assert not imports(path) & {"duckdb", "sqlalchemy", "psycopg"}, "only data/warehouse.py opens the marts"
