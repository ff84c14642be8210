from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from community.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from community.accounts.services import UNDER_13
from community.core.forms import length, required


def age_choices():
    return [
        SelectChoice(UNDER_13, _l("12 or younger")),
        SelectChoice("13-15", _l("13 to 15")),
        SelectChoice("16-17", _l("16 or 17")),
        SelectChoice("18-25", _l("18 to 25")),
    ]


class SignUpForm(FlaskForm):
    pseudonym = StringField(_l("Your pseudonym"), validators=[required()])
    age_band = RadioField(
        _l("How old are you?"),
        choices=age_choices(),
        validators=[required()],
        validate_choice=False,  # the service gives a clear message for odd values
    )
    password = PasswordField(
        _l("Choose a password"),
        description=lazy_ngettext(
            "At least %(num)d character. A few words together work well.",
            "At least %(num)d characters. A few words together work well.",
            MIN_LENGTH,
        ),
        validators=[required(), length(max=MAX_LENGTH)],
    )


class LogInForm(FlaskForm):
    pseudonym = StringField(_l("Pseudonym"), validators=[required(), length(max=40)])
    password = PasswordField(_l("Password"), validators=[required(), length(max=MAX_LENGTH)])
    remember = BooleanField(
        _l("Keep me logged in on this device"),
        description=_l("Only on a phone or computer that nobody else uses. Not for ages 13 to 15."),
    )


class RecoverForm(FlaskForm):
    pseudonym = StringField(_l("Pseudonym"), validators=[required(), length(max=40)])
    recovery_code = StringField(
        _l("Recovery code"),
        description=_l("The code you got when you signed up, like ABCD-EFGH-…"),
        validators=[required(), length(max=64)],
    )
    password = PasswordField(_l("New password"), validators=[required(), length(max=MAX_LENGTH)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Your password now"), validators=[required(), length(max=MAX_LENGTH)]
    )
    password = PasswordField(
        _l("New password"),
        description=lazy_ngettext(
            "At least %(num)d character. A few words together work well.",
            "At least %(num)d characters. A few words together work well.",
            MIN_LENGTH,
        ),
        validators=[required(), length(max=MAX_LENGTH)],
    )


class RecoveryCodeLanguageForm(FlaskForm):
    """The language switch on the recovery-code page: the code travels in the form."""

    language = SelectField(_l("Language"), validate_choice=False)
    code = HiddenField()
    new_account = HiddenField()
    next = HiddenField()
