"""Assist rings: accounts that mark each other's assists "this helped" far more than chance.

``flask leaderboard detect-rings`` (or the ``leaderboard.detect_rings`` job; run it nightly)
counts, for the last ``RING_WINDOW_DAYS``, how many "this helped" marks each asker gave each
author, and tests every pair with :func:`community.reputation.rules.assess_pair`. Pairs
that are far beyond chance are grouped into reports (connected accounts together), their
points are taken back with ``ring_reversal`` events, and each new report goes to the
moderation queue with the evidence. A moderator who approves confirms the ring (the points
stay taken back); one who rejects dismisses it: the points come back (``ring_restored``) and
those pairs are never reported again. Running the check twice changes nothing.

Reports are filed in the name of an inactive staff account, "Assist ring check", never in
the name of an account under suspicion: moderation tells a queue item's author about the
decision, and nobody should learn from a notification that they were looked at.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from community.accounts.models import Role, User
from community.core import jobs
from community.core.clock import utcnow
from community.core.jobs import job
from community.core.posts import ContentStatus, ContentType
from community.extensions import db
from community.reputation import rules
from community.reputation.ledger import chains, compensate
from community.reputation.locks import lock_users
from community.reputation.models import (
    ReputationEvent,
    RingReport,
    RingReportPair,
    RingStatus,
)
from moderation import api as moderation
from moderation.api import ContentKind, Preview

CONTENT_TYPE = "ring_report"
REPORTER = "Assist ring check"  # a staff name: young people's pseudonyms have no spaces
REVERSED_KINDS = (rules.EventKind.ASSIST_PUBLISHED, rules.EventKind.ASSIST_HELPFUL)
RING_REPORTS = ContentType(CONTENT_TYPE, RingReport, _l("Possible assist ring"))

Pair = tuple[int, int]  # (asker id, author id)


@dataclass(frozen=True)
class Sweep:
    pairs: int  # ring pairs found (new or already reported)
    reports: int  # new reports sent to the moderation queue
    reversed: int  # events whose points were taken back in this run


def _marks_in_window() -> dict[Pair, int]:
    since = utcnow() - timedelta(days=current_app.config["RING_WINDOW_DAYS"])
    rows = db.session.execute(
        select(ReputationEvent.asker_id, ReputationEvent.user_id, func.count())
        .where(
            ReputationEvent.kind == rules.EventKind.ASSIST_HELPFUL,
            ReputationEvent.compensates_id.is_(None),
            ReputationEvent.asker_id.is_not(None),
            ReputationEvent.asker_id != ReputationEvent.user_id,
            ReputationEvent.created_at >= since,
        )
        .group_by(ReputationEvent.asker_id, ReputationEvent.user_id)
    ).all()
    return {(asker, author): count for asker, author, count in rows if asker is not None}


def find_ring_pairs(marks: Mapping[Pair, int]) -> dict[Pair, rules.PairTest]:
    """The pairs whose marks are far beyond chance, with the test that says so."""
    given: Counter[int] = Counter()
    received: Counter[int] = Counter()
    for (asker, author), count in marks.items():
        given[asker] += count
        received[author] += count
    total = sum(marks.values())
    found = {}
    for (asker, author), count in marks.items():
        if count < rules.RING_MIN_MARKS:
            continue  # cheap filter: most pairs have one or two marks
        test = rules.assess_pair(count, given[asker], received[author], total)
        if test.is_ring:
            found[(asker, author)] = test
    return found


def _known(pairs: Sequence[Pair]) -> dict[Pair, tuple[int, RingStatus]]:
    """Pairs already in a report: the newest report's id and status for each."""
    askers = sorted({asker for asker, _ in pairs})
    rows = db.session.execute(
        select(RingReportPair.asker_id, RingReportPair.author_id, RingReport.id, RingReport.status)
        .join(RingReport, RingReport.id == RingReportPair.report_id)
        .where(RingReportPair.asker_id.in_(askers))
        .order_by(RingReport.id)
    ).all()
    wanted = set(pairs)
    return {(a, b): (rid, status) for a, b, rid, status in rows if (a, b) in wanted}


@job("leaderboard.detect_rings")
def detect_rings() -> Sweep:
    """Find assist rings, take their points back and report new ones to moderators."""
    found = find_ring_pairs(_marks_in_window())
    if not found:
        return Sweep(0, 0, 0)
    known = _known(sorted(found))
    report_of: dict[Pair, int] = {
        pair: rid for pair, (rid, status) in known.items() if status is not RingStatus.DISMISSED
    }
    new = [pair for pair in sorted(found) if pair not in known]
    opened = 0
    for group in rules.groups(new):
        report = RingReport()
        db.session.add(report)
        db.session.flush()
        for asker, author in group:
            test = found[(asker, author)]
            db.session.add(
                RingReportPair(
                    report_id=report.id,
                    asker_id=asker,
                    author_id=author,
                    marks=test.marks,
                    given=test.given,
                    expected=round(test.expected, 3),
                )
            )
            report_of[(asker, author)] = report.id
        db.session.flush()
        moderation.submit(CONTENT_TYPE, report.id, _reporter_id())
        opened += 1
    lock_users({author for _, author in report_of})
    reversed_count = sum(_reverse_pair(pair, rid) for pair, rid in sorted(report_of.items()))
    return Sweep(pairs=len(report_of), reports=opened, reversed=reversed_count)


def _reporter_id() -> int:
    """The inactive staff account that files ring reports (made on first use)."""
    user_id = db.session.scalar(select(User.id).where(User.pseudonym == REPORTER))
    if user_id is None:
        reporter = User(
            pseudonym=REPORTER,
            password_hash="!",  # noqa: S106 - not a hash of anything: nobody can log in
            role=Role.MODERATOR,
            is_active=False,
        )
        db.session.add(reporter)
        db.session.flush()
        user_id = reporter.id
    return user_id


