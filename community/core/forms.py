"""Form helpers shared by every feature."""

from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


def required():
    return DataRequired(message=_l("Please fill this in."))


def length(min: int = -1, max: int = -1):  # noqa: A002 - mirrors wtforms' signature
    if min > 0 and max > 0:
        message = lazy_ngettext(
            "Use %(min)d to %(num)d character.", "Use %(min)d to %(num)d characters.", max, min=min
        )
    elif max > 0:
        message = lazy_ngettext(
            "Use at most %(num)d character.", "Use at most %(num)d characters.", max
        )
    else:
        message = lazy_ngettext(
            "Use at least %(num)d character.", "Use at least %(num)d characters.", min
        )
    return Length(min=min, max=max, message=message)


MAX_ID = 2**31 - 1  # the largest id a database integer column holds everywhere


def parse_id(value: object) -> int | None:
    """A positive database id from form or URL text, or ``None`` for anything else."""
    text = str(value or "").strip().lstrip("0")
    # Digits only, and no more than MAX_ID has: int() refuses thousands of digits.
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def apply_domain_error(form, error) -> None:
    """Show a service's :class:`DomainError` on the field it names, or on the whole form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def title_field(label, minimum: int, maximum: int, description=None) -> StringField:
    """A post's title (one line): required, between *minimum* and *maximum* characters."""
    return StringField(
        label, description=description, validators=[required(), length(min=minimum, max=maximum)]
    )


def body_field(label, minimum: int, maximum: int, description=None) -> TextAreaField:
    """The text of a post (Markdown): required, between *minimum* and *maximum* characters."""
    return TextAreaField(
        label, description=description, validators=[required(), length(min=minimum, max=maximum)]
    )


class TokenForm(FlaskForm):
    """Only a CSRF token: a one-button form, whose what comes from the URL, who from the session."""


def check_submitted(form: FlaskForm) -> None:
    """Refuse a form whose only checks are its CSRF token and hidden values, when it doesn't
    validate: our page did not send it (400, answered by the registered handler)."""
    if not form.validate_on_submit():
        abort(400)


def check_token() -> None:
    """Refuse a one-button POST whose CSRF token is missing or wrong."""
    check_submitted(TokenForm())
