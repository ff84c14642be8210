"""The notifications that bring people back, each fired by the real action: an assist
approved in the queue, a coach reply, "this helped", a new level or badge."""

from sqlalchemy import select

from community.assists import services as assists
from community.coaches import coach_replies
from community.core.database import commit_unit_of_work
from community.extensions import db
from community.notifications import activity, follows, services
from community.notifications.models import Notification
from moderation import decisions
from moderation import flags as moderation_flags
from moderation.models import QueueItem, QueueState
from tests.conftest import approve_open

ASSIST_TEXT = "Take a walk together and just listen to what she says."


def _rows(user):
    return db.session.scalars(
        select(Notification).where(Notification.recipient_id == user.id).order_by(Notification.id)
    ).all()


def _kinds(user):
    return [n.kind for n in _rows(user)]


def _messages(user):
    return [item.message for item in services.recent(user)]


def test_the_asker_hears_of_the_first_assist_then_of_new_ones_grouped_by_thread(
    app, youth, other_youth, moderator, create_user, published_question, publish_assist
):
    before = _kinds(youth)  # the approval of their question
    pending = assists.write(other_youth, published_question.id, ASSIST_TEXT)
    commit_unit_of_work()
    assert _kinds(youth) == before  # nothing before a moderator approves

    approve_open(moderator)
    assert _kinds(youth)[len(before) :] == [activity.FIRST_ASSIST]
    first = _rows(youth)[-1]
    assert (first.object_type, first.object_id, first.thread_id) == (
        "assist",
        pending.id,
        published_question.id,
    )
    publish_assist(create_user(), published_question.id)
    publish_assist(create_user(), published_question.id)
    assert _kinds(youth)[len(before) :] == [activity.FIRST_ASSIST] + [activity.NEW_ASSIST] * 2

    items = services.recent(youth)
    assert items[0].message == "2 new assists on your question"
    assert items[0].count == 2 and items[0].is_unread
    assert items[0].own_question_title == published_question.title
    newest = _rows(youth)[-1]
    assert items[0].url.endswith(f"/questions/{published_question.id}#a{newest.object_id}")
    assert items[1].message == "Your question got its first assist!"
    assert services.recent(other_youth)[0].own_question_title is None  # not their question


def test_opening_a_grouped_line_reads_all_of_it(
    app, youth, create_user, published_question, publish_assist
):
    for _ in range(3):
        publish_assist(create_user(), published_question.id)
    line = services.recent(youth)[0]
    assert line.count == 2  # the first one is its own line: "first assist"
    services.open_one(line.id, youth)
    commit_unit_of_work()
    assert not services.recent(youth)[0].is_unread
    assert services.recent(youth)[1].is_unread  # the "first assist" line stays unread


def test_no_row_holds_any_post_text(app, youth, other_youth, published_question, publish_assist):
    publish_assist(other_youth, published_question.id, ASSIST_TEXT)
    for row in db.session.scalars(select(Notification)):
        values = " ".join(str(getattr(row, c.key)) for c in Notification.__table__.columns)
        assert published_question.title not in values and "walk" not in values
        assert published_question.title not in repr(row)


def test_the_asker_hears_when_their_coach_replies(app, youth, coach, attached, moderator):
    question, _ = attached
    coach_replies.reply(coach, question.id, "I went through this at 15. Writing it down helped.")
    commit_unit_of_work()
    assert activity.COACH_REPLIED not in _kinds(youth)  # not before the queue approves it
    approve_open(moderator)
    assert _kinds(youth)[-1] == activity.COACH_REPLIED
    assert services.recent(youth)[0].message == "1 new reply from your coach"
    assert activity.FIRST_ASSIST not in _kinds(youth)  # a coach reply is not a peer's assist


def test_the_helper_hears_this_helped_with_points_a_badge_and_a_level(
    app, youth, other_youth, published_question, publish_assist
):
    assist = publish_assist(other_youth, published_question.id)
    assert _kinds(other_youth)[-1] == activity.BADGE  # "First assist", from its 2 points
    assists.mark_helpful(assist.id, youth)
    commit_unit_of_work()  # the ledger job runs after the commit
    kinds = _kinds(other_youth)
    assert kinds[-3:] == [activity.HELPED, activity.LEVEL_UP, activity.BADGE]
    helped = _rows(other_youth)[-3]
    assert helped.amount == 10 and helped.thread_id == published_question.id
    messages = _messages(other_youth)
    assert "1 of your assists helped the asker. You earned 10 points." in messages
    newest = services.recent(other_youth)[:3]  # newest first
    assert [(i.message, i.detail) for i in newest] == [
        ("You earned a new badge!", "First helpful assist"),
        ("You reached a new level!", "Helper"),
        ("1 of your assists helped the asker. You earned 10 points.", None),
    ]
    assert newest[2].url.endswith(f"#a{assist.id}")
    assert _kinds(youth).count(activity.HELPED) == 0  # the asker is not told of their own mark


