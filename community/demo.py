"""Demo data for ``flask seed``: young people and every kind of staff, published questions
and assists in English, Danish and Norwegian, a coach thread, and a worrying question a
moderator has escalated (so the safeguarding page and the audit log have something to show)."""

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

DEMO_LOGINS = (  # the first four keep their places: tests pick logins by position
    ("youth", "CalmOtter21", DEMO_PASSWORD_YOUTH),  # 16-17, asks in English
    ("youth", "BraveFalcon42", DEMO_PASSWORD_YOUTH),  # 18-25, helps in three languages
    ("coach", "Coach Sara", DEMO_PASSWORD_STAFF),
    ("moderator", "Moderator Mo", DEMO_PASSWORD_STAFF),
    ("youth", "EagerBrook34", DEMO_PASSWORD_YOUTH),  # 13-15, asks in Danish
    ("youth", "CozyComet57", DEMO_PASSWORD_YOUTH),  # 16-17, asks in Norwegian
    ("safeguarding", "Safeguarding Sam", DEMO_PASSWORD_STAFF),
    ("admin", "Admin Alex", DEMO_PASSWORD_STAFF),
)
AGE_BANDS = {"CalmOtter21": "16-17", "BraveFalcon42": "18-25", "EagerBrook34": "13-15"}

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

# (asker, topic, title, body, BraveFalcon42's assist)
QUESTIONS_DA_NB = [
    (
        "EagerBrook34",
        "school",
        "Hvordan siger jeg til min lærer, at jeg ikke kan følge med?",
        "Vi har fået nye emner i matematik, og jeg forstår ingenting. Jeg tør ikke række "
        "hånden op. Hvad gør I, når I ikke kan følge med i timen?",
        'Jeg skrev en lille seddel til min lærer efter timen: "Jeg kan ikke følge med i det '
        'nye emne. Kan du hjælpe mig?" Det var meget nemmere end at sige det højt.',
    ),
    (
        "CozyComet57",
        "family",
        "Foreldrene mine krangler hele tiden. Hva kan jeg gjøre?",
        "Hjemme er det mye krangling for tiden, og jeg blir lei meg og får ikke sove. "
        "Hvordan takler dere det når det er dårlig stemning hjemme?",
        "Det er ikke din feil at de krangler. Jeg pleide å gå ut en tur eller høre på musikk "
        "med hodetelefoner. Det hjalp også å snakke med helsesykepleieren på skolen.",
    ),
]
WORRYING_QUESTION = (
    "Jeg orker ikke mer",
    "Alt føles tungt for tiden og jeg vet ikke hvem jeg kan snakke med. Jeg har ikke lyst "
    "til å være her lenger.",
    "feelings",
)
ESCALATION_NOTE = (
    "Writes that they don't want to be here any more. Please follow up today (demo data)."
)


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
    people = {name: _youth(name, AGE_BANDS.get(name, "16-17")) for name in _names("youth")}
    staff = {
        name: accounts.create_staff(name, Role(role), DEMO_PASSWORD_STAFF)
        for role, name, _ in DEMO_LOGINS
        if role != "youth"
    }
    asker, helper = people["CalmOtter21"], people["BraveFalcon42"]
    coach, moderator = staff["Coach Sara"], staff["Moderator Mo"]
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
    for name, topic, title, body, answer in QUESTIONS_DA_NB:
        question = questions.ask(people[name], questions.QuestionDraft(title, body, topic))
        _approve_open(moderator)
        assists.write(helper, question.id, answer)
        _approve_open(moderator)
        commit_unit_of_work()
    # Waiting in the queue: an ordinary question, and a worrying one the moderator has
    # escalated to the safeguarding lead (both on the audit log).
    questions.ask(
        helper,
        questions.QuestionDraft(
            "What can I say when friends pressure me to drink?",
            "At parties my friends keep pushing drinks on me. I don't want to, but I don't "
            "want to be left out either. What can I say?",
            "drugs",
        ),
    )
    worrying = questions.ask(people["CozyComet57"], questions.QuestionDraft(*WORRYING_QUESTION))
    db.session.flush()
    item_id = db.session.scalar(
        select(QueueItem.id).where(
            QueueItem.content_type == questions.CONTENT_TYPE,
            QueueItem.content_id == worrying.id,
            QueueItem.state == QueueState.OPEN,
        )
    )
    if item_id is None:
        raise RuntimeError("the worrying demo question is not in the queue")
    moderation.escalate(item_id, moderator, ESCALATION_NOTE)
    commit_unit_of_work()
    return list(DEMO_LOGINS)


def existing_demo_logins() -> list[tuple[str, str, str]]:
    """The demo logins whose accounts exist (a database seeded before, or a real one: then
    none, so nobody is shown logins that don't work)."""
    names = set(db.session.scalars(select(User.pseudonym).where(User.pseudonym.in_(_names()))))
    return [login for login in DEMO_LOGINS if login[1] in names]


def _names(role: str | None = None) -> list[str]:
    return [name for kind, name, _ in DEMO_LOGINS if role is None or kind == role]


def _youth(pseudonym: str, age_band: str) -> User:
    return accounts.register(
        accounts.Registration(pseudonym=pseudonym, age_band=age_band, password=DEMO_PASSWORD_YOUTH)
    ).user


def _approve_open(moderator: User) -> None:
    for item in db.session.scalars(select(QueueItem).where(QueueItem.state == QueueState.OPEN)):
        moderation.approve(item.id, moderator)
