from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from community.coaches.lounge.models import BODY_MAX, BODY_MIN, TITLE_MAX, TITLE_MIN
from community.core.forms import length, required


class TopicForm(FlaskForm):
    title = StringField(
        _l("Topic"),
        description=_l("For example: How do you end a thread well?"),
        validators=[required(), length(min=TITLE_MIN, max=TITLE_MAX)],
    )
    body = TextAreaField(
        _l("Your message"),
        description=_l(
            "Only coaches and moderators can read the lounge. Don't share anything that "
            "could show who a young person is."
        ),
        validators=[required(), length(min=BODY_MIN, max=BODY_MAX)],
    )


class LoungeReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Your reply"), validators=[required(), length(min=BODY_MIN, max=BODY_MAX)]
    )
