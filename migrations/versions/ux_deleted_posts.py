"""Posts their authors deleted: when, so moderators can read them until the retention ends

A deleted question or assist gets status "deleted" (a VARCHAR enum: no DDL) and deleted_at;
`flask posts purge-deleted` wipes the text after DELETED_POSTS_RETENTION_DAYS.

Revision ID: ux_deleted_posts
Revises: b96527a90487
Create Date: 2026-11-29 15:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "ux_deleted_posts"
down_revision = '4606c6c3801b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("assists", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("assists", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
