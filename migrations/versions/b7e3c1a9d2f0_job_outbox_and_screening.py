"""Job outbox; screening results on queue items

Revision ID: b7e3c1a9d2f0
Revises: 4c0bf74d9dd4
Create Date: 2026-11-22 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e3c1a9d2f0"
down_revision = "4c0bf74d9dd4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("args", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("available_at", sa.DateTime(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("failed_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_outbox")),
    )
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_job_outbox_due", ["done_at", "failed_at", "available_at"], unique=False
        )
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("screened_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("screening_reasons", sa.String(length=255), nullable=True))


def downgrade():
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        batch_op.drop_column("screening_reasons")
        batch_op.drop_column("screened_at")
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_job_outbox_due")
    op.drop_table("job_outbox")
