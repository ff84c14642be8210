from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), validate_choice=False)
    next = HiddenField()


class CountryForm(FlaskForm):
    country = SelectField(_l("Country"), validate_choice=False)
    next = HiddenField()
