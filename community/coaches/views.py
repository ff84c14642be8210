"""Coaches: the directory, applying and reviewing, a coach's own pages, and the coach parts
of a thread (choose a coach, answer a request, release, coach replies)."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from community.accounts.models import Role, User
from community.assists.models import Assist
from community.assists.names import register_author_names
from community.coaches import attachments, cli, services
from community.coaches.forms import (
    ActionForm,
    AwayForm,
    ChooseCoachForm,
    ChooseFromListForm,
    CoachReplyForm,
    DeclineForm,
    ProfileForm,
)
from community.coaches.lounge import services as lounge
from community.coaches.models import ApplicationState, CoachProfile, RequestState
from community.errors import Conflict, DomainError, NotAllowed
from community.extensions import limiter
from community.forms import apply_domain_error, parse_id
from community.notifications.registry import (
    NotificationType,
    quiet_approvals,
    register_object_link,
    register_type,
)
from community.posts import ContentStatus
from community.questions import services as questions
from community.questions.models import Question
from community.questions.thread import ThreadSection, register_section, sections_for
from community.questions.topics import Topic
from community.viewer import viewer
from moderation import api as moderation
from moderation.api import register_kind

bp = Blueprint("coaches", __name__)

PANEL_TEMPLATE = "coaches/_thread_panel.html"
REPLY_TEMPLATE = "coaches/_reply.html"


def _post_limit() -> str:
    return current_app.config["RATELIMIT_POST"]


def _me() -> User:
    """The signed-in user (the routes that call this are ``login_required``)."""
    user = viewer()
    if user is None:
        raise NotAllowed()
    return user


def _thread_url(question_id: int, anchor: str = "thread-coach") -> str:
    return url_for("questions.detail", question_id=question_id, _anchor=anchor)


# -- finding a coach ---------------------------------------------------------------------------


@bp.route("/coaches/")
def index():
    user = viewer()
    topic = request.args.get("topic") or None
    language = request.args.get("language") or None
    cards = services.directory(topic=topic, language=language)
    return render_template(
        "coaches/index.html",
        cards=cards,
        topics=list(Topic),
        language_choices=[(code, services.language_label(code)) for code in services.LANGUAGES],
        current_topic=topic,
        current_language_filter=language,
        choosable=_choosable(user, cards),
        my_questions=attachments.questions_needing_coach(user),
        chosen_question=request.args.get("question", type=int),
        can_apply=services.can_apply(user),
    )


def _choosable(user: User | None, cards) -> set[int]:
    """Profile ids the viewer could ask to join one of their threads."""
    if user is None:
        return set()
    return {c.profile.id for c in cards if c.is_available and c.profile.user_id != user.id}


@bp.route("/coaches/<int:profile_id>")
def detail(profile_id: int):
    user = viewer()
    card = services.card(profile_id)
    return render_template(
        "coaches/detail.html",
        card=card,
        choosable=_choosable(user, [card]),
        my_questions=attachments.questions_needing_coach(user),
        chosen_question=request.args.get("question", type=int),
    )


@bp.route("/coach-requests", methods=["POST"])
@login_required
@limiter.limit(_post_limit)
def request_coach():
    form = ChooseCoachForm()
    if not form.validate_on_submit():
        return render_template("errors/400.html"), 400
    question_id = parse_id(form.question.data)
    if question_id is None:
        return render_template("errors/400.html"), 400
    profile_id = parse_id(form.coach.data)
    if profile_id is None:
        flash(_("Choose a coach first."), "warning")
        return redirect(_thread_url(question_id))
    try:
        chosen = attachments.request_coach(_me(), question_id, profile_id)
    except Conflict as error:
        flash(str(error.message), "warning")
        return redirect(_thread_url(question_id))
    flash(
        _(
            "We asked %(name)s to join. You'll get a message when they answer.",
            name=chosen.coach_profile.display_name,
        ),
        "success",
    )
    return redirect(_thread_url(question_id))


# -- applying and reviewing --------------------------------------------------------------------


def _draft(form: ProfileForm) -> services.ProfileDraft:
    return services.ProfileDraft(
        display_name=form.display_name.data or "",
        about=form.about.data or "",
        experience=form.experience.data or "",
        topics=tuple(form.topics.data or ()),
        languages=tuple(form.languages.data or ()),
        capacity=form.capacity.data or "",
    )


def _fill(form: ProfileForm, profile: CoachProfile | None, texts) -> None:
    display_name, about, experience = texts
    form.display_name.data, form.about.data, form.experience.data = display_name, about, experience
    if profile is not None:
        form.topics.data = [t.topic.value for t in profile.topics]
        form.languages.data = [lang.language for lang in profile.languages]
        form.capacity.data = str(profile.capacity)


@bp.route("/coaches/apply", methods=["GET", "POST"])
@login_required
@limiter.limit(_post_limit, methods=["POST"])
def apply():
    user = viewer()
    if user is not None and user.role is Role.COACH:
        return redirect(url_for("coaches.my_threads"))
    try:
        services.check_can_apply(user)
    except NotAllowed as refusal:
        return render_template("coaches/cannot_apply.html", reason=refusal.message), 403
    assert user is not None  # noqa: S101 - check_can_apply refuses visitors
    latest = services.latest_application_of(user.id)
    waiting = latest if latest is not None and latest.state is ApplicationState.PENDING else None
    form = ProfileForm()
    if request.method == "GET" and latest is not None:
        revision = latest.revision
        _fill(
            form,
            services.profile_of(user.id),
            (revision.display_name, revision.about_source, revision.body_source),
        )
    if form.validate_on_submit():
        try:
            services.apply(user, _draft(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(
                _("Thanks! A moderator will read your application soon.")
                if waiting is None
                else _("Your application is updated."),
                "success",
            )
            return redirect(url_for("coaches.apply"))
    status = 422 if request.method == "POST" else 200
    return render_template("coaches/apply.html", form=form, latest=latest, waiting=waiting), status


@bp.route("/coaches/applications")
@login_required
def applications():
    return _render_applications()


def _render_applications(decline_forms=None, status: int = 200):
    entries = services.pending_applications(viewer())
    forms = decline_forms or {}
    return render_template(
        "coaches/applications.html",
        entries=entries,
        decline_forms={
            e.application.id: forms.get(e.application.id)
            or DeclineForm(prefix=f"d{e.application.id}")
            for e in entries
        },
    ), status


@bp.route("/coaches/applications/<int:application_id>/approve", methods=["POST"])
@login_required
def approve_application(application_id: int):
    moderation.check_can_moderate(viewer())
    if not ActionForm().validate_on_submit():
        return render_template("errors/400.html"), 400
    try:
        application = services.approve_application(application_id, viewer())
    except Conflict as error:
        flash(str(error.message), "warning")
    else:
        flash(
            _("Approved. %(name)s is a coach now.", name=application.revision.display_name),
            "success",
        )
    return redirect(url_for("coaches.applications"))


@bp.route("/coaches/applications/<int:application_id>/decline", methods=["POST"])
@login_required
def decline_application(application_id: int):
    moderation.check_can_moderate(viewer())
    form = DeclineForm(prefix=f"d{application_id}")
    if form.validate_on_submit():
        try:
            services.decline_application(application_id, viewer(), form.note.data or "")
        except Conflict as error:
            flash(str(error.message), "warning")
            return redirect(url_for("coaches.applications"))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Turned down. The applicant can read your note."), "success")
            return redirect(url_for("coaches.applications"))
    return _render_applications({application_id: form}, status=422)


# -- a coach's own pages -----------------------------------------------------------------------


@bp.route("/coaches/me/profile", methods=["GET", "POST"])
@login_required
@limiter.limit(_post_limit, methods=["POST"])
def profile():
    user = _me()
    own = services.own_profile(user, create=False)
    latest = services.open_revision(own)
    form = ProfileForm()
    if request.method == "GET":
        if latest is not None and latest.status is ContentStatus.PENDING:
            texts = (latest.display_name, latest.about_source, latest.body_source)
        else:
            texts = (own.display_name, own.about_source, own.experience_source)
        _fill(form, own, texts)
    if form.validate_on_submit():
        try:
            sent = services.edit_profile(user, _draft(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(
                _("Saved. Your new text shows when a moderator has approved it.")
                if sent
                else _("Saved."),
                "success",
            )
            return redirect(url_for("coaches.profile"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "coaches/profile.html",
        form=form,
        profile=own,
        latest=latest,
        decision=services.revision_decision(latest),
        reasons=moderation.REASONS_BY_CODE,
    ), status


@bp.route("/coaches/me/away", methods=["POST"])
@login_required
def away():
    form = AwayForm()
    if not form.validate_on_submit():
        return render_template("errors/400.html"), 400
    paused = form.away.data == "1"
    services.set_away(_me(), paused)
    flash(
        _("You are away. Nobody can choose you until you come back.")
        if paused
        else _("Welcome back! Young people can choose you again."),
        "success",
    )
    return redirect(url_for("coaches.my_threads"))


@bp.route("/coaches/me/threads")
@login_required
def my_threads():
    user = services.check_is_coach(_me())
    return render_template(
        "coaches/my_threads.html",
        threads=attachments.my_threads(user),
    )


@bp.route("/coach-requests/<int:request_id>/accept", methods=["POST"])
@login_required
def accept(request_id: int):
    return _respond(request_id, accept=True)


@bp.route("/coach-requests/<int:request_id>/decline", methods=["POST"])
@login_required
def decline(request_id: int):
    return _respond(request_id, accept=False)


def _respond(request_id: int, accept: bool):
    if not ActionForm().validate_on_submit():
        return render_template("errors/400.html"), 400
    try:
        answered = attachments.respond(request_id, _me(), accept)
    except Conflict as error:
        flash(str(error.message), "warning")
        return redirect(url_for("coaches.my_threads"))
    if accept:
        flash(_("You joined the thread. Write your coach's reply below."), "success")
        return redirect(_thread_url(answered.question_id, anchor="coach-reply"))
    flash(_("You said no. We told the asker, so they can choose someone else."), "success")
    return redirect(url_for("coaches.my_threads"))


# -- the coach on a thread ---------------------------------------------------------------------


@bp.route("/questions/<int:question_id>/coach/release", methods=["POST"])
@login_required
def release(question_id: int):
    if not ActionForm().validate_on_submit():
        return render_template("errors/400.html"), 400
    try:
        ended = attachments.release(question_id, _me())
    except Conflict as error:
        flash(str(error.message), "warning")
    else:
        flash(
            _("The request is taken back. You can choose another coach.")
            if ended.state is RequestState.WITHDRAWN
            else _("The coach has left your thread. Thanks for letting them help."),
            "success",
        )
    return redirect(_thread_url(question_id))


@bp.route("/questions/<int:question_id>/coach-replies", methods=["POST"])
@login_required
@limiter.limit(_post_limit)
def reply(question_id: int):
    question = questions.get_visible(question_id, viewer())
    attachments.check_can_reply(question, viewer())  # 403 before anything is read or saved
    form = CoachReplyForm()
    if form.validate_on_submit():
        try:
            written = attachments.reply(_me(), question_id, form.body.data or "")
        except DomainError as error:
            if error.field is None:
                raise
            apply_domain_error(form, error)
        else:
            flash(
                _("Your coach's reply is published.")
                if written.is_published
                else _("Thanks! A moderator will read your coach's reply soon."),
                "success",
            )
            return redirect(_thread_url(question_id, anchor=f"a{written.id}"))
    sections = [
        reply_section(question, viewer(), form) if s.template == REPLY_TEMPLATE else s
        for s in sections_for(question, viewer())
    ]
    return render_template(
        "questions/detail.html",
        question=question,
        can_edit=questions.can_edit(question, viewer()),
        sections=sections,
    ), 422


def panel_section(question: Question, user: User | None) -> ThreadSection | None:
    """Who the thread's coach is; for the asker, choosing or releasing one; for a coach
    who was asked, saying yes or no."""
    if not question.is_published and (user is None or user.id != question.author_id):
        return None
    coach = attachments.thread_coach(question, user)
    accepted = coach.attachment is not None and coach.attachment.state is RequestState.ACCEPTED
    if not (accepted or coach.is_asker or coach.is_requested_coach):
        return None  # nothing to show: a pending request is between the asker and the coach
    form = ChooseFromListForm()
    form.question.data = str(question.id)
    form.coach.choices = [
        SelectChoice(str(c.profile.id), c.profile.display_name or "") for c in coach.choices
    ]
    return ThreadSection(
        template=PANEL_TEMPLATE,
        context={
            "question": question,
            "coach": coach,
            "choose_form": form,
        },
    )


def reply_section(
    question: Question, user: User | None, form: CoachReplyForm | None = None
) -> ThreadSection | None:
    """The coach's reply form, only for the thread's attached coach."""
    if user is None or user.role is not Role.COACH or not question.is_published:
        return None
    try:
        attachments.check_can_reply(question, user)
    except (NotAllowed, DomainError):
        return None
    return ThreadSection(
        template=REPLY_TEMPLATE,
        context={
            "question": question,
            "form": form or CoachReplyForm(),
            "trusted": bool(current_app.config["COACH_REPLIES_TRUSTED"]),
        },
    )


def _coach_names(assists: list[Assist]) -> dict[int, str]:
    coach_replies = [a for a in assists if a.is_coach_reply]
    names = services.display_names(a.author_id for a in coach_replies)
    return {a.id: names[a.author_id] for a in coach_replies if a.author_id in names}


# -- wiring ------------------------------------------------------------------------------------

NOTIFICATIONS = (
    (attachments.REQUESTED, _l("Someone asked you to join a thread."), "threads"),
    (
        attachments.ACCEPTED,
        _l("The coach you chose said yes. They can reply in your thread now."),
        "question",
    ),
    (
        attachments.DECLINED,
        _l("The coach you chose can't join right now. You can choose someone else."),
        "question",
    ),
    (
        attachments.EXPIRED,
        _l("The coach you chose didn't answer in time. You can choose someone else."),
        "question",
    ),
    (attachments.WITHDRAWN, _l("A request to join a thread was taken back."), "threads"),
    (attachments.RELEASED, _l("You are no longer the coach in one of your threads."), "threads"),
    (services.APPLICATION_APPROVED, _l("Welcome! You are a coach now."), "threads"),
    (
        services.APPLICATION_DECLINED,
        _l("Your coach application was not approved this time. See why."),
        "apply",
    ),
)


def _link(target: str):
    def link(object_type: str, object_id: int) -> str:
        if target == "question":
            return _thread_url(object_id)
        if target == "apply":
            return url_for("coaches.apply")
        return url_for("coaches.my_threads")

    return link


def _nav() -> dict:
    """Which coach links the header shows (from the role alone: no query)."""
    user = current_user if current_user.is_authenticated else None
    is_coach = services.is_coach(user)
    can_moderate = bool(user is not None and user.can_moderate)
    return {
        "coach_nav": {
            "is_coach": is_coach,
            "can_review": can_moderate,
            "can_use_lounge": is_coach or can_moderate,
        }
    }


def init_app(app: Flask) -> None:
    register_kind(app, services.content_kind())
    register_kind(app, lounge.content_kind())
    register_section(app, panel_section, order=10)
    register_section(app, reply_section, order=60)
    register_author_names(app, _coach_names)
    for name, message, target in NOTIFICATIONS:
        register_type(app, NotificationType(name, message=lambda m=message: m, link=_link(target)))
    register_object_link(app, services.PROFILE_CONTENT_TYPE, lambda _id: url_for("coaches.profile"))
    register_object_link(
        app, lounge.CONTENT_TYPE, lambda post_id: url_for("lounge.post", post_id=post_id)
    )
    quiet_approvals(app, lounge.CONTENT_TYPE)
    app.context_processor(_nav)
    cli.init_app(app)
