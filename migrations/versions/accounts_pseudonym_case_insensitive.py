"""Accounts: pseudonyms unique ignoring case

"eagerbrook34" and EagerBrook34 are one name: a column users.pseudonym_key (the pseudonym
in lower case), unique, compared by every look-up (log-in, recovery, sign-up, profiles).
Sign-up only ever made names of one shape (EagerBrook34), so existing young people never
clash; staff names could. Each later account whose name clashes with an earlier one
ignoring case is renamed "<name>-<id>" (printed, so an admin can tell the person).

Revision ID: accounts_pseudonym_ci
Revises: b96527a90487
Create Date: 2026-11-29 15:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'accounts_pseudonym_ci'
down_revision = 'b96527a90487'
branch_labels = None
depends_on = None

users = sa.table(
    'users',
    sa.column('id', sa.Integer),
    sa.column('pseudonym', sa.String),
    sa.column('pseudonym_key', sa.String),
)


def _key(pseudonym):
    return (pseudonym or '').strip().lower()  # as community.accounts.models.pseudonym_key


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pseudonym_key', sa.String(length=80), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(users.c.id, users.c.pseudonym).order_by(users.c.id)
    ).all()
    taken = {_key(pseudonym) for _, pseudonym in rows}
    seen = set()
    for user_id, pseudonym in rows:
        key = _key(pseudonym)
        if key in seen:
            pseudonym = f"{pseudonym[: 39 - len(str(user_id))]}-{user_id}"
            key = _key(pseudonym)
            if key in taken:  # practically never; the id keeps it unique anyway
                pseudonym = f"{user_id}-{pseudonym}"[:40]
                key = _key(pseudonym)
            print(f"users: account {user_id} renamed to {pseudonym!r} (its name clashed ignoring case)")
        seen.add(key)
        taken.add(key)
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(pseudonym=pseudonym, pseudonym_key=key)
        )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('pseudonym_key', existing_type=sa.String(length=80), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_pseudonym_key'), ['pseudonym_key'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_pseudonym_key'), type_='unique')
        batch_op.drop_column('pseudonym_key')
