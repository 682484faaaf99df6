"""The dispute register: disputes, the units they live on, their transitions and milestones.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _entry_columns(table: str) -> list[sa.Column | sa.Constraint]:  # type: ignore[type-arg]
    """The columns every dated entry of a dispute's record has (``_DatedEntry`` in the models)."""
    return [
        sa.Column("id", RECORD_ID, autoincrement=True, nullable=False),
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("precision", sa.String(length=8), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("disagreement", sa.Text(), nullable=True),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("unconfirmed", sa.Text(), nullable=True),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"], ["disputes.id"], name=op.f(f"fk_{table}_dispute_id_disputes"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "disputes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("actors", sa.JSON(), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("priority_group", sa.String(length=64), nullable=False),
        sa.Column("gmcr_cases", sa.JSON(), nullable=False),
        sa.Column("basin_scenarios", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("watch", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
    )
    op.create_index(op.f("ix_disputes_priority_group"), "disputes", ["priority_group"])
    op.create_table(
        "dispute_units",
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"], ["disputes.id"], name=op.f("fk_dispute_units_dispute_id_disputes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("dispute_id", "kind", "code", name=op.f("pk_dispute_units")),
    )
    op.create_index(op.f("ix_dispute_units_code"), "dispute_units", ["code"])
    op.create_table(
        "dispute_transitions",
        *_entry_columns("dispute_transitions"),
        sa.Column("phase", sa.String(length=16), nullable=False),
    )
    op.create_table(
        "dispute_milestones",
        *_entry_columns("dispute_milestones"),
        sa.Column("what", sa.Text(), nullable=False),
    )
    for table in ("dispute_transitions", "dispute_milestones"):
        op.create_index(op.f(f"ix_{table}_dispute_id"), table, ["dispute_id"])


def downgrade() -> None:
    for table in ("dispute_milestones", "dispute_transitions", "dispute_units", "disputes"):
        op.drop_table(table)
