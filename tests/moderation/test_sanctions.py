"""Sanctions: warn, silence, suspend; longer each time; the person sees why and until when;
audited; reversible."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from community.accounts import services as accounts
from community.accounts.models import Role
from community.assists import services as assists
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.core.errors import DomainError, NotAllowed
from community.extensions import db
from community.notifications.models import Notification
from community.questions import services as questions
from moderation import sanctions
from moderation.models import AuditEntry, Sanction, SanctionKind
from tests.conftest import PASSWORD, approve_open
from tests.moderation.conftest import BODY, TITLE


def _apply(moderator, user, kind, reason="hurtful", note="", days=None):
    sanction = sanctions.apply_sanction(moderator, user.id, kind, reason, note, days)
    commit_unit_of_work()
    return sanction


def test_each_silence_lasts_longer(app, youth, moderator):
    lengths = []
    for _ in range(4):
        sanction = _apply(moderator, youth, "silence")
        lengths.append(round((sanction.ends_at - sanction.created_at) / timedelta(days=1)))
    assert lengths == [1, 3, 7, 7]
    assert round((_apply(moderator, youth, "suspend").ends_at - utcnow()).days) in (2, 3)
    chosen = _apply(moderator, youth, "silence", days=30)
    assert (chosen.ends_at - chosen.created_at).days == 30


def test_revoked_sanctions_do_not_count_towards_the_next(app, youth, moderator):
    first = _apply(moderator, youth, "silence")
    sanctions.revoke(moderator, first.id, "Wrong person, sorry.")
    commit_unit_of_work()
    assert sanctions.default_days(youth.id, SanctionKind.SILENCE) == 1


def test_a_silenced_person_cannot_post_and_hears_why_and_until_when(
    client, youth, other_youth, moderator, login, ask
):
    question = ask(other_youth)
    approve_open(moderator)
    _apply(moderator, youth, "silence", "contact", note="Please keep chats on Assist.")
    with pytest.raises(NotAllowed, match="paused your posting until"):
        questions.ask(youth, questions.QuestionDraft(TITLE, BODY, "school"))
    with pytest.raises(NotAllowed, match="other apps"):
        assists.write(youth, question.id, "Here is my assist, long enough.")
    login(youth)
    page = client.post("/questions/ask", data={"title": TITLE, "body": BODY, "topic": "school"})
    assert page.status_code == 422 and "paused your posting until" in page.text
    assert BODY.replace("'", "&#39;") in page.text  # what they typed is kept
    thread = client.get(f"/questions/{question.id}")
    assert "Write an assist" not in thread.text
    assert "A moderator has paused your posting until" in thread.text  # the banner
    refused = client.post(f"/questions/{question.id}/assists", data={"body": "My assist text."})
    assert refused.status_code == 403 and "paused your posting" in refused.text
    assert "My assist text." in refused.text
    standing = client.get("/me/standing")
    assert "Please keep chats on Assist." in standing.text and "other apps" in standing.text
    told = db.session.scalar(select(Notification).where(Notification.recipient_id == youth.id))
    assert told.kind == "moderation.sanctioned"


def test_a_suspended_person_is_logged_out_and_cannot_log_in(client, youth, moderator, login):
    login(youth)
    assert "Logged in as" in client.get("/").text
    sanction = _apply(moderator, youth, "suspend", "spam")
    assert "Logged in as" not in client.get("/").text  # every session ended
    page = login(youth)
    assert page.status_code == 422
    assert "Your account is paused until" in page.text and "adverts" in page.text
    with pytest.raises(accounts.InvalidCredentials):
        accounts.authenticate(youth.pseudonym, "not the password")  # says nothing to others
    sanctions.revoke(moderator, sanction.id, "Appeal accepted.")
    commit_unit_of_work()
    assert login(youth).status_code == 302


def test_a_suspension_runs_out(app, youth, moderator):
    _apply(moderator, youth, "suspend")
    db.session.execute(update(Sanction).values(ends_at=utcnow() - timedelta(seconds=1)))
    commit_unit_of_work()
    assert accounts.authenticate(youth.pseudonym, PASSWORD).id == youth.id


def test_a_warning_shows_for_a_while_and_blocks_nothing(client, youth, moderator, login, ask):
    _apply(moderator, youth, "warn", "hurtful")
    assert ask(youth).id
    login(youth)
    assert "A moderator sent you a warning." in client.get("/").text


def test_who_may_sanction_whom(app, youth, moderator, create_user):
    admin = create_user(role=Role.ADMIN)
    with pytest.raises(NotAllowed):
        sanctions.apply_sanction(youth, moderator.id, "warn", "hurtful")
    with pytest.raises(NotAllowed):
        sanctions.apply_sanction(moderator, moderator.id, "warn", "hurtful")
    with pytest.raises(NotAllowed):
        sanctions.apply_sanction(moderator, admin.id, "silence", "hurtful")
    with pytest.raises(DomainError):
        sanctions.apply_sanction(moderator, youth.id, "ban-forever", "hurtful")
    with pytest.raises(DomainError):
        sanctions.apply_sanction(moderator, youth.id, "warn", "other", "")
    with pytest.raises(DomainError):
        sanctions.apply_sanction(moderator, youth.id, "silence", "spam", days=0)


def test_every_sanction_and_reversal_is_audited(app, youth, moderator):
    sanction = _apply(moderator, youth, "silence", "spam")
    sanctions.revoke(moderator, sanction.id, "Misread the report.")
    commit_unit_of_work()
    rows = db.session.execute(
        select(
            AuditEntry.actor_id, AuditEntry.action, AuditEntry.object_type, AuditEntry.object_id
        ).order_by(AuditEntry.id)
    ).all()
    assert [tuple(r) for r in rows] == [
        (moderator.id, "sanction.silence", "user", youth.id),
        (moderator.id, "sanction.revoked", "user", youth.id),
    ]


def test_the_moderator_page_applies_and_takes_back(client, youth, moderator, login):
    login(moderator)
    page = client.get(f"/moderation/users/{youth.id}")
    assert "A first pause of posting lasts 1 day," in page.text
    bad = client.post(
        f"/moderation/users/{youth.id}/sanctions",
        data={"s-kind": "silence", "s-reason": "other", "s-note": ""},
    )
    assert bad.status_code == 422 and "Write a short note" in bad.text
    client.post(
        f"/moderation/users/{youth.id}/sanctions",
        data={"s-kind": "silence", "s-reason": "hurtful", "s-days": "2"},
    )
    sanction = db.session.scalar(select(Sanction))
    assert (sanction.ends_at - sanction.created_at).days == 2
    missing = client.post(f"/moderation/sanctions/{sanction.id}/revoke", data={})
    assert missing.status_code == 422
    client.post(
        f"/moderation/sanctions/{sanction.id}/revoke", data={f"v{sanction.id}-reason": "Oops."}
    )
    db.session.expire_all()
    assert db.session.get(Sanction, sanction.id).revoked_by_id == moderator.id
    assert "Taken back" in client.get(f"/moderation/users/{youth.id}").text
