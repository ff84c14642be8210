"""The audit log: one row for every moderator action and every look at a pending item,
every role change; append-only; no post text, no addresses; admins read and filter it."""

from datetime import date

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from community.accounts.models import Role, User
from community.core.database import commit_unit_of_work
from community.extensions import db
from moderation import api as moderation
from moderation import decisions, safeguarding, sanctions
from moderation.audit import AppendOnly
from moderation.models import AuditEntry, Redaction
from tests.conftest import PASSWORD
from tests.moderation.conftest import TITLE, open_item

SECRET_BODY = "My number is 20 30 40 50 and I live at Vestergade 12, please help me."
ADDRESS = "198.51.100.23"
AUDITED_BLUEPRINTS = ("moderation", "safeguarding")
AUDITED_ENDPOINTS = {"admin.audit_log", "admin.redaction"}


def _count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(AuditEntry)) or 0


@pytest.fixture
def world(app, youth, other_youth, admin, moderator, ask):
    """Open items for every kind of decision, an escalation, a sanction, a redaction."""
    items = {}
    for name in ("decide", "reject", "redact", "escalate", "resolve", "redacted"):
        question = ask(youth if name != "reject" else other_youth, body=SECRET_BODY + f" ({name})")
        items[name] = open_item("question", question.id).id
    escalation = safeguarding.escalate(items["resolve"], moderator, "Please check on them.")
    sanction = sanctions.apply_sanction(moderator, other_youth.id, "warn", "hurtful")
    decisions.redact(items["redacted"], moderator, TITLE, "Please help me, I am lost.")
    commit_unit_of_work()
    return {
        "items": items,
        "escalation": escalation.id,
        "sanction": sanction.id,
        "redaction": db.session.scalar(select(Redaction.id)),
        "user": youth.id,
    }


def _recipes(world):
    """(method, url, form) for every audited endpoint, as an admin would use it."""
    items = world["items"]
    return {
        "moderation.index": ("GET", "/moderation/", None),
        "moderation.dashboard": ("GET", "/moderation/dashboard", None),
        "moderation.item": ("GET", f"/moderation/items/{items['decide']}", None),
        "moderation.claim": ("POST", f"/moderation/items/{items['decide']}/claim", {}),
        "moderation.release": ("POST", f"/moderation/items/{items['decide']}/release", {}),
        "moderation.approve": ("POST", f"/moderation/items/{items['decide']}/approve", {}),
        "moderation.reject": (
            "POST",
            f"/moderation/items/{items['reject']}/reject",
            {f"r{items['reject']}-reason": "unclear"},
        ),
        "moderation.redact": (
            "POST",
            f"/moderation/items/{items['redact']}/redact",
            {"x-title": TITLE, "x-body": "Please help me, I feel lost and alone."},
        ),
        "moderation.escalate": (
            "POST",
            f"/moderation/items/{items['escalate']}/escalate",
            {"e-note": "Worried about their safety."},
        ),
        "moderation.screening_mark": (
            "POST",
            f"/moderation/items/{items['escalate']}/screening",
            {"verdict": "missed"},
        ),
        "moderation.user": ("GET", f"/moderation/users/{world['user']}", None),
        "moderation.sanction": (
            "POST",
            f"/moderation/users/{world['user']}/sanctions",
            {"s-kind": "warn", "s-reason": "hurtful"},
        ),
        "moderation.revoke": (
            "POST",
            f"/moderation/sanctions/{world['sanction']}/revoke",
            {f"v{world['sanction']}-reason": "A mistake."},
        ),
        "safeguarding.index": ("GET", "/safeguarding/", None),
        "safeguarding.resolve": (
            "POST",
            f"/safeguarding/{world['escalation']}/resolve",
            {f"g{world['escalation']}-outcome": "contacted"},
        ),
        "admin.audit_log": ("GET", "/admin/audit", None),
        "admin.redaction": ("GET", f"/admin/audit/redactions/{world['redaction']}", None),
    }


def test_every_moderation_route_writes_exactly_one_audit_row(app, client, world, admin, login):
    endpoints = sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if rule.endpoint.split(".")[0] in AUDITED_BLUEPRINTS
            or rule.endpoint in AUDITED_ENDPOINTS
        }
    )
    recipes = _recipes(world)
    assert set(endpoints) == set(recipes), "a moderation route without an audit check"
    login(admin)
    for endpoint in recipes:  # in the recipes' order: claim before approve, and so on
        method, url, form = recipes[endpoint]
        before = _count()
        response = client.open(url, method=method, data=form)
        assert response.status_code in (200, 302), (endpoint, response.status_code)
        assert _count() - before == 1, endpoint
        newest = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        assert newest.actor_id == admin.id, endpoint


