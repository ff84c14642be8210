"""Who appears on the boards: young people only, and each by their own choice.

13-15 year olds are off unless they choose to appear, 16+ on unless they choose not to;
staff, coaches and closed accounts never appear. Someone who doesn't appear still has
their rows on every board (``listed`` is false), so they can see where they would be.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from community.accounts.models import AgeBand, Role, User
from community.core.clock import utcnow
from community.core.errors import NotAllowed
from community.core.jobs import job
from community.extensions import db
from community.reputation import boards
from community.reputation.locks import lock_user
from community.reputation.models import LeaderboardChoice
from community.reputation.standings import forget_pseudonym


def appears_by_default(age_band: AgeBand | None) -> bool:
    """Young teens (13-15) stay off the boards unless they choose to appear; 16+ appear."""
    return age_band is not AgeBand.AGE_13_15


def is_listed(role: Role, is_active: bool, age_band: AgeBand | None, appear: bool | None) -> bool:
    """Whether an account with these facts and this choice (``None``: not asked yet) appears."""
    if role is not Role.YOUTH or not is_active:
        return False
    return appears_by_default(age_band) if appear is None else appear


def choice_of(user_id: int) -> LeaderboardChoice | None:
    return db.session.get(LeaderboardChoice, user_id)


def appears_on_boards(user: User) -> bool:
    """Whether *user*'s pseudonym and points are shown on the boards."""
    choice = choice_of(user.id)
    return is_listed(user.role, user.is_active, user.age_band, choice.appear if choice else None)


def needs_asking(user: User | None) -> bool:
    """A young person who hasn't told us yet whether they want to appear."""
    return user is not None and user.is_ranked and choice_of(user.id) is None


def check_can_choose(user: User | None) -> User:
    if user is None:
        raise NotAllowed()
    if not user.is_ranked:
        raise NotAllowed(_l("Staff and coaches are never on the leaderboard."))
    return user


def choose(user: User, appear: bool) -> LeaderboardChoice:
    """Record whether *user* wants to appear, and show or hide them on every board at once."""
    check_can_choose(user)
    lock_user(user.id)  # the same order as the ledger jobs: the person first, then boards
    choice = choice_of(user.id)
    if choice is None:
        choice = LeaderboardChoice(user_id=user.id, appear=appear)
        db.session.add(choice)
    else:
        choice.appear = appear
        choice.chosen_at = utcnow()
    db.session.flush()
    boards.set_listed(user.id, is_listed(user.role, user.is_active, user.age_band, appear))
    return choice


@job("leaderboard.refresh_listing")
def refresh_listing(user_id: int) -> bool:
    """Show or hide a user on the boards after their role or account changed (idempotent)."""
    user = lock_user(user_id)
    if user is None:
        return False
    forget_pseudonym(user.id)
    boards.set_listed(user.id, appears_on_boards(user))
    return True
