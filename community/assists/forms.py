from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from community.assists.models import BODY_MAX, BODY_MIN
from community.forms import length, required


class AssistForm(FlaskForm):
    body = TextAreaField(
        _l("Your assist"),
        description=_l(
            "Be kind and honest. Share what you know or what helped you. "
            "Don't write names, places or contact details."
        ),
        validators=[required(), length(min=BODY_MIN, max=BODY_MAX)],
    )


class HelpfulForm(FlaskForm):
    """Only a CSRF token: the assist comes from the URL, the asker from the session."""
