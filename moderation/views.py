"""Moderation pages.

* ``moderation`` (moderators): the queue by priority, one item to claim and decide on
  (approve, reject, redact, escalate), a person's record and sanctions, the dashboard;
* ``safeguarding`` (safeguarding staff): escalations;
* ``flags`` (anyone signed in): report a published post;
* ``standing`` (anyone signed in): one's own warnings and pauses, with why and until when.

Every moderator page view and action writes an audit row (in ``queue``, ``claims``,
``decisions``, ``safeguarding``, ``dashboard``, ``records`` and ``sanctions``). Besides the
blueprints, :func:`init_app` adds what every page shows (:mod:`moderation.notices`).
"""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from community.accounts.viewer import signed_in, viewer
from community.core import helplines, ratelimits
from community.core.clock import utcnow
from community.core.errors import Conflict, DomainError
from community.core.forms import apply_domain_error, check_submitted
from community.core.i18n import current_language
from moderation import (
    access,
    claims,
    decisions,
    flags,
    notices,
    policy,
    queue,
    records,
    safeguarding,
    sanctions,
    screening_marks,
    wording,
)
from moderation.dashboard import dashboard as queue_dashboard
from moderation.forms import (
    ActionForm,
    ApproveForm,
    EscalateForm,
    FlagForm,
    RedactForm,
    RejectForm,
    ResolveForm,
    RevokeForm,
    SanctionForm,
    ScreeningMarkForm,
)
from moderation.models import SanctionKind
from moderation.registry import get_kind, load_previews
from moderation.screening import register_default_screeners

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
safeguarding_bp = Blueprint("safeguarding", __name__, url_prefix="/safeguarding")
flags_bp = Blueprint("flags", __name__, url_prefix="/report")
standing_bp = Blueprint("standing", __name__, url_prefix="/me")


@bp.before_request
@login_required
def _moderators_only():
    access.check_can_moderate(viewer())


@safeguarding_bp.before_request
@login_required
def _safeguarding_only():
    access.check_can_safeguard(viewer())


# -- the queue ---------------------------------------------------------------------------------


def _render_queue(reject_forms=None, status: int = 200):
    entries = queue.open_queue(signed_in())
    forms = reject_forms or {}
    return render_template(
        "moderation/index.html",
        entries=entries,
        counts=queue.open_counts_by_priority(signed_in()),
        priority_labels=wording.PRIORITY_LABELS,
        approve_form=ApproveForm(),
        reject_forms={
            e.item.id: forms.get(e.item.id) or RejectForm(prefix=f"r{e.item.id}") for e in entries
        },
        reasons=wording.REASONS_BY_CODE,
    ), status


@bp.route("/")
def index():
    return _render_queue()


@bp.route("/dashboard")
def dashboard():
    return render_template("moderation/dashboard.html", board=queue_dashboard(signed_in()))


def _render_item(item_id: int, status: int = 200, **forms):
    detail = queue.item_detail(item_id, signed_in())
    source = detail.source
    redact_form = forms.get("redact_form") or RedactForm(
        prefix="x",
        data={"title": source.title, "body": source.body} if source is not None else None,
    )
    return render_template(
        "moderation/item.html",
        detail=detail,
        entry=detail.entry,
        item=detail.entry.item,
        action_form=ActionForm(),
        reject_form=forms.get("reject_form") or RejectForm(prefix=f"r{item_id}"),
        redact_form=redact_form,
        escalate_form=forms.get("escalate_form") or EscalateForm(prefix="e"),
        has_title=source is not None and source.title is not None,
        flag_labels=wording.FLAG_LABELS,
    ), status


@bp.route("/items/<int:item_id>")
def item(item_id: int):
    return _render_item(item_id)


def _done(message: str, endpoint: str = "moderation.index", **values):
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _conflict(error: Conflict):
    flash(str(error.message), "warning")
    return redirect(url_for("moderation.index"))


@bp.route("/items/<int:item_id>/claim", methods=["POST"])
def claim(item_id: int):
    if not ActionForm().validate_on_submit():
        return render_template("errors/400.html"), 400
    try:
        claims.claim(item_id, signed_in())
    except Conflict as error:
        return _conflict(error)
    return redirect(url_for("moderation.item", item_id=item_id))


