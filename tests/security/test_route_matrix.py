"""Who may open what: every route in the URL map, for every kind of person.

The table below is the specification. A route the app has but the table lacks
fails the test, so a new route can't ship without saying who may use it.
Columns: visitor, asker, helper, coach, moderator, admin.
"""

from __future__ import annotations

import pytest

from tests.security.world import ROLES, build_world, client_for


def every(status: int) -> tuple[int, ...]:
    return (status,) * len(ROLES)


SIGNED_IN = (302, 200, 200, 200, 200, 200)  # visitors are sent to log in
MODERATORS = (302, 403, 403, 403, 200, 200)
COACHES_ONLY = (302, 403, 403, 200, 403, 403)
ADMINS = (302, 403, 403, 403, 403, 200)
SIGNED_IN_404 = (302, 404, 404, 404, 404, 404)
MODERATOR_ACTION = (302, 403, 403, 403, 302, 302)
MODERATOR_FORM = (302, 403, 403, 403, 422, 422)
LOUNGE = (302, 403, 403, 200, 200, 200)  # coaches and moderators
FOLLOWERS = (302, 302, 302, 403, 403, 403)  # young people

# (endpoint, method, path, expected status per role). POSTs send an empty form.
# State-changing rows come last, log-out at the very end.
MATRIX: list[tuple[str, str, str, tuple[int, ...]]] = [
    ("main.index", "GET", "/", every(200)),
    ("main.healthz", "GET", "/healthz", every(200)),
    ("main.help", "GET", "/help", every(200)),
    ("main.favicon", "GET", "/favicon.ico", every(200)),
    ("main.my_posts", "GET", "/me/posts", SIGNED_IN),
    ("accounts.signup", "GET", "/sign-up", (200, 302, 302, 302, 302, 302)),
    ("accounts.too_young", "GET", "/sign-up/too-young", every(200)),
    ("accounts.login", "GET", "/log-in", (200, 302, 302, 302, 302, 302)),
    ("accounts.recover", "GET", "/recover", every(200)),
    ("accounts.change_password", "GET", "/me/password", SIGNED_IN),
    ("questions.index", "GET", "/questions/", every(200)),
    ("questions.detail", "GET", "/questions/{question}", every(200)),
    ("questions.detail", "GET", "/questions/{pending_question}", (404, 200, 404, 404, 200, 200)),
    ("questions.detail", "GET", "/questions/999999", every(404)),
    ("questions.create", "GET", "/questions/ask", SIGNED_IN),
    (
        "questions.update",
        "GET",
        "/questions/{pending_question}/edit",
        (302, 200, 404, 404, 403, 403),
    ),
    ("questions.update", "GET", "/questions/{question}/edit", (302, 403, 403, 403, 403, 403)),
    ("assists.update", "GET", "/assists/{pending_assist}/edit", (302, 404, 200, 404, 404, 404)),
    # Only the author deletes a post of their own (asked first, on a page of its own).
    (
        "questions.delete",
        "GET",
        "/questions/{pending_question}/delete",
        (302, 200, 404, 404, 404, 404),
    ),
    ("assists.delete", "GET", "/assists/{pending_assist}/delete", (302, 404, 200, 404, 404, 404)),
    ("assists.deleted_posts", "GET", "/deleted-posts", MODERATORS),
    ("leaderboard.index", "GET", "/leaderboard/", every(200)),
    ("moderation.index", "GET", "/moderation/", MODERATORS),
    ("admin.jobs", "GET", "/admin/jobs", (302, 403, 403, 403, 403, 200)),
    ("notifications.index", "GET", "/notifications/", SIGNED_IN),
    ("moderation.dashboard", "GET", "/moderation/dashboard", MODERATORS),
    ("moderation.item", "GET", "/moderation/items/{item_c}", MODERATORS),
    ("moderation.user", "GET", "/moderation/users/{asker_id}", MODERATORS),
    ("admin.audit_log", "GET", "/admin/audit", ADMINS),
    ("admin.redaction", "GET", "/admin/audit/redactions/{redaction}", ADMINS),
    ("safeguarding.index", "GET", "/safeguarding/", ADMINS),  # and safeguarding staff
    # Nobody reports their own post; pending posts and unknown kinds can't be reported.
    ("flags.create", "GET", "/report/question/{question}", (302, 403, 200, 200, 200, 200)),
    ("flags.create", "GET", "/report/question/{pending_question}", SIGNED_IN_404),
    ("flags.create", "GET", "/report/nonsense/1", SIGNED_IN_404),
    ("standing.index", "GET", "/me/standing", SIGNED_IN),
    ("leaderboard.settings", "GET", "/me/settings", SIGNED_IN),
    ("leaderboard.profile", "GET", "/u/{asker_name}", every(200)),
    ("leaderboard.profile", "GET", "/u/NobodyAtAll10", every(404)),
    ("coaches.index", "GET", "/coaches/", every(200)),
    ("coaches.detail", "GET", "/coaches/{profile}", every(200)),
    ("coaches.detail", "GET", "/coaches/999999", every(404)),
    # Only a young person aged 18-25 applies (the coach is one already: to their profile).
    ("coaches.apply", "GET", "/coaches/apply", (302, 403, 200, 302, 403, 403)),
    ("coaches.applications", "GET", "/coaches/applications", MODERATORS),
    ("coaches.profile", "GET", "/coaches/me/profile", COACHES_ONLY),
    ("coaches.my_threads", "GET", "/coaches/me/threads", COACHES_ONLY),
    ("lounge.index", "GET", "/coaches/lounge/", LOUNGE),
    ("lounge.topic", "GET", "/coaches/lounge/{topic}", LOUNGE),
    ("lounge.post", "GET", "/coaches/lounge/posts/{lounge_post}", (302, 403, 403, 302, 302, 302)),
    # Forms, posted empty: refused, or asked to fix them (422), never a 500.
    ("main.language", "POST", "/language", every(302)),
    # the recovery-code page again, only with the person's own code (the matrix sends none)
    ("accounts.recovery_code_language", "POST", "/recovery-code/language", every(302)),
    ("main.country", "POST", "/country", every(302)),
    ("accounts.signup", "POST", "/sign-up", (422, 302, 302, 302, 302, 302)),
    ("accounts.login", "POST", "/log-in", (422, 302, 302, 302, 302, 302)),
    ("accounts.recover", "POST", "/recover", every(422)),
    ("accounts.change_password", "POST", "/me/password", (302, 422, 422, 422, 422, 422)),
    # Young people follow published questions (the asker's own: already, nothing changes).
    ("notifications.follow", "POST", "/notifications/follow/{question}", FOLLOWERS),
    ("notifications.follow", "POST", "/notifications/follow/{pending_question}", SIGNED_IN_404),
    ("notifications.unfollow", "POST", "/notifications/unfollow/{question}", FOLLOWERS),
    ("questions.create", "POST", "/questions/ask", (302, 422, 422, 422, 422, 422)),
    (
        "questions.update",
        "POST",
        "/questions/{pending_question}/edit",
        (302, 422, 404, 404, 403, 403),
    ),
    # The asker never assists on their own question; a coach only replies when chosen.
    ("assists.create", "POST", "/questions/{question}/assists", (302, 403, 422, 403, 422, 422)),
    (
        "assists.create",
        "POST",
        "/questions/{pending_question}/assists",
        (302, 404, 404, 404, 404, 404),
    ),
    ("assists.update", "POST", "/assists/{pending_assist}/edit", (302, 404, 422, 404, 404, 404)),
    (
        "moderation.reject",
        "POST",
        "/moderation/items/{item_b}/reject",
        (302, 403, 403, 403, 422, 422),
    ),
    ("assists.helpful", "POST", "/assists/{assist}/helpful", (302, 302, 403, 403, 403, 403)),
    (
        "assists.helpful",
        "POST",
        "/assists/{pending_assist}/helpful",
        (302, 404, 404, 404, 404, 404),
    ),
    (
        "moderation.approve",
        "POST",
        "/moderation/items/{item_a}/approve",
        (302, 403, 403, 403, 302, 302),
    ),
    # Only young people choose whether to appear on the boards.
    ("leaderboard.settings", "POST", "/me/settings", (302, 422, 422, 403, 403, 403)),
    ("flags.create", "POST", "/report/question/{question}", (302, 403, 422, 422, 422, 422)),
    ("moderation.claim", "POST", "/moderation/items/{item_c}/claim", MODERATOR_ACTION),
    ("moderation.release", "POST", "/moderation/items/{item_c}/release", MODERATOR_ACTION),
    ("moderation.redact", "POST", "/moderation/items/{item_d}/redact", MODERATOR_FORM),
    # No verdict: our page did not send that (400).
    (
        "moderation.screening_mark",
        "POST",
        "/moderation/items/{item_c}/screening",
        (302, 403, 403, 403, 400, 400),
    ),
    ("moderation.escalate", "POST", "/moderation/items/{item_e}/escalate", MODERATOR_FORM),
    ("moderation.sanction", "POST", "/moderation/users/{asker_id}/sanctions", MODERATOR_FORM),
    ("moderation.revoke", "POST", "/moderation/sanctions/{sanction}/revoke", MODERATOR_FORM),
    (
        "safeguarding.resolve",
        "POST",
        "/safeguarding/{escalation}/resolve",
        (302, 403, 403, 403, 403, 422),
    ),
    ("coaches.apply", "POST", "/coaches/apply", (302, 403, 422, 302, 403, 403)),
    ("coaches.profile", "POST", "/coaches/me/profile", (302, 403, 403, 422, 403, 403)),
    ("coaches.request_coach", "POST", "/coach-requests", (302, 400, 400, 400, 400, 400)),
    # The coach hasn't said yes yet, so nobody may write a coach's reply.
    (
        "coaches.reply",
        "POST",
        "/questions/{question}/coach-replies",
        (302, 403, 403, 403, 403, 403),
    ),
    ("lounge.index", "POST", "/coaches/lounge/", (302, 403, 403, 422, 422, 422)),
    ("lounge.topic", "POST", "/coaches/lounge/{topic}", (302, 403, 403, 422, 422, 422)),
    # Nobody reports their own lounge post (the coach wrote it).
    (
        "lounge.report",
        "POST",
        "/coaches/lounge/posts/{lounge_post}/report",
        (302, 403, 403, 403, 302, 302),
    ),
    (
        "coaches.decline_application",
        "POST",
        "/coaches/applications/{application}/decline",
        (302, 403, 403, 403, 302, 302),
    ),
    # Declined just above: approving now is a calm "already decided", not a role change.
    (
        "coaches.approve_application",
        "POST",
        "/coaches/applications/{application}/approve",
        (302, 403, 403, 403, 302, 302),
    ),
    (
        "coaches.decline",
        "POST",
        "/coach-requests/{coach_request}/decline",
        (302, 404, 404, 302, 404, 404),
    ),
    (
        "coaches.accept",
        "POST",
        "/coach-requests/{coach_request}/accept",
        (302, 404, 404, 302, 404, 404),
    ),
    (
        "coaches.release",
        "POST",
        "/questions/{question}/coach/release",
        (302, 302, 403, 403, 403, 403),
    ),
    ("coaches.away", "POST", "/coaches/me/away", (302, 403, 403, 302, 403, 403)),
    (
        "notifications.open_one",
        "POST",
        "/notifications/{asker_notification}/open",
        (302, 302, 404, 404, 404, 404),
    ),
    ("notifications.read_all", "POST", "/notifications/read", every(302)),
    (
        "questions.delete",
        "POST",
        "/questions/{pending_question}/delete",
        (302, 302, 404, 404, 404, 404),
    ),
    ("assists.delete", "POST", "/assists/{pending_assist}/delete", (302, 404, 302, 404, 404, 404)),
    ("accounts.logout", "POST", "/log-out", every(302)),
]


def test_every_route_is_in_the_matrix(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(endpoint, method) for endpoint, method, _, _ in MATRIX}
    missing = sorted(routes - covered)
    assert not missing, f"add these routes to MATRIX with who may use them: {missing}"
    assert not covered - routes, f"MATRIX names routes that don't exist: {covered - routes}"


@pytest.mark.parametrize("role", ROLES)
def test_role_route_matrix(make_app, role):
    app = make_app()
    with app.app_context():
        world = build_world()
        client = client_for(app, world, role)
        column = ROLES.index(role)
        wrong = []
        for endpoint, method, path, expected in MATRIX:
            url = world.url(path)
            response = client.open(url, method=method, data={} if method == "POST" else None)
            if response.status_code != expected[column]:
                wrong.append(
                    f"{method} {url} ({endpoint}): {response.status_code}, "
                    f"expected {expected[column]}"
                )
        assert not wrong, "\n".join(wrong)
