"""What every page shows, from moderation: the help panel when someone writes like they are
in crisis, what looks identifying in a post they just sent, a banner while they are paused
or warned, the moderators' count of risk items, and the link to report a post.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, g, has_request_context, request, session, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from community.accounts.viewer import viewer
from community.core import helplines
from community.core.database import Stage, commit_handler
from community.core.errors import SECRET_FIELDS
from community.core.i18n import current_language
from moderation import flags, sanctions
from moderation.feedback import AuthorFeedback, author_feedback, reads_like_crisis
from moderation.queue import alerts
from moderation.submissions import FEEDBACK_KEY

FEEDBACK_SESSION_KEY = "moderation_feedback"


@dataclass(frozen=True)
class Notices:
    crisis: bool = False
    helpline_region: helplines.Region | None = None
    feedback: list[AuthorFeedback] = field(default_factory=list)
    standing: sanctions.Standing | None = None

    @property
    def identifying(self) -> list[AuthorFeedback]:
        return [f for f in self.feedback if f.identifying]

    @property
    def crisis_sent(self) -> bool:
        """The crisis language is in a post they just sent (it waits for a moderator); else
        it is in a form shown again, which was not sent and saved nothing."""
        return any(f.crisis for f in self.feedback)

    @property
    def replaces_thanks(self) -> bool:
        """What they just sent needs its own message (help, or what to change), so the usual
        "thanks, a moderator will read it" would only muddle it."""
        return self.crisis_sent or bool(self.identifying)


def _typed_texts() -> list[str]:
    """What someone just typed, on a page that shows their form again (never secrets)."""
    if request.method != "POST":
        return []
    try:
        form = request.form
    except HTTPException:  # e.g. the body was too large: nothing to read
        return []
    return [
        value
        for name, value in form.items(multi=True)
        if name not in SECRET_FIELDS and not name.endswith(tuple(SECRET_FIELDS))
    ]


def _notices() -> Notices:
    """What moderation tells the person on this page, worked out once per request (the
    flashes ask too: the session's feedback is read only once)."""
    if "moderation_notices" not in g:
        g.moderation_notices = _work_out_notices()
    return g.moderation_notices


def _work_out_notices() -> Notices:
    if not current_user.is_authenticated:
        crisis = reads_like_crisis(*_typed_texts())
        return Notices(crisis=crisis, helpline_region=_region() if crisis else None)
    user = current_user._get_current_object()
    try:
        ids = session.pop(FEEDBACK_SESSION_KEY, None) or []
        feedback = author_feedback(user, [i for i in ids if isinstance(i, int)])
        standing = sanctions.notice(user)
    except SQLAlchemyError:
        # A page about a broken database must still render.
        feedback, standing = [], None
    crisis = any(f.crisis for f in feedback) or reads_like_crisis(*_typed_texts())
    return Notices(
        crisis=crisis,
        helpline_region=_region() if crisis else None,
        feedback=feedback,
        standing=standing,
    )


def _region() -> helplines.Region | None:
    regions = helplines.regions_for(current_language())
    return regions[0] if regions else None


def _alerts() -> tuple[int, int]:
    try:
        return alerts(viewer())
    except SQLAlchemyError:
        return 0, 0


def _flag_link(content_type: str, content_id: int, author_id: int, is_published: bool):
    """Where the viewer may report this post, or None (no queries)."""
    if not flags.can_flag(viewer(), content_type, author_id, is_published):
        return None
    return url_for("flags.create", content_type=content_type, content_id=content_id)


@commit_handler(FEEDBACK_KEY, Stage.RESPONSE)
def _remember_submissions(submitted: list[int]) -> None:
    """Once a request that sent a post has committed, its author's next page explains what
    screening found (not for posts a job sends: nobody is waiting for those)."""
    if has_request_context() and not g.get("running_job") and current_user.is_authenticated:
        session[FEEDBACK_SESSION_KEY] = list(submitted)[-3:]


def init_app(app: Flask) -> None:
    @app.context_processor
    def _moderation_context():
        return {
            "moderation_notices": _notices,
            "moderation_alerts": _alerts,
            "flag_link": _flag_link,
        }
