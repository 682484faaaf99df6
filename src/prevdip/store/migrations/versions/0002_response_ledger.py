"""The response ledger: partners, the Programme of Action, actions, meetings with agenda blocks, commitments.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MOMENT = sa.DateTime(timezone=True)


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", RECORD_ID, autoincrement=True, nullable=False)


def _created() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("created", MOMENT, nullable=False)


def _fk(table: str, column: str, parent: str, ondelete: str = "RESTRICT") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{parent}.id"], name=op.f(f"fk_{table}_{column}_{parent}"), ondelete=ondelete
    )


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    op.create_table(
        "partners",
        _id(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        _created(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("name", name=op.f("uq_partners_name")),
    )
    op.create_table(
        "programme_items",
        _id(),
        sa.Column("priority_group", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        _created(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_items")),
        sa.UniqueConstraint("title", name=op.f("uq_programme_items_title")),
    )
    _index("programme_items", "priority_group")
    op.create_table(
        "meetings",
        _id(),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        _created(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    _index("meetings", "date")
    op.create_table(
        "actions",
        _id(),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("unit_kind", sa.String(length=16), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("instrument", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("programme_item_id", RECORD_ID, nullable=True),
        _created(),
        _fk("actions", "programme_item_id", "programme_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    _index("actions", "month", "programme_item_id", "unit")
    op.create_table(
        "action_partners",
        sa.Column("action_id", RECORD_ID, nullable=False),
        sa.Column("partner_id", RECORD_ID, nullable=False),
        _fk("action_partners", "action_id", "actions", ondelete="CASCADE"),
        _fk("action_partners", "partner_id", "partners"),
        sa.PrimaryKeyConstraint("action_id", "partner_id", name=op.f("pk_action_partners")),
    )
    _index("action_partners", "partner_id")
    op.create_table(
        "agenda_blocks",
        _id(),
        sa.Column("meeting_id", RECORD_ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("priority_group", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("instrument", sa.String(length=32), nullable=True),
        sa.Column("proposal", sa.Text(), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=False),
        _fk("agenda_blocks", "meeting_id", "meetings", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_blocks")),
    )
    _index("agenda_blocks", "meeting_id")
    op.create_table(
        "commitments",
        _id(),
        sa.Column("partner_id", RECORD_ID, nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("action_id", RECORD_ID, nullable=True),
        sa.Column("meeting_id", RECORD_ID, nullable=True),
        _created(),
        _fk("commitments", "action_id", "actions"),
        _fk("commitments", "meeting_id", "meetings"),
        _fk("commitments", "partner_id", "partners"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    _index("commitments", "action_id", "due", "meeting_id", "partner_id")


def downgrade() -> None:
    children_first = ("commitments", "agenda_blocks", "action_partners", "actions", "meetings", "programme_items")
    for table in (*children_first, "partners"):
        op.drop_table(table)