@bp.route("/items/<int:item_id>/release", methods=["POST"])
def release(item_id: int):
    if not ActionForm().validate_on_submit():
        return render_template("errors/400.html"), 400
    claims.release(item_id, signed_in())
    return _done(_("You let go of that post. Someone else can take it now."))


@bp.route("/items/<int:item_id>/approve", methods=["POST"])
def approve(item_id: int):
    if not ApproveForm().validate_on_submit():
        return render_template("errors/400.html"), 400
    try:
        decisions.approve(item_id, signed_in())
    except Conflict as error:
        return _conflict(error)
    return _done(_("Approved. It is public now."))


@bp.route("/items/<int:item_id>/reject", methods=["POST"])
def reject(item_id: int):
    form = RejectForm(prefix=f"r{item_id}")
    if form.validate_on_submit():
        try:
            decisions.reject(item_id, signed_in(), form.reason.data or "", form.note.data or "")
        except Conflict as error:
            return _conflict(error)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _done(_("Rejected. The author can see why and try again."))
    return _render_item(item_id, 422, reject_form=form)


@bp.route("/items/<int:item_id>/redact", methods=["POST"])
def redact(item_id: int):
    form = RedactForm(prefix="x")
    if form.validate_on_submit():
        try:
            decisions.redact(
                item_id, signed_in(), form.title.data, form.body.data or "", form.note.data or ""
            )
        except Conflict as error:
            return _conflict(error)
        except DomainError as error:
            # Refused before anything changed: the page shows the item as it still is,
            # with the moderator's edit.
            apply_domain_error(form, error)
        else:
            return _done(_("Saved and published without the parts you took out."))
    return _render_item(item_id, 422, redact_form=form)


@bp.route("/items/<int:item_id>/escalate", methods=["POST"])
def escalate(item_id: int):
    form = EscalateForm(prefix="e")
    if form.validate_on_submit():
        try:
            safeguarding.escalate(item_id, signed_in(), form.note.data or "")
        except Conflict as error:
            flash(str(error.message), "warning")
            return redirect(url_for("moderation.item", item_id=item_id))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _done(_("Sent to the safeguarding team."), "moderation.item", item_id=item_id)
    return _render_item(item_id, 422, escalate_form=form)


@bp.route("/items/<int:item_id>/screening", methods=["POST"])
def screening_mark(item_id: int):
    """Screening missed a risk here, or it was a false alarm (or take the mark back)."""
    form = ScreeningMarkForm()
    check_submitted(form)
    try:
        verdict = screening_marks.mark(item_id, signed_in(), form.verdict.data or "")
    except Conflict as error:
        flash(str(error.message), "warning")
        return redirect(url_for("moderation.item", item_id=item_id))
    message = (
        _("Mark taken back.")
        if verdict is None
        else _("Thank you. Your mark helps us make screening better.")
    )
    return _done(message, "moderation.item", item_id=item_id)


# -- people and sanctions ----------------------------------------------------------------------


def _render_user(user_id: int, status: int = 200, sanction_form=None, revoke_forms=None):
    record = records.user_record(signed_in(), user_id)
    forms = revoke_forms or {}
    return render_template(
        "moderation/user.html",
        record=record,
        sanction_form=sanction_form or SanctionForm(prefix="s"),
        revoke_forms={
            s.id: forms.get(s.id) or RevokeForm(prefix=f"v{s.id}") for s in record.sanctions
        },
        reasons=sanctions.SANCTION_REASONS_BY_CODE,
        kinds=SanctionKind,
        now=utcnow(),
    ), status


@bp.route("/users/<int:user_id>")
def user(user_id: int):
    return _render_user(user_id)


@bp.route("/users/<int:user_id>/sanctions", methods=["POST"])
def sanction(user_id: int):
    form = SanctionForm(prefix="s")
    if form.validate_on_submit():
        try:
            sanctions.apply_sanction(
                viewer(),
                user_id,
                form.kind.data or "",
                form.reason.data or "",
                form.note.data or "",
                form.days.data,
            )
        except DomainError as error:
            if error.field is None:
                raise
            apply_domain_error(form, error)
        else:
            return _done(
                _("Done. They will see why, and until when."), "moderation.user", user_id=user_id
            )
    return _render_user(user_id, 422, sanction_form=form)


