"""The fixture marts of the app tests keep to the marts dbt builds: every column the fixture creates (and so
every column the screens read in the tests) is declared in the model's YAML, with the same type when the model's
contract is enforced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from . import marts_fixture

MARTS = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts"
CREATE = re.compile(r"create table marts\.(\w+) \((.*)\)", re.S)
# The types of the fixture DDL, spelled as dbt's contracts spell them.
SAME_TYPE = {"double precision": "double precision", "varchar": "varchar", "bigint": "bigint", "integer": "integer"}


def declared() -> dict[str, dict[str, str | None]]:
    models: dict[str, dict[str, str | None]] = {}
    for path in MARTS.rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            enforced = (model.get("config") or {}).get("contract", {}).get("enforced", False)
            models[model["name"]] = {
                column["name"]: (column.get("data_type") if enforced else None) for column in model.get("columns", [])
            }
            models[model["name"]]["__enforced__"] = "yes" if enforced else None
    return models


def fixture_tables() -> dict[str, list[tuple[str, str]]]:
    tables = {}
    for statement in marts_fixture.DDL:
        found = CREATE.search(statement)
        if not found:
            continue
        columns = []
        for part in re.split(r",\s*(?![^()]*\))", found.group(2)):
            name, kind = part.strip().split(" ", 1)
            columns.append((name, kind.strip()))
        tables[found.group(1)] = columns
    return tables


@pytest.mark.parametrize("table", sorted(fixture_tables()))
def test_fixture_columns_are_columns_of_the_dbt_model(table: str) -> None:
    models = declared()
    sql = next(MARTS.rglob(f"{table}.sql"), None)
    assert sql is not None, f"no dbt model {table}"
    model = models.get(table)
    if not model or model.get("__enforced__") is None:
        # Without an enforced contract the YAML lists few columns: read the model's final select instead.
        text = sql.read_text()
        for name, _kind in fixture_tables()[table]:
            assert re.search(rf"\b{name}\b", text), f"{table}.{name} is not in {sql.name}"
        return
    for name, kind in fixture_tables()[table]:
        assert name in model, f"{table}.{name} is not a column of the model"
        contract = (model[name] or "").lower().replace(" ", "")
        if kind in SAME_TYPE:
            assert contract == SAME_TYPE[kind].replace(" ", ""), f"{table}.{name}: {kind} vs {contract}"
