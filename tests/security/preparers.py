"""What a form case needs before each request (a fresh queue item, an accepted coach request
…) and how its test reads back what was saved."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.questions.models import Question
from moderation.models import QueueItem
from tests.security.world import World, draft


def newest(model, column):
    def read(world: World) -> str | None:
        return db.session.scalar(select(column).order_by(model.id.desc()).limit(1))

    return read


def fresh_item(world: World) -> None:
    from community.core.database import commit_unit_of_work
    from community.questions import services as questions
    from tests.security.world import open_item

    question = questions.ask(world.users["asker"], draft("A fresh question for the queue?"))
    commit_unit_of_work()
    world.ids["item_b"] = open_item("question", question.id)


def fresh_item_as(key: str):
    """A prepare step: a new pending question whose queue item becomes ``world.ids[key]``."""

    def prepare(world: World) -> None:
        from community.core.database import commit_unit_of_work
        from community.questions import services as questions
        from tests.security.world import open_item

        question = questions.ask(world.users["asker"], draft("A fresh question for the queue?"))
        commit_unit_of_work()
        world.ids[key] = open_item("question", question.id)

    return prepare


def fresh_published(world: World) -> None:
    from community.core.database import commit_unit_of_work
    from community.questions import services as questions
    from tests.security.world import approve_all

    question = questions.ask(world.users["asker"], draft("A question someone might report?"))
    commit_unit_of_work()
    approve_all(world.users["moderator"])
    world.ids["question"] = question.id


def fresh_warning(world: World) -> None:
    from community.core.database import commit_unit_of_work
    from moderation import sanctions

    warning = sanctions.apply_sanction(
        world.users["moderator"], world.users["helper"].id, "warn", "hurtful", "Be kind."
    )
    commit_unit_of_work()
    world.ids["sanction"] = warning.id


def fresh_escalation(world: World) -> None:
    from community.core.database import commit_unit_of_work

    fresh_item_as("item_e")(world)
    from moderation import safeguarding

    escalation = safeguarding.escalate(
        world.ids["item_e"], world.users["moderator"], "The asker sounds very alone."
    )
    commit_unit_of_work()
    world.ids["escalation"] = escalation.id


def redacted(column):
    def read(world: World) -> str | None:
        item = db.session.get(QueueItem, world.ids["item_d"])
        return getattr(db.session.get(Question, item.content_id), column)

    return read


def newest_of(model_path: str, column: str):
    def read(world: World) -> str | None:
        from moderation import models

        model = getattr(models, model_path)
        return db.session.scalar(select(getattr(model, column)).order_by(model.id.desc()).limit(1))

    return read


def revoke_reason(world: World) -> str | None:
    from moderation.models import Sanction

    return db.session.get(Sanction, world.ids["sanction"]).revoke_reason


def item_note(world: World) -> str | None:
    return db.session.scalar(
        select(QueueItem.reason_text).where(QueueItem.id == world.ids["item_b"])
    )


def accepted(world: World) -> None:
    """The coach has said yes to the asker's request (once), so coach replies are allowed."""
    from community.coaches import thread_requests
    from community.coaches.models import CoachRequest, RequestState
    from community.core.database import commit_unit_of_work

    request = db.session.get(CoachRequest, world.ids["coach_request"])
    if request.state is RequestState.PENDING:
        thread_requests.respond(request.id, world.users["coach"], accept=True)
        commit_unit_of_work()


_applicants = iter(range(10_000))


def fresh_application(world: World) -> None:
    """A new applicant (18-25) with a pending application for the moderator to decline."""
    from community.accounts import pseudonyms
    from community.accounts import services as accounts
    from community.coaches import applications, profiles
    from community.core.database import commit_unit_of_work
    from tests.security.world import COACH_PROFILE, PASSWORD

    n = next(_applicants)
    adjectives, nouns = pseudonyms.adjectives(), pseudonyms.nouns()
    name = f"{adjectives[n // 90 % len(adjectives)]}{nouns[n % len(nouns)]}{10 + n % 90}"
    user = accounts.register(accounts.Registration(name, "18-25", PASSWORD)).user
    application = applications.apply(
        user, profiles.ProfileDraft(display_name="Bo", **COACH_PROFILE)
    )
    commit_unit_of_work()
    world.ids["application"] = application.id


def newest_revision(column):
    from community.coaches.models import CoachProfileRevision

    return newest(CoachProfileRevision, getattr(CoachProfileRevision, column))


def newest_lounge(column):
    from community.coaches.lounge.models import LoungePost

    return newest(LoungePost, getattr(LoungePost, column))
