"""Unbound Flask extensions; bound to the app in :func:`community.create_app`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flask import Flask, current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import CursorResult, MetaData, Result
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _client_key() -> str:
    """Rate-limit key: a keyed hash of the client address, never the address itself."""
    from community.core.privacy import hashed_client_address

    return hashed_client_address(request.remote_addr or "")


db = SQLAlchemy(model_class=Base)
# The base class of every model. Flask-SQLAlchemy builds db.Model at run time (adding the
# query property and bind keys), which a type checker can't follow: it sees Base instead.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=_client_key, default_limits=[], in_memory_fallback_enabled=True)


def enum_type(enum_cls, length: int = 32):
    """A portable VARCHAR enum column type that stores the members' *values*."""
    return db.Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def real_app() -> Flask:
    """The app behind ``current_app``, for work that outlives the request (threads, callbacks)."""
    return current_app._get_current_object()  # type: ignore[attr-defined]


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (``Session.execute`` is typed as Result)."""
    return cast("CursorResult[Any]", result).rowcount
