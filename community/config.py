"""Configuration defaults.

Order of precedence (lowest first): these defaults, ``instance/config.py``,
then environment variables prefixed ``ASSIST_`` (``ASSIST_SECRET_KEY`` …), plus
the conventional ``DATABASE_URL`` / ``REDIS_URL`` / ``SECRET_KEY``.
"""

from __future__ import annotations

from datetime import timedelta


class Defaults:
    # No SECRET_KEY here on purpose: create_app refuses to start without one
    # outside development and tests.
    SQLALCHEMY_DATABASE_URI: str | None = None  # SQLite in the instance folder when unset
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    REDIS_URL: str | None = None
    # "inline" runs jobs in this process after the commit; "rq" hands them to RQ.
    # Chosen automatically from REDIS_URL when left as None.
    JOBS_BACKEND: str | None = None
    # How long a write waits for SQLite's lock before the user gets a 503 "try again".
    SQLITE_BUSY_TIMEOUT_MS = 5000
    # Seconds a client is asked to wait when the database is busy or down.
    RETRY_AFTER_SECONDS = 30
    RQ_QUEUE: str = "assist"
    RQ_IS_ASYNC: bool = True
    JOB_TIMEOUT_SECONDS = 300
    # A job handed to RQ but not done after this long is handed over again (its worker died).
    JOB_VISIBILITY_TIMEOUT_SECONDS = 900
    OUTBOX_SWEEP_SECONDS = 15

    LANGUAGES: dict[str, str] = {"en": "English", "da": "Dansk", "nb": "Norsk bokmål"}
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGE_COOKIE = "assist_lang"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session: nobody loses a long answer
    MAX_CONTENT_LENGTH = 256 * 1024

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI: str | None = None  # follows REDIS_URL when unset
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SIGNUP = "10 per hour"
    RATELIMIT_LOGIN = "20 per 10 minutes"
    RATELIMIT_POST = "30 per hour"

    # Number of reverse proxies in front of the app whose X-Forwarded-For to trust (0: none).
    PROXY_FIX_X_FOR = 0

    QUESTIONS_PER_PAGE = 20

    # Coaches: a request the coach hasn't answered in this time expires (the asker may
    # choose again); run `flask coaches expire-requests` from cron to sweep them.
    COACH_REQUEST_TTL_HOURS = 48
    # When True, an attached coach's replies are published at once (still on record as
    # approved); when False they wait in the moderation queue like any assist.
    COACH_REPLIES_TRUSTED = False
    LEADERBOARD_SIZE = 50

    # Where demo data and the helpline list come from; both are plain data files.
    HELPLINES_FILE: str | None = None


class Development(Defaults):
    SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - development only, refused in production


class Testing(Defaults):
    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RQ_IS_ASYNC = False


class Production(Defaults):
    HSTS_SECONDS = 63072000  # two years
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {"development": Development, "testing": Testing, "production": Production}
