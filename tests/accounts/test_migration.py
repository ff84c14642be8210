"""The migration that makes pseudonyms unique ignoring case, on a database with accounts."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from community import create_app
from community.extensions import db

BEFORE = "b96527a90487"


def test_existing_accounts_get_their_key_and_clashing_names_are_renamed(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}",
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for name in ("EagerBrook34", "Moderator Mo", "moderator mo", "MODERATOR MO"):
                connection.execute(
                    text(
                        "INSERT INTO users (pseudonym, password_hash, role, session_version,"
                        " is_active, created_at) VALUES (:name, 'x', 'youth', 1, 1,"
                        " '2026-01-01 00:00:00')"
                    ),
                    {"name": name},
                )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, pseudonym, pseudonym_key FROM users ORDER BY id")
            ).all()
        assert rows == [
            (1, "EagerBrook34", "eagerbrook34"),
            (2, "Moderator Mo", "moderator mo"),  # the first keeps its name
            (3, "moderator mo-3", "moderator mo-3"),
            (4, "MODERATOR MO-4", "moderator mo-4"),
        ]
        downgrade(revision=BEFORE)  # and back
        db.session.remove()
        db.engine.dispose()
