"""Every form in the app, with what it takes to submit it and where its text ends up.

Sweeping tests (hostile strings, mass assignment, fuzzing) run over FORMS. A POST
route whose form has fields must be listed; ``test_every_form_is_listed`` fails otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from sqlalchemy import select
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

from community.accounts.forms import LogInForm, RecoverForm, SignUpForm
from community.assists.forms import AssistForm
from community.assists.models import Assist
from community.coaches.forms import (
    AwayForm,
    ChooseCoachForm,
    CoachReplyForm,
    DeclineForm,
    ProfileForm,
)
from community.coaches.lounge.forms import LoungeReplyForm, TopicForm
from community.extensions import db
from community.main.forms import LanguageForm
from community.questions.forms import QuestionForm
from community.questions.models import Question
from moderation.forms import (
    EscalateForm,
    FlagForm,
    RedactForm,
    RejectForm,
    ResolveForm,
    RevokeForm,
    SanctionForm,
)
from moderation.models import QueueItem
from tests.conftest import PAYLOADS
from tests.security.world import TEXT, World, draft

TEXT_FIELDS = (StringField, TextAreaField, PasswordField)


def collapse(value: str) -> str:
    return " ".join(value.split())


def strip(value: str) -> str:
    return value.strip()


@dataclass
class FormCase:
    endpoint: str
    role: str
    path: str
    form: type
    base: dict[str, str]
    # field -> (how the app normalises it, how to read the saved value); fields left out
    # are not echoed by design (passwords, a replaced pseudonym) and only must not 500.
    saved: dict[str, tuple[Callable[[str], str], Callable[[World], str | None]]] = field(
        default_factory=dict
    )
    echoed: tuple[str, ...] = ()  # fields a form with errors shows again
    prefix: str = ""
    prepare: Callable[[World], None] | None = None  # fresh state before each submission

    def text_fields(self) -> list[str]:
        return [name for name, kind in vars_of(self.form) if issubclass(kind, TEXT_FIELDS)]

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"


def vars_of(form_class) -> list[tuple[str, type]]:
    """(name, field class) of every field a form class declares (CSRF token aside)."""
    fields = ((name, getattr(form_class, name)) for name in dir(form_class))
    return [
        (name, value.field_class)
        for name, value in fields
        if isinstance(value, UnboundField) and name != "csrf_token"
    ]


def _newest(model, column):
    def read(world: World) -> str | None:
        return db.session.scalar(select(column).order_by(model.id.desc()).limit(1))

    return read


def _fresh_item(world: World) -> None:
    from community.core.database import commit_unit_of_work
    from community.questions import services as questions
    from tests.security.world import open_item

    question = questions.ask(world.users["asker"], draft("A fresh question for the queue?"))
    commit_unit_of_work()
    world.ids["item_b"] = open_item("question", question.id)


def _fresh_item_as(key: str):
    """A prepare step: a new pending question whose queue item becomes ``world.ids[key]``."""

    def prepare(world: World) -> None:
        from community.core.database import commit_unit_of_work
        from community.questions import services as questions
        from tests.security.world import open_item

        question = questions.ask(world.users["asker"], draft("A fresh question for the queue?"))
        commit_unit_of_work()
        world.ids[key] = open_item("question", question.id)

    return prepare


def _fresh_published(world: World) -> None:
    from community.core.database import commit_unit_of_work
    from community.questions import services as questions
    from tests.security.world import approve_all

    question = questions.ask(world.users["asker"], draft("A question someone might report?"))
    commit_unit_of_work()
    approve_all(world.users["moderator"])
    world.ids["question"] = question.id


def _fresh_warning(world: World) -> None:
    from community.core.database import commit_unit_of_work
    from moderation import sanctions

    warning = sanctions.apply_sanction(
        world.users["moderator"], world.users["helper"].id, "warn", "hurtful", "Be kind."
    )
    commit_unit_of_work()
    world.ids["sanction"] = warning.id


def _fresh_escalation(world: World) -> None:
    from community.core.database import commit_unit_of_work

    _fresh_item_as("item_e")(world)
    from moderation import safeguarding

    escalation = safeguarding.escalate(
        world.ids["item_e"], world.users["moderator"], "The asker sounds very alone."
    )
    commit_unit_of_work()
    world.ids["escalation"] = escalation.id


def _redacted(column):
    def read(world: World) -> str | None:
        item = db.session.get(QueueItem, world.ids["item_d"])
        return getattr(db.session.get(Question, item.content_id), column)

    return read


def _newest_of(model_path: str, column: str):
    def read(world: World) -> str | None:
        from moderation import models

        model = getattr(models, model_path)
        return db.session.scalar(select(getattr(model, column)).order_by(model.id.desc()).limit(1))

    return read


def _revoke_reason(world: World) -> str | None:
    from moderation.models import Sanction

    return db.session.get(Sanction, world.ids["sanction"]).revoke_reason


def _item_note(world: World) -> str | None:
    return db.session.scalar(
        select(QueueItem.reason_text).where(QueueItem.id == world.ids["item_b"])
    )


def _accepted(world: World) -> None:
    """The coach has said yes to the asker's request (once), so coach replies are allowed."""
    from community.coaches import thread_requests
    from community.coaches.models import CoachRequest, RequestState
    from community.core.database import commit_unit_of_work

    request = db.session.get(CoachRequest, world.ids["coach_request"])
    if request.state is RequestState.PENDING:
        thread_requests.respond(request.id, world.users["coach"], accept=True)
        commit_unit_of_work()


