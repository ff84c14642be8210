"""The fixed list of topics, in young people's own words."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Topic(enum.Enum):
    LOVE = "love"
    BODY = "body"
    SEX = "sex"
    DRUGS = "drugs"
    SCHOOL = "school"
    WORK = "work"
    FAMILY = "family"
    FEELINGS = "feelings"
    IDENTITY = "identity"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(TOPIC_LABELS[self])


TOPIC_LABELS = {
    Topic.LOVE: _l("Love & dating"),
    Topic.BODY: _l("Body & looks"),
    Topic.SEX: _l("Sex"),
    Topic.DRUGS: _l("Alcohol & drugs"),
    Topic.SCHOOL: _l("School"),
    Topic.WORK: _l("Work & money"),
    Topic.FAMILY: _l("Family & friends"),
    Topic.FEELINGS: _l("Feelings & mental health"),
    Topic.IDENTITY: _l("Identity"),
    Topic.OTHER: _l("Something else"),
}
