from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from community.coaches.lounge.models import BODY_MAX, BODY_MIN, TITLE_MAX, TITLE_MIN
from community.core.forms import body_field, title_field


class TopicForm(FlaskForm):
    title = title_field(
        _l("Topic"), TITLE_MIN, TITLE_MAX, _l("For example: How do you end a thread well?")
    )
    body = body_field(
        _l("Your message"),
        BODY_MIN,
        BODY_MAX,
        _l(
            "Only coaches and moderators can read the lounge. Don't share anything that "
            "could show who a young person is."
        ),
    )


class LoungeReplyForm(FlaskForm):
    body = body_field(_l("Your reply"), BODY_MIN, BODY_MAX)
