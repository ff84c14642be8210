from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from community.assists.models import BODY_MAX, BODY_MIN
from community.core.forms import body_field


class AssistForm(FlaskForm):
    body = body_field(
        _l("Your assist"),
        BODY_MIN,
        BODY_MAX,
        _l(
            "Be kind and honest. Share what you know or what helped you. "
            "Don't write names, places or contact details."
        ),
    )
