"""The public coach directory and a coach's profile page, each with "ask to join" forms
for an asker who has a question without a coach."""

from __future__ import annotations

from collections.abc import Iterable

from flask import render_template, request

from community.accounts.models import User
from community.accounts.viewer import viewer
from community.coaches import applications, directory, thread_requests
from community.coaches.directory import CoachCard
from community.coaches.profiles import LANGUAGES, language_label
from community.coaches.views.base import bp
from community.questions.topics import Topic


def _choosable(user: User | None, cards: Iterable[CoachCard]) -> set[int]:
    """Profile ids the viewer could ask to join one of their threads."""
    if user is None:
        return set()
    return {c.profile.id for c in cards if c.is_available and c.profile.user_id != user.id}


@bp.route("/coaches/")
def index():
    user = viewer()
    topic = request.args.get("topic") or None
    language = request.args.get("language") or None
    cards = directory.listing(topic=topic, language=language)
    return render_template(
        "coaches/index.html",
        cards=cards,
        topics=list(Topic),
        language_choices=[(code, language_label(code)) for code in LANGUAGES],
        current_topic=topic,
        current_language_filter=language,
        choosable=_choosable(user, cards),
        my_questions=thread_requests.questions_needing_coach(user),
        chosen_question=request.args.get("question", type=int),
        can_apply=applications.can_apply(user),
    )


@bp.route("/coaches/<int:profile_id>")
def detail(profile_id: int):
    user = viewer()
    card = directory.card(profile_id)
    return render_template(
        "coaches/detail.html",
        card=card,
        choosable=_choosable(user, [card]),
        my_questions=thread_requests.questions_needing_coach(user),
        chosen_question=request.args.get("question", type=int),
    )
