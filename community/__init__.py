"""Assist: an anonymous, moderated peer-advice community for young people."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from community.core import http

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. *config* overrides everything else (tests use it)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    http.init_app(app)  # before any route: bounds every <int:…>
    _configure(app, config or {})
    if app.config["PROXY_FIX_X_FOR"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX_X_FOR"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    register_extensions(app)
    register_features(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def _configure(app: Flask, overrides: dict[str, Any]) -> None:
    from community.config import CONFIGS

    env = (
        overrides.get("ENV")
        or os.environ.get("ASSIST_ENV")
        or ("testing" if overrides.get("TESTING") else "development")
    )
    app.config.from_object(CONFIGS[env])
    app.config.from_pyfile("config.py", silent=True)
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("ASSIST")
    app.config.update(overrides)
    app.config["ENV_NAME"] = env

    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("Set SECRET_KEY (or ASSIST_SECRET_KEY) before running in production.")
    if app.config.get("DATABASE_URL") and not overrides.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'assist.sqlite3'}"
        )
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://" + uri[len("postgres://") :]
    if uri.startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            "postgresql+psycopg://" + uri[len("postgresql://") :]
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        # Survive database restarts; fail fast (then 503) when it is unreachable.
        options.setdefault("pool_pre_ping", True)
        options.setdefault("connect_args", {}).setdefault("connect_timeout", 5)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        timeout = app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
        options.setdefault("connect_args", {}).setdefault("timeout", timeout)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if app.config.get("JOBS_BACKEND") is None:
        app.config["JOBS_BACKEND"] = "rq" if app.config.get("REDIS_URL") else "inline"
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"


def register_extensions(app: Flask) -> None:
    from community.accounts.services import load_session_user
    from community.core import database, delivery, i18n, security
    from community.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    database.configure_sqlite(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=i18n.select_timezone,
        default_translation_directories=str(ROOT / "community" / "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.user_loader(load_session_user)
    database.init_app(app)
    delivery.init_app(app)
    i18n.init_app(app)
    security.init_app(app)


def register_features(app: Flask) -> None:
    """Each feature registers everything it has (blueprints, content kinds, notification
    types, jobs, signal receivers, thread sections, CLI) in its own ``init_app``, in this
    order: the thread page shows sections in the order registered. Moderation comes last,
    because it reads the content kinds the features registered."""
    from community import (
        accounts,
        admin,
        assists,
        coaches,
        main,
        notifications,
        questions,
        reputation,
    )
    from moderation import api as moderation

    for feature in (main, accounts, questions, assists, admin, notifications, reputation, coaches):
        feature.init_app(app)
    moderation.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from community.core import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from community import cli

    cli.init_app(app)
