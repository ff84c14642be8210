from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from community.core.forms import body_field, required, title_field
from community.questions.models import BODY_MAX, BODY_MIN, TITLE_MAX, TITLE_MIN
from community.questions.topics import TOPIC_LABELS


class QuestionForm(FlaskForm):
    title = title_field(
        _l("Your question in one line"),
        TITLE_MIN,
        TITLE_MAX,
        _l("For example: How do I tell my friend I'm worried about her?"),
    )
    body = body_field(
        _l("Tell us more"),
        BODY_MIN,
        BODY_MAX,
        _l(
            "Don't write names, schools, places or contact details. "
            "You can use *italic*, **bold** and lists."
        ),
    )
    topic = RadioField(
        _l("What is it about?"),
        choices=[SelectChoice(topic.value, label) for topic, label in TOPIC_LABELS.items()],
        validators=[required()],
        validate_choice=False,
    )
