"""Collection campaign references numbered from a locked series

Campaign references (``CP-<YYYYMM>-<NNNN>``) are now taken from the gapless numbering series of their month, so
that two campaigns created at once never get the same one. Each month that already has campaigns gets its series,
started after the highest number already used in it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 16:40:00
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFERENCE = re.compile(r"^(CP-\d{6})-(\d+)$")
SEQUENCES = sa.table(
    "document_sequence",
    sa.column("series", sa.String),
    sa.column("last_number", sa.BigInteger),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)


def upgrade() -> None:
    if context.is_offline_mode():
        return  # a script for a new database: no campaign yet, each series starts with its first campaign
    connection = op.get_bind()
    highest: dict[str, int] = {}
    for (reference,) in connection.execute(sa.text("select reference from collection_campaign")):
        match = REFERENCE.match(reference or "")
        if match:
            series, number = match.group(1), int(match.group(2))
            highest[series] = max(highest.get(series, 0), number)
    taken = {row[0] for row in connection.execute(sa.text("select series from document_sequence"))}
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for series, number in sorted(highest.items()):
        if series in taken:
            connection.execute(
                sa.text(
                    "update document_sequence set last_number = :number "
                    "where series = :series and last_number < :number"
                ),
                {"series": series, "number": number},
            )
        else:
            connection.execute(
                sa.insert(SEQUENCES).values(series=series, last_number=number, created_at=now, updated_at=now)
            )


def downgrade() -> None:
    # The series rows only record numbers already used; they are harmless to keep.
    pass
