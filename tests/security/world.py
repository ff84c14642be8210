"""A small world with one of everything, for tests that sweep every route and form.

Roles: a visitor, the asker (owns the questions), the helper (owns the assists), a
coach, a moderator and an admin. Objects: a published and a pending question, a
published and a pending assist, open queue items, a notification for the asker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from community.accounts import services as accounts
from community.accounts.models import Role, User
from community.assists import services as assists
from community.core.database import commit_unit_of_work
from community.extensions import db
from community.questions import services as questions
from moderation import api as moderation
from moderation import decisions, safeguarding
from moderation.models import QueueItem, QueueState

ROLES = ("anon", "asker", "helper", "coach", "moderator", "admin")
PASSWORD = "a long test password"  # noqa: S105
TEXT = "A body that is long enough to be a real post for these tests."


@dataclass
class World:
    users: dict[str, User]
    ids: dict[str, int] = field(default_factory=dict)

    def url(self, template: str) -> str:
        return template.format(**self.ids)


def draft(title: str = "How do I talk to my dad about school?") -> questions.QuestionDraft:
    return questions.QuestionDraft(title, TEXT, "family")


def build_world() -> World:
    """Create the users and objects (inside an app context) and commit."""
    users = {
        "asker": accounts.register(accounts.Registration("CalmOtter21", "16-17", PASSWORD)).user,
        "helper": accounts.register(accounts.Registration("BraveFalcon42", "18-25", PASSWORD)).user,
        "coach": accounts.create_staff("Coach Sara", Role.COACH, PASSWORD),
        "moderator": accounts.create_staff("Moderator Mo", Role.MODERATOR, PASSWORD),
        "admin": accounts.create_staff("Admin Ada", Role.ADMIN, PASSWORD),
    }
    commit_unit_of_work()
    world = World(users=users)
    mod = users["moderator"]
    question = questions.ask(users["asker"], draft())
    commit_unit_of_work()
    approve_all(mod)
    assist = assists.write(users["helper"], question.id, TEXT)
    commit_unit_of_work()
    approve_all(mod)
    _coach_world(world)  # approves the coach's profile: before anything is left pending
    pending_question = questions.ask(users["asker"], draft("Is it okay to skip a party?"))
    pending_assist = assists.write(users["helper"], question.id, TEXT + " Pending.")
    second_pending = questions.ask(users["asker"], draft("How can I sleep better at night?"))
    commit_unit_of_work()
    _moderation_world(world, mod)
    world.ids.update(
        question=question.id,
        assist=assist.id,
        pending_question=pending_question.id,
        pending_assist=pending_assist.id,
        item_a=open_item("question", pending_question.id),
        item_b=open_item("question", second_pending.id),
        asker_notification=_first_notification(users["asker"].id),
    )
    return world


COACH_PROFILE = dict(
    about="I'm 24 and I study to become a nurse. I like football and long walks.",
    experience="For two years I hardly slept because my thoughts kept going round. Talking "
    "to someone older helped me, and small tricks to calm my head down.",
    topics=("feelings", "family"),
    languages=("da", "en"),
    capacity=3,
)


def _coach_world(world: World) -> None:
    """A listed coach with a pending request on the asker's question, a pending coach
    application from the helper (who is 18-25), and a lounge topic."""
    from community.coaches import applications, profiles, thread_requests
    from community.coaches.lounge import services as lounge

    users = world.users
    profiles.edit_profile(
        users["coach"], profiles.ProfileDraft(display_name="Sara", **COACH_PROFILE)
    )
    commit_unit_of_work()
    approve_all(users["moderator"])
    profile = profiles.profile_of(users["coach"].id)
    question_id = db.session.scalar(
        select(QueueItem.content_id).where(QueueItem.content_type == "question").limit(1)
    )
    request = thread_requests.request_coach(users["asker"], question_id, profile.id)
    application = applications.apply(
        users["helper"], profiles.ProfileDraft(display_name="Bo", **COACH_PROFILE)
    )
    topic = lounge.start_topic(users["coach"], "How do you end a thread kindly?", TEXT)
    commit_unit_of_work()
    world.ids.update(
        profile=profile.id,
        coach_request=request.id,
        application=application.id,
        topic=topic.id,
        lounge_post=topic.id,
    )


def _moderation_world(world: World, mod: User) -> None:
    """Items to claim, redact and escalate; an escalation, a redaction and a warning."""
    from moderation import sanctions

    users = world.users
    titles = [
        "What if my friends find out?",
        "Can I change schools mid-year?",
        "How do I say sorry to my sister?",
        "Is it normal to miss home?",
        "How do I ask for a day off?",
    ]
    items = []
    for title in titles:
        question = questions.ask(users["asker"], draft(title))
        commit_unit_of_work()
        items.append(open_item("question", question.id))
    redaction_item = decisions.redact(items[3], mod, "Is it normal to miss home?", TEXT[:40])
    escalation = safeguarding.escalate(items[4], mod, "The asker sounds very alone.")
    warning = sanctions.apply_sanction(mod, users["helper"].id, "warn", "hurtful", "Be kind.")
    commit_unit_of_work()
    from moderation.models import Redaction

    world.ids.update(
        item_c=items[0],
        item_d=items[1],
        item_e=items[2],
        escalation=escalation.id,
        redaction=db.session.scalar(
            select(Redaction.id).where(Redaction.content_id == redaction_item.content_id)
        ),
        sanction=warning.id,
        asker_id=users["asker"].id,
        asker_name=users["asker"].pseudonym,
    )


def open_item(content_type: str, content_id: int) -> int:
    return db.session.scalar(
        select(QueueItem.id).where(
            QueueItem.content_type == content_type,
            QueueItem.content_id == content_id,
            QueueItem.state == QueueState.OPEN,
        )
    )


def approve_all(moderator: User) -> None:
    ids = db.session.scalars(select(QueueItem.id).where(QueueItem.state == QueueState.OPEN))
    for item_id in list(ids):
        moderation.approve(item_id, moderator)
    commit_unit_of_work()


def _first_notification(user_id: int) -> int:
    from community.notifications.models import Notification

    return (
        db.session.scalar(
            select(Notification.id).where(Notification.recipient_id == user_id).limit(1)
        )
        or 0
    )


def client_for(app: Flask, world: World, role: str) -> FlaskClient:
    client = app.test_client()
    if role != "anon":
        response = client.post(
            "/log-in", data={"pseudonym": world.users[role].pseudonym, "password": PASSWORD}
        )
        assert response.status_code == 302, role
    return client
