"""Property-based fuzzing of every form: whatever arrives, the answer is never a 5xx."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SWEEPS
from tests.security.forms import FORMS, vars_of
from tests.security.world import build_world, client_for

EXAMPLES = int(os.environ.get("ASSIST_FUZZ_EXAMPLES") or (2000 if SWEEPS == "full" else 200))
TOKEN_ONLY = [
    ("assists.helpful", "asker", "/assists/{assist}/helpful", []),
    ("questions.delete", "asker", "/questions/{pending_question}/delete", []),
    ("assists.delete", "helper", "/assists/{pending_assist}/delete", []),
    ("moderation.approve", "moderator", "/moderation/items/{item_a}/approve", []),
    ("notifications.open_one", "asker", "/notifications/{asker_notification}/open", []),
    ("notifications.read_all", "asker", "/notifications/read", []),
    ("lounge.report", "moderator", "/coaches/lounge/posts/{lounge_post}/report", []),
    ("coaches.approve_application", "moderator", "/coaches/applications/{application}/approve", []),
    ("coaches.accept", "coach", "/coach-requests/{coach_request}/accept", []),
    ("coaches.decline", "coach", "/coach-requests/{coach_request}/decline", []),
    ("coaches.release", "asker", "/questions/{question}/coach/release", []),
    ("moderation.claim", "moderator", "/moderation/items/{item_c}/claim", []),
    ("moderation.release", "moderator", "/moderation/items/{item_c}/release", []),
    ("leaderboard.settings", "helper", "/me/settings", ["appear"]),
    ("moderation.screening_mark", "moderator", "/moderation/items/{item_c}/screening", ["verdict"]),
]
TARGETS = [
    (case.endpoint, case.role, case.path, [case.prefix + name for name, _ in vars_of(case.form)])
    for case in FORMS
] + TOKEN_ONLY

values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=6000),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            # Ids no row can have, as a hidden field or a number field might carry them.
            str(2**31),
            str(2**63),
            str(-(2**63) - 1),
            "9" * 5000,
            "\u0663",
            "1e309",
            "on",
            "y",
            "other",
            "16-17",
            "under-13",
            "love",
            "None",
            "null",
            "[]",
            "{}",
            "../../",
            "/\\evil",
        ]
    ),
)


@pytest.mark.parametrize(
    ("endpoint", "role", "path", "fields"), TARGETS, ids=[target[0] for target in TARGETS]
)
def test_forms_never_answer_5xx(make_app, endpoint, role, path, fields):
    app = make_app()
    with app.app_context():
        world = build_world()
        client = client_for(app, world, role)
        url = world.url(path)
        names = [world.url(name) for name in fields]

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            data=st.fixed_dictionaries({}, optional={name: values for name in names}),
            extra=st.dictionaries(st.text(min_size=1, max_size=20), values, max_size=3),
        )
        def post(data, extra):
            response = client.post(url, data={**extra, **data})
            assert response.status_code < 500, (data, extra)

        post()
