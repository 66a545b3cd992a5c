"""Keeping tariff books in the operational database: every version, immutable once loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from operational_api.tariffs.models import (
    TariffBlock,
    TariffCategory,
    TariffCharge,
    TariffGrid,
    TariffTax,
    TariffVersion,
)
from yeelen.errors import InputRejectedError
from yeelen.tariffs import rows
from yeelen.tariffs.model import TariffBook
from yeelen.tariffs.model import TariffGrid as GridDefinition
from yeelen.tariffs.model import TariffVersion as VersionDefinition


@dataclass
class SaveReport:
    grids_added: list[str] = field(default_factory=list)
    versions_added: list[str] = field(default_factory=list)
    versions_closed: list[str] = field(default_factory=list)
    versions_unchanged: int = 0
    categories_added: int = 0


class VersionChangedError(InputRejectedError):
    """A loaded version may only be closed (valid_to set), never changed."""


def save_book(*, session: Session, book: TariffBook) -> SaveReport:
    """Add the book's new grids, versions and category assignments; loading the same book again changes nothing.

    A version already loaded may only gain an end date (when a newer version replaces it); any other change is
    refused, so that the bills already issued under it can always be explained.
    """
    report = SaveReport()
    for grid in book.grids:
        stored = session.scalar(select(TariffGrid).where(TariffGrid.code == grid.code))
        if stored is None:
            stored = TariffGrid(**rows.grid_row(grid))
            session.add(stored)
            session.flush()
            report.grids_added.append(grid.code)
        for version in grid.versions:
            _save_version(session, stored, grid, version, report)
    existing = {(row.category, row.valid_from) for row in session.scalars(select(TariffCategory))}
    for row in rows.category_rows(book):
        if (row["category"], row["valid_from"]) not in existing:
            session.add(TariffCategory(**row))
            report.categories_added += 1
    session.flush()
    return report


def _save_version(
    session: Session, grid: TariffGrid, definition: GridDefinition, version: VersionDefinition, report: SaveReport
) -> None:
    name = f"{definition.code} from {version.valid_from}"
    stored = session.scalar(
        select(TariffVersion).where(TariffVersion.grid_id == grid.id, TariffVersion.valid_from == version.valid_from)
    )
    if stored is not None:
        if stored.definition_hash == rows.version_hash(version):
            report.versions_unchanged += 1
            return
        previous = VersionDefinition.model_validate_json(stored.definition)
        if (
            previous.valid_to is None
            and version.valid_to is not None
            and previous.model_copy(update={"valid_to": version.valid_to}) == version
        ):
            stored.valid_to = version.valid_to
            stored.definition = rows.version_definition(version)
            stored.definition_hash = rows.version_hash(version)
            report.versions_closed.append(name)
            return
        raise VersionChangedError(
            f"tariff version {name} is already loaded with other content; a loaded version cannot change. "
            "Add a new version with a later valid_from (and end this one with valid_to)."
        )
    stored = TariffVersion(grid_id=grid.id, **rows.version_row(version))
    session.add(stored)
    session.flush()
    session.add_all(TariffBlock(version_id=stored.id, **row) for row in rows.block_rows(version))
    session.add_all(TariffCharge(version_id=stored.id, **row) for row in rows.charge_rows(version))
    session.add_all(TariffTax(version_id=stored.id, **row) for row in rows.tax_rows(version))
    report.versions_added.append(name)


def load_book(*, session: Session, currency: str, precision: int) -> TariffBook:
    """The tariff book as stored, for the real-time engine (quotes, vending)."""
    grids = []
    for grid in session.scalars(select(TariffGrid).order_by(TariffGrid.code)):
        versions = [
            VersionDefinition.model_validate_json(version.definition)
            for version in session.scalars(
                select(TariffVersion).where(TariffVersion.grid_id == grid.id).order_by(TariffVersion.valid_from)
            )
        ]
        grids.append(
            GridDefinition(
                code=grid.code,
                name=grid.name,
                commodity=grid.commodity,
                unit=grid.unit,
                scaling=grid.scaling,
                days_per_month=grid.days_per_month,
                versions=versions,
            )
        )
    categories = [
        {"category": row.category, "grid": row.grid_code, "valid_from": row.valid_from}
        for row in session.scalars(select(TariffCategory).order_by(TariffCategory.category, TariffCategory.valid_from))
    ]
    return TariffBook(currency=currency, precision=precision, grids=grids, categories=categories)
