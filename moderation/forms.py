from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, NumberRange, Optional

from community.core.forms import length, required
from moderation.decisions import NOTE_MAX_LENGTH
from moderation.flags import FLAG_CHOICES
from moderation.flags import NOTE_MAX_LENGTH as FLAG_NOTE_MAX
from moderation.models import SanctionKind
from moderation.safeguarding import ESCALATION_NOTE_MAX
from moderation.sanctions import MAX_DAYS, SANCTION_REASONS
from moderation.screening_marks import CHOICES as SCREENING_MARKS
from moderation.wording import ESCALATION_OUTCOMES, REJECTION_REASONS


class ApproveForm(FlaskForm):
    """Only a CSRF token: the item comes from the URL, the moderator from the session."""


ActionForm = ApproveForm  # claim, release: nothing to fill in either


class ScreeningMarkForm(FlaskForm):
    """One button: screening missed a risk, it was a false alarm, or take the mark back."""

    verdict = HiddenField(validators=[AnyOf(SCREENING_MARKS)])


class RejectForm(FlaskForm):
    reason = RadioField(
        _l("Why can't it be published?"),
        choices=[SelectChoice(reason.code, reason.label) for reason in REJECTION_REASONS],
        validate_choice=False,  # the service checks the code and explains
    )
    note = TextAreaField(
        _l("Note to the author (optional, required for “Something else”)"),
        validators=[length(max=NOTE_MAX_LENGTH)],
    )


class RedactForm(FlaskForm):
    title = StringField(_l("Title"))
    body = TextAreaField(
        _l("The post, with the identifying parts taken out"),
        description=_l("Only take things out. The author is told, and both versions are kept."),
        validators=[required()],
    )
    note = TextAreaField(
        _l("Note to the author (optional)"), validators=[length(max=NOTE_MAX_LENGTH)]
    )


class EscalateForm(FlaskForm):
    note = TextAreaField(
        _l("What worries you?"),
        description=_l("The safeguarding team reads this. Don't copy the post: they can see it."),
        validators=[required(), length(max=ESCALATION_NOTE_MAX)],
    )


class ResolveForm(FlaskForm):
    outcome = RadioField(
        _l("What happened?"),
        choices=[
            SelectChoice(outcome.value, label) for outcome, label in ESCALATION_OUTCOMES.items()
        ],
        validate_choice=False,
    )
    note = TextAreaField(_l("Note (optional)"), validators=[length(max=ESCALATION_NOTE_MAX)])


SANCTION_KIND_LABELS = {
    SanctionKind.WARN: _l("Warn"),
    SanctionKind.SILENCE: _l("Pause posting"),
    SanctionKind.SUSPEND: _l("Pause the account (no logging in)"),
}


class SanctionForm(FlaskForm):
    kind = RadioField(
        _l("What should happen?"),
        choices=[SelectChoice(kind.value, label) for kind, label in SANCTION_KIND_LABELS.items()],
        validate_choice=False,
    )
    reason = RadioField(
        _l("Why?"),
        choices=[SelectChoice(reason.code, reason.label) for reason in SANCTION_REASONS],
        validate_choice=False,
    )
    note = TextAreaField(
        _l("Note to the person (optional, required for “Something else”)"),
        validators=[length(max=NOTE_MAX_LENGTH)],
    )
    days = IntegerField(
        _l("How many days? (leave empty for the suggested length)"),
        validators=[Optional(), NumberRange(min=1, max=MAX_DAYS)],
    )


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Why take it back?"), validators=[required(), length(max=NOTE_MAX_LENGTH)]
    )


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong?"),
        choices=[SelectChoice(choice.code, choice.label) for choice in FLAG_CHOICES],
        validators=[required()],
        validate_choice=False,
    )
    note = TextAreaField(
        _l("Anything else we should know? (optional)"),
        description=_l("Only moderators read this."),
        validators=[length(max=FLAG_NOTE_MAX)],
    )
