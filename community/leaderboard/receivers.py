"""What the leaderboard listens to. Receivers only queue jobs or note a hashed address; the
transaction that triggered them commits (or not) as usual.

* assists published or marked helpful, and assists a moderator took down (moderation's
  ``decision_made``) → the jobs that write the ledger;
* an account's role or active flag changes → show or hide it on the boards, before commit;
* sign-up, log-in (Flask-Login's ``user_logged_in``) and every successful POST by a signed-in
  young person → a hashed sighting of their address for the shared-address check.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_login import current_user, user_logged_in
from sqlalchemy import event
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.base import NO_VALUE

from community import jobs
from community.accounts.models import User
from community.assists.services import CONTENT_TYPE as ASSIST
from community.assists.signals import assist_marked_helpful, assist_published
from community.leaderboard import addresses, services
from moderation.api import decision_made


@assist_published.connect
def _on_assist_published(sender, assist_id: int, **_: object) -> None:
    jobs.enqueue("leaderboard.record_assist_published", assist_id)


@assist_marked_helpful.connect
def _on_assist_marked_helpful(sender, assist_id: int, **_: object) -> None:
    jobs.enqueue("leaderboard.record_assist_helpful", assist_id)


@decision_made.connect
def _on_decision_made(sender, content_type: str, content_id: int, decision: str, **_) -> None:
    # An assist turned down is either one that never earned anything, or a published one a
    # moderator took down (after a flag): the job takes back whatever it earned, if anything.
    if content_type == ASSIST and decision == "rejected":
        jobs.enqueue("leaderboard.record_assist_removed", content_id)


RELIST_KEY = "leaderboard.relist"


def _on_account_changed(target: User, value, oldvalue, _initiator) -> None:
    # Only a change to a saved account matters; a new account has nothing on the boards.
    if target.id is not None and oldvalue is not NO_VALUE and value != oldvalue:
        session = object_session(target)
        if session is not None:
            session.info.setdefault(RELIST_KEY, set()).add(target.id)


event.listen(User.role, "set", _on_account_changed, active_history=True)
event.listen(User.is_active, "set", _on_account_changed, active_history=True)


@event.listens_for(Session, "before_commit")
def _relist_changed_accounts(session: Session) -> None:
    """Someone became staff, or an account was closed or reopened: show or hide them on
    every board in the same transaction (Redis follows after the commit)."""
    for user_id in sorted(session.info.pop(RELIST_KEY, ())):
        services.refresh_listing(user_id)


@event.listens_for(Session, "after_soft_rollback")
def _forget_relist(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(RELIST_KEY, None)


def _note_address(user: User) -> None:
    if user.is_ranked and not g.get("leaderboard_address_noted"):
        g.leaderboard_address_noted = True
        addresses.record_sighting(user.id, request.remote_addr)


@user_logged_in.connect
def _on_logged_in(sender, user: User, **_: object) -> None:
    _note_address(user)


def init_app(app: Flask) -> None:
    @app.after_request
    def _note_posting_address(response: Response) -> Response:
        # Registered after the unit of work's hook, so it runs first: the row is committed
        # with the request (or rolled back with it).
        if (
            request.method == "POST"
            and response.status_code < 400
            and current_user.is_authenticated
        ):
            _note_address(current_user._get_current_object())  # type: ignore[attr-defined]
        return response
