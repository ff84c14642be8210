"""Every coach, lounge and notification state change refuses a POST without a CSRF token."""

import pytest


@pytest.fixture
def csrf_client(make_app):
    """A client for an app with CSRF protection enabled."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app.test_client()


@pytest.mark.parametrize(
    "url",
    [
        "/coaches/apply",
        "/coaches/applications/1/approve",
        "/coaches/applications/1/decline",
        "/coaches/me/profile",
        "/coaches/me/away",
        "/coach-requests",
        "/coach-requests/1/accept",
        "/coach-requests/1/decline",
        "/questions/1/coach/release",
        "/questions/1/coach-replies",
        "/coaches/lounge/",
        "/coaches/lounge/1",
        "/coaches/lounge/posts/1/report",
        "/notifications/1/open",
        "/notifications/read",
    ],
)
def test_post_without_a_token_is_refused(csrf_client, url):
    response = csrf_client.post(url, data={"question": "1", "coach": "1", "body": "x" * 20})
    assert response.status_code == 400
