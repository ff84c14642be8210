"""Extra fields added to any POST change nothing they name: roles, status, owners."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.accounts.models import User
from community.assists.models import Assist
from community.core.posts import ContentStatus
from community.extensions import db
from community.questions.models import Question
from tests.security.forms import FORMS
from tests.security.world import build_world, client_for

TOKEN_ONLY_POSTS = [
    ("assists.helpful", "asker", "/assists/{assist}/helpful"),
    ("notifications.read_all", "asker", "/notifications/read"),
    ("notifications.open_one", "asker", "/notifications/{asker_notification}/open"),
    ("lounge.report", "moderator", "/coaches/lounge/posts/{lounge_post}/report"),
    ("coaches.accept", "coach", "/coach-requests/{coach_request}/accept"),
    ("coaches.release", "asker", "/questions/{question}/coach/release"),
    ("moderation.claim", "moderator", "/moderation/items/{item_c}/claim"),
    ("moderation.release", "moderator", "/moderation/items/{item_c}/release"),
    ("leaderboard.settings", "helper", "/me/settings"),
    ("accounts.logout", "helper", "/log-out"),
]


def _extras(world) -> dict[str, str]:
    other = world.users["admin"]
    return {
        "role": "admin",
        "is_moderator": "1",
        "is_admin": "true",
        "is_staff": "1",
        "status": "published",
        "state": "approved",
        "user_id": str(other.id),
        "author_id": str(other.id),
        "recipient_id": str(other.id),
        "age_band": "18-25",
        "session_version": "99",
        "published_at": "2020-01-01",
        "helpful_at": "2020-01-01",
        "points": "100000",
        "id": "1",
        "question_id": str(world.ids["pending_question"]),
    }


def _facts():
    users = db.session.execute(
        select(User.id, User.role, User.age_band, User.is_active).order_by(User.id)
    ).all()
    published = db.session.scalar(
        select(func.count()).select_from(Question).where(Question.status == ContentStatus.PUBLISHED)
    ) + db.session.scalar(
        select(func.count()).select_from(Assist).where(Assist.status == ContentStatus.PUBLISHED)
    )
    db.session.rollback()
    return users, published


CASES = [(c.endpoint, c.role, c.path, c.base, c.prefix) for c in FORMS] + [
    (endpoint, role, path, {}, "") for endpoint, role, path in TOKEN_ONLY_POSTS
]


@pytest.mark.parametrize(
    ("endpoint", "role", "path", "base", "prefix"), CASES, ids=[case[0] for case in CASES]
)
def test_extra_fields_change_nothing(make_app, endpoint, role, path, base, prefix):
    app = make_app()
    with app.app_context():
        world = build_world()
        client = client_for(app, world, role)
        actor = world.users.get(role)
        users_before, published_before = _facts()
        newest_before = (
            db.session.scalar(select(func.max(Question.id))),
            db.session.scalar(select(func.max(Assist.id))),
        )
        prefix = world.url(prefix)
        data = {f"{prefix}{key}": world.url(value) for key, value in base.items()}
        extras = {key: value for key, value in _extras(world).items() if key not in base}
        data.update(extras)
        data.update({f"{prefix}{key}": value for key, value in extras.items()})
        response = client.post(world.url(path), data=data)
        assert response.status_code < 500
        users_after, published_after = _facts()
        # Nobody's role, age band or standing changed; a new account is a young person's.
        assert users_after[: len(users_before)] == users_before
        for _id, user_role, age_band, _active in users_after[len(users_before) :]:
            assert user_role.value == "youth" and age_band.value == base["age_band"]
        assert published_after == published_before  # nothing went public without a moderator
        for model, last in zip((Question, Assist), newest_before, strict=True):
            for row in db.session.scalars(select(model).where(model.id > (last or 0))):
                assert actor is not None and row.author_id == actor.id
                assert row.status is ContentStatus.PENDING
