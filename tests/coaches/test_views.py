"""Coach pages, and the refusals as a browser would meet them."""

from datetime import timedelta

from sqlalchemy import func, select, update

from community.accounts.models import AgeBand, Role
from community.assists.models import Assist
from community.coaches import applications, profiles, thread_requests
from community.coaches.models import CoachApplication, CoachRequest, RequestState
from community.core.clock import utcnow
from community.core.database import commit_unit_of_work
from community.extensions import db
from tests.coaches.conftest import ABOUT, EXPERIENCE
from tests.conftest import approve_open

REPLY = "I went through the same thing at 15. Writing my feelings down first helped me."
PROFILE_FORM = {
    "display_name": "Sam",
    "about": ABOUT,
    "experience": EXPERIENCE,
    "topics": ["family", "feelings"],
    "languages": ["da", "en"],
    "capacity": "2",
}


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


# -- applying ----------------------------------------------------------------------------------


def test_a_young_adult_applies_and_a_moderator_approves(client, create_user, moderator, login):
    adult = create_user(age_band=AgeBand.AGE_18_25.value)
    login(adult)
    assert "Send my application" in client.get("/coaches/apply").text
    response = client.post("/coaches/apply", data=PROFILE_FORM, follow_redirects=True)
    assert "Thanks! A moderator will read your application soon." in response.text
    assert "Your application is waiting." in response.text
    assert 'value="Sam"' in response.text  # shown again, so it can be changed
    client.post("/log-out")
    login(moderator)
    page = client.get("/coaches/applications")
    assert "Sam" in page.text and EXPERIENCE[:40] in page.text and adult.pseudonym in page.text
    application = db.session.scalar(select(CoachApplication))
    done = client.post(f"/coaches/applications/{application.id}/approve", follow_redirects=True)
    assert "Approved. Sam is a coach now." in done.text
    again = client.post(f"/coaches/applications/{application.id}/approve", follow_redirects=True)
    assert again.status_code == 200 and "already decided" in again.text
    db.session.expire_all()
    assert db.session.get(type(adult), adult.id).role is Role.COACH
    assert "Sam" in client.get("/coaches/").text


def test_application_errors_keep_what_was_typed(client, create_user, login):
    login(create_user(age_band=AgeBand.AGE_18_25.value))
    response = client.post("/coaches/apply", data={**PROFILE_FORM, "topics": [], "capacity": "99"})
    assert response.status_code == 422
    assert "Choose at least one topic you can help with." in response.text
    assert EXPERIENCE[:40] in response.text and 'value="Sam"' in response.text
    assert _count(CoachApplication) == 0


def test_under_18s_staff_and_visitors_cannot_apply(client, youth, moderator, login, coach):
    assert client.get("/coaches/apply").status_code == 302  # log in first
    login(youth)
    page = client.get("/coaches/apply")
    assert page.status_code == 403 and "18 or older" in page.text
    assert client.post("/coaches/apply", data=PROFILE_FORM).status_code == 403
    client.post("/log-out")
    login(moderator)
    assert client.get("/coaches/apply").status_code == 403
    client.post("/log-out")
    login(coach)
    assert client.get("/coaches/apply").location.endswith("/coaches/me/threads")
    assert _count(CoachApplication) == 0


def test_only_moderators_review_applications(client, create_user, youth, coach, moderator, login):
    adult = create_user(age_band=AgeBand.AGE_18_25.value)
    application = applications.apply(
        adult, profiles.ProfileDraft("Sam", ABOUT, EXPERIENCE, ["family"], ["da"], 2)
    )
    commit_unit_of_work()
    for someone in (adult, youth, coach):
        login(someone)
        assert client.get("/coaches/applications").status_code == 403
        assert client.post(f"/coaches/applications/{application.id}/approve").status_code == 403
        assert client.post(f"/coaches/applications/{application.id}/decline").status_code == 403
        client.post("/log-out")
    login(moderator)
    too_long = client.post(
        f"/coaches/applications/{application.id}/decline",
        data={f"d{application.id}-note": "x" * 1001},
    )
    assert too_long.status_code == 422 and "Use at most 1000 characters." in too_long.text
    done = client.post(
        f"/coaches/applications/{application.id}/decline",
        data={f"d{application.id}-note": "Please tell us more."},
        follow_redirects=True,
    )
    assert "Turned down." in done.text
    client.post("/log-out")
    login(adult)
    page = client.get("/coaches/apply")
    assert (
        "Your last application was not approved." in page.text
        and "Please tell us more." in page.text
    )


# -- the directory and profiles ----------------------------------------------------------------


