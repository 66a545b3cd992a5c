"""Mobile money statement files known by their content and their name

A partner's statement file is now recognised by its bytes together with the partner and day its name gives, so
that two days without transactions (the same header alone) are two statements. The files already received get
the identity they would have been given.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 04:00:00
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KIND = "mobile_money_statement"


def identity(content_hash: str, details: dict) -> str:
    # The same formula as yeelen.intake.files.named_identity, written out: a migration does not follow later code.
    said = json.dumps(details, sort_keys=True, default=str)
    return hashlib.sha256(f"{content_hash}\n{said}".encode()).hexdigest()


def upgrade() -> None:
    if context.is_offline_mode():
        return  # a script for a new database: no file received yet
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("select id, content_hash, details from intake_file where kind = :kind and details is not null"),
        {"kind": KIND},
    ).all()
    for file_id, content_hash, details in rows:
        connection.execute(
            sa.text("update intake_file set content_hash = :identity where id = :id"),
            {"identity": identity(content_hash, json.loads(details)), "id": file_id},
        )


def downgrade() -> None:
    # The files' bytes are not kept in the database: their content-only hash cannot be computed back. Files taken
    # before the downgrade are then not recognised as duplicates, and a second file for a day already imported is
    # refused by the statement itself.
    pass