_applicants = iter(range(10_000))


def _fresh_application(world: World) -> None:
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


def _newest_revision(column):
    from community.coaches.models import CoachProfileRevision

    return _newest(CoachProfileRevision, getattr(CoachProfileRevision, column))


def _newest_lounge(column):
    from community.coaches.lounge.models import LoungePost

    return _newest(LoungePost, getattr(LoungePost, column))


PROFILE_BASE = {
    "display_name": "Sara",
    "about": "I'm 24 and I study to become a nurse. I like football and long walks.",
    "experience": "For two years I hardly slept because my thoughts kept going round. "
    "Talking to someone older helped me, and small tricks to calm my head down.",
    "topics": "feelings",
    "languages": "da",
    "capacity": "3",
}
PROFILE_SAVED = {
    "display_name": (collapse, _newest_revision("display_name")),
    "about": (strip, _newest_revision("about_source")),
    "experience": (strip, _newest_revision("body_source")),
}


FORMS: list[FormCase] = [
    FormCase(
        "accounts.signup",
        "anon",
        "/sign-up",
        SignUpForm,
        {"pseudonym": "CalmOtter99", "age_band": "16-17", "password": "long password here"},
    ),
    FormCase(
        "accounts.login",
        "anon",
        "/log-in",
        LogInForm,
        {"pseudonym": "CalmOtter21", "password": "wrong password"},
        echoed=("pseudonym",),
    ),
    FormCase(
        "accounts.recover",
        "anon",
        "/recover",
        RecoverForm,
        {"pseudonym": "CalmOtter21", "recovery_code": "AAAA-BBBB", "password": "x" * 10},
        echoed=("pseudonym", "recovery_code"),
    ),
    FormCase(
        "questions.create",
        "asker",
        "/questions/ask",
        QuestionForm,
        {"title": "How do I make new friends?", "body": TEXT, "topic": "school"},
        saved={
            "title": (collapse, _newest(Question, Question.title)),
            "body": (strip, _newest(Question, Question.body_source)),
        },
        echoed=("title", "body"),
    ),
    FormCase(
        "questions.update",
        "asker",
        "/questions/{pending_question}/edit",
        QuestionForm,
        {"title": "How do I make new friends?", "body": TEXT, "topic": "school"},
        saved={
            "title": (
                collapse,
                lambda w: db.session.get(Question, w.ids["pending_question"]).title,
            ),
            "body": (
                strip,
                lambda w: db.session.get(Question, w.ids["pending_question"]).body_source,
            ),
        },
        echoed=("title", "body"),
    ),
    FormCase(
        "assists.create",
        "helper",
        "/questions/{question}/assists",
        AssistForm,
        {"body": TEXT},
        saved={"body": (strip, _newest(Assist, Assist.body_source))},
        echoed=("body",),
    ),
    FormCase(
        "assists.update",
        "helper",
        "/assists/{pending_assist}/edit",
        AssistForm,
        {"body": TEXT},
        saved={
            "body": (strip, lambda w: db.session.get(Assist, w.ids["pending_assist"]).body_source)
        },
        echoed=("body",),
    ),
    FormCase(
        "moderation.reject",
        "moderator",
        "/moderation/items/{item_b}/reject",
        RejectForm,
        {"reason": "other", "note": "Please leave out the name of your school."},
        saved={"note": (strip, _item_note)},
        echoed=("note",),
        prefix="r{item_b}-",
        prepare=_fresh_item,
    ),
    FormCase("main.language", "anon", "/language", LanguageForm, {"language": "da", "next": "/"}),
    FormCase(
        "coaches.apply",
        "helper",
        "/coaches/apply",
        ProfileForm,
        PROFILE_BASE,
        saved=PROFILE_SAVED,
        echoed=("display_name", "about", "experience"),
    ),
    FormCase(
        "coaches.profile",
        "coach",
        "/coaches/me/profile",
        ProfileForm,
        PROFILE_BASE,
        saved=PROFILE_SAVED,
        echoed=("display_name", "about", "experience"),
    ),
    FormCase(
        "coaches.decline_application",
        "moderator",
        "/coaches/applications/{application}/decline",
        DeclineForm,
        {"note": "You can apply again when you have a little more experience."},
        echoed=("note",),
        prefix="d{application}-",
        prepare=_fresh_application,
    ),
    FormCase(
        "coaches.reply",
        "coach",
        "/questions/{question}/coach-replies",
        CoachReplyForm,
        {"body": TEXT},
        saved={"body": (strip, _newest(Assist, Assist.body_source))},
        echoed=("body",),
        prepare=_accepted,
    ),
    FormCase(
        "coaches.request_coach",
        "asker",
        "/coach-requests",
        ChooseCoachForm,
        {"question": "{question}", "coach": "{profile}"},
    ),
    FormCase("coaches.away", "coach", "/coaches/me/away", AwayForm, {"away": "1"}),
    FormCase(
        "lounge.index",
        "coach",
        "/coaches/lounge/",
        TopicForm,
        {"title": "How do you end a thread kindly?", "body": TEXT},
        saved={
            "title": (collapse, _newest_lounge("title")),
            "body": (strip, _newest_lounge("body_source")),
        },
        echoed=("title", "body"),
    ),
    FormCase(
        "lounge.topic",
        "coach",
        "/coaches/lounge/{topic}",
        LoungeReplyForm,
        {"body": TEXT},
        saved={"body": (strip, _newest_lounge("body_source"))},
        echoed=("body",),
    ),
    FormCase(
        "flags.create",
        "coach",
        "/report/question/{question}",
        FlagForm,
        {"reason": "spam", "note": "This looks like an advert."},
        echoed=("note",),
        prepare=_fresh_published,
    ),
    FormCase(
        "moderation.redact",
        "moderator",
        "/moderation/items/{item_d}/redact",
        RedactForm,
        {"title": "Is it normal to miss home?", "body": "Shorter now.", "note": ""},
        saved={"title": (collapse, _redacted("title")), "body": (strip, _redacted("body_source"))},
        echoed=("title", "body", "note"),
        prefix="x-",
        prepare=_fresh_item_as("item_d"),
    ),
    FormCase(
        "moderation.escalate",
        "moderator",
        "/moderation/items/{item_e}/escalate",
        EscalateForm,
        {"note": "The asker sounds very alone."},
        saved={"note": (strip, _newest_of("Escalation", "note"))},
        echoed=("note",),
        prefix="e-",
        prepare=_fresh_item_as("item_e"),
    ),
    FormCase(
        "moderation.sanction",
        "moderator",
        "/moderation/users/{asker_id}/sanctions",
        SanctionForm,
        {"kind": "warn", "reason": "hurtful", "note": "Please be kind."},
        saved={"note": (lambda v: v.strip() or None, _newest_of("Sanction", "note"))},
        echoed=("note",),
        prefix="s-",
    ),
    FormCase(
        "moderation.revoke",
        "moderator",
        "/moderation/sanctions/{sanction}/revoke",
        RevokeForm,
        {"reason": "It was a mistake."},
        saved={"reason": (strip, _revoke_reason)},
        echoed=("reason",),
        prefix="v{sanction}-",
        prepare=_fresh_warning,
    ),
    FormCase(
        "safeguarding.resolve",
        "admin",
        "/safeguarding/{escalation}/resolve",
        ResolveForm,
        {"outcome": "signposted", "note": ""},
        echoed=("note",),
        prefix="g{escalation}-",
        prepare=_fresh_escalation,
    ),
]


