"""Sign-up, log-in and password recovery for pseudonymous accounts."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select

from community.accounts import passwords, pseudonyms
from community.accounts.models import AgeBand, Role, User, pseudonym_key
from community.core.database import read_aside
from community.core.errors import DomainError
from community.extensions import db
from moderation import api as moderation

UNDER_13 = "under-13"


class UnderAge(DomainError):
    default_message = _l("Assist is for people aged 13 to 25.")


class PseudonymGone(DomainError):
    """The pseudonym we offered was taken meanwhile (by someone signing up at the same time)."""

    default_message = _l("That pseudonym is not free any more. Here is a new one.")

    def __init__(self) -> None:
        super().__init__(field="pseudonym")


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
    """Whether the name is taken, whatever its case."""
    key = pseudonym_key(pseudonym)
    return db.session.scalar(select(User.id).where(User.pseudonym_key == key)) is not None


def by_pseudonym(pseudonym: str) -> User | None:
    """The account with this pseudonym, whatever case it is typed in."""
    return db.session.scalar(select(User).where(User.pseudonym_key == pseudonym_key(pseudonym)))


@dataclass(frozen=True)
class _Secrets:
    user_id: int
    password_hash: str
    recovery_code_hash: str | None


def _secrets_of(pseudonym: str) -> _Secrets | None:
    """The hashes to check, read without the write lock (see :func:`read_aside`): checking
    one takes a while, and on SQLite nobody else could post meanwhile."""
    query = select(User.id, User.password_hash, User.recovery_code_hash).where(
        User.pseudonym_key == pseudonym_key(pseudonym)
    )
    with read_aside() as connection:
        row = connection.execute(query).first()
    return _Secrets(*row) if row is not None else None


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
    check_password(registration.password, registration.pseudonym)
    # Hash first: the look-up below begins the write transaction (on SQLite, the lock).
    code = passwords.new_recovery_code()
    password_hash = passwords.hash_secret(registration.password)
    code_hash = passwords.hash_secret(code)
    if _pseudonym_taken(registration.pseudonym):
        raise PseudonymGone()
    user = User(
        pseudonym=registration.pseudonym,
        password_hash=password_hash,
        recovery_code_hash=code_hash,
        role=Role.YOUTH,
        age_band=age_band,
    )
    db.session.add(user)
    db.session.flush()
    return NewAccount(user=user, recovery_code=code)


def authenticate(pseudonym: str, password: str) -> User:
    """The active user with this pseudonym (any case) and password, or
    :class:`InvalidCredentials`.

    An unknown pseudonym costs the same hash check as a wrong password, so neither the
    message nor the time tells which one was wrong. The check runs before the request's
    transaction begins, so it never holds SQLite's write lock.
    """
    found = _secrets_of(pseudonym)
    ok = passwords.verify_secret(found.password_hash if found else None, password or "")
    if found is None or not ok:
        raise InvalidCredentials()
    user = db.session.get(User, found.user_id, populate_existing=True)
    # Re-checked now the transaction has begun: the password may have changed meanwhile.
    if user is None or not user.is_active or user.password_hash != found.password_hash:
        raise InvalidCredentials()
    moderation.check_can_log_in(user)  # a paused account hears why, and until when
    return user


def holds_recovery_code(user: User, code: str | None) -> bool:
    """Whether *code* is *user*'s current recovery code.

    The page that shows a new code once may show it again in another language, but only to
    its owner and only when they send the code itself back (it is never kept anywhere else).
    """
    return passwords.verify_secret(
        user.recovery_code_hash, passwords.normalise_recovery_code(code or "")
    )


def reset_password(pseudonym: str, recovery_code: str, new_password: str) -> NewAccount:
    """Set a new password with the recovery code; the code is used up and a new one issued.

    The code is checked, and the new secrets hashed, before the write transaction begins.
    """
    found = _secrets_of(pseudonym)
    code = passwords.normalise_recovery_code(recovery_code)
    ok = passwords.verify_secret(found.recovery_code_hash if found else None, code)
    wrong = DomainError(_l("That pseudonym and recovery code don't match."), field="recovery_code")
    if found is None or not ok:
        raise wrong
    check_password(new_password, (pseudonym or "").strip())
    new_code = passwords.new_recovery_code()
    password_hash = passwords.hash_secret(new_password)
    code_hash = passwords.hash_secret(new_code)
    # Locked (on PostgreSQL; SQLite's write transaction is the lock) and read afresh: someone
    # else may have used the same code meanwhile, and it works once.
    user = db.session.get(User, found.user_id, with_for_update=True, populate_existing=True)
    if user is None or not user.is_active or user.recovery_code_hash != found.recovery_code_hash:
        raise wrong
    moderation.check_can_log_in(user)
    user.password_hash = password_hash
    user.recovery_code_hash = code_hash
    user.session_version += 1  # log out every other session
    db.session.flush()
    return NewAccount(user=user, recovery_code=new_code)


class WrongPassword(DomainError):
    default_message = _l("That is not your password now. Check it and try again.")

    def __init__(self) -> None:
        super().__init__(field="current_password")


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password for a signed-in *user*, who must give the one they have now.

    Every other session and "keep me logged in" token of theirs stops working. The audit
    log notes that it happened (never a password or hash).
    """
    if not passwords.verify_secret(user.password_hash, current_password or ""):
        raise WrongPassword()
    check_password(new_password, user.pseudonym)
    if passwords.verify_secret(user.password_hash, new_password):
        raise DomainError(
            _l("Your new password is the same as the one you have now."), field="password"
        )
    user.password_hash = passwords.hash_secret(new_password)
    user.session_version += 1  # log out every other session, and their remember-me tokens
    moderation.record_audit(user.id, "user.password_changed", "user", user.id)
    db.session.flush()


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
