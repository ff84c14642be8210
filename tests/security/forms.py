"""Every form in the app, with what it takes to submit it and where its text ends up.

Sweeping tests (hostile strings, mass assignment, fuzzing) run over FORMS. A POST
route whose form has fields must be listed; ``test_every_form_is_listed`` fails otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from wtforms import PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

from community.accounts.forms import (
    ChangePasswordForm,
    LogInForm,
    RecoverForm,
    RecoveryCodeLanguageForm,
    SignUpForm,
)
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
from community.main.forms import CountryForm, LanguageForm
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
from tests.security.preparers import (
    accepted,
    fresh_application,
    fresh_escalation,
    fresh_item,
    fresh_item_as,
    fresh_published,
    fresh_warning,
    item_note,
    newest,
    newest_lounge,
    newest_of,
    newest_revision,
    redacted,
    revoke_reason,
)
from tests.security.world import TEXT, World

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
    "display_name": (collapse, newest_revision("display_name")),
    "about": (strip, newest_revision("about_source")),
    "experience": (strip, newest_revision("body_source")),
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
        # A wrong current password: the sweep never changes the asker's password.
        "accounts.change_password",
        "asker",
        "/me/password",
        ChangePasswordForm,
        {"current_password": "not the password", "password": "x" * 12},
    ),
    FormCase(
        # Not the asker's code: the page is not shown again, whatever the hostile input.
        "accounts.recovery_code_language",
        "asker",
        "/recovery-code/language",
        RecoveryCodeLanguageForm,
        {"language": "da", "code": "AAAA-BBBB", "new_account": "1", "next": "/"},
    ),
    FormCase(
        "questions.create",
        "asker",
        "/questions/ask",
        QuestionForm,
        {"title": "How do I make new friends?", "body": TEXT, "topic": "school"},
        saved={
            "title": (collapse, newest(Question, Question.title)),
            "body": (strip, newest(Question, Question.body_source)),
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
        saved={"body": (strip, newest(Assist, Assist.body_source))},
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
        saved={"note": (strip, item_note)},
        echoed=("note",),
        prefix="r{item_b}-",
        prepare=fresh_item,
    ),
    FormCase("main.language", "anon", "/language", LanguageForm, {"language": "da", "next": "/"}),
    FormCase("main.country", "anon", "/country", CountryForm, {"country": "NO", "next": "/"}),
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
        prepare=fresh_application,
    ),
    FormCase(
        "coaches.reply",
        "coach",
        "/questions/{question}/coach-replies",
        CoachReplyForm,
        {"body": TEXT},
        saved={"body": (strip, newest(Assist, Assist.body_source))},
        echoed=("body",),
        prepare=accepted,
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
            "title": (collapse, newest_lounge("title")),
            "body": (strip, newest_lounge("body_source")),
        },
        echoed=("title", "body"),
    ),
    FormCase(
        "lounge.topic",
        "coach",
        "/coaches/lounge/{topic}",
        LoungeReplyForm,
        {"body": TEXT},
        saved={"body": (strip, newest_lounge("body_source"))},
        echoed=("body",),
    ),
    FormCase(
        "flags.create",
        "coach",
        "/report/question/{question}",
        FlagForm,
        {"reason": "spam", "note": "This looks like an advert."},
        echoed=("note",),
        prepare=fresh_published,
    ),
    FormCase(
        "moderation.redact",
        "moderator",
        "/moderation/items/{item_d}/redact",
        RedactForm,
        {"title": "Is it normal to miss home?", "body": "Shorter now.", "note": ""},
        saved={"title": (collapse, redacted("title")), "body": (strip, redacted("body_source"))},
        echoed=("title", "body", "note"),
        prefix="x-",
        prepare=fresh_item_as("item_d"),
    ),
    FormCase(
        "moderation.escalate",
        "moderator",
        "/moderation/items/{item_e}/escalate",
        EscalateForm,
        {"note": "The asker sounds very alone."},
        saved={"note": (strip, newest_of("Escalation", "note"))},
        echoed=("note",),
        prefix="e-",
        prepare=fresh_item_as("item_e"),
    ),
    FormCase(
        "moderation.sanction",
        "moderator",
        "/moderation/users/{asker_id}/sanctions",
        SanctionForm,
        {"kind": "warn", "reason": "hurtful", "note": "Please be kind."},
        saved={"note": (lambda v: v.strip() or None, newest_of("Sanction", "note"))},
        echoed=("note",),
        prefix="s-",
    ),
    FormCase(
        "moderation.revoke",
        "moderator",
        "/moderation/sanctions/{sanction}/revoke",
        RevokeForm,
        {"reason": "It was a mistake."},
        saved={"reason": (strip, revoke_reason)},
        echoed=("reason",),
        prefix="v{sanction}-",
        prepare=fresh_warning,
    ),
    FormCase(
        "safeguarding.resolve",
        "admin",
        "/safeguarding/{escalation}/resolve",
        ResolveForm,
        {"outcome": "signposted", "note": ""},
        echoed=("note",),
        prefix="g{escalation}-",
        prepare=fresh_escalation,
    ),
]
