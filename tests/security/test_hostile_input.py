"""Every hostile string, in every text field of every form: no 5xx, and the text comes back.

"Comes back" means: when the form is accepted, what is saved is what was typed (as the
app normalises it: surrounding space trimmed, a title's runs of space folded); when the
form is shown again with errors, each field still holds exactly what was typed.
"""

from __future__ import annotations

import pytest

from tests.conftest import SWEEPS
from tests.security.forms import FORMS, vars_of
from tests.security.payloads import load_payloads, shown_values
from tests.security.world import build_world, client_for


def test_every_form_is_listed(app):
    """Each POST route that reads a form with fields has a FormCase."""
    listed = {case.endpoint for case in FORMS}
    # POST routes whose form is only a CSRF token (no field a person types into).
    token_only = {
        "accounts.logout",
        "assists.helpful",
        "assists.delete",
        "questions.delete",
        "moderation.approve",
        "notifications.open_one",
        "notifications.read_all",
        "notifications.follow",
        "notifications.unfollow",
        "lounge.report",
        "coaches.approve_application",
        "coaches.accept",
        "coaches.decline",
        "coaches.release",
        "moderation.claim",
        "moderation.release",
        # Choices only, nothing typed: fuzzed in test_fuzz_forms.py.
        "leaderboard.settings",
        "moderation.screening_mark",
    }
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    missing = sorted(posts - listed - token_only)
    assert not missing, f"add a FormCase to tests/security/forms.py for: {missing}"
    for case in FORMS:
        assert vars_of(case.form), case.endpoint


@pytest.fixture(scope="module")
def payloads():
    return load_payloads()


def strings_for(payloads: list[str], form_number: int) -> list[str]:
    """All strings in the full sweep; in the quick one, the quarter this form's number picks."""
    if SWEEPS == "full":
        return payloads
    return payloads[form_number % 4 :: 4]


@pytest.mark.parametrize("case", FORMS, ids=lambda case: case.endpoint)
def test_hostile_strings_round_trip(make_app, payloads, case):
    """Each string goes into every text field of the form at once (one request a string)."""
    app = make_app()
    with app.app_context():
        world = build_world()
        client = client_for(app, world, case.role)
        names = case.text_fields()
        problems = []
        for text in strings_for(payloads, FORMS.index(case)):
            if case.prepare:
                case.prepare(world)
            prefix = world.url(case.prefix)
            data = {f"{prefix}{key}": world.url(value) for key, value in case.base.items()}
            data.update({f"{prefix}{name}": text for name in names})
            response = client.post(world.url(case.path), data=data)
            typed = text.replace("\x00", "")
            where = f"{case.endpoint} {text[:60]!r}"
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
            elif response.status_code == 422:
                shown = shown_values(response.text)
                for name in case.echoed:
                    if shown.get(f"{prefix}{name}") != typed:
                        problems.append(f"{where}: {name} shows {shown.get(prefix + name)!r:.80}")
            elif response.status_code in (200, 302):
                for name, (normalise, read) in case.saved.items():
                    if read(world) != normalise(typed):
                        problems.append(f"{where}: {name} saved as {read(world)!r:.80}")
            if response.status_code == 302:
                location = response.headers["Location"]
                if location.startswith(("//", "/\\")) or "://" in location.split("?")[0]:
                    problems.append(f"{where}: redirects off-site to {location!r}")
            if len(problems) > 20:
                break
        assert not problems, "\n".join(problems)
