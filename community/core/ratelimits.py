"""Rate limits (Flask-Limiter): per hashed client address and per account.

No limit ever sees a raw address: the address key is an HMAC that changes daily
(:func:`community.core.privacy.hashed_client_address`), and the account keys are user ids, or
for log-in a keyed hash of the pseudonym being tried. Limits come from the config
(``RATELIMIT_*``), so operators can tune them without code:

* sign-up: per address;
* log-in and password recovery: only failures count, per address, per address and account
  tried together, and per account (a much higher ceiling over longer windows). The
  per-account ceiling only holds back addresses that have failed for that account, so
  nobody can lock a person out: their right password from an address that has not failed
  always works;
* changing one's password: failures per account;
* posting (questions, assists, coach replies, lounge posts and edits, together): per address
  and per account, tighter for accounts younger than ``MODERATION_NEW_ACCOUNT_DAYS``;
* reporting a post: per address and per account.

A limited person sees a translated 429 page that says when to try again and gives back
what they typed (:mod:`community.core.errors`).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app, request
from flask_login import current_user
from limits import parse_many

from community.core.new_accounts import is_new_account
from community.core.privacy import hashed_client_address
from community.extensions import limiter


def address_key() -> str:
    return "address:" + hashed_client_address(request.remote_addr or "")


def account_key() -> str:
    """The signed-in account (falls back to the address for visitors)."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return address_key()


def login_target_key() -> str:
    """The account someone is trying to log in to (a keyed hash of the pseudonym, which is
    the same name whatever its case)."""
    name = (request.form.get("pseudonym") or "").strip().lower()
    key = current_app.config["SECRET_KEY"].encode()
    return "login:" + hmac.new(key, name.encode(), hashlib.sha256).hexdigest()[:32]


def login_pair_key() -> str:
    """This address trying this account (both hashed)."""
    return login_target_key() + ":" + address_key()


FAILED_HERE = "login-failed:"  # + login_pair_key(): this address failed for this account
FAILED_HERE_SECONDS = 24 * 60 * 60


ACCOUNT_SCOPE = "login-account"  # log-in and recovery share the account's ceiling


def _account_args() -> list[str]:
    """The identifiers Flask-Limiter uses for the account's ceiling (a shared limit)."""
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX")
    return (
        [prefix, login_target_key(), ACCOUNT_SCOPE]
        if prefix
        else [
            login_target_key(),
            ACCOUNT_SCOPE,
        ]
    )


def note_login_failure() -> None:
    """Count a failed log-in or recovery against the account's ceiling (whatever the
    address), and remember (for a day, hashed) that this address failed for that account:
    only such addresses are held back by the ceiling."""
    if not current_app.config.get("RATELIMIT_ENABLED"):
        return
    try:
        for item in parse_many(current_app.config["RATELIMIT_LOGIN_ACCOUNT"]):
            limiter.limiter.hit(item, *_account_args())
        limiter.storage.incr(FAILED_HERE + login_pair_key(), FAILED_HERE_SECONDS)
    except Exception:  # noqa: BLE001 - a storage hiccup must not turn a wrong password into a 500
        current_app.logger.warning("could not note a failed log-in", exc_info=True)


def _address_never_failed_here() -> bool:
    try:
        return not limiter.storage.get(FAILED_HERE + login_pair_key())
    except Exception:  # noqa: BLE001 - without the storage, count as failed (the safer side)
        return False


def _never(_response) -> bool:
    return False


def _failed(response) -> bool:
    """A log-in or recovery attempt that did not work (the form comes back with errors)."""
    return response.status_code == 422


def _config(name: str):
    return lambda: current_app.config[name]


def _posting_account_limit() -> str:
    if current_user.is_authenticated and is_new_account(current_user):
        return current_app.config["RATELIMIT_POST_NEW_ACCOUNT"]
    return current_app.config["RATELIMIT_POST_ACCOUNT"]


def signup():
    return limiter.limit(_config("RATELIMIT_SIGNUP"), key_func=address_key, methods=["POST"])


def login(methods=("POST",)):
    """Failed attempts, per address, per address and account, and per account tried; the
    last only for addresses that have failed for that account (three decorators in one)."""
    by_address = limiter.limit(
        _config("RATELIMIT_LOGIN"),
        key_func=address_key,
        methods=list(methods),
        deduct_when=_failed,
    )
    by_pair = limiter.limit(
        _config("RATELIMIT_LOGIN_PAIR"),
        key_func=login_pair_key,
        methods=list(methods),
        deduct_when=_failed,
    )
    by_account = limiter.shared_limit(
        _config("RATELIMIT_LOGIN_ACCOUNT"),
        scope=ACCOUNT_SCOPE,
        key_func=login_target_key,
        methods=list(methods),
        deduct_when=_never,  # counted by note_login_failure, from every address
        exempt_when=_address_never_failed_here,
    )
    return lambda view: by_address(by_pair(by_account(view)))


def password_change(methods=("POST",)):
    """Wrong current passwords, per signed-in account."""
    return limiter.limit(
        _config("RATELIMIT_PASSWORD_CHANGE"),
        key_func=account_key,
        methods=list(methods),
        deduct_when=_failed,
    )


def posting(methods=("POST",)):
    """Shared by every route that sends a post: per address and per account."""
    by_address = limiter.shared_limit(
        _config("RATELIMIT_POST"), scope="posting", key_func=address_key, methods=list(methods)
    )
    by_account = limiter.shared_limit(
        _posting_account_limit,
        scope="posting-account",
        key_func=account_key,
        methods=list(methods),
    )
    return lambda view: by_address(by_account(view))


def posting_retry_at() -> datetime | None:
    """When this person may post again if the posting limit is used up now (naive UTC), or
    None. Only looks: nothing is counted, so a form page can say so before they write."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return None
    checks = (
        (config["RATELIMIT_POST"], address_key(), "posting"),
        (_posting_account_limit(), account_key(), "posting-account"),
    )
    latest: float | None = None
    try:
        strategy = limiter.limiter
        prefix = [limiter._key_prefix] if limiter._key_prefix else []
        for text, key, scope in checks:
            for item in parse_many(text):
                identifiers = [*prefix, key, scope]
                if not strategy.test(item, *identifiers):
                    reset = strategy.get_window_stats(item, *identifiers).reset_time
                    latest = reset if latest is None else max(latest, reset)
    except Exception:  # noqa: BLE001 - storage unreachable: the POST still enforces the limit
        return None
    if latest is None:
        return None
    return datetime.fromtimestamp(latest, UTC).replace(tzinfo=None)


def flagging(methods=("POST",)):
    by_address = limiter.shared_limit(
        _config("RATELIMIT_FLAG"), scope="flagging", key_func=address_key, methods=list(methods)
    )
    by_account = limiter.shared_limit(
        _config("RATELIMIT_FLAG_ACCOUNT"),
        scope="flagging-account",
        key_func=account_key,
        methods=list(methods),
    )
    return lambda view: by_address(by_account(view))
