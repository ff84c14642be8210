"""A state machine over create / edit / flag / claim / approve / reject / redact / sanction.

Whatever order things happen in, and under either policy: **anything public has a current
approval newer than its last edit**, only published posts are listed, and a silenced
author can't post. It calls the services directly (each step in a savepoint; every
example is rolled back), 500 examples.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select, update

from community.accounts.models import Role, User
from community.assists import services as assists
from community.assists.models import Assist
from community.core import jobs
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.core.errors import Conflict, DomainError, NotAllowed, NotFound
from community.core.posts import ContentStatus
from community.extensions import db
from community.questions import services as questions
from community.questions.models import Question
from moderation import api as moderation
from moderation import claims, decisions, flags, policy, sanctions, screening
from moderation.models import QueueItem, QueueState, Sanction, SanctionKind

TITLE = "What do I do when everything feels too much?"
BODIES = st.sampled_from(
    [
        "I feel stressed about school and my parents fight a lot at home.",
        "Sometimes I think about suicide when it gets really bad at night.",
        "You can text me on 20 30 40 50 if you want to talk about it more.",
        "Talking to a teacher helped me a lot, maybe it can help you too.",
        "Try writing it down before bed, it makes the thoughts a bit smaller.",
    ]
)
MODELS = {"question": Question, "assist": Assist}


@pytest.fixture
def people(app, create_user, monkeypatch):
    """Three authors, three established readers and two moderators (committed)."""
    monkeypatch.setitem(app.config, "MODERATION_TRUST_APPROVED_POSTS", 1)
    monkeypatch.setitem(app.config, "MODERATION_SPAM_CHARS_PER_SECOND", 1_000_000)
    monkeypatch.setitem(app.config, "MODERATION_FLAGS_TO_HIDE", 2)
    readers = [create_user() for _ in range(3)]
    db.session.execute(
        update(User)
        .where(User.id.in_([r.id for r in readers]))
        .values(created_at=utcnow() - timedelta(days=30))
    )
    commit_unit_of_work()
    return SimpleNamespace(
        authors=[create_user() for _ in range(3)],
        readers=readers,
        moderators=[create_user(role=Role.MODERATOR) for _ in range(2)],
    )


def _machine(app, people):
    class ModerationMachine(RuleBasedStateMachine):
        posts = Bundle("posts")

        def __init__(self) -> None:
            super().__init__()
            self.created: list[tuple[str, int]] = []

        @initialize(chosen=st.sampled_from(policy.POLICIES))
        def choose_policy(self, chosen: str) -> None:
            app.config["MODERATION_POLICY"] = chosen

        def teardown(self) -> None:
            db.session.rollback()
            jobs.discard_pending()
            db.session.info.clear()

        # -- helpers ---------------------------------------------------------------------

        @staticmethod
        def _attempt(action, *refusals):
            """Run *action* in a savepoint; a refusal leaves nothing behind."""
            try:
                with db.session.begin_nested():
                    return action()
            except refusals:
                return None

        @staticmethod
        def _screen(content_type: str, content_id: int) -> None:
            """What the screening job does after the commit, now, in this transaction."""
            item = db.session.scalar(
                select(QueueItem).where(
                    QueueItem.content_type == content_type,
                    QueueItem.content_id == content_id,
                    QueueItem.state == QueueState.OPEN,
                )
            )
            if item is not None:
                screening.screen_submission(item.id)

        @staticmethod
        def _open_item(post) -> QueueItem | None:
            content_type, content_id = post
            return db.session.scalar(
                select(QueueItem).where(
                    QueueItem.content_type == content_type,
                    QueueItem.content_id == content_id,
                    QueueItem.state == QueueState.OPEN,
                )
            )

        @staticmethod
        def _silenced(user: User) -> bool:
            return not sanctions.can_post(user)

        # -- rules -----------------------------------------------------------------------

        @rule(target=posts, author=st.integers(0, 2), body=BODIES)
        def ask(self, author: int, body: str):
            user = people.authors[author]
            silenced = self._silenced(user)

            def action():
                question = questions.ask(user, questions.QuestionDraft(TITLE, body, "feelings"))
                self._screen("question", question.id)
                return ("question", question.id)

            post = self._attempt(action, NotAllowed)
            assert (post is None) == silenced  # a silenced author can't post; others can
            if post is None:
                return multiple()
            self.created.append(post)
            return post

        @rule(target=posts, post=posts, author=st.integers(0, 2), body=BODIES)
        def assist(self, post, author: int, body: str):
            if post[0] != "question":
                return multiple()

            def action():
                written = assists.write(people.authors[author], post[1], body)
                self._screen("assist", written.id)
                return ("assist", written.id)

            made = self._attempt(action, NotAllowed, NotFound)
            if made is None:
                return multiple()
            self.created.append(made)
            return made

        @rule(post=posts, body=BODIES)
        def edit(self, post, body: str):
            content = db.session.get(MODELS[post[0]], post[1])
            author = db.session.get(User, content.author_id)

            def action():
                if post[0] == "question":
                    questions.edit(
                        post[1], author, questions.QuestionDraft(TITLE, body, "feelings")
                    )
                else:
                    assists.edit(post[1], author, body)
                self._screen(*post)

            self._attempt(action, NotAllowed, NotFound)

        @rule(
            post=posts,
            reader=st.integers(0, 2),
            reason=st.sampled_from(["spam", "hurtful", "personal_info", "worried", "other"]),
        )
        def flag(self, post, reader: int, reason: str):
            self._attempt(
                lambda: flags.file_flag(people.readers[reader], *post, reason, "Look at this."),
                NotAllowed,
                NotFound,
                DomainError,
            )

        @rule(post=posts, mod=st.integers(0, 1))
        def claim(self, post, mod: int):
            item = self._open_item(post)
            if item is not None:
                self._attempt(lambda: claims.claim(item.id, people.moderators[mod]), Conflict)

        @rule()
        def claims_run_out(self):
            db.session.execute(
                update(QueueItem).values(claimed_until=utcnow() - timedelta(seconds=1))
            )

        @rule(post=posts, mod=st.integers(0, 1))
        def approve(self, post, mod: int):
            item = self._open_item(post)
            if item is not None:
                self._attempt(lambda: moderation.approve(item.id, people.moderators[mod]), Conflict)

        @rule(post=posts, mod=st.integers(0, 1), reason=st.sampled_from(["hurtful", "spam"]))
        def reject(self, post, mod: int, reason: str):
            item = self._open_item(post)
            if item is not None:
                self._attempt(
                    lambda: decisions.reject(item.id, people.moderators[mod], reason), Conflict
                )

        @rule(post=posts, mod=st.integers(0, 1))
        def redact(self, post, mod: int):
            item = self._open_item(post)
            if item is None:
                return
            content = db.session.get(MODELS[post[0]], post[1])
            body = "".join(ch for ch in content.body_source if not ch.isdigit()) + " (edited)"
            title = content.title if post[0] == "question" else None
            self._attempt(
                lambda: decisions.redact(item.id, people.moderators[mod], title, body),
                Conflict,
                DomainError,
            )

        @rule(
            author=st.integers(0, 2),
            kind=st.sampled_from(["warn", "silence", "suspend"]),
            mod=st.integers(0, 1),
        )
        def sanction(self, author: int, kind: str, mod: int):
            sanctions.apply_sanction(
                people.moderators[mod], people.authors[author].id, kind, "hurtful"
            )

        @rule(author=st.integers(0, 2))
        def revoke(self, author: int):
            latest = db.session.scalar(
                select(Sanction)
                .where(
                    Sanction.user_id == people.authors[author].id,
                    Sanction.revoked_at.is_(None),
                    Sanction.kind != SanctionKind.WARN,
                )
                .order_by(Sanction.id.desc())
                .limit(1)
            )
            if latest is not None:
                sanctions.revoke(people.moderators[0], latest.id, "Taken back.")

        # -- what must always hold -------------------------------------------------------

        @invariant()
        def public_content_has_a_current_approval_newer_than_its_last_edit(self):
            for content_type, content_id in self.created:
                content = db.session.get(MODELS[content_type], content_id)
                if content.status is not ContentStatus.PUBLISHED:
                    continue
                decided = db.session.scalars(
                    select(QueueItem)
                    .where(
                        QueueItem.content_type == content_type,
                        QueueItem.content_id == content_id,
                        QueueItem.state.in_([QueueState.APPROVED, QueueState.REJECTED]),
                    )
                    .order_by(QueueItem.id.desc())
                    .limit(1)
                ).first()
                assert decided is not None, (content_type, content_id, "public, never approved")
                assert decided.state is QueueState.APPROVED, (content_type, content_id)
                assert decided.decided_at >= content.edited_at, (content_type, content_id)

        @invariant()
        def only_published_questions_are_listed(self):
            listed = {q.id for q in questions.list_published(limit=1000).items}
            published = {
                content_id
                for content_type, content_id in self.created
                if content_type == "question"
                and db.session.get(Question, content_id).status is ContentStatus.PUBLISHED
            }
            assert listed == published

    return ModerationMachine


def test_anything_public_has_a_current_approval_newer_than_its_last_edit(app, people):
    machine = _machine(app, people)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=500,
            stateful_step_count=12,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
