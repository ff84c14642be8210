"""Job outbox: count hand-overs (deliveries) apart from failed runs (attempts)

Revision ID: c4d1e7a2b9f3
Revises: b96527a90487
Create Date: 2026-11-29 15:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d1e7a2b9f3'
down_revision = "1f48ce49b6ac"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job_outbox', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('deliveries', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('job_outbox', schema=None) as batch_op:
        batch_op.drop_column('deliveries')
