"""The examples of docs/tariffs.md load and give the bill the page states."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from yeelen.tariffs.engine import quote
from yeelen.tariffs.loader import load_book

DOC = Path(__file__).resolve().parents[2] / "docs" / "tariffs.md"


def _example(tmp_path: Path) -> Path:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "book.yaml"
    path.write_text(block, encoding="utf-8")
    return path


def test_the_complete_example_loads_and_bills_as_the_page_says(tmp_path: Path) -> None:
    book = load_book(_example(tmp_path))
    assert {grid.code for grid in book.grids} == {"DOM_BT", "SOCIAL_5A", "MT"}
    bill = quote(book, "DOM_BT", Decimal(320), dt.date(2026, 2, 1), dt.date(2026, 3, 1), meter_type="single_phase")
    assert {line.code: int(line.amount) for line in bill.lines} == {
        "T1": 12300,
        "T2": 13649,
        "T3": 11155,
        "REDEVANCE": 429,
        "TCO": 928,
        "TVA": 2008,
    }
    assert bill.total == 40469
    assert "40 469 F" in DOC.read_text(encoding="utf-8")


def test_the_example_social_grid_falls_back_as_described(tmp_path: Path) -> None:
    book = load_book(_example(tmp_path))
    start, end = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
    assert quote(book, "SOCIAL_5A", Decimal(120), start, end).grid_code == "SOCIAL_5A"
    over = quote(
        book,
        "SOCIAL_5A",
        Decimal(200),
        start,
        end,
        meter_type="single_phase",
        history=[(Decimal(150), 1), (Decimal(150), 1)],
    )
    assert over.grid_code == "DOM_BT"


def test_the_worked_example_of_the_billing_page_is_what_the_engine_bills() -> None:
    from yeelen.tariffs.loader import bundled_book

    page = (DOC.parent / "billing.md").read_text(encoding="utf-8")
    book = bundled_book()
    start, end = dt.date(2026, 1, 10), dt.date(2026, 3, 10)
    full = quote(book, "SENELEC_DPP", Decimal(620), start, end, cycle_months=2, meter_type="single_phase")
    assert [int(line.amount) for line in full.lines] == [24600, 27298, 19123, 858, 1776, 3442]
    assert full.total == 77097 and "**77 097 F**" in page
    lower = quote(book, "SENELEC_DPP", Decimal(500), start, end, cycle_months=2, meter_type="single_phase")
    assert lower.total == 54053 and "**54 053 F**" in page
