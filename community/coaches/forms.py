"""Coach forms: they validate and echo what was typed; the services decide and save."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from community.assists.models import BODY_MAX as REPLY_MAX
from community.assists.models import BODY_MIN as REPLY_MIN
from community.coaches.applications import NOTE_MAX
from community.coaches.models import (
    ABOUT_MAX,
    CAPACITY_MAX,
    CAPACITY_MIN,
    DISPLAY_NAME_MAX,
    EXPERIENCE_MAX,
    CoachProfile,
)
from community.coaches.profiles import LANGUAGES, ProfileDraft, language_label
from community.core.forms import body_field, length, required
from community.questions.topics import TOPIC_LABELS


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (render with the ``radio_field`` macro: a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Your name on Assist"),
        description=_l("Your first name or a nickname. Young people will see it."),
        validators=[required(), length(max=DISPLAY_NAME_MAX)],
    )
    about = TextAreaField(
        _l("About me"),
        description=_l("A few friendly lines about who you are."),
        validators=[required(), length(max=ABOUT_MAX)],
    )
    experience = TextAreaField(
        _l("What I have been through"),
        description=_l(
            "In your own words: the things you have lived through that could help someone. "
            "Don't write names, places or contact details."
        ),
        validators=[required(), length(max=EXPERIENCE_MAX)],
    )
    topics = CheckboxesField(
        _l("Topics you can help with"),
        choices=[SelectChoice(topic.value, label) for topic, label in TOPIC_LABELS.items()],
        validate_choice=False,  # the service checks and explains
    )
    languages = CheckboxesField(_l("Languages you speak"), validate_choice=False)
    capacity = SelectField(
        _l("How many threads can you be in at once?"),
        choices=[SelectChoice(str(n), str(n)) for n in range(CAPACITY_MIN, CAPACITY_MAX + 1)],
        default="2",
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Language names follow the reader's language, so they are built per request.
        self.languages.choices = [SelectChoice(code, language_label(code)) for code in LANGUAGES]

    def draft(self) -> ProfileDraft:
        """What was typed, for the service to check (applying and editing alike)."""
        return ProfileDraft(
            display_name=self.display_name.data or "",
            about=self.about.data or "",
            experience=self.experience.data or "",
            topics=tuple(self.topics.data or ()),
            languages=tuple(self.languages.data or ()),
            capacity=self.capacity.data or "",
        )

    def fill(
        self, profile: CoachProfile | None, texts: tuple[str | None, str | None, str | None]
    ) -> None:
        """Show *texts* (display name, about me, lived experience) and *profile*'s settings."""
        self.display_name.data, self.about.data, self.experience.data = texts
        if profile is not None:
            self.topics.data = [t.topic.value for t in profile.topics]
            self.languages.data = [lang.language for lang in profile.languages]
            self.capacity.data = str(profile.capacity)


class DeclineForm(FlaskForm):
    note = TextAreaField(
        _l("Note to the applicant (optional)"),
        description=_l("Say kindly why, and whether they could apply again later."),
        validators=[length(max=NOTE_MAX)],
    )


class AwayForm(FlaskForm):
    away = HiddenField()  # "1" to pause, "0" to come back; the coach comes from the session


class ChooseCoachForm(FlaskForm):
    """The asker picks a coach for one of their questions (checked again by the service)."""

    question = HiddenField()
    coach = HiddenField()


class ChooseFromListForm(FlaskForm):
    """On the thread: the asker picks a coach from the available ones."""

    question = HiddenField()
    coach = SelectField(_l("Choose a coach"), validate_choice=False)


class CoachReplyForm(FlaskForm):
    body = body_field(
        _l("Your reply as a coach"),
        REPLY_MIN,
        REPLY_MAX,
        _l(
            "Share what helped you, kindly and honestly. Don't ask for contact details or "
            "give yours."
        ),
    )