def load_payloads() -> list[str]:
    """Every string of blns.json and xss/*.txt (the run fails if they are missing)."""
    assert PAYLOADS.is_dir(), f"hostile-input corpora missing at {PAYLOADS}"
    strings = [s for s in json.loads((PAYLOADS / "blns.json").read_text()) if isinstance(s, str)]
    for path in sorted((PAYLOADS / "xss").glob("*.txt")):
        strings.extend(line for line in path.read_text(errors="replace").splitlines() if line)
    assert len(strings) > 1000
    return strings


def lines_of(relative: str) -> list[str]:
    path = PAYLOADS / relative
    assert path.exists(), f"missing {path}"
    return [line for line in path.read_text(errors="replace").splitlines() if line.strip()]


class _FieldValues(HTMLParser):
    """Reads what a page's form shows in each field: input values and textarea text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name"):
            self.values.setdefault(attributes["name"], attributes.get("value") or "")
        elif tag == "textarea" and attributes.get("name"):
            self._textarea = attributes["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            text = self.values[self._textarea]
            # HTML drops one newline right after <textarea>; so does every browser.
            for newline in ("\r\n", "\n"):
                if text.startswith(newline):
                    text = text[len(newline) :]
                    break
            self.values[self._textarea] = text
            self._textarea = None


def shown_values(html: str) -> dict[str, str]:
    parser = _FieldValues()
    parser.feed(html)
    return parser.values
