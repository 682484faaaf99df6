"""Field reports on their way to the lake (submitted, verified, rejected, merged; revisions; attachments), and a
meeting's participants and outcome.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "field_reports",
        sa.Column("id", RECORD_ID, autoincrement=True, nullable=False),
        sa.Column("report_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("sharing", sa.String(length=32), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("merged_event_uid", sa.String(length=32), nullable=True),
        sa.Column("event_uid", sa.String(length=32), nullable=True),
        sa.Column("published_run", sa.String(length=32), nullable=True),
        sa.Column("missing_attachments", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_reports")),
        sa.UniqueConstraint("report_id", "revision", name="uq_field_reports_report_id_revision"),
    )
    with op.batch_alter_table("field_reports") as batch:
        for column in ("report_id", "status", "event_date", "submitted_by", "submitted_at", "merged_event_uid"):
            batch.create_index(batch.f(f"ix_field_reports_{column}"), [column], unique=False)
    op.create_table(
        "field_report_attachments",
        sa.Column("id", RECORD_ID, autoincrement=True, nullable=False),
        sa.Column("revision_id", RECORD_ID, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        _fk("field_report_attachments", "revision_id", "field_reports", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_report_attachments")),
    )
    with op.batch_alter_table("field_report_attachments") as batch:
        batch.create_index(batch.f("ix_field_report_attachments_revision_id"), ["revision_id"], unique=False)
        batch.create_index(batch.f("ix_field_report_attachments_sha256"), ["sha256"], unique=False)
    op.create_table(
        "meeting_participants",
        sa.Column("meeting_id", RECORD_ID, nullable=False),
        sa.Column("partner_id", RECORD_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_participants_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_meeting_participants_partner_id_partners"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "partner_id", name=op.f("pk_meeting_participants")),
    )
    with op.batch_alter_table("meeting_participants") as batch:
        batch.create_index(batch.f("ix_meeting_participants_partner_id"), ["partner_id"], unique=False)
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("outcome", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("outcome")
    op.drop_table("meeting_participants")
    op.drop_table("field_report_attachments")
    op.drop_table("field_reports")