def test_no_route_can_change_or_delete_audit_rows(app):
    for rule in app.url_map.iter_rules():
        assert not (rule.methods or set()) & {"PUT", "PATCH", "DELETE"}, rule
    editing = [rule.rule for rule in app.url_map.iter_rules() if "audit" in rule.rule]
    assert all(rule.startswith("/admin/audit") for rule in editing)


def test_the_session_and_the_database_refuse_changes(app, moderator):
    entry = moderation.record_audit(moderator.id, "test.action", "thing", 1)
    commit_unit_of_work()
    entry.reason = "rewritten"
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AppendOnly):
        db.session.execute(update(AuditEntry).values(reason="bulk"))
    with pytest.raises(AppendOnly):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE audit_entries SET reason = 'raw'"))
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).reason is None


def test_rows_hold_no_post_text_and_no_address(app, client, world, admin, login):
    login(admin)
    for method, url, form in _recipes(world).values():
        client.open(url, method=method, data=form, environ_base={"REMOTE_ADDR": ADDRESS})
    for action, reason in db.session.execute(select(AuditEntry.action, AuditEntry.reason)):
        for words in ("20 30 40 50", "Vestergade", "Please help me", ADDRESS):
            assert words not in (reason or ""), (action, reason)


def test_role_changes_are_audited(app, runner, youth):
    result = runner.invoke(
        args=["users", "set-role", "--name", youth.pseudonym, "--role", "moderator"]
    )
    assert result.exit_code == 0, result.output
    created = runner.invoke(
        args=["users", "create-staff", "--name", "Safe Sam", "--role", "safeguarding"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert created.exit_code == 0, created.output
    rows = db.session.execute(
        select(AuditEntry.action, AuditEntry.object_id, AuditEntry.reason).order_by(AuditEntry.id)
    ).all()
    sam = db.session.scalar(select(User).where(User.pseudonym == "Safe Sam"))
    assert sam.role is Role.SAFEGUARDING and sam.can_moderate and sam.can_safeguard
    assert [tuple(r) for r in rows] == [
        ("user.role_changed", youth.id, "youth -> moderator"),
        ("user.staff_created", sam.id, "safeguarding"),
    ]


def test_admins_read_and_filter_the_log(client, world, admin, moderator, login):
    login(moderator)
    assert client.get("/admin/audit").status_code == 403
    client.post("/log-out")
    login(admin)
    page = client.get("/admin/audit", query_string={"action": "sanction"})
    assert page.status_code == 200 and "sanction.warn" in page.text
    assert "queue_item.escalated" not in page.text
    by_actor = client.get("/admin/audit", query_string={"actor": moderator.pseudonym})
    assert "queue_item.escalated" in by_actor.text
    nobody = client.get("/admin/audit", query_string={"actor": "Nobody At All"})
    assert nobody.status_code == 422 and "Nobody At All" in nobody.text
    bad = client.get("/admin/audit", query_string={"since": "yesterday", "action": "queue"})
    assert bad.status_code == 422 and 'value="queue"' in bad.text
    today = date.today().isoformat()
    dated = client.get("/admin/audit", query_string={"since": today, "until": today})
    assert "question.redacted" in dated.text


def test_the_log_pages_back_without_gaps(client, admin, moderator, login):
    for n in range(130):
        moderation.record_audit(moderator.id, "test.page", "thing", n)
    commit_unit_of_work()
    login(admin)
    first = client.get("/admin/audit", query_string={"action": "test."})
    assert first.text.count("test.page") == 100 and "Older entries" in first.text
    oldest_shown = db.session.scalar(
        select(AuditEntry.id)
        .where(AuditEntry.action == "test.page")
        .order_by(AuditEntry.id.desc())
        .offset(99)
    )
    second = client.get("/admin/audit", query_string={"action": "test.", "before": oldest_shown})
    assert second.text.count("test.page") == 30 and "Older entries" not in second.text


def test_a_moderator_opening_a_pending_post_is_audited(client, youth, moderator, login, ask):
    question = ask(youth)
    login(youth)
    client.get(f"/questions/{question.id}")  # the author's own look is not audited
    assert _count() == 0
    client.post("/log-out")
    login(moderator)
    assert client.get(f"/questions/{question.id}").status_code == 200
    row = db.session.scalar(select(AuditEntry))
    assert (row.actor_id, row.action, row.object_type, row.object_id) == (
        moderator.id,
        "pending_content.viewed",
        "question",
        question.id,
    )
