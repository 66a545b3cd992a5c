from __future__ import annotations

from pathlib import Path

import pytest

from yeelen.errors import InputRejectedError
from yeelen.tariffs.loader import BUNDLED, bundled_book, load_book

GOOD = """\
currency: XOF
precision: 0
grids:
  - code: TEST_DOM
    name: Test grid
    commodity: electricity
    unit: kWh
    versions:
      - valid_from: 2026-01-01
        source: Test decision of 1 January 2026
        blocks:
          - {up_to: 150, price: 82.00}
          - {price: 136.49}
categories:
  - {category: DOM, grid: TEST_DOM}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_prices_are_read_as_exact_decimals(tmp_path: Path) -> None:
    book = load_book(write(tmp_path, GOOD))
    price = book.grid("TEST_DOM").versions[0].blocks[1].price
    assert str(price) == "136.49"


def test_a_malformed_grid_is_refused_with_its_line_and_reason(tmp_path: Path) -> None:
    bad = GOOD.replace("- {up_to: 150, price: 82.00}", "- {up_to: 150, price: -82.00}")
    with pytest.raises(InputRejectedError) as raised:
        load_book(write(tmp_path, bad))
    message = str(raised.value)
    assert "line 12" in message
    assert "grids.0.versions.0.blocks.0.price" in message
    assert "greater than or equal to 0" in message


def test_blocks_must_increase_and_end_open(tmp_path: Path) -> None:
    bad = GOOD.replace("- {price: 136.49}", "- {up_to: 100, price: 136.49}")
    with pytest.raises(InputRejectedError, match="must increase|must be open-ended"):
        load_book(write(tmp_path, bad))


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    bad = GOOD.replace(
        "          - {price: 136.49}\n",
        "          - {price: 136.49}\n      - valid_from: 2026-06-01\n        source: Later decision\n"
        "        blocks:\n          - {price: 100}\n",
    )
    with pytest.raises(InputRejectedError, match="versions overlap"):
        load_book(write(tmp_path, bad))


def test_a_category_on_an_unknown_grid_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputRejectedError, match="unknown grid NOPE"):
        load_book(write(tmp_path, GOOD.replace("grid: TEST_DOM}", "grid: NOPE}")))


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputRejectedError, match="not valid YAML at line"):
        load_book(write(tmp_path, GOOD.replace("unit: kWh", "unit: [kWh")))


def test_the_bundled_book_names_a_legal_source_for_every_version() -> None:
    book = bundled_book()
    assert {assignment.category for assignment in book.categories} >= {"DOM", "DOM_SOCIAL", "PRO", "EAU_DOM"}
    for grid in book.grids:
        for version in grid.versions:
            assert len(version.source) > 10, grid.code
    assert list(BUNDLED.glob("*.yaml"))
