"""docs/losses.md documents every parameter of the loss, suspect and collection models."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
MARKER = "# Losses, suspects and collection (docs/losses.md)"


def _loss_vars() -> list[str]:
    text = (ROOT / "dbt_project" / "dbt_project.yml").read_text(encoding="utf-8")
    block = text.split(MARKER, 1)[1].split("\nmodels:", 1)[0]
    return list(yaml.safe_load(block))


def test_every_parameter_is_documented() -> None:
    names = _loss_vars()
    assert len(names) > 40
    doc = (ROOT / "docs" / "losses.md").read_text(encoding="utf-8")
    assert [name for name in names if f"`{name}`" not in doc] == []


def test_every_rule_has_a_weight_and_a_row_in_the_docs() -> None:
    text = (ROOT / "dbt_project" / "dbt_project.yml").read_text(encoding="utf-8")
    weights = yaml.safe_load(text)["vars"]["suspect_rule_weights"]
    doc = (ROOT / "docs" / "losses.md").read_text(encoding="utf-8")
    assert len(weights) == 12
    assert [code for code in weights if f"| `{code}` |" not in doc] == []
