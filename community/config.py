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
    # How often the sweeper looks for jobs that are due again or that Redis lost.
    OUTBOX_SWEEP_SECONDS = 5
    # Run in-process jobs right after the commit, in the request (tests only: without
    # Redis a background thread runs them, off the request).
    JOBS_RUN_IN_REQUEST = False

    LANGUAGES: dict[str, str] = {"en": "English", "da": "Dansk", "nb": "Norsk bokmål"}
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGE_COOKIE = "assist_lang"
    # Whose helplines a reader sees, and the time zone they see times in (community/core/i18n.py).
    COUNTRY_COOKIE = "assist_country"
    TIMEZONE_COOKIE = "assist_tz"  # set by static/timezone.js from the browser's own zone
    DEFAULT_COUNTRY = "DK"  # when neither the cookie, the browser's region nor the language says

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    # "Keep me logged in" (never offered to 13-15 year olds) lasts at most this long.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)

    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session: nobody loses a long answer
    MAX_CONTENT_LENGTH = 256 * 1024

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI: str | None = None  # follows REDIS_URL when unset
    RATELIMIT_HEADERS_ENABLED = True
    # Per hashed client address (never the address itself; see community/core/ratelimits.py).
    RATELIMIT_SIGNUP = "10 per hour"
    RATELIMIT_LOGIN = "20 per 10 minutes"  # failed log-ins and recoveries
    RATELIMIT_POST = "30 per hour"
    RATELIMIT_FLAG = "60 per hour"
    # Failed log-ins and recoveries: per address and account tried together, and per account
    # from every address (higher, over longer windows: a slower back-off), which only holds
    # back addresses that failed for that account (see community/core/ratelimits.py).
    RATELIMIT_LOGIN_PAIR = "10 per 10 minutes"
    RATELIMIT_LOGIN_ACCOUNT = "50 per hour; 200 per day"
    RATELIMIT_PASSWORD_CHANGE = "10 per hour"  # noqa: S105 - a limit: wrong current passwords
    # Per account: posts (questions, assists, edits together) and reports by one person.
    RATELIMIT_POST_ACCOUNT = "20 per hour"
    RATELIMIT_POST_NEW_ACCOUNT = "6 per hour"  # accounts younger than MODERATION_NEW_ACCOUNT_DAYS
    RATELIMIT_FLAG_ACCOUNT = "30 per hour"

    # Moderation. "every_post": a moderator reads everything before it is public (the Kooth
    # model); "new_users_only": a trusted author's posts are published as soon as screening
    # finds nothing. Whatever screening finds is held under either policy.
    MODERATION_POLICY = "every_post"
    # Trusted: this many posts approved by a moderator, and no rejection or sanction in
    # this many days.
    MODERATION_TRUST_APPROVED_POSTS = 5
    MODERATION_TRUST_CLEAN_DAYS = 30
    # New accounts get tighter posting limits and a daily flag limit, and their flags
    # don't hide anything on their own.
    MODERATION_NEW_ACCOUNT_DAYS = 7
    MODERATION_NEW_ACCOUNT_FLAGS_PER_DAY = 5
    # A published post hides after flags from this many established readers (never for
    # "worried about this person") until a moderator keeps it or takes it down.
    MODERATION_FLAGS_TO_HIDE = 3
    MODERATION_CLAIM_MINUTES = 15  # a moderator's hold on a queue item
    # Default lengths of a first, second, third (and later) silence or suspension, in days;
    # earlier sanctions count for MODERATION_SANCTION_MEMORY_DAYS.
    MODERATION_SILENCE_DAYS = (1, 3, 7)
    MODERATION_SUSPEND_DAYS = (3, 7, 30)
    MODERATION_SANCTION_MEMORY_DAYS = 365
    # A post sent faster than this many characters a second since the author's previous
    # post (or since they signed up) is marked spam-suspect.
    MODERATION_SPAM_CHARS_PER_SECOND = 20
    # Screening words per language (moderation/data/screening/ when unset); link domains
    # that are never "identifying" besides the helplines' own websites.
    MODERATION_SCREENING_DIR: str | None = None
    MODERATION_SAFE_LINK_DOMAINS: tuple[str, ...] = ()
    # A text file of school names (one a line) that are "identifying"; unset: the one in
    # moderation/data/screening/schools.txt.
    MODERATION_SCHOOL_NAMES_FILE: str | None = None
    # The learned second opinion behind the crisis rules (README, "Crisis screening"): off
    # until it raises fewer false alarms on everyday sentences.
    MODERATION_SCREENING_LEARNED: bool = False

    # Number of reverse proxies in front of the app whose X-Forwarded-For to trust (0: none).
    PROXY_FIX_X_FOR = 0

    QUESTIONS_PER_PAGE = 20
    # A post its author deleted stays readable to moderators for this many days (for
    # safeguarding), then `flask posts purge-deleted` wipes its text.
    DELETED_POSTS_RETENTION_DAYS = 30

    # Coaches: a request the coach hasn't answered in this time expires (the asker may
    # choose again); run `flask coaches expire-requests` from cron to sweep them.
    COACH_REQUEST_TTL_HOURS = 48
    # When True, an attached coach's replies are published at once (still on record as
    # approved); when False they wait in the moderation queue like any assist.
    COACH_REPLIES_TRUSTED = False
    LEADERBOARD_SIZE = 50
    # "redis" keeps a sorted set per board; "sql" serves boards from an index. None: Redis
    # when REDIS_URL is set. See community/reputation/redis_boards.py.
    LEADERBOARD_BACKEND: str | None = None
    LEADERBOARD_REDIS_PREFIX = "assist:"
    # Refill an empty or stale Redis copy of the boards from SQL in a background thread
    # (tests turn it off, so no thread outlives its test; the fault test turns it on).
    LEADERBOARD_REFILL_IN_BACKGROUND = True
    LEADERBOARD_DAILY_CAP = 50  # points a day per person (rules.DAILY_CAP)
    # Anti-farming: no points between accounts seen at the same (hashed) address within
    # this many days; the hashes are deleted after it.
    ADDRESS_WINDOW_DAYS = 14
    # The assist-ring check looks at "this helped" marks from this many days back.
    RING_WINDOW_DAYS = 180

    # Notifications older than this many days are deleted by `flask notifications purge`.
    NOTIFICATIONS_KEEP_DAYS = 90

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
    JOBS_RUN_IN_REQUEST = True
    LEADERBOARD_REFILL_IN_BACKGROUND = False


class Production(Defaults):
    HSTS_SECONDS = 63072000  # two years
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {"development": Development, "testing": Testing, "production": Production}
