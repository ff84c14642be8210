from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from community.forms import length
from moderation.services import NOTE_MAX_LENGTH, REJECTION_REASONS


class ApproveForm(FlaskForm):
    """Only a CSRF token: the item comes from the URL, the moderator from the session."""


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
