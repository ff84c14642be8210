from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import NumberRange, Optional

from community.core.forms import length


class AuditFilterForm(FlaskForm):
    """Filters for the audit log (a GET form: it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    actor = StringField(_l("Who (pseudonym)"), validators=[Optional(), length(max=40)])
    action = StringField(
        _l("Action starts with"),
        description=_l("For example “question.”, “sanction” or “queue_item.viewed”."),
        validators=[Optional(), length(max=64)],
    )
    object_type = StringField(_l("Object type"), validators=[Optional(), length(max=32)])
    object_id = IntegerField(
        _l("Object id"),
        validators=[Optional(), NumberRange(min=0, max=2**31 - 1, message=_l("Use a number."))],
    )
    since = DateField(_l("From (UTC day)"), validators=[Optional()])
    until = DateField(_l("To (UTC day, included)"), validators=[Optional()])
