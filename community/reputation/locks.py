"""Every change to someone's standing locks their account row first.

``SELECT … FOR UPDATE`` on PostgreSQL (SQLite has one writer anyway), always the person
before their boards, so the daily cap and the board totals can't race and two writers
never deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db


def lock_user(user_id: int) -> User | None:
    """The user, locked until the transaction ends (``None`` if there is nobody by that id)."""
    return db.session.scalar(select(User).where(User.id == user_id).with_for_update())


def lock_users(user_ids: Iterable[int]) -> None:
    """Lock several people's rows up front, in id order, before changing their points: a
    job that then waits for one of them holds nothing another writer needs (no deadlock)."""
    ids = sorted(user_ids)
    if ids:
        db.session.scalars(
            select(User.id).where(User.id.in_(ids)).order_by(User.id).with_for_update()
        ).all()
