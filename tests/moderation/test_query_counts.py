"""Moderation pages issue a constant number of SQL statements, whatever the number of rows."""

from community.core.database import commit_unit_of_work
from moderation import flags, safeguarding, sanctions, screening_marks
from tests.conftest import approve_open
from tests.moderation.conftest import open_item
from tests.test_query_counts import _statements_for

RISK = "I don't want to live anymore, it is all too much for me now."


def _grow(create_user, moderator, ask, n):
    """n more authors, each with a risky post (escalated), a flagged post and a sanction."""
    for _ in range(n):
        author, reader = create_user(), create_user()
        flagged = ask(author, body="A post that a reader will flag after it is published.")
        approve_open(moderator)
        flags.file_flag(reader, "question", flagged.id, "hurtful")
        risky = ask(author, body=RISK)
        item = open_item("question", risky.id)
        safeguarding.escalate(item.id, moderator, "Please look.")
        screening_marks.mark(item.id, moderator, "false_alarm")  # on the dashboard
        sanctions.apply_sanction(moderator, author.id, "warn", "hurtful")
        commit_unit_of_work()


def test_moderation_pages_are_constant(client, create_user, moderator, admin, ask, login):
    _grow(create_user, moderator, ask, 1)
    login(admin)
    urls = ["/moderation/", "/safeguarding/", "/moderation/dashboard", "/admin/audit"]
    one = {url: _statements_for(client, url) for url in urls}
    _grow(create_user, moderator, ask, 6)
    many = {url: _statements_for(client, url) for url in urls}
    assert one == many


def test_a_persons_record_is_constant(client, youth, moderator, admin, login):
    sanctions.apply_sanction(moderator, youth.id, "warn", "hurtful")
    commit_unit_of_work()
    login(admin)
    url = f"/moderation/users/{youth.id}"
    one = _statements_for(client, url)
    for kind in ("warn", "silence", "warn", "silence"):
        sanctions.apply_sanction(moderator, youth.id, kind, "spam")
    commit_unit_of_work()
    assert _statements_for(client, url) == one


def test_ones_own_standing_is_constant(client, youth, moderator, login):
    sanctions.apply_sanction(moderator, youth.id, "warn", "hurtful")
    commit_unit_of_work()
    login(youth)
    one = _statements_for(client, "/me/standing")
    for _ in range(5):
        sanctions.apply_sanction(moderator, youth.id, "warn", "spam")
    commit_unit_of_work()
    assert _statements_for(client, "/me/standing") == one