def test_help_that_earned_nothing_says_so_with_no_number(
    app, youth, other_youth, published_question, publish_assist
):
    app.config["LEADERBOARD_DAILY_CAP"] = 2  # the published assist used it all up
    assist = publish_assist(other_youth, published_question.id)
    assists.mark_helpful(assist.id, youth)
    commit_unit_of_work()
    assert _rows(other_youth)[-1].kind == activity.BADGE  # helped counts for badges still
    assert "1 of your assists helped the asker. It earned no points this time." in (
        _messages(other_youth)
    )


def test_each_badge_and_level_is_told_once(
    app, youth, other_youth, published_question, publish_assist
):
    publish_assist(other_youth, published_question.id)
    publish_assist(other_youth, published_question.id, "Another idea: write her a letter first.")
    assert _kinds(other_youth).count(activity.BADGE) == 1
    assert _kinds(other_youth).count(activity.LEVEL_UP) == 0  # 4 points: still a newcomer


def test_followers_hear_of_new_assists_but_not_of_their_own(
    app, youth, other_youth, moderator, create_user, published_question, publish_assist
):
    follower = create_user()
    assert follows.follow(follower, published_question.id) is True
    assert follows.follow(follower, published_question.id) is False  # once
    assert follows.follow(other_youth, published_question.id) is True
    commit_unit_of_work()
    pending = assists.write(create_user(), published_question.id, ASSIST_TEXT)
    commit_unit_of_work()
    assert activity.FOLLOWED_ASSIST not in _kinds(follower)  # nothing before approval
    approve_open(moderator)
    publish_assist(other_youth, published_question.id)
    assert _kinds(follower).count(activity.FOLLOWED_ASSIST) == 2
    assert _kinds(other_youth).count(activity.FOLLOWED_ASSIST) == 1  # not for their own
    assert activity.FOLLOWED_ASSIST not in _kinds(youth)  # the asker hears as the asker
    line = services.recent(follower)[0]
    assert line.message == "2 new assists on a question you follow"
    assert line.own_question_title is None  # the title is the asker's to see
    assert f"#a{pending.id}" not in line.url  # the line points at the newest assist


def test_unfollowing_stops_it(app, youth, create_user, published_question, publish_assist):
    follower = create_user()
    follows.follow(follower, published_question.id)
    assert follows.unfollow(follower, published_question.id) is True
    commit_unit_of_work()
    publish_assist(create_user(), published_question.id)
    assert _kinds(follower) == []


def test_what_was_said_about_a_removed_assist_goes_with_it(
    app, youth, other_youth, create_user, moderator, published_question, publish_assist
):
    follower = create_user()
    follows.follow(follower, published_question.id)
    commit_unit_of_work()
    assist = publish_assist(other_youth, published_question.id)
    assert activity.FOLLOWED_ASSIST in _kinds(follower)
    moderation_flags.file_flag(create_user(), "assist", assist.id, "hurtful")
    commit_unit_of_work()
    item = db.session.scalar(select(QueueItem).where(QueueItem.state == QueueState.OPEN))
    decisions.reject(item.id, moderator, "hurtful", "")
    commit_unit_of_work()
    assert activity.FOLLOWED_ASSIST not in _kinds(follower)
    assert activity.FIRST_ASSIST not in _kinds(youth)
    assert services.unread_count(follower.id) == 0


def test_an_assist_that_left_view_any_other_way_is_not_shown_or_counted(
    app, youth, create_user, published_question, publish_assist
):
    from community.core.posts import ContentStatus

    first = publish_assist(create_user(), published_question.id)
    second = publish_assist(create_user(), published_question.id)
    third = publish_assist(create_user(), published_question.id)
    assert services.recent(youth)[0].message == "2 new assists on your question"
    # However it leaves public view (withdrawn by its author, say), the list follows.
    for assist in (first, third):
        db.session.get(type(assist), assist.id).status = ContentStatus.REJECTED
    commit_unit_of_work()
    items = services.recent(youth)
    assert [i.message for i in items if "assist" in i.message] == ["1 new assist on your question"]
    assert items[0].url.endswith(f"#a{second.id}")
