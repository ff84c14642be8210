"""Accounts: pseudonymous people and staff. No real names, no e-mail, no addresses."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, validates

from community.core.clock import utcnow
from community.extensions import Model, enum_type


class Role(enum.Enum):
    YOUTH = "youth"
    COACH = "coach"
    MODERATOR = "moderator"
    # Staff who follow up on young people at risk (escalations); they moderate too.
    SAFEGUARDING = "safeguarding"
    ADMIN = "admin"


class AgeBand(enum.Enum):
    """Age bands; exact ages and birthdays are never asked for."""

    AGE_13_15 = "13-15"
    AGE_16_17 = "16-17"
    AGE_18_25 = "18-25"

    @property
    def label(self) -> str:
        return str(AGE_BAND_LABELS[self])


AGE_BAND_LABELS = {
    AgeBand.AGE_13_15: _l("13 to 15"),
    AgeBand.AGE_16_17: _l("16 or 17"),
    AgeBand.AGE_18_25: _l("18 to 25"),
}


def pseudonym_key(pseudonym: str) -> str:
    """How a pseudonym is compared: case and surrounding spaces don't count."""
    return (pseudonym or "").strip().lower()


def _key_default(context) -> str:
    """The key for rows inserted without the model (bulk inserts of tests and tools)."""
    return pseudonym_key(context.get_current_parameters()["pseudonym"])


class User(Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(40), unique=True)
    # The pseudonym ignoring case ("eagerbrook34" is EagerBrook34): unique, and what every
    # look-up compares (log-in, recovery, sign-up, profiles). Set with the pseudonym.
    pseudonym_key: Mapped[str] = mapped_column(String(80), unique=True, default=_key_default)
    password_hash: Mapped[str] = mapped_column(String(255))
    recovery_code_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, 16), default=Role.YOUTH)
    age_band: Mapped[AgeBand | None] = mapped_column(enum_type(AgeBand, 8))
    # Bumped on logout-everywhere and password change, so old session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @validates("pseudonym")
    def _keep_key(self, _name: str, value: str) -> str:
        self.pseudonym_key = pseudonym_key(value)
        return value

    def __repr__(self) -> str:
        return f"<User {self.id} {self.pseudonym} {self.role.value}>"

    # -- Flask-Login ---------------------------------------------------------------------------
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    # -- roles ---------------------------------------------------------------------------------
    @property
    def is_staff(self) -> bool:
        return self.role is not Role.YOUTH

    @property
    def can_moderate(self) -> bool:
        return self.role in (Role.MODERATOR, Role.SAFEGUARDING, Role.ADMIN)

    @property
    def can_safeguard(self) -> bool:
        """Sees and handles escalations (a separate view from the queue)."""
        return self.role in (Role.SAFEGUARDING, Role.ADMIN)

    @property
    def is_ranked(self) -> bool:
        """Only young people appear on the leaderboard."""
        return self.role is Role.YOUTH
