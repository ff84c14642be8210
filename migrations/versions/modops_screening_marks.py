"""Screening feedback: moderators' marks on screened items; the language of each submission

A mark says screening missed a crisis or raised a false alarm on one queue item (one per
item, the latest wins); it keeps the screening codes and the verdict, never post text.
``queue_items.language`` is the language a post was written in, as known when it arrived.

Revision ID: 1f48ce49b6ac
Revises: b96527a90487
Create Date: 2026-11-29 15:18:46.839592

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "1f48ce49b6ac"
down_revision = "ux_deleted_posts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "screening_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("queue_item_id", sa.Integer(), nullable=False),
        sa.Column(
            "verdict",
            sa.Enum("missed", "false_alarm", name="screeningverdict", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("codes", sa.String(length=255), nullable=True),
        sa.Column("marked_by_id", sa.Integer(), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["users.id"], name=op.f("fk_screening_marks_marked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["queue_item_id"],
            ["queue_items.id"],
            name=op.f("fk_screening_marks_queue_item_id_queue_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_marks")),
        sa.UniqueConstraint("queue_item_id", name=op.f("uq_screening_marks_queue_item_id")),
    )
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        batch_op.drop_column("language")

    op.drop_table("screening_marks")
