"""What reputation listens to, connected by :func:`init_app`. Receivers only queue jobs, hand
work to the unit of work or note a hashed address; the transaction that triggered them
commits (or not) as usual.

* assists published or marked helpful, assists a moderator took down (moderation's
  ``decision_made``) and published assists their author deleted (``content_removed``,
  ``by_author``) → the jobs that write the ledger;
* an account's role or active flag changes → show or hide it on the boards, in the same
  transaction, just before it commits (Redis follows after the commit);
* sign-up, log-in (Flask-Login's ``user_logged_in``) and every successful POST by a signed-in
  young person → a hashed sighting of their address for the shared-address check.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from flask_login import current_user, user_logged_in
from sqlalchemy import event
from sqlalchemy.orm import object_session
from sqlalchemy.orm.base import NO_VALUE

from community.accounts.models import User
from community.assists.services import CONTENT_TYPE as ASSIST
from community.assists.signals import assist_marked_helpful, assist_published
from community.core import jobs
from community.core.database import Stage, commit_handler, on_commit
from community.reputation import addresses, listing
from moderation.api import content_removed, decision_made

RELIST = "reputation.relist"  # the unit of work's key: accounts to show or hide on the boards
POSTING = "reputation.posting_address"  # … and a POST whose address to note if it succeeds
NOTED = "reputation_address_noted"  # in ``g``: this request's address is noted already


def _on_assist_published(sender, assist_id: int, **_: object) -> None:
    jobs.enqueue("leaderboard.record_assist_published", assist_id)


def _on_assist_marked_helpful(sender, assist_id: int, **_: object) -> None:
    jobs.enqueue("leaderboard.record_assist_helpful", assist_id)


def _on_decision_made(sender, content_type: str, content_id: int, decision: str, **_) -> None:
    # An assist turned down is either one that never earned anything, or a published one a
    # moderator took down (after a flag): the job takes back whatever it earned, if anything.
    if content_type == ASSIST and decision == "rejected":
        jobs.enqueue("leaderboard.record_assist_removed", content_id)


def _on_content_removed(
    sender, content_type: str, content_id: int, by_author: bool = False, **_
) -> None:
    # A moderator's takedown also sends decision_made (above); an author's deletion only this.
    if content_type == ASSIST and by_author:
        jobs.enqueue("leaderboard.record_assist_removed", content_id)


# -- accounts that change ----------------------------------------------------------------------


def _on_account_changed(target: User, value, oldvalue, _initiator) -> None:
    # Only a change to a saved account matters; a new account has nothing on the boards.
    if target.id is not None and oldvalue is not NO_VALUE and value != oldvalue:
        if object_session(target) is not None:
            on_commit(RELIST, target.id)


@commit_handler(RELIST, Stage.BEFORE_COMMIT)
def _relist_changed_accounts(user_ids: list[int]) -> None:
    """Someone became staff, or an account was closed or reopened: show or hide them on
    every board in the same transaction."""
    for user_id in sorted(set(user_ids)):
        listing.refresh_listing(user_id)


# -- addresses ---------------------------------------------------------------------------------


def _note_address(user: User) -> None:
    if user.is_ranked and not g.get(NOTED):
        g.setdefault(NOTED, True)
        addresses.record_sighting(user.id, request.remote_addr)


def _on_logged_in(sender, user: User, **_: object) -> None:
    _note_address(user)


def _expect_a_post() -> None:
    if request.method == "POST":
        on_commit(POSTING)


@commit_handler(POSTING, Stage.BEFORE_COMMIT)
def _note_posting_address(_: list[None]) -> None:
    """A POST that commits succeeded: note who sent it, if they are (still) signed in, with
    the request's own transaction."""
    if has_request_context() and current_user.is_authenticated:
        _note_address(current_user._get_current_object())


def init_app(app: Flask) -> None:
    """Connect the receivers (once per process: signals and mapper events are global) and
    note the address of *app*'s successful POSTs."""
    assist_published.connect(_on_assist_published)
    assist_marked_helpful.connect(_on_assist_marked_helpful)
    decision_made.connect(_on_decision_made)
    content_removed.connect(_on_content_removed)
    user_logged_in.connect(_on_logged_in)
    for attribute in (User.role, User.is_active):
        if not event.contains(attribute, "set", _on_account_changed):
            event.listen(attribute, "set", _on_account_changed, active_history=True)
    app.before_request(_expect_a_post)
