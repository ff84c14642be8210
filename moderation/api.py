"""Moderation's public API: the only module features import.

Features (questions, assists, coaches, the leaderboard, notifications, admin, main,
accounts) and community's core call these names, usually as
``from moderation import api as moderation``; everything else in the package is
moderation's own. Moderation never imports a feature: it learns about content through
:func:`register_kind` and tells features about decisions through the signals below.

* **Sending content:** :func:`submit` (every new or edited post; it waits for a
  moderator), :func:`approve_automatically` (content a setting or staff trusts, still on
  record as approved), :func:`approve` (a moderator's decision, e.g. for demo data).
* **An author deletes their post:** :func:`withdraw` (out of the queue, audited, its
  points taken back through :data:`content_removed`).
* **Checks before acting:** :func:`can_post`, :func:`check_can_post`,
  :func:`check_can_log_in` (sanctions), :func:`check_can_moderate` (staff pages).
* **Flags:** :func:`reported_by` (which posts on a page the reader reported already).
* **What authors see:** :func:`latest_decisions` and :data:`REASONS_BY_CODE` (why a post
  was turned down, in plain words).
* **Content kinds:** :func:`register_kind` with a :class:`ContentKind` whose callbacks
  return :class:`Preview` and :class:`Source`, usually built from community's
  ``ContentType`` by :func:`kind_of` or :func:`public_post_kind`; :func:`find_kind`.
* **Signals** (sent before the request commits; see :mod:`moderation.signals`):
  :data:`decision_made`, :data:`content_removed`, :data:`content_redacted`,
  :data:`sanction_applied`.
* **Where things stand:** :class:`ContentStatus` (community's, re-exported),
  :class:`QueueItem` and :class:`QueueState`.
* **The audit log:** :func:`record_audit`, :func:`record_pending_view` (a moderator opened
  content that isn't public yet), and for admins :func:`audit_page`, :class:`AuditFilter`
  and :func:`redaction`.
* **Safeguarding:** :func:`escalate` (a moderator asks the safeguarding team to look after
  the person behind a queue item; used by the demo data).
* **The app:** :func:`init_app` registers moderation's pages, the screening job's
  screeners and what every page shows.
"""

from __future__ import annotations

from flask import Flask

from community.core.posts import ContentStatus
from moderation.access import check_can_moderate
from moderation.audit import AuditFilter, audit_page, record_audit, record_pending_view, redaction
from moderation.decisions import approve
from moderation.feedback import latest_decisions
from moderation.flags import reported_by
from moderation.models import QueueItem, QueueState
from moderation.registry import (
    ContentKind,
    Preview,
    Source,
    find_kind,
    kind_of,
    public_post_kind,
    register_kind,
)
from moderation.safeguarding import escalate
from moderation.sanctions import can_post, check_can_log_in, check_can_post
from moderation.signals import content_redacted, content_removed, decision_made, sanction_applied
from moderation.submissions import approve_automatically, submit
from moderation.withdrawals import withdraw
from moderation.wording import REASONS_BY_CODE

__all__ = [
    "REASONS_BY_CODE",
    "AuditFilter",
    "ContentKind",
    "ContentStatus",
    "Preview",
    "QueueItem",
    "QueueState",
    "Source",
    "approve",
    "approve_automatically",
    "audit_page",
    "can_post",
    "check_can_log_in",
    "check_can_moderate",
    "check_can_post",
    "content_redacted",
    "content_removed",
    "decision_made",
    "escalate",
    "find_kind",
    "init_app",
    "kind_of",
    "latest_decisions",
    "public_post_kind",
    "record_audit",
    "record_pending_view",
    "redaction",
    "register_kind",
    "reported_by",
    "sanction_applied",
    "submit",
    "withdraw",
]


def init_app(app: Flask) -> None:
    """Register moderation's pages (the queue, safeguarding, reporting a post, one's own
    standing), the default screeners and what every page shows. Call it after the
    features have registered their content kinds and the unit of work its hooks."""
    from moderation import views  # the pages import forms and templates; features don't

    views.init_app(app)
