"""Sign-up, log-in and password recovery for pseudonymous accounts."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select

from community.accounts import passwords, pseudonyms
from community.accounts.models import AgeBand, Role, User
from community.core.errors import DomainError
from community.extensions import db
from moderation import api as moderation

UNDER_13 = "under-13"


class UnderAge(DomainError):
    default_message = _l("Assist is for people aged 13 to 25.")


class InvalidCredentials(DomainError):
    default_message = _l("That pseudonym and password don't match. Check them and try again.")


@dataclass(frozen=True)
class Registration:
    pseudonym: str
    age_band: str
    password: str


@dataclass(frozen=True)
class NewAccount:
    user: User
    recovery_code: str  # shown once, never stored in clear


def propose_pseudonym(attempts: int = 20) -> str:
    """A fresh pseudonym nobody has taken yet."""
    for _ in range(attempts):
        candidate = pseudonyms.generate()
        if not _pseudonym_taken(candidate):
            return candidate
    raise DomainError(_l("We couldn't find a free pseudonym. Please try again."))


def _pseudonym_taken(pseudonym: str) -> bool:
    return db.session.scalar(select(User.id).where(User.pseudonym == pseudonym)) is not None


def check_password(password: str, pseudonym: str = "") -> None:
    """Raise :class:`DomainError` (field ``password``) if *password* breaks the policy."""
    if len(password) < passwords.MIN_LENGTH:
        raise DomainError(
            lazy_ngettext(
                "Use at least %(num)d character.",
                "Use at least %(num)d characters.",
                passwords.MIN_LENGTH,
            ),
            field="password",
        )
    if len(password) > passwords.MAX_LENGTH:
        raise DomainError(
            lazy_ngettext(
                "Use at most %(num)d character.",
                "Use at most %(num)d characters.",
                passwords.MAX_LENGTH,
            ),
            field="password",
        )
    if passwords.is_common(password) or (pseudonym and pseudonym.lower() in password.lower()):
        raise DomainError(
            _l(
                "That password is too easy to guess. Try a few words that only you would put "
                "together."
            ),
            field="password",
        )


def parse_age_band(value: str) -> AgeBand:
    if value == UNDER_13:
        raise UnderAge()
    try:
        return AgeBand(value)
    except ValueError:
        raise DomainError(_l("Choose your age group."), field="age_band") from None


def register(registration: Registration) -> NewAccount:
    """Create a young person's account; returns the one-time recovery code with it."""
    age_band = parse_age_band(registration.age_band)
    if not pseudonyms.is_well_formed(registration.pseudonym):
        raise DomainError(_l("Pick one of the pseudonyms we suggest."), field="pseudonym")
    if _pseudonym_taken(registration.pseudonym):
        raise DomainError(
            _l("Someone just took that pseudonym. Here is a new one."), field="pseudonym"
        )
    check_password(registration.password, registration.pseudonym)
    code = passwords.new_recovery_code()
    user = User(
        pseudonym=registration.pseudonym,
        password_hash=passwords.hash_secret(registration.password),
        recovery_code_hash=passwords.hash_secret(code),
        role=Role.YOUTH,
        age_band=age_band,
    )
    db.session.add(user)
    db.session.flush()
    return NewAccount(user=user, recovery_code=code)


def authenticate(pseudonym: str, password: str) -> User:
    """The active user with this pseudonym and password, or :class:`InvalidCredentials`.

    An unknown pseudonym costs the same hash check as a wrong password, so
    neither the message nor the time tells which one was wrong.
    """
    user = db.session.scalar(select(User).where(User.pseudonym == (pseudonym or "").strip()))
    ok = passwords.verify_secret(user.password_hash if user else None, password or "")
    if user is None or not ok or not user.is_active:
        raise InvalidCredentials()
    moderation.check_can_log_in(user)  # a paused account hears why, and until when
    return user


def reset_password(pseudonym: str, recovery_code: str, new_password: str) -> NewAccount:
    """Set a new password with the recovery code; the code is used up and a new one issued."""
    user = db.session.scalar(select(User).where(User.pseudonym == (pseudonym or "").strip()))
    code = passwords.normalise_recovery_code(recovery_code)
    ok = passwords.verify_secret(user.recovery_code_hash if user else None, code)
    if user is None or not ok or not user.is_active:
        raise DomainError(
            _l("That pseudonym and recovery code don't match."), field="recovery_code"
        )
    moderation.check_can_log_in(user)
    check_password(new_password, user.pseudonym)
    new_code = passwords.new_recovery_code()
    user.password_hash = passwords.hash_secret(new_password)
    user.recovery_code_hash = passwords.hash_secret(new_code)
    user.session_version += 1  # log out every other session
    db.session.flush()
    return NewAccount(user=user, recovery_code=new_code)


def create_staff(name: str, role: Role, password: str) -> User:
    """A coach, moderator or admin account (CLI only; never through sign-up)."""
    if role is Role.YOUTH:
        raise DomainError("Staff accounts need a staff role.")
    name = (name or "").strip()
    if not 3 <= len(name) <= 40:
        raise DomainError("A staff name has 3 to 40 characters.", field="name")
    if _pseudonym_taken(name):
        raise DomainError("That name is taken.", field="name")
    check_password(password, name)
    user = User(
        pseudonym=name,
        password_hash=passwords.hash_secret(password),
        role=role,
        age_band=AgeBand.AGE_18_25 if role is Role.COACH else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def may_stay_logged_in(user: User) -> bool:
    """ "Keep me logged in" is not offered to 13-15 year olds (shared and family phones)."""
    return user.age_band is not AgeBand.AGE_13_15


def end_all_sessions(user: User) -> None:
    """Make every session cookie of *user* invalid, on every device (used at log-out)."""
    user.session_version += 1
    db.session.flush()


def load_session_user(session_id: str) -> User | None:
    """The user for a Flask-Login id ``"<id>:<session_version>"``, if still valid."""
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user
