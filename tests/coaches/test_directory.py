"""The directory: who is listed, who can be chosen, and filters."""

from community.coaches import directory, profiles
from community.core.database import commit_unit_of_work


def test_directory_filters_by_topic_and_language(app, make_coach, create_user):
    make_coach("Sara", topics=("family", "school"), languages=("da", "en"))
    make_coach("Ali", topics=("drugs",), languages=("ar", "da"))
    gone = make_coach("Nina", topics=("family",), languages=("no",))
    gone.is_active = False
    commit_unit_of_work()

    def names(**filters):
        return [c.profile.display_name for c in directory.listing(**filters)]

    assert names() == ["Ali", "Sara"]
    assert names(topic="family") == ["Sara"]
    assert names(language="ar") == ["Ali"]
    assert names(topic="family", language="ar") == []
    assert names(topic="no-such-topic", language="xx") == ["Ali", "Sara"]


def test_away_coaches_are_listed_but_cannot_be_chosen(app, make_coach):
    sara = make_coach("Sara")
    make_coach("Ali", away=True)
    cards = directory.listing()
    assert [(c.profile.display_name, c.is_available) for c in cards] == [
        ("Sara", True),
        ("Ali", False),
    ]
    profiles.set_away(sara, True)
    assert not any(c.is_available for c in directory.listing())
