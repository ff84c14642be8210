"""Who appears on the boards: the person's own choice, off by default for 13-15."""

import pytest

from community.accounts.models import AgeBand, Role
from community.core.database import commit_unit_of_work
from community.core.errors import NotAllowed
from community.questions.topics import Topic
from community.reputation import listing, standings
from community.reputation.boards import Period


@pytest.mark.parametrize(
    ("age_band", "appears"),
    [(AgeBand.AGE_13_15, False), (AgeBand.AGE_16_17, True), (AgeBand.AGE_18_25, True)],
)
def test_the_default_depends_on_the_age_band(app, create_user, age_band, appears):
    user = create_user(age_band=age_band.value)
    assert listing.appears_on_boards(user) is appears
    assert listing.needs_asking(user)


def test_a_13_year_old_is_off_the_board_but_sees_their_own_place(app, create_user, ask, assist_on):
    asker = create_user()
    young = create_user(age_band=AgeBand.AGE_13_15.value)
    older = create_user()
    question = ask(asker)
    assist_on(young, question, helpful=True)
    assist_on(older, question)
    assert [r.user_id for r in standings.top()] == [older.id]
    mine = standings.rank_of(young)
    assert (mine.rank, mine.points, mine.listed) == (1, 12, False)  # where they would be
    assert standings.rank_of(older).rank == 1  # the board itself doesn't count them


def test_opting_in_and_out_any_time(app, create_user, ask, assist_on):
    asker, helper = create_user(), create_user(age_band=AgeBand.AGE_13_15.value)
    assist_on(helper, ask(asker, topic="love"), helpful=True)
    listing.choose(helper, appear=True)
    commit_unit_of_work()
    for period in Period:
        for board in (standings.current_board(period), standings.current_board(period, Topic.LOVE)):
            assert [r.user_id for r in standings.top(board=board)] == [helper.id]
    assert not listing.needs_asking(helper)
    listing.choose(helper, appear=False)
    commit_unit_of_work()
    assert standings.top() == []
    assert standings.rank_of(helper).listed is False
    listing.choose(helper, appear=True)
    commit_unit_of_work()
    assert standings.rank_of(helper).listed is True


def test_the_choice_holds_for_points_earned_later(app, create_user, ask, assist_on):
    asker, helper = create_user(), create_user()
    listing.choose(helper, appear=False)
    commit_unit_of_work()
    assist_on(helper, ask(asker), helpful=True)
    assert standings.top() == [] and standings.rank_of(helper).points == 12


def test_staff_have_no_choice_to_make(app, create_user):
    coach = create_user(role=Role.COACH)
    assert not listing.needs_asking(coach)
    assert not listing.appears_on_boards(coach)
    with pytest.raises(NotAllowed):
        listing.choose(coach, appear=True)
    with pytest.raises(NotAllowed):
        listing.choose(None, appear=True)