@bp.route("/sanctions/<int:sanction_id>/revoke", methods=["POST"])
def revoke(sanction_id: int):
    form = RevokeForm(prefix=f"v{sanction_id}")
    target = sanctions.sanction_owner(sanction_id)
    if form.validate_on_submit():
        try:
            sanctions.revoke(viewer(), sanction_id, form.reason.data or "")
        except Conflict as error:
            flash(str(error.message), "warning")
            return redirect(url_for("moderation.user", user_id=target))
        except DomainError as error:
            if error.field is None:
                raise
            apply_domain_error(form, error)
        else:
            return _done(_("Taken back."), "moderation.user", user_id=target)
    return _render_user(target, 422, revoke_forms={sanction_id: form})


# -- safeguarding ------------------------------------------------------------------------------


def _render_escalations(forms=None, status: int = 200):
    entries = safeguarding.open_escalations(signed_in())
    forms = forms or {}
    return render_template(
        "moderation/safeguarding.html",
        entries=entries,
        forms={
            e.escalation.id: forms.get(e.escalation.id) or ResolveForm(prefix=f"g{e.escalation.id}")
            for e in entries
        },
    ), status


@safeguarding_bp.route("/", endpoint="index")
def escalations():
    return _render_escalations()


@safeguarding_bp.route("/<int:escalation_id>/resolve", methods=["POST"])
def resolve(escalation_id: int):
    form = ResolveForm(prefix=f"g{escalation_id}")
    if form.validate_on_submit():
        try:
            safeguarding.resolve_escalation(
                escalation_id, signed_in(), form.outcome.data or "", form.note.data or ""
            )
        except Conflict as error:
            flash(str(error.message), "warning")
            return redirect(url_for("safeguarding.index"))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _done(_("Closed. Thank you for looking after them."), "safeguarding.index")
    return _render_escalations({escalation_id: form}, 422)


# -- flags -------------------------------------------------------------------------------------


@flags_bp.route("/<content_type>/<int:content_id>", methods=["GET", "POST"])
@login_required
@ratelimits.flagging()
def create(content_type: str, content_id: int):
    flags.flaggable_content(viewer(), content_type, content_id)  # refuse before the form
    preview = load_previews(content_type, [content_id]).get(content_id)
    back = preview.public_url if preview is not None else None
    if flags.reported_by(viewer(), content_type, [content_id]):
        # Once is enough: no second form, and no second "thank you" as if it were new.
        if request.method == "POST":
            flash(_("You reported this already. A moderator will look at it."), "info")
            return redirect(back or url_for("main.index"))
        return render_template(
            "moderation/flag.html",
            form=None,
            preview=preview,
            back=back,
            already=True,
            kind_label=get_kind(content_type).label(),
            regions=helplines.regions_for(current_language()),
        )
    form = FlagForm()
    if form.validate_on_submit():
        try:
            result = flags.file_flag(
                viewer(), content_type, content_id, form.reason.data or "", form.note.data or ""
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if result.created:
                flash(_("Thank you for telling us. A moderator will take a look."), "success")
            else:  # the same reader, twice at once
                flash(_("You reported this already. A moderator will look at it."), "info")
            return redirect((back if not result.hidden else None) or url_for("main.index"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "moderation/flag.html",
        form=form,
        preview=preview,
        kind_label=get_kind(content_type).label(),
        regions=helplines.regions_for(current_language()),
    ), status


# -- one's own standing ------------------------------------------------------------------------


@standing_bp.route("/standing", endpoint="index")
@login_required
def own_standing():
    user = signed_in()
    return render_template(
        "moderation/standing.html",
        standing=sanctions.standing(user),
        reasons=sanctions.SANCTION_REASONS_BY_CODE,
        now=utcnow(),
        kinds=SanctionKind,
    )


def init_app(app: Flask) -> None:
    policy.check_config(app.config)
    register_default_screeners(app)
    for blueprint in (bp, safeguarding_bp, flags_bp, standing_bp):
        app.register_blueprint(blueprint)
    notices.init_app(app)
