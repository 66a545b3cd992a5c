"""The configuration page documents every setting the code reads."""

from __future__ import annotations

from pathlib import Path

from yeelen.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [f"YEELEN_{name.upper()}" for name in Settings.model_fields if f"`YEELEN_{name.upper()}`" not in text]
    assert missing == []