def _reverse_pair(pair: Pair, report_id: int) -> int:
    asker, author = pair
    originals = db.session.scalars(
        select(ReputationEvent)
        .where(
            ReputationEvent.user_id == author,
            ReputationEvent.asker_id == asker,
            ReputationEvent.compensates_id.is_(None),
            ReputationEvent.kind.in_(REVERSED_KINDS),
        )
        .order_by(ReputationEvent.id)
    ).all()
    return sum(
        1
        for chain in chains(originals)
        if compensate(chain, rules.EventKind.RING_REVERSAL, ring_report_id=report_id)
    )


@job("leaderboard.restore_ring_points")
def restore_ring_points(report_id: int) -> int:
    """Give back the points a dismissed report took; returns events written (idempotent)."""
    report = db.session.get(RingReport, report_id)
    if report is None or report.status is not RingStatus.DISMISSED:
        return 0
    reversed_ids = select(ReputationEvent.compensates_id).where(
        ReputationEvent.ring_report_id == report_id,
        ReputationEvent.kind == rules.EventKind.RING_REVERSAL,
    )
    originals = db.session.scalars(
        select(ReputationEvent)
        .where(ReputationEvent.id.in_(reversed_ids))
        .order_by(ReputationEvent.id)
    ).all()
    lock_users({event.user_id for event in originals})
    written = 0
    for chain in chains(originals):
        last = chain.last
        if last.kind is rules.EventKind.RING_REVERSAL and last.ring_report_id == report_id:
            if compensate(chain, rules.EventKind.RING_RESTORED, ring_report_id=report_id):
                written += 1
    return written


# -- the moderation queue ----------------------------------------------------------------------


def _apply_status(report: RingReport, status: ContentStatus) -> None:
    """Approve = the ring is confirmed; reject = dismissed, and the points come back."""
    report.decided_at = utcnow()
    if status is ContentStatus.PUBLISHED:
        report.status = RingStatus.CONFIRMED
    elif status is ContentStatus.REJECTED:
        report.status = RingStatus.DISMISSED
        jobs.enqueue("leaderboard.restore_ring_points", report.id)
    db.session.flush()


def _previews(ids: Sequence[int]) -> Mapping[int, Preview]:
    asker, author = aliased(User), aliased(User)
    pairs = db.session.execute(
        select(RingReportPair, asker.pseudonym, author.pseudonym)
        .join(asker, asker.id == RingReportPair.asker_id)
        .join(author, author.id == RingReportPair.author_id)
        .where(RingReportPair.report_id.in_(ids))
        .order_by(RingReportPair.report_id, RingReportPair.id)
    ).all()
    taken = dict(
        db.session.execute(
            select(ReputationEvent.ring_report_id, func.sum(ReputationEvent.points))
            .where(
                ReputationEvent.ring_report_id.in_(ids),
                ReputationEvent.kind == rules.EventKind.RING_REVERSAL,
            )
            .group_by(ReputationEvent.ring_report_id)
        ).all()
    )
    reporter_id = db.session.scalar(select(User.id).where(User.pseudonym == REPORTER))
    by_report: dict[int, list] = {}
    for pair, asker_name, author_name in pairs:
        by_report.setdefault(pair.report_id, []).append((pair, asker_name, author_name))
    return {
        report_id: _preview(report_id, rows, -(taken.get(report_id) or 0), reporter_id or 0)
        for report_id, rows in by_report.items()
    }


def _preview(report_id: int, rows: list, points_taken: int, reporter_id: int) -> Preview:
    accounts = {p.asker_id for p, _, _ in rows} | {p.author_id for p, _, _ in rows}
    received: Counter[int] = Counter()
    names = {}
    for pair, _asker_name, author_name in rows:
        received[pair.author_id] += pair.marks
        names[pair.author_id] = author_name
    beneficiary = received.most_common(1)[0][0]
    items = Markup("").join(
        Markup("<li>{}</li>").format(
            _(
                "%(asker)s marked assists by %(author)s as helpful %(marks)s "
                "(%(share)s of all their marks). By chance we would expect about %(expected)s.",
                asker=asker_name,
                author=author_name,
                marks=ngettext("%(num)d time", "%(num)d times", pair.marks),
                share=f"{round(100 * pair.marks / max(pair.given, 1))}%",
                expected=f"{pair.expected:.1f}",
            )
        )
        for pair, asker_name, author_name in rows
    )
    body = Markup("<p>{intro}</p><ul>{items}</ul><p>{taken}</p><p>{meaning}</p>").format(
        intro=_(
            "These accounts mark each other's assists as helpful far more often than chance. "
            "It could be one person with several accounts, or friends swapping points."
        ),
        items=items,
        taken=_("Points taken back until you decide: %(points)s.", points=points_taken),
        meaning=_(
            "Approve if this is a ring: the points stay taken back. Reject if it was real "
            "help: the points come back and we won't report these accounts for it again."
        ),
    )
    return Preview(
        content_id=report_id,
        title=ngettext(
            "Possible assist ring: %(num)d account",
            "Possible assist ring: %(num)d accounts",
            len(accounts),
        ),
        body_html=str(escape(body)),
        author_id=reporter_id,
        author_name=REPORTER,
        context=None,
        public_url=url_for("leaderboard.profile", pseudonym=names[beneficiary]),
    )


def content_kind() -> ContentKind:
    return moderation.kind_of(RING_REPORTS, _previews, _apply_status)
