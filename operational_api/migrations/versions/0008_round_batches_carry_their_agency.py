"""A reading round's billing batch carries the round's agency

A batch opened for a round (by the billing calendar, or by a user naming only the round) was kept as a batch
over every agency, which every agency's users could see and decide. It now carries the round's agency; the
batches already opened get it too.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 04:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.text(
            "update billing_batch set agency_id = (select reading_round.agency_id from reading_round"
            " where reading_round.id = billing_batch.reading_round_id)"
            " where agency_id is null and reading_round_id is not null"
        )
    )


def downgrade() -> None:
    # Which batches were opened over every agency with a round is not recorded; they keep their round's agency.
    pass
