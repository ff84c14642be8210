from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired


class AppearanceForm(FlaskForm):
    """Whether to appear on the leaderboard: asked in plain words, changeable any time."""

    appear = RadioField(
        _l("Do you want to be on the leaderboard?"),
        choices=[
            SelectChoice("yes", _l("Yes, show my pseudonym and points")),
            SelectChoice("no", _l("No, keep me off the leaderboard")),
        ],
        description=_l(
            "Everyone can see the leaderboard. It shows pseudonyms and points, nothing else. "
            "You can always see your own place, and you can change this any time."
        ),
        validators=[InputRequired(message=_l("Choose yes or no."))],
    )
    next = HiddenField()