def test_directory_shows_profiles_availability_and_filters(client, make_coach):
    make_coach("Sara", topics=("family",), languages=("da",))
    make_coach("Ali", topics=("drugs",), languages=("ar",), away=True)
    page = client.get("/coaches/")
    assert "Sara" in page.text and "Ali" in page.text and EXPERIENCE[:30] in page.text
    assert "Can join a thread" in page.text and "Away for now" in page.text
    assert "Has helped in 0 threads" in page.text
    filtered = client.get("/coaches/?topic=drugs&language=ar")
    assert "Ali" in filtered.text and "Sara" not in filtered.text
    assert client.get("/coaches/?language=de").text.count("coach-card") == 0


def test_a_coach_profile_page_and_unlisted_ones(client, coach, create_user, profile_of):
    page = client.get(f"/coaches/{profile_of(coach).id}")
    assert page.status_code == 200 and "What I have been through" in page.text
    assert coach.pseudonym not in page.text  # the display name only
    unlisted = create_user(role=Role.COACH)
    profiles.own_profile(unlisted)
    commit_unit_of_work()
    assert client.get(f"/coaches/{profile_of(unlisted).id}").status_code == 404
    assert client.get("/coaches/9999").status_code == 404


# -- choosing from the thread and the directory ------------------------------------------------


def test_the_asker_chooses_a_coach_from_the_thread(client, youth, coach, ask, profile_of, login):
    question = ask(youth)
    login(youth)
    page = client.get(f"/questions/{question.id}")
    assert "Choose a coach" in page.text and "Ask this coach to join" in page.text
    response = client.post(
        "/coach-requests",
        data={"question": question.id, "coach": profile_of(coach).id},
        follow_redirects=True,
    )
    assert "We asked Sara to join." in response.text
    assert "You asked Sara to join." in response.text and "Take the request back" in response.text


def test_the_asker_chooses_from_the_directory(client, youth, coach, ask, login):
    question = ask(youth)
    login(youth)
    page = client.get(f"/coaches/?question={question.id}")
    assert "Ask Sara to join" in page.text and "For which of your questions?" in page.text
    assert f'<option value="{question.id}" selected>' in page.text


def test_choosing_refusals(client, youth, other_youth, make_coach, ask, profile_of, login):
    sara, ali = make_coach("Sara"), make_coach("Ali", away=True)
    question = ask(youth)
    login(other_youth)  # not the asker
    response = client.post(
        "/coach-requests", data={"question": question.id, "coach": profile_of(sara).id}
    )
    assert response.status_code == 403
    client.post("/log-out")
    login(youth)
    away = client.post(
        "/coach-requests",
        data={"question": question.id, "coach": profile_of(ali).id},
        follow_redirects=True,
    )
    assert "Ali is away right now. Choose someone else." in away.text
    assert _count(CoachRequest) == 0
    client.post("/coach-requests", data={"question": question.id, "coach": profile_of(sara).id})
    second = client.post(
        "/coach-requests",
        data={"question": question.id, "coach": profile_of(sara).id},
        follow_redirects=True,
    )
    assert "This thread already has a coach, or is waiting for one to answer." in second.text
    assert _count(CoachRequest) == 1
    no_coach = client.post("/coach-requests", data={"question": question.id}, follow_redirects=True)
    assert "Choose a coach first." in no_coach.text
    assert client.post("/coach-requests", data={"question": "x", "coach": "1"}).status_code == 400


def test_a_coach_cannot_choose_themselves(client, coach, profile_of, moderator, login):
    from community.questions import services as questions

    own = questions.ask(
        coach,
        questions.QuestionDraft(
            "How do coaches rest after a hard week?", "Asking for myself this time.", "feelings"
        ),
    )
    commit_unit_of_work()
    approve_open(moderator)
    login(coach)
    response = client.post(
        "/coach-requests", data={"question": own.id, "coach": profile_of(coach).id}
    )
    assert response.status_code == 403
    assert _count(CoachRequest) == 0


# -- answering ---------------------------------------------------------------------------------


def test_the_coach_accepts_from_my_threads_and_double_clicks_are_harmless(
    client, youth, coach, ask, profile_of, login
):
    question = ask(youth)
    request = thread_requests.request_coach(youth, question.id, profile_of(coach).id)
    commit_unit_of_work()
    login(coach)
    page = client.get("/coaches/me/threads")
    assert question.title in page.text and "Yes, I'll join" in page.text
    assert youth.pseudonym not in page.text  # no more than the thread itself shows
    first = client.post(f"/coach-requests/{request.id}/accept")
    assert first.status_code == 302 and first.location.endswith(
        f"/questions/{question.id}#coach-reply"
    )
    again = client.post(f"/coach-requests/{request.id}/accept", follow_redirects=True)
    assert again.status_code == 200 and "You already said yes to this request." in again.text
    late_no = client.post(f"/coach-requests/{request.id}/decline", follow_redirects=True)
    assert "You already said yes to this request." in late_no.text
    thread = client.get(f"/questions/{question.id}")
    assert (
        "Sara is the coach in this thread." in thread.text
        and "Write a coach's reply" in thread.text
    )


