from __future__ import annotations

from flask_wtf import FlaskForm


class ReadForm(FlaskForm):
    """Only a CSRF token: the notification comes from the URL, the reader from the session."""
