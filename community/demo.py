"""Demo data for ``flask seed``: a few people, published questions and assists."""

from __future__ import annotations

from sqlalchemy import func, select

from community.accounts import services as accounts
from community.accounts.models import Role, User
from community.assists import services as assists
from community.coaches import coach_replies, profiles, thread_requests
from community.core.database import commit_unit_of_work
from community.extensions import db
from community.questions import services as questions
from moderation import api as moderation
from moderation.api import QueueItem, QueueState

DEMO_PASSWORD_YOUTH = "demo-youth-pass"  # noqa: S105 - demo data, printed on purpose
DEMO_PASSWORD_STAFF = "demo-staff-pass"  # noqa: S105

DEMO_LOGINS = (
    ("youth", "CalmOtter21", DEMO_PASSWORD_YOUTH),
    ("youth", "BraveFalcon42", DEMO_PASSWORD_YOUTH),
    ("coach", "Coach Sara", DEMO_PASSWORD_STAFF),
    ("moderator", "Moderator Mo", DEMO_PASSWORD_STAFF),
)

QUESTIONS = [
    (
        "feelings",
        "How do I stop overthinking everything at night?",
        "Every night I lie awake and think about everything I said during the day. "
        "It makes me tired at school. What do you do when your head won't stop?",
        "I write the thoughts down on paper before bed. It sounds silly but then my head "
        "knows they are saved somewhere and I can let go. **Try it for a week.**",
    ),
    (
        "school",
        "Is it normal to feel behind everyone in maths?",
        "Everyone in my class seems to get it faster than me and I feel stupid asking. "
        "How do you ask for help without feeling embarrassed?",
        "Lots of people feel like that, they just don't say it. I asked my teacher after "
        "class instead of in front of everyone and it was much easier.",
    ),
    (
        "love",
        "How do you know if someone likes you back?",
        "There is someone in my year I really like. We talk a lot online but at school "
        "it's different. How can I tell without making it weird?",
        None,
    ),
]


COACH_PROFILE = profiles.ProfileDraft(
    display_name="Sara",
    about="I'm 24 and I study to become a nurse. I love football, baking and long walks.",
    experience=(
        "For two years in upper secondary school I hardly slept because my thoughts kept "
        "going round. What helped me was talking to someone older and learning small tricks "
        "to calm my head down."
    ),
    topics=("feelings", "school", "family"),
    languages=("da", "en"),
    capacity=3,
)
COACH_REPLY = (
    "I had exactly this. A trick that worked for me: a notebook by the bed, and a fixed "
    "time when I write everything down. Then I tell myself the worries can wait till morning."
)


def load_demo_data(*, if_empty: bool = False) -> list[tuple[str, str, str]] | None:
    """Create the demo accounts and content; returns (role, name, password) logins.

    With *if_empty*, an existing database is left alone and ``None`` returned.
    """
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        return None
    asker = _youth(DEMO_LOGINS[0][1], "16-17")
    helper = _youth(DEMO_LOGINS[1][1], "18-25")
    coach = accounts.create_staff(DEMO_LOGINS[2][1], Role.COACH, DEMO_PASSWORD_STAFF)
    moderator = accounts.create_staff(DEMO_LOGINS[3][1], Role.MODERATOR, DEMO_PASSWORD_STAFF)
    profiles.edit_profile(coach, COACH_PROFILE)
    commit_unit_of_work()

    for topic, title, body, answer in QUESTIONS:
        question = questions.ask(asker, questions.QuestionDraft(title, body, topic))
        _approve_open(moderator)
        if answer:
            assists.write(helper, question.id, answer)
            _approve_open(moderator)
        commit_unit_of_work()
        if title == QUESTIONS[0][1]:
            # The asker chose Sara for this thread; she said yes and replied.
            profile = profiles.profile_of(coach.id)
            if profile is None:
                raise RuntimeError("the demo coach has no profile")
            request = thread_requests.request_coach(asker, question.id, profile.id)
            thread_requests.respond(request.id, coach, accept=True)
            coach_replies.reply(coach, question.id, COACH_REPLY)
            _approve_open(moderator)
            commit_unit_of_work()
    # One question waiting in the queue, so the moderator has something to do.
    questions.ask(
        helper,
        questions.QuestionDraft(
            "What can I say when friends pressure me to drink?",
            "At parties my friends keep pushing drinks on me. I don't want to, but I don't "
            "want to be left out either. What can I say?",
            "drugs",
        ),
    )
    commit_unit_of_work()
    return list(DEMO_LOGINS)


def _youth(pseudonym: str, age_band: str) -> User:
    return accounts.register(
        accounts.Registration(pseudonym=pseudonym, age_band=age_band, password=DEMO_PASSWORD_YOUTH)
    ).user


def _approve_open(moderator: User) -> None:
    for item in db.session.scalars(select(QueueItem).where(QueueItem.state == QueueState.OPEN)):
        moderation.approve(item.id, moderator)