def test_accepting_after_expiry_is_a_message_not_an_error(
    client, youth, coach, ask, profile_of, login
):
    request = thread_requests.request_coach(youth, ask(youth).id, profile_of(coach).id)
    commit_unit_of_work()
    db.session.execute(update(CoachRequest).values(expires_at=utcnow() - timedelta(minutes=5)))
    commit_unit_of_work()
    login(coach)
    response = client.post(f"/coach-requests/{request.id}/accept", follow_redirects=True)
    assert response.status_code == 200
    assert "This request ran out of time. The asker can choose again." in response.text


def test_other_people_cannot_answer_a_request(client, youth, make_coach, ask, profile_of, login):
    sara, ali = make_coach("Sara"), make_coach("Ali")
    request = thread_requests.request_coach(youth, ask(youth).id, profile_of(sara).id)
    commit_unit_of_work()
    for someone in (ali, youth):
        login(someone)
        assert client.post(f"/coach-requests/{request.id}/accept").status_code == 404
        client.post("/log-out")
    db.session.expire_all()
    assert db.session.get(CoachRequest, request.id).state is RequestState.PENDING
    login(youth)
    assert client.get("/coaches/me/threads").status_code == 403


def test_the_asker_releases_the_coach(client, attached, youth, login):
    question, request = attached
    login(youth)
    page = client.get(f"/questions/{question.id}")
    assert "Sara is the coach in this thread." in page.text and "Let the coach go" in page.text
    response = client.post(f"/questions/{question.id}/coach/release", follow_redirects=True)
    assert "The coach has left your thread." in response.text
    assert "Ask this coach to join" in response.text  # free to choose again
    db.session.expire_all()
    assert db.session.get(CoachRequest, request.id).state is RequestState.RELEASED


# -- coach replies -----------------------------------------------------------------------------


def test_the_attached_coach_replies_and_it_shows_as_a_coach_reply(
    client, attached, coach, youth, moderator, login
):
    question, _ = attached
    login(coach)
    thread = client.get(f"/questions/{question.id}")
    assert "Write an assist" not in thread.text  # coaches write coach replies only
    short = client.post(f"/questions/{question.id}/coach-replies", data={"body": "Hi"})
    assert short.status_code == 422 and "Use 10 to 5000 characters." in short.text
    sent = client.post(
        f"/questions/{question.id}/coach-replies", data={"body": REPLY}, follow_redirects=True
    )
    assert "Thanks! A moderator will read your coach&#39;s reply soon." in sent.text
    client.post("/log-out")
    approve_open(moderator)
    page = client.get(f"/questions/{question.id}").text
    assert "Coach's reply" in page and REPLY in page
    assert "by Sara" in page and coach.pseudonym not in page  # the display name, not the account


def test_a_coach_cannot_reply_where_they_were_not_chosen(
    client, attached, make_coach, youth, other_youth, login
):
    question, _ = attached
    ali = make_coach("Ali")
    for someone in (ali, youth, other_youth):
        login(someone)
        response = client.post(f"/questions/{question.id}/coach-replies", data={"body": REPLY})
        assert response.status_code == 403
        client.post("/log-out")
    login(ali)
    assert client.post(f"/questions/{question.id}/assists", data={"body": REPLY}).status_code == 403
    assert "Write a coach" not in client.get(f"/questions/{question.id}").text
    assert _count(Assist) == 0


def test_notifications_name_no_content(client, attached, youth, login):
    question, _ = attached
    login(youth)
    page = client.get("/notifications/")
    assert "The coach you chose said yes." in page.text
    assert question.title not in page.text


def test_away_toggle_and_profile_edit(client, coach, login):
    login(coach)
    paused = client.post("/coaches/me/away", data={"away": "1"}, follow_redirects=True)
    assert "You are away. Nobody can choose you until you come back." in paused.text
    assert "Away for now" in client.get("/coaches/").text
    client.post("/coaches/me/away", data={"away": "0"})
    assert "Can join a thread" in client.get("/coaches/").text
    page = client.get("/coaches/me/profile")
    assert 'value="Sara"' in page.text and "checked" in page.text
    changed = client.post(
        "/coaches/me/profile",
        data={**PROFILE_FORM, "display_name": "Sara B"},
        follow_redirects=True,
    )
    assert "Your new text shows when a moderator has approved it." in changed.text
    assert "Sara B" not in client.get("/coaches/").text
    bad = client.post("/coaches/me/profile", data={**PROFILE_FORM, "languages": []})
    assert bad.status_code == 422 and "Choose at least one language you speak." in bad.text


def test_youth_have_no_coach_pages(client, youth, login):
    login(youth)
    assert client.get("/coaches/me/profile").status_code == 403
    assert client.post("/coaches/me/away", data={"away": "1"}).status_code == 403
    nav = client.get("/").text
    assert "My threads" not in nav and "Lounge" not in nav and "/coaches/" in nav
