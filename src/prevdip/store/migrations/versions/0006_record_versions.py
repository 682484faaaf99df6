"""A version on the ledger records people edit (commitments, actions, programme items): optimistic locking.

Two people changing commitment 3 at the same moment both used to succeed, the last write winning and the audit log
saying ``open → kept`` and ``open → dropped``. Each edit now writes ``version = version + 1 where version = <the one
read>``; the second finds the record changed and is refused, nothing written. Records already there start at 1.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EDITED = ("commitments", "actions", "programme_items")


def upgrade() -> None:
    for table in EDITED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in EDITED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
